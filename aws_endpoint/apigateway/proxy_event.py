"""The Lambda proxy integration's input event, payload format 1.0, field by field as API Gateway sends it.

"Input format of a Lambda function for proxy integration" (API Gateway developer guide) and the reference
capture in shared/reference/events/apigw_proxy_v1.json. Absent query strings, path parameters and stage
variables are null, not {}. Every authorizer claim is passed as a string.
"""

from __future__ import annotations

import base64
import functools
import json
import random
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import parse_qsl

from aws_endpoint.apigateway.routing import Route


def claim_string(name: str, value) -> str:
    """A claim as the REST API's Cognito authorizer passes it: always a string."""
    if name in ("exp", "iat") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _claim_time(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        # A REST API's Cognito authorizer joins an array claim's items with commas, no brackets: one group
        # arrives as the plain string ('cognito:groups': 'team_manager', capture on repost.aws question
        # QUFJRBaEJRSmmqarNrvCWoQA), several as "group-a,group-b" (openillumi.com write-up on the Cognito
        # authorizer; handlers split(',') it, e.g. aws/chalice#783). The bracketed, space-separated
        # "[a b]" is the HTTP API JWT authorizer's form (payload 2.0; see
        # aws-solutions-library-samples/guidance-for-claude-code-with-amazon-bedrock#803), not this one.
        return ",".join(claim_string(name, item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


@functools.lru_cache(maxsize=4096)
def _claim_time(value: float) -> str:
    """Observed format of exp/iat in REST API claims (facts.md; reference event); a token's requests repeat
    the same two times, so each is formatted once."""
    return datetime.fromtimestamp(value, timezone.utc).strftime("%a %b %d %H:%M:%S UTC %Y")


def string_claims(claims: dict) -> dict[str, str]:
    # Most claims are strings already: passed as they are without a call each.
    return {name: value if type(value) is str else claim_string(name, value) for name, value in claims.items()}


def header_maps(headers) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(headers, multiValueHeaders): the last value wins in the single-value map."""
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in headers.items():
        single[name] = value
        multi.setdefault(name, []).append(value)
    return single, multi


def query_maps(query_string: str) -> tuple[dict | None, dict | None]:
    """(queryStringParameters, multiValueQueryStringParameters), both null when there is no query."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    if not pairs:
        return None, None
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in pairs:
        single[name] = value
        multi.setdefault(name, []).append(value)
    return single, multi


def body_of(data: bytes, binary: bool) -> tuple[str | None, bool]:
    if not data:
        return None, False
    if binary:
        return base64.b64encode(data).decode(), True
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(data).decode(), True


def forwarded_headers(headers: dict[str, str], source_ip: str, port: str, scheme: str) -> None:
    """The X-Forwarded-* headers API Gateway adds in front of the integration (reference event)."""
    forwarded = headers.get("X-Forwarded-For")
    headers["X-Forwarded-For"] = f"{forwarded}, {source_ip}" if forwarded else source_ip
    headers["X-Forwarded-Port"] = port
    headers["X-Forwarded-Proto"] = scheme


def build_event(route: Route, *, http_method: str, path: str, headers, query_string: str, body: bytes,
                source_ip: str, port: str, scheme: str, request_id: str, extended_request_id: str,
                claims: dict[str, str] | None, binary_body: bool = False, now: float | None = None) -> dict:
    """The event for `route`. `path` is the request path after the stage ("/profile"); `claims` are the
    authorizer's, already as strings (`string_claims`: the authorizer keeps them so per token)."""
    now = time.time() if now is None else now
    single, multi = header_maps(headers)
    forwarded_headers(single, source_ip, port, scheme)
    for name in ("X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto"):
        multi[name] = [single[name]]
    query, multi_query = query_maps(query_string)
    text, is_base64 = body_of(body, binary_body)
    api_id, stage = route.api.id, route.stage.name
    domain = f"{api_id}.execute-api.{route.region}.amazonaws.com"
    context = {
        "resourceId": route.resource.id,
        "resourcePath": route.resource_path,
        "httpMethod": http_method,
        "extendedRequestId": extended_request_id,
        "requestTime": datetime.fromtimestamp(now, timezone.utc).strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "path": f"/{stage}{path}",
        "accountId": route.account_id,
        "protocol": "HTTP/1.1",
        "stage": stage,
        "domainPrefix": api_id,
        "requestTimeEpoch": int(now * 1000),
        "requestId": request_id,
        "identity": {
            "cognitoIdentityPoolId": None, "accountId": None, "cognitoIdentityId": None, "caller": None,
            "sourceIp": source_ip, "principalOrgId": None, "accessKey": None,
            "cognitoAuthenticationType": None, "cognitoAuthenticationProvider": None, "userArn": None,
            "userAgent": single.get("User-Agent"), "user": None,
        },
        "domainName": domain,
        "apiId": api_id,
    }
    if claims is not None:
        context["authorizer"] = {"claims": claims}
    return {
        "resource": route.resource_path,
        "path": path,
        "httpMethod": http_method,
        "headers": single or None,
        "multiValueHeaders": multi or None,
        "queryStringParameters": query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": dict(route.path_parameters) or None,
        "stageVariables": route.stage_variables or None,
        "requestContext": context,
        "body": text,
        "isBase64Encoded": is_base64,
    }


def new_request_ids() -> tuple[str, str]:
    """(requestId, extendedRequestId): a UUID, and the 16-character base64 id of x-amz-apigw-id.

    From the process's PRNG (no secret here), not uuid4(), which asks the OS for random bytes each call."""
    bits = random.getrandbits(224)
    return (str(uuid.UUID(int=bits >> 96, version=4)),
            base64.b64encode((bits & ((1 << 96) - 1)).to_bytes(12, "big")).decode()[:15] + "=")
