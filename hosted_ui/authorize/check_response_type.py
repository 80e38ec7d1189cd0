"""response_type: required; `code` needs the client's code flow, `token` its implicit flow
(authorization-endpoint docs: "Must be code or token"; a flow the client lacks is unauthorized_client)."""

from hosted_ui.errors import InvalidRequest, UnauthorizedClient, UnsupportedResponseType

FLOWS = {"code": "code", "token": "implicit"}


def check(request, client: dict, ctx) -> dict:
    if not request.response_type:
        raise InvalidRequest("response_type is required")
    flow = FLOWS.get(request.response_type.lower())
    if flow is None:
        raise UnsupportedResponseType(f"response_type {request.response_type} is not supported")
    if not client.get("AllowedOAuthFlowsUserPoolClient") or flow not in (client.get("AllowedOAuthFlows") or []):
        raise UnauthorizedClient("Client is not enabled for this OAuth flow")
    return {}
