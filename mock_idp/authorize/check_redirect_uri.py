"""The redirect URI must equal one of the client's Login redirect URIs, character for character.

RFC 6749 §3.1.2.3 / OAuth 2.0 Security BCP §4.1.3: exact string matching, no prefix or pattern match."""

from mock_idp.errors import InvalidRequest
from mock_idp.models import Client
from mock_idp.settings import Settings


def check(params, client: Client, cfg: Settings) -> str:
    uris = params.getlist("redirect_uri")
    if len(uris) != 1 or uris[0] not in client.redirect_uris:
        # Okta's wording, with the admin console link it appends.
        raise InvalidRequest("The 'redirect_uri' parameter must be a Login redirect URI in the client app settings: "
                             f"{cfg.org_url}/admin/app/oidc_client/instance/{client.client_id}#tab-general")
    return uris[0]
