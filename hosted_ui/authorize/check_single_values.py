"""RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once." Once the client
and its redirect URI are trusted, any other parameter sent twice goes back as invalid_request, as the mock
Okta answers (mock_idp/authorize/check_single_values.py). What Cognito does is unconfirmed: it is not
documented, and this is the RFC's answer."""

from hosted_ui.errors import InvalidRequest


def check(request, client: dict, ctx) -> dict:
    if request.repeated:
        raise InvalidRequest(f"The '{request.repeated[0]}' parameter was included more than once.")
    return {}
