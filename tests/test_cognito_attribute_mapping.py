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


def table_item(resources, username: str) -> dict | None:
    return client("dynamodb").get_item(TableName=resources.user_table, Key={"userName": {"S": username}},
                                       ConsistentRead=True).get("Item")


def user_or_none(resources, username: str) -> dict | None:
    try:
        return client("cognito-idp").admin_get_user(UserPoolId=resources.user_pool_id, Username=username)
    except client("cognito-idp").exceptions.UserNotFoundException:
        return None


def test_a_required_attribute_the_mapping_leaves_empty_fails_the_sign_in():
    # "A mapping must be present for each user pool attribute that's required"; the callback's text
    # `attributes required: [email]` (captures in public code and docs of apps hitting it).
    from hosted_ui.errors import InvalidRequest
    from hosted_ui.users import check_mapping
    pool = {"SchemaAttributes": [{"Name": "email", "Required": True}, {"Name": "name", "Required": True},
                                 {"Name": "given_name", "Required": False}]}
    try:
        check_mapping(pool, None, {"email": "", "given_name": "Ann"}, creating=True)
    except InvalidRequest as error:
        assert error.description == "attributes required: [email, name]"
    else:
        raise AssertionError("a missing required attribute passed")
    check_mapping(pool, None, {"email": "a@example.com", "name": "Ann"}, creating=True)


def test_a_mapped_attribute_the_client_may_not_write_fails_the_sign_in_and_creates_nobody(resources):
    # "In the app client settings for your application, the mapped attributes must be writable"
    # (attribute-mapping doc); Cognito's text from a captured callback (aws-amplify/aws-sdk-ios#2296).
    idp = client("cognito-idp")
    made = idp.create_user_pool_client(
        UserPoolId=resources.user_pool_id, ClientName="no-family-name", AllowedOAuthFlows=["code"],
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthScopes=["openid", "email", "profile"],
        CallbackURLs=[f"{settings().demo_site_url}/oidc/callback/"], SupportedIdentityProviders=["Okta"],
        WriteAttributes=["email", "given_name"])["UserPoolClient"]
    try:
        okta = new_okta_user("Wes", "Write")
        answer = Browser().sign_in(resources, okta, client_id=made["ClientId"], state="w-state")
    finally:
        idp.delete_user_pool_client(UserPoolId=resources.user_pool_id, ClientId=made["ClientId"])
    assert answer == {"error": "invalid_request", "state": "w-state",
                      "error_description": "Invalid user attributes: family_name: Attribute cannot be updated."}
    assert user_or_none(resources, okta.username) is None and table_item(resources, okta.username) is None


def test_an_immutable_mapped_attribute_fails_every_sign_in_after_the_first(resources):
    # "If an attribute is immutable, Amazon Cognito throws an error when it attempts to update the attribute"
    # (SchemaAttributeType.Mutable); every mapped attribute is rewritten on each sign-in, so the first sign-in
    # creates the user and the next fails (aws-samples/aws-amplify-oidc-federation#2).
    idp = client("cognito-idp")
    pool = idp.describe_user_pool(UserPoolId=resources.user_pool_id)["UserPool"]
    if not any(a["Name"] == "custom:idp_login" for a in pool["SchemaAttributes"]):
        idp.add_custom_attributes(UserPoolId=resources.user_pool_id, CustomAttributes=[
            {"Name": "idp_login", "AttributeDataType": "String", "Mutable": False}])
    okta = new_okta_user("Ida", "Immutable")
    with okta_mapping(resources, **{"custom:idp_login": "preferred_username"}):
        first = Browser().sign_in(resources, okta)
        second = Browser().sign_in(resources, okta, state="i-state")
    assert "code" in first
    assert attributes_of(resources, okta.username)["custom:idp_login"] == okta.email
    assert second == {"error": "invalid_request", "state": "i-state",
                      "error_description": "Invalid user attributes: custom:idp_login: Attribute cannot be updated."}


def test_a_returning_sign_in_rewrites_every_mapped_attribute(resources):
    # "Amazon Cognito updates each mapped attribute, even if its current value already matches".
    okta = new_okta_user("Rex", "Rewrite")
    Browser().sign_in(resources, okta)
    before = client("cognito-idp").admin_get_user(UserPoolId=resources.user_pool_id, Username=okta.username)
    Browser().sign_in(resources, okta)
    after = client("cognito-idp").admin_get_user(UserPoolId=resources.user_pool_id, Username=okta.username)
    assert after["UserLastModifiedDate"] > before["UserLastModifiedDate"]
    assert attributes_of(resources, okta.username)["family_name"] == "Rewrite"


def test_a_pool_requiring_an_attribute_the_mapping_leaves_out_refuses_the_sign_in_before_presignup(resources):
    # Wire and state: a pool whose schema requires `name`, which the Okta mapping does not give, behind its
    # own domain served by a hosted UI in this process; the sign-in comes back with `attributes required:
    # [name]`, no user is made and PreSignUp never runs (no DynamoDB record).
    from dataclasses import replace
    from urllib.parse import urlencode

    from werkzeug.test import Client

    from hosted_ui.app import create_app
    from hosted_ui.settings import settings as hosted_ui_settings
    from sandbox.testing.browser import Browser as WalkingBrowser
    from sandbox.testing.okta import create_okta_user
    from tests.functions_cognito.browser import query

    idp = client("cognito-idp")
    seeded = idp.describe_user_pool(UserPoolId=resources.user_pool_id)["UserPool"]
    okta_idp = idp.describe_identity_provider(UserPoolId=resources.user_pool_id, ProviderName="Okta")["IdentityProvider"]
    pool_id = idp.create_user_pool(
        PoolName="requires-name", UsernameConfiguration={"CaseSensitive": False},
        Schema=[{"Name": "name", "AttributeDataType": "String", "Mutable": True, "Required": True}],
        LambdaConfig={"PreSignUp": seeded["LambdaConfig"]["PreSignUp"]})["UserPool"]["Id"]
    domain = f"requires-name-{pool_id[-8:].lower()}"
    try:
        idp.create_user_pool_domain(UserPoolId=pool_id, Domain=domain)
        idp.create_identity_provider(UserPoolId=pool_id, ProviderName="Okta", ProviderType="OIDC",
                                     ProviderDetails=okta_idp["ProviderDetails"],
                                     AttributeMapping=okta_idp["AttributeMapping"])
        app_client = idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName="app", AllowedOAuthFlows=["code"], AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthScopes=["openid", "email"], CallbackURLs=[f"{settings().demo_site_url}/oidc/callback/"],
            SupportedIdentityProviders=["Okta"])["UserPoolClient"]["ClientId"]
        hosted_ui = Client(create_app(replace(hosted_ui_settings(), domain=domain)))
        to_okta = hosted_ui.get("/oauth2/authorize?" + urlencode({
            "response_type": "code", "client_id": app_client, "scope": "openid email", "state": "req-state",
            "redirect_uri": f"{settings().demo_site_url}/oidc/callback/", "identity_provider": "Okta"}))
        assert to_okta.status_code == 302
        okta = create_okta_user("Nia", "Nameless")
        walked = WalkingBrowser().open(to_okta.headers["Location"], username=okta.email,
                                       stop_before=lambda url: "/oauth2/idpresponse" in url)
        back = hosted_ui.get(walked.stopped_before.split(hosted_ui_settings().url, 1)[1])
        assert back.status_code == 302
        assert query(back.headers["Location"]) == {"error": "invalid_request", "state": "req-state",
                                                   "error_description": "attributes required: [name]"}
        assert idp.list_users(UserPoolId=pool_id)["Users"] == []
        assert table_item(resources, okta.username) is None
    finally:
        idp.delete_user_pool_domain(UserPoolId=pool_id, Domain=domain)
        idp.delete_user_pool(UserPoolId=pool_id)
