"""The client must exist in the pool (otherwise there is no trusted redirect URI: error page)."""

from hosted_ui import live
from hosted_ui.errors import ErrorPage


def check(request, pool_id: str) -> dict:
    client = live.app_client(pool_id, request.client_id)
    if client is None:
        # Cognito's /error page for an unknown client (unconfirmed wording).
        raise ErrorPage("Client does not exist")
    return client
