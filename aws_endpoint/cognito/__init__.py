"""Cognito extensions on the AWS endpoint: per-pool keys, the issuer's well-known documents, and the
internal calls for what the AWS API cannot do. Every path of this package is in this table."""

from werkzeug.routing import Rule

from aws_endpoint.cognito import views

RULES: list = [
    # The issuer's documents; they take precedence over moto's single shared `kid: dummy` key.
    # Any web page may read them (CORS, sandbox/cors.py), as browser apps read real Cognito's.
    Rule("/<pool_id>/.well-known/jwks.json", endpoint=views.jwks, methods=["GET", "OPTIONS"]),
    Rule("/<pool_id>/.well-known/openid-configuration", endpoint=views.openid_configuration,
         methods=["GET", "OPTIONS"]),
    # Internal: the hosted UI mints every token here; tests make expired or odd tokens.
    Rule("/_sandbox/cognito-idp/<pool_id>/sign", endpoint=views.sign_token, methods=["POST"]),
    # Internal: a sign-in's access and ID tokens in one call, the ID token's at_hash filled in.
    Rule("/_sandbox/cognito-idp/<pool_id>/sign-tokens", endpoint=views.sign_tokens, methods=["POST"]),
    # Internal: a federated user (EXTERNAL_PROVIDER), created atomically.
    Rule("/_sandbox/cognito-idp/<pool_id>/federated-users", endpoint=views.federated_users, methods=["POST"]),
    # Internal: /oauth2/revoke's effect, and whether a session's token is revoked (revocations.py).
    Rule("/_sandbox/cognito-idp/<pool_id>/revocations", endpoint=views.revoke_session, methods=["POST"]),
    Rule("/_sandbox/cognito-idp/<pool_id>/token-status", endpoint=views.token_status, methods=["POST"]),
    # Internal: the pool's change counters (changes.py), which the hosted UI keeps its reads by.
    Rule("/_sandbox/cognito-idp/<pool_id>/changes", endpoint=views.changes, methods=["GET"]),
]
