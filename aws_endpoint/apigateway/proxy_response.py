"""Turn a Lambda proxy integration's answer into the HTTP response, or refuse it as API Gateway does.

"Output format of a Lambda function for proxy integration": `statusCode`, `headers`, `multiValueHeaders`,
`body` (a string), `isBase64Encoded`, and no other key. Anything else is "Malformed Lambda proxy
response": 502 Internal server error. The checks follow LocalStack's AWS-validated implementation
(services/apigateway/next_gen/execute_api/integrations/aws.py): header values strings or booleans,
multi-value headers lists, a status code that reads as an integer (200 when absent).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from aws_endpoint.apigateway.errors import IntegrationFailure

KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"}


@dataclass(frozen=True)
class ProxyResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def header_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def parse(payload: bytes) -> dict:
    try:
        answer = json.loads(payload or b"null")
    except ValueError:
        raise IntegrationFailure("Malformed Lambda proxy response: not JSON") from None
    if not isinstance(answer, dict):
        raise IntegrationFailure(f"Malformed Lambda proxy response: a {type(answer).__name__}, not an object")
    extra = set(answer) - KEYS
    if extra:
        raise IntegrationFailure(f"Malformed Lambda proxy response: unexpected keys {sorted(extra)}")
    return answer


def status_of(answer: dict) -> int:
    raw = answer.get("statusCode", 200)
    try:
        status = int(raw) if not isinstance(raw, bool) else None
    except (TypeError, ValueError):
        status = None
    if status is None or not 100 <= status <= 599:
        raise IntegrationFailure(f"Malformed Lambda proxy response: statusCode {raw!r}")
    return status


def headers_of(answer: dict) -> list[tuple[str, str]]:
    single = answer.get("headers") or {}
    multi = answer.get("multiValueHeaders") or {}
    if not isinstance(single, dict) or any(not isinstance(v, (str, bool)) for v in single.values()):
        raise IntegrationFailure("Malformed Lambda proxy response: headers must map names to strings")
    if not isinstance(multi, dict) or any(not isinstance(v, list) or any(not isinstance(i, (str, bool)) for i in v)
                                          for v in multi.values()):
        raise IntegrationFailure("Malformed Lambda proxy response: multiValueHeaders must map names to lists")
    # Both are sent; a name in both takes the multi-value list then the single value (API Gateway merges them).
    out = [(name, header_value(v)) for name, values in multi.items() for v in values]
    out += [(name, header_value(v)) for name, v in single.items()
            if header_value(v) not in [header_value(x) for x in multi.get(name, [])]]
    return out


def body_of(answer: dict) -> bytes:
    body = answer.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
        raise IntegrationFailure(f"Malformed Lambda proxy response: body is a {type(body).__name__}, not a string")
    if answer.get("isBase64Encoded") is True:
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise IntegrationFailure("Malformed Lambda proxy response: body is not base64") from None
    return body.encode("utf-8")


def from_lambda(payload: bytes, function_error: str | None) -> ProxyResponse:
    """The response for a Lambda answer; IntegrationFailure (502) for an error or a malformed answer."""
    if function_error:
        raise IntegrationFailure(f"Lambda execution failed ({function_error}): {payload[:500]!r}")
    answer = parse(payload)
    return ProxyResponse(status_of(answer), headers_of(answer), body_of(answer))
