"""The client must exist in the pool (otherwise there is no trusted redirect URI: Cognito's /error page)."""

from hosted_ui.errors import unknown_client


def check(ctx, request, pool_id: str) -> dict:
    # Two client_ids name no one client (RFC 6749 §3.1; the mock Okta's error page too).
    client = None if "client_id" in request.repeated else ctx.live.app_client(pool_id, request.client_id)
    if client is None:
        raise unknown_client(request.client_id)  # /error?error=invalid_request&client_id=<id> (errors.py)
    return client
