"""The benchmark: start-up, sign-in round trips, concurrency, the authorizer's cost (`python -m bench`)."""
