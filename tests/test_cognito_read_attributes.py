"""What an app client may read (its ReadAttributes) bounds the ID token's and userInfo's claims, and the
token endpoint refuses a scope whose attributes the client cannot all read (token-endpoint docs)."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import jwt
import requests

from sandbox.aws import client
from sandbox.config import settings
from tests.functions_cognito.browser import Browser, new_okta_user


@contextmanager
def reading_client(resources, read: list[str]):
    idp = client("cognito-idp")
    made = idp.create_user_pool_client(
        UserPoolId=resources.user_pool_id, ClientName=f"reads-{uuid.uuid4().hex[:6]}", GenerateSecret=True,
        AllowedOAuthFlows=["code"], AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthScopes=["openid", "email", "profile"], ReadAttributes=read,
        CallbackURLs=[f"{settings().demo_site_url}/oidc/callback/"], SupportedIdentityProviders=["Okta"])
    try:
        yield made["UserPoolClient"]
    finally:
        idp.delete_user_pool_client(UserPoolId=resources.user_pool_id, ClientId=made["UserPoolClient"]["ClientId"])


def code_exchange(resources, app: dict, okta, scope: str) -> requests.Response:
    answer = Browser().sign_in(resources, okta, client_id=app["ClientId"], scope=scope)
    return requests.post(f"{settings().cognito_hosted_ui_url}/oauth2/token", timeout=30, data={
        "grant_type": "authorization_code", "code": answer["code"],
        "redirect_uri": f"{settings().demo_site_url}/oidc/callback/"}, auth=(app["ClientId"], app["ClientSecret"]))


def test_the_id_token_and_userinfo_hold_only_the_attributes_the_client_may_read(resources):
    # userInfo: "all user attributes that the app client can read" within the scopes (userinfo-endpoint docs);
    # the ID token likewise.
    okta = new_okta_user("Rita", "Reader")
    with reading_client(resources, ["email", "email_verified", "given_name"]) as app:
        response = code_exchange(resources, app, okta, "openid email profile")
        assert response.status_code == 200, response.text
        body = response.json()
        info = requests.get(f"{settings().cognito_hosted_ui_url}/oauth2/userInfo", timeout=30,
                            headers={"Authorization": f"Bearer {body['access_token']}"})
    assert info.status_code == 200
    id_claims = jwt.decode(body["id_token"], options={"verify_signature": False})
    assert id_claims["given_name"] == "Rita" and id_claims["email"] == okta.email
    assert "family_name" not in id_claims and "family_name" not in info.json()
    assert info.json()["given_name"] == "Rita"
    stored = client("cognito-idp").admin_get_user(UserPoolId=resources.user_pool_id, Username=okta.username)
    assert {a["Name"]: a["Value"] for a in stored["UserAttributes"]}["family_name"] == "Reader"


def test_the_email_scope_with_email_readable_but_not_email_verified_is_invalid_grant(resources):
    # Token endpoint, invalid_grant: "App client doesn't have read access to all attributes in the requested
    # scope. For example, your app requests the email scope and your app client can read the email
    # attribute, but not email_verified."
    with reading_client(resources, ["email", "given_name", "family_name"]) as app:
        refused = code_exchange(resources, app, new_okta_user("Ed", "Unverified"), "openid email")
        allowed = code_exchange(resources, app, new_okta_user("Flo", "Profile"), "openid profile")
    assert (refused.status_code, refused.json()) == (400, {"error": "invalid_grant"})
    assert allowed.status_code == 200
