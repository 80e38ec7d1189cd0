"""The invocation URL: route, authorize, integrate, answer. Gateway errors become HTTP here, and only here."""

from __future__ import annotations

import logging

from werkzeug.wrappers import Request, Response

from aws_endpoint import flow as collector
from aws_endpoint import persistence
from aws_endpoint.apigateway import authorizer, integrations, proxy_event, routing
from aws_endpoint.apigateway.errors import (AuthorizerConfigurationError, GatewayError, IncompleteSignature,
                                             MissingAuthenticationToken)
from aws_endpoint.apigateway.proxy_response import ProxyResponse
from sandbox import flowlog

log = logging.getLogger("sandbox.apigateway")
ACTOR = "apigateway"


def record(flow: str | None, actor: str, target: str, summary: str, step: str, detail: dict) -> None:
    """One flow event, into this endpoint's collector (aws_endpoint/flow.py store_event)."""
    if collector.recording(flow):
        with persistence.request({}, writes=True, moto_writes=False):  # durable flows, as their POST
            collector.store_event(flow, actor, target, summary, step, detail)


def render_error(error: GatewayError, request_id: str, extended_id: str) -> Response:
    return Response(error.body, status=error.status, content_type="application/json", headers={
        "x-amzn-RequestId": request_id,
        "x-amzn-ErrorType": error.error_type,
        "x-amz-apigw-id": extended_id,
    })


def render(answer: ProxyResponse, request_id: str, extended_id: str) -> Response:
    response = Response(answer.body, status=answer.status)
    response.headers.clear()
    for name, value in answer.headers:
        response.headers.add(name, value)
    if "Content-Type" not in response.headers:
        response.headers["Content-Type"] = "application/json"  # REST API's default for a proxy answer
    response.headers["x-amzn-RequestId"] = request_id
    response.headers["x-amz-apigw-id"] = extended_id
    return response


def check_authorization(request: Request, route: routing.Route, flow: str | None) -> authorizer.Grant | None:
    """The verified claims; None for a method open to all (authorizationType NONE)."""
    kind = route.method.authorization_type or "NONE"
    if kind == "NONE":
        return None
    scopes = route.method.authorization_scopes or []
    recording = collector.recording(flow)  # the events' texts only when they are kept
    if recording:
        record(flow, ACTOR, "cognito", "validates the token" + (f" and scope {' '.join(scopes)}" if scopes else ""),
               step="i", detail={"route": f"{route.method.http_method} {route.resource_path}", "scopes": list(scopes)})
    try:
        if kind != "COGNITO_USER_POOLS":  # AWS_IAM, CUSTOM: refused, never treated as open
            raise AuthorizerConfigurationError(f"{kind} authorization is not emulated by this sandbox")
        grant = authorizer.authorize(route.authorizer(), scopes, request.headers, route.stage_variables)
    except GatewayError as refusal:
        log.warning("authorizer refused %s %s: %s", route.method.http_method, route.resource_path, refusal.reason)
        if recording:
            record(flow, "cognito", ACTOR, f"refused: {refusal.reason}", step="j",
                   detail={"status": refusal.status, "reason": refusal.reason})
        raise
    if recording:
        claims = grant.claims
        record(flow, "cognito", ACTOR, f"valid {claims.get('token_use')} token", step="j",
               detail={"token_use": claims.get("token_use"), "scope": claims.get("scope"),
                       "username": claims.get("username") or claims.get("cognito:username")})
    return grant


def resolve(request: Request, api_id: str, stage: str, resource_path: str) -> routing.Route:
    """The route; an unknown one asked with an Authorization header is IncompleteSignature, not Missing
    Authentication Token (a complete SigV4 header would have its signature checked: not emulated)."""
    try:
        return routing.resolve(api_id, stage, resource_path, request.method)
    except MissingAuthenticationToken:
        authorization = request.headers.get("Authorization")
        if authorization is None or IncompleteSignature.message(authorization, True).startswith("Authorization="):
            raise
        raise IncompleteSignature(authorization, "X-Amz-Date" in request.headers or "Date" in request.headers) from None


def invoke_api(request: Request, api_id: str, stage: str, path: str = "") -> Response:
    """`/restapis/<apiId>/<stage>/_user_request_/<path>`: the API as its callers see it."""
    request_id, extended_id = proxy_event.new_request_ids()
    flow = request.headers.get(flowlog.HEADER)
    resource_path = "/" + path
    try:
        route = resolve(request, api_id, stage, resource_path)
        grant = check_authorization(request, route, flow)

        def event() -> dict:
            binary = request.mimetype in (route.api.binaryMediaTypes or []) or "*/*" in (route.api.binaryMediaTypes or [])
            return proxy_event.build_event(
                route, http_method=request.method, path=resource_path, headers=request.headers,
                query_string=request.query_string.decode("latin-1"), body=request.get_data(),
                source_ip=request.remote_addr or "127.0.0.1", port=str(request.environ.get("SERVER_PORT", "")),
                scheme=request.scheme, request_id=request_id, extended_request_id=extended_id,
                claims=grant.context_claims if grant is not None else None, binary_body=binary)

        answer = integrations.run(route, event, route.region, route.account_id)
    except GatewayError as error:
        if error.status >= 500:
            log.warning("%s %s: %s", request.method, resource_path, error.reason)
        record(flow, ACTOR, "demo", f"{error.status} {error.body}", step="k",
                       detail={"status": error.status, "reason": error.reason})
        return render_error(error, request_id, extended_id)
    except Exception:  # noqa: BLE001 (a bug here must still answer as the gateway does, not with a traceback)
        log.exception("API Gateway emulation failed on %s %s", request.method, resource_path)
        return render_error(GatewayError("emulation error"), request_id, extended_id)
    record(flow, ACTOR, "demo", f"{answer.status} from {route.method.http_method} {route.resource_path}",
                   step="k", detail={"status": answer.status})
    return render(answer, request_id, extended_id)
