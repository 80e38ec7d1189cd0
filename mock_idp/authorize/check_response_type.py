"""Only the authorization code flow; the response goes back in the query (the default), the fragment, or
an auto-submitted form (form_post).

Okta's /v1/authorize takes response_mode `query` (the code flow's default), `fragment`, `form_post` and
`okta_post_message` (Okta's OIDC reference, oktadeveloper/okta-blog-archive#202, #220). The sandbox does
not implement `okta_post_message` (a postMessage page for popups and iframes) and refuses it."""

from mock_idp.errors import InvalidRequest, UnsupportedResponseMode, UnsupportedResponseType

SUPPORTED_RESPONSE_TYPES = ("code",)
SUPPORTED_RESPONSE_MODES = ("query", "fragment", "form_post")


def requested_mode(params) -> str:
    """The response mode errors go back with: the one asked for when it is one we support, else query."""
    modes = params.getlist("response_mode")
    return modes[0] if len(modes) == 1 and modes[0] in SUPPORTED_RESPONSE_MODES else "query"


def check(params, client, cfg) -> dict:
    response_type = params.get("response_type")
    if not response_type:
        raise InvalidRequest("The 'response_type' parameter is missing.")
    if response_type not in SUPPORTED_RESPONSE_TYPES:
        raise UnsupportedResponseType("The response type is not supported by the authorization server. "
                                      "Configured response types: [code].")
    mode = params.get("response_mode", "query")
    if mode not in SUPPORTED_RESPONSE_MODES:
        # Okta's documented meaning of unsupported_response_mode (okta/okta-developer-docs#3122).
        raise UnsupportedResponseMode("The specified response mode is invalid or unsupported.")
    return {"response_mode": mode}
