"""Run a method's integration: AWS_PROXY to Lambda (through the Lambda runtime) and MOCK.

Other integration types (HTTP, HTTP_PROXY, AWS) are not emulated: they answer 500 Internal server error,
as a misconfigured integration does on AWS, and the reason is logged.
"""

from __future__ import annotations

import json
import logging
import re

from aws_endpoint.apigateway import proxy_response
from aws_endpoint.apigateway.errors import GatewayError
from aws_endpoint.apigateway.proxy_response import ProxyResponse
from aws_endpoint.apigateway.stage_variables import substitute

log = logging.getLogger("sandbox.apigateway")

# arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN or name>/invocations
LAMBDA_URI = re.compile(r"^arn:aws[\w-]*:apigateway:[\w-]+:lambda:path/2015-03-31/functions/(?P<function>.+)/invocations$")


def lambda_function(uri: str, stage_variables: dict[str, str]) -> str:
    matched = LAMBDA_URI.match(substitute(uri, stage_variables))
    if not matched:
        raise GatewayError(f"integration URI {uri!r} is not a Lambda invocation URI")
    return matched.group("function")


def aws_proxy(integration, event: dict, stage_variables: dict[str, str], region: str, account_id: str) -> ProxyResponse:
    """Invoke the function with the proxy event and map its answer (502 on an error or a bad answer)."""
    from aws_endpoint.lambda_runtime import LambdaError, invoke  # the runtime loads workers: import on first use

    function = lambda_function(integration.uri, stage_variables)
    try:
        result = invoke(function, json.dumps(event).encode(), region=region, account=account_id,
                        encoded_by_caller=True)
    except LambdaError as exc:
        # A missing function or a refused invocation is an integration configuration error: 500 on AWS.
        raise GatewayError(f"Lambda invoke of {function} failed: {exc.code}: {exc.message}") from None
    return proxy_response.from_lambda(result.payload, result.function_error)


def mock(integration) -> ProxyResponse:
    """A MOCK integration: the status code from the request template, the integration response's
    template as the body. Templates are taken as literal JSON: VTL is not rendered."""
    template = (integration.request_templates or {}).get("application/json") or '{"statusCode": 200}'
    try:
        status = int(json.loads(template).get("statusCode", 200))
    except (ValueError, TypeError, AttributeError):
        raise GatewayError(f"MOCK request template is not literal JSON with a statusCode: {template!r}") from None
    responses = integration.integration_responses or {}
    response = responses.get(str(status)) or next(
        (r for r in responses.values() if not r.selection_pattern), None)
    if response is None:
        raise GatewayError(f"no integration response for status {status} and no default one")
    body = ((response.response_templates or {}).get("application/json") or "").encode()
    headers = [(name[len("method.response.header."):], value.strip("'"))
               for name, value in (response.response_parameters or {}).items()
               if name.startswith("method.response.header.") and value.startswith("'")]
    return ProxyResponse(int(response.status_code), [("Content-Type", "application/json"), *headers], body)


def run(route, event_factory, region: str, account_id: str) -> ProxyResponse:
    integration = route.method.method_integration
    if integration is None:
        raise GatewayError(f"method {route.method.http_method} {route.resource_path} has no integration")
    kind = integration.integration_type
    if kind == "AWS_PROXY":
        return aws_proxy(integration, event_factory(), route.stage_variables, region, account_id)
    if kind == "MOCK":
        return mock(integration)
    raise GatewayError(f"{kind} integrations are not emulated by this sandbox")
