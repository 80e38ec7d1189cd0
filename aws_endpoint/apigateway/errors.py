"""API Gateway's gateway responses, one class per wire error, rendered in one place (`views.render_error`).

Bodies are byte-for-byte what a REST API answers with the default gateway responses: the 4xx ones are
compact JSON (`{"message":"Unauthorized"}`, content-length 26 in real captures), the 5xx one has a space
after the colon (`{"message": "Internal server error"}`, content-length 36). Every one carries
`x-amzn-ErrorType` and `x-amzn-RequestId` (API Gateway developer guide, "Gateway response types";
captures in aws-samples/serverless-patterns#2254 and in many 502 reports).
"""

from __future__ import annotations

import json
import re


class GatewayError(Exception):
    status = 500
    error_type = "InternalServerErrorException"
    body = '{"message": "Internal server error"}'

    def __init__(self, reason: str = ""):
        super().__init__(reason or self.body)
        self.reason = reason  # why, for the log and the flow page; never sent to the caller


class MissingAuthenticationToken(GatewayError):
    """Unknown API, stage, resource or method (gateway response MISSING_AUTHENTICATION_TOKEN)."""
    status, error_type, body = 403, "MissingAuthenticationTokenException", '{"message":"Missing Authentication Token"}'


class IncompleteSignature(GatewayError):
    """An unknown route or method asked with an Authorization header: API Gateway reads the header as a
    SigV4 signature (an unknown route is treated as IAM-authorized) and answers 403 with what is missing
    from it. Texts from real captures: "Authorization header requires 'Credential' parameter. ... Authorization=<header>"
    (aws/chalice #828, nordcloud/cognitocurl #15) and "'x' not a valid key=value pair (missing equal-sign)
    in Authorization header: 'Bearer x'." (serverless #3205), the header split at whitespace and commas
    (iann0036/cloud9-sync #10)."""
    status, error_type = 403, "IncompleteSignatureException"

    def __init__(self, authorization: str, has_date: bool):
        super().__init__("incomplete SigV4 Authorization header on an unknown route")
        self.body = json.dumps({"message": self.message(authorization, has_date)}, separators=(",", ":"))

    @staticmethod
    def message(authorization: str, has_date: bool) -> str:
        _, _, rest = authorization.strip().partition(" ")
        pairs = [p for p in re.split(r"[\s,]+", rest) if p]
        for pair in pairs:
            if "=" not in pair:
                return f"'{pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '{authorization}'."
        keys = {pair.split("=", 1)[0] for pair in pairs}
        missing = [f"Authorization header requires '{key}' parameter." for key in ("Credential", "Signature",
                                                                                   "SignedHeaders") if key not in keys]
        if not has_date:
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        return " ".join(missing + [f"Authorization={authorization}"])


class Unauthorized(GatewayError):
    """No token, a bad token, the wrong token type or scope (gateway response UNAUTHORIZED)."""
    status, error_type, body = 401, "UnauthorizedException", '{"message":"Unauthorized"}'


class ExpiredToken(GatewayError):
    """A Cognito token past its `exp`: still 401 UNAUTHORIZED, with its own message."""
    status, error_type, body = 401, "UnauthorizedException", '{"message":"The incoming token has expired"}'


class IntegrationFailure(GatewayError):
    """A Lambda error or a malformed proxy answer: 502 (proxy integration docs, "Malformed Lambda proxy
    response")."""
    status = 502


class AuthorizerConfigurationError(GatewayError):
    """An authorizer this sandbox cannot enforce. Real API Gateway answers a broken authorizer with 500
    AUTHORIZER_CONFIGURATION_ERROR; answering so here means such a route is never left open."""
    status, error_type, body = 500, "AuthorizerConfigurationException", '{"message": null}'
