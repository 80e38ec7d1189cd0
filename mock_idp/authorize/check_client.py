"""The client must be registered (an unknown one is an error page: there is no redirect URI to trust)."""

from mock_idp.errors import InvalidClient
from mock_idp.models import Client, Directory


class UnknownClient(InvalidClient):
    status = 400  # shown on Okta's error page, not a token-endpoint 401


def check(params, directory: Directory) -> Client:
    client_ids = params.getlist("client_id")
    client = directory.clients.get(client_ids[0]) if len(client_ids) == 1 else None
    if client is None:
        # Okta's error page for a missing or unknown client_id.
        raise UnknownClient("Invalid value for 'client_id' parameter.")
    return client
