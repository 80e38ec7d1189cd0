"""The IdP's attributes as Cognito maps them onto a federated user (attribute-mapping doc, "Things to know
about mappings"): a mapped email is unverified unless email_verified is mapped too, and multi-valued
claims are flattened into one form-encoded, bracketed, comma-delimited string."""

from __future__ import annotations

from contextlib import contextmanager

import jwt
import requests

from hosted_ui.federation.attributes import map_attributes
from sandbox.aws import client
from sandbox.config import settings
from tests.functions_cognito.browser import Browser, exchange, new_okta_user


def attributes_of(resources, username: str) -> dict[str, str]:
    user = client("cognito-idp").admin_get_user(UserPoolId=resources.user_pool_id, Username=username)
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


def tokens_and_userinfo(resources, okta) -> tuple[dict, dict]:
    answer = Browser().sign_in(resources, okta, scope="openid email profile")
    body = exchange(resources, answer["code"]).json()
    info = requests.get(f"{settings().cognito_hosted_ui_url}/oauth2/userInfo", timeout=30,
                        headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    return jwt.decode(body["id_token"], options={"verify_signature": False}), info


@contextmanager
def okta_mapping(resources, **extra):
    """The Okta IdP's AttributeMapping with `extra` added for the block, then as it was."""
    idp = client("cognito-idp")
    before = idp.describe_identity_provider(UserPoolId=resources.user_pool_id,
                                            ProviderName="Okta")["IdentityProvider"]["AttributeMapping"]
    idp.update_identity_provider(UserPoolId=resources.user_pool_id, ProviderName="Okta",
                                 AttributeMapping={**before, **extra})
    try:
        yield
    finally:
        idp.update_identity_provider(UserPoolId=resources.user_pool_id, ProviderName="Okta",
                                     AttributeMapping=before)


def test_a_mapped_email_is_unverified_unless_email_verified_is_mapped(resources):
    # "By default, mapped email addresses are unverified": the user false, the ID token the boolean, userInfo
    # the string (attributes are strings; real userInfo answers show "email_verified": "false").
    okta = new_okta_user("Una", "Verified")
    id_claims, info = tokens_and_userinfo(resources, okta)
    assert attributes_of(resources, okta.username)["email_verified"] == "false"
    assert id_claims["email_verified"] is False
    assert info["email_verified"] == "false"


def test_a_mapped_email_verified_claim_is_what_the_user_gets(resources):
    # "map an attribute from your identity provider to get the verification status" (Okta sends
    # email_verified: true in its ID token).
    okta = new_okta_user("Val", "Mapped")
    with okta_mapping(resources, email_verified="email_verified"):
        id_claims, info = tokens_and_userinfo(resources, okta)
    assert attributes_of(resources, okta.username)["email_verified"] == "true"
    assert id_claims["email_verified"] is True and info["email_verified"] == "true"


def test_a_multi_valued_claim_is_flattened_form_encoded_and_bracketed():
    # "Amazon Cognito will URL form encode the values containing non-alphanumeric characters (excluding the
    # '.', '-', '*', and '_' characters)" (attribute-mapping doc); one string, not JSON.
    mapped = map_attributes({"custom:groups": "groups"},
                            {"groups": ["Everyone", "sandbox users", "a,b", "x.y-z*_", "ü"]})
    assert mapped == {"custom:groups": "[Everyone,sandbox+users,a%2Cb,x.y-z*_,%C3%BC]"}
