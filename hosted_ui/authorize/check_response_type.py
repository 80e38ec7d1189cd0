"""response_type: required; `code` needs the client's code flow (implicit is not emulated)."""

from hosted_ui.errors import InvalidRequest, UnauthorizedClient, UnsupportedResponseType


def check(request, client: dict) -> dict:
    if not request.response_type:
        raise InvalidRequest("response_type is required")
    if request.response_type.lower() not in ("code", "token"):
        raise UnsupportedResponseType(f"response_type {request.response_type} is not supported")
    flows = client.get("AllowedOAuthFlows") or []
    if not client.get("AllowedOAuthFlowsUserPoolClient") or request.response_type.lower() != "code" \
            or "code" not in flows:
        raise UnauthorizedClient("Client is not enabled for this OAuth flow")
    return {}
