"""RFC 6749 §3.1: request parameters must not be included more than once."""

from mock_idp.errors import InvalidRequest


def check(params, client, cfg) -> dict:
    for name in params:
        if len(params.getlist(name)) > 1:
            raise InvalidRequest(f"The '{name}' parameter was included more than once.")
    return {}
