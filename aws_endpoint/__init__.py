"""The sandbox's AWS endpoint: a moto server, plus what moto lacks (running Lambda code, Cognito's
per-pool keys and federated users, API Gateway's invocation URL and its Cognito authorizer)."""
