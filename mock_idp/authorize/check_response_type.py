"""Only the authorization code flow, answered in the query string (what discovery advertises)."""

from mock_idp.errors import InvalidRequest, UnsupportedResponseType

SUPPORTED_RESPONSE_TYPES = ("code",)
SUPPORTED_RESPONSE_MODES = ("query",)


def check(params, client, cfg) -> dict:
    response_type = params.get("response_type")
    if not response_type:
        raise InvalidRequest("The 'response_type' parameter is missing.")
    if response_type not in SUPPORTED_RESPONSE_TYPES:
        raise UnsupportedResponseType("The response type is not supported by the authorization server. "
                                      "Configured response types: [code].")
    mode = params.get("response_mode", "query")
    if mode not in SUPPORTED_RESPONSE_MODES:
        raise InvalidRequest(f"The 'response_mode' parameter is not supported: supported values are "
                             f"{', '.join(SUPPORTED_RESPONSE_MODES)}.")
    return {}
