"""A second OIDC identity provider is one more entry in the pool's list (seed `cognito.identity_providers`):
provisioned beside Okta, with its own issuer (a second mock Okta, in this process), and a user signs in
through each one."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode, urlsplit

import jwt
import pytest

from mock_idp.app import create_app as mock_okta
from mock_idp.settings import settings as okta_settings
from sandbox.aws import client
from sandbox.config import local_url, seed
from sandbox.provision import provision
from sandbox.provision.settings import identity_provider
from sandbox.provision.settings import settings as provision_settings
from sandbox.serve import bind, serve
from sandbox.testing.okta import create_okta_user
from tests.functions_cognito.browser import Browser, authorize_params, exchange, ui

SECOND = "OktaSecond"


@pytest.fixture(scope="module")
def second_okta(tmp_path_factory):
    """A second mock Okta (another org, issuer /oauth2/second, its own keys) on a port of its own."""
    org = local_url(9007)
    cfg = replace(okta_settings(), issuer=f"{org}/oauth2/second", org_url=org, key_dir=tmp_path_factory.mktemp("okta-second"))
    running = serve("okta-second", mock_okta(cfg, okta_seed=seed()["okta"]),
                    bind("okta-second", "127.0.0.1", urlsplit(org).port), org)
    yield cfg
    running.stop()


@pytest.fixture(scope="module")
def two_idps(resources, second_okta):
    """The pool with the seed's Okta and a second OIDC IdP from one more seed entry; put back after."""
    entry = {**seed()["cognito"]["identity_providers"][0], "name": SECOND, "oidc_issuer": second_okta.issuer,
             "idp_identifiers": ["second.example"]}
    seeded = list(provision_settings().identity_providers)
    provision(identity_providers=[*seeded, identity_provider(entry, seed()["okta"]["clients"], first=False)])
    yield second_okta
    provision()
    client("cognito-idp").delete_identity_provider(UserPoolId=resources.user_pool_id, ProviderName=SECOND)


def signed_in_claims(resources, provider: str, user) -> dict:
    callback = Browser().sign_in(resources, user, identity_provider=provider)
    tokens = exchange(resources, callback["code"]).json()
    return jwt.decode(tokens["id_token"], options={"verify_signature": False})


def test_a_user_signs_in_through_each_of_two_oidc_idps(resources, two_idps):
    first_user = create_okta_user(first="One")
    second_user = create_okta_user(first="Two", org_url=two_idps.org_url)
    via_okta = signed_in_claims(resources, "Okta", first_user)
    via_second = signed_in_claims(resources, SECOND, second_user)
    assert via_okta["cognito:username"] == first_user.username_at("Okta")
    assert via_second["cognito:username"] == second_user.username_at(SECOND)
    assert [i["providerName"] for i in via_okta["identities"]] == ["Okta"]
    assert [(i["providerName"], i["providerType"], i["userId"]) for i in via_second["identities"]] == \
        [(SECOND, "OIDC", second_user.id)]
    assert via_second["email"] == second_user.email and via_second["given_name"] == "Two"


def test_the_login_page_offers_both_idps(resources, two_idps):
    page = Browser().get(ui("/login?" + urlencode(authorize_params(resources, identity_provider=None))))
    assert page.status_code == 200
    assert "identity_provider=Okta" in page.text and f"identity_provider={SECOND}" in page.text
