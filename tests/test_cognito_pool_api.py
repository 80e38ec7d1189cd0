"""The user pool through the AWS API, where moto alone differs from Cognito (aws_endpoint/cognito/
moto_rules.py): user names in a case-insensitive pool, the domain's account id, UpdateUserPool's immutable
settings, and the hosted UI's access tokens at GetUser and GlobalSignOut, revoked by a global sign-out."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest
import requests
from botocore.exceptions import ClientError

from sandbox.aws import client
from hosted_ui.settings import settings as hosted_ui_settings
from sandbox.config import settings
from tests.functions_apigw import access_claims, sign
from tests.functions_cognito.browser import Browser, new_okta_user


def error_of(call, **kwargs) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


@contextmanager
def scratch_pool(**config):
    idp = client("cognito-idp")
    pool = idp.create_user_pool(PoolName=f"scratch-{uuid.uuid4().hex[:8]}", **config)["UserPool"]
    try:
        yield pool["Id"]
    finally:
        idp.delete_user_pool(UserPoolId=pool["Id"])


def test_describe_user_pool_domain_answers_the_pool_owners_account_id_on_every_call(resources):
    # DomainDescriptionType.AWSAccountId: "The Amazon Web Services ID for the user pool owner".
    idp = client("cognito-idp")
    first = idp.describe_user_pool_domain(Domain=hosted_ui_settings().domain)["DomainDescription"]
    second = idp.describe_user_pool_domain(Domain=hosted_ui_settings().domain)["DomainDescription"]
    assert first["UserPoolId"] == resources.user_pool_id
    assert first["AWSAccountId"] == second["AWSAccountId"] == resources.account_id


def test_a_federated_user_of_a_case_insensitive_pool_is_found_whatever_the_case_asked(resources):
    # UsernameConfigurationType: with CaseSensitive false "users can sign in using username, USERNAME, or
    # UserName"; the federated name itself is lower case, prefix included (amplify-js#13844).
    okta = new_okta_user("Vera", "Case")
    assert okta.id != okta.id.lower()  # mock Okta's ids are mixed case, as Okta's are
    Browser().sign_in(resources, okta)
    idp = client("cognito-idp")
    names = {idp.admin_get_user(UserPoolId=resources.user_pool_id, Username=asked)["Username"]
             for asked in (f"Okta_{okta.id}", f"okta_{okta.id}", f"OKTA_{okta.id.upper()}", okta.username)}
    assert names == {okta.username} and okta.username == f"okta_{okta.id.lower()}"
    item = client("dynamodb").get_item(TableName=resources.user_table, Key={"userName": {"S": okta.username}},
                                       ConsistentRead=True)["Item"]
    assert item["userName"] == {"S": okta.username}


def test_a_case_insensitive_pool_refuses_a_user_name_that_differs_only_in_case(resources):
    with scratch_pool(UsernameConfiguration={"CaseSensitive": False}) as pool_id:
        idp = client("cognito-idp")
        idp.admin_create_user(UserPoolId=pool_id, Username="Ada", MessageAction="SUPPRESS")
        assert error_of(idp.admin_create_user, UserPoolId=pool_id, Username="ADA",
                        MessageAction="SUPPRESS")[0] == "UsernameExistsException"
        assert idp.admin_get_user(UserPoolId=pool_id, Username="ada")["Username"] == "Ada"


def test_a_case_sensitive_pool_keeps_names_that_differ_in_case_apart(resources):
    with scratch_pool(UsernameConfiguration={"CaseSensitive": True}) as pool_id:
        idp = client("cognito-idp")
        idp.admin_create_user(UserPoolId=pool_id, Username="Ada", MessageAction="SUPPRESS")
        assert error_of(idp.admin_get_user, UserPoolId=pool_id, Username="ada") == (
            "UserNotFoundException", "User does not exist.")


def test_update_user_pool_keeps_the_username_configuration_it_cannot_change(resources):
    # CreateUserPool's UsernameConfiguration: "This configuration is immutable after you set it".
    with scratch_pool(UsernameConfiguration={"CaseSensitive": False}) as pool_id:
        idp = client("cognito-idp")
        idp.update_user_pool(UserPoolId=pool_id, AutoVerifiedAttributes=["email"])
        pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
        assert pool["UsernameConfiguration"] == {"CaseSensitive": False}
        assert pool["AutoVerifiedAttributes"] == ["email"]


@pytest.fixture(scope="module")
def admin_client(resources):
    """An app client that may ask for aws.cognito.signin.user.admin (the scope the user pool API needs)."""
    idp = client("cognito-idp")
    made = idp.create_user_pool_client(
        UserPoolId=resources.user_pool_id, ClientName=f"self-service-{uuid.uuid4().hex[:6]}", GenerateSecret=True,
        AllowedOAuthFlows=["code"], AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthScopes=["openid", "email", "aws.cognito.signin.user.admin"],
        CallbackURLs=[f"{settings().demo_site_url}/oidc/callback/"], SupportedIdentityProviders=["Okta"],
        EnableTokenRevocation=True)["UserPoolClient"]
    yield made
    idp.delete_user_pool_client(UserPoolId=resources.user_pool_id, ClientId=made["ClientId"])


def code_tokens(resources, admin_client, okta, scope: str) -> dict:
    """Sign `okta` in through the hosted UI with `admin_client` and exchange the code: the tokens."""
    answer = Browser().sign_in(resources, okta, client_id=admin_client["ClientId"], scope=scope)
    tokens = requests.post(f"{settings().cognito_hosted_ui_url}/oauth2/token", timeout=30, data={
        "grant_type": "authorization_code", "code": answer["code"],
        "redirect_uri": f"{settings().demo_site_url}/oidc/callback/"},
        auth=(admin_client["ClientId"], admin_client["ClientSecret"]))
    assert tokens.status_code == 200, tokens.text
    return tokens.json()


def signed_in(resources, admin_client, scope="openid email aws.cognito.signin.user.admin"):
    """A fresh federated user signed in with `admin_client`: (okta user, tokens)."""
    okta = new_okta_user("Gale", "Signout")
    return okta, code_tokens(resources, admin_client, okta, scope)


def test_get_user_takes_the_hosted_uis_access_token_with_the_admin_scope(resources, admin_client):
    okta, tokens = signed_in(resources, admin_client)
    user = client("cognito-idp").get_user(AccessToken=tokens["access_token"])
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert user["Username"] == okta.username and attributes["email"] == okta.email


def test_get_user_refuses_an_access_token_without_the_admin_scope(resources, admin_client):
    # GetUser: "Authorize this action with a signed-in user's access token. It must include the scope
    # aws.cognito.signin.user.admin."
    _, tokens = signed_in(resources, admin_client, scope="openid email")
    assert error_of(client("cognito-idp").get_user, AccessToken=tokens["access_token"]) == (
        "NotAuthorizedException", "Access Token does not have required scopes")


def test_admin_user_global_sign_out_revokes_the_users_access_tokens_at_the_user_pool_api(resources, admin_client):
    # AdminUserGlobalSignOut: "Amazon Cognito returns an Access Token has been revoked error when your app
    # attempts to authorize a user pools API request with a revoked access token".
    okta, tokens = signed_in(resources, admin_client)
    idp = client("cognito-idp")
    idp.admin_user_global_sign_out(UserPoolId=resources.user_pool_id, Username=f"Okta_{okta.id}")
    assert error_of(idp.get_user, AccessToken=tokens["access_token"]) == (
        "NotAuthorizedException", "Access Token has been revoked")
    assert error_of(idp.global_sign_out, AccessToken=tokens["access_token"]) == (
        "NotAuthorizedException", "Access Token has been revoked")


def test_global_sign_out_with_the_users_access_token_revokes_it(resources, admin_client):
    _, tokens = signed_in(resources, admin_client)
    idp = client("cognito-idp")
    idp.global_sign_out(AccessToken=tokens["access_token"])
    assert error_of(idp.get_user, AccessToken=tokens["access_token"]) == (
        "NotAuthorizedException", "Access Token has been revoked")


def test_a_global_sign_out_leaves_other_users_and_later_sign_ins_alone(resources, admin_client):
    okta, before = signed_in(resources, admin_client)
    _, other = signed_in(resources, admin_client)
    idp = client("cognito-idp")
    idp.admin_user_global_sign_out(UserPoolId=resources.user_pool_id, Username=okta.username)
    assert idp.get_user(AccessToken=other["access_token"])["Username"] != okta.username
    again = code_tokens(resources, admin_client, okta, "openid aws.cognito.signin.user.admin")
    assert idp.get_user(AccessToken=again["access_token"])["Username"] == okta.username
    assert error_of(idp.get_user, AccessToken=before["access_token"])[1] == "Access Token has been revoked"


def test_api_gateway_still_accepts_a_revoked_access_token_until_it_expires(resources, admin_client):
    # "Revoking tokens": revoked tokens "will still be valid if they are verified using any JWT library that
    # verifies the signature and expiration"; the REST API's Cognito authorizer verifies the JWT itself.
    claims = access_claims(resources)
    token = sign(resources.user_pool_id, "access", claims)
    requests.post(f"{settings().aws_endpoint_url}/_sandbox/cognito-idp/{resources.user_pool_id}/revocations",
                  json={"origin_jti": claims["origin_jti"]}, timeout=10).raise_for_status()
    status = requests.post(f"{settings().aws_endpoint_url}/_sandbox/cognito-idp/{resources.user_pool_id}/"
                           "token-status", json={"origin_jti": claims["origin_jti"],
                                                 "username": claims["username"]}, timeout=10).json()
    assert status == {"revoked": True}
    answer = requests.get(f"{resources.api_url}/public/ping", timeout=10)
    assert answer.status_code == 200
    answer = requests.get(f"{resources.api_url}/profile", headers={"Authorization": token}, timeout=10)
    assert answer.status_code != 401, answer.text


def test_api_gateway_refuses_an_access_token_of_a_deleted_app_client(resources):
    # Unconfirmed what API Gateway does (README, known differences): the safe answer, 401 Unauthorized.
    idp = client("cognito-idp")
    gone = idp.create_user_pool_client(UserPoolId=resources.user_pool_id, ClientName="soon-deleted",
                                       AllowedOAuthFlows=["code"], AllowedOAuthFlowsUserPoolClient=True,
                                       AllowedOAuthScopes=["sandbox-api/profile.read"],
                                       CallbackURLs=["http://localhost/cb"])["UserPoolClient"]["ClientId"]
    token = sign(resources.user_pool_id, "access", access_claims(resources, client_id=gone))
    assert requests.get(f"{resources.api_url}/profile", headers={"Authorization": token},
                        timeout=10).status_code != 401
    idp.delete_user_pool_client(UserPoolId=resources.user_pool_id, ClientId=gone)
    answer = requests.get(f"{resources.api_url}/profile", headers={"Authorization": token}, timeout=10)
    assert (answer.status_code, answer.json()) == (401, {"message": "Unauthorized"})


def refresh(admin_client, refresh_token: str) -> requests.Response:
    return requests.post(f"{settings().cognito_hosted_ui_url}/oauth2/token", timeout=30, data={
        "grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=(admin_client["ClientId"], admin_client["ClientSecret"]))


def userinfo(access_token: str) -> requests.Response:
    return requests.get(f"{settings().cognito_hosted_ui_url}/oauth2/userInfo", timeout=30,
                        headers={"Authorization": f"Bearer {access_token}"})


def test_a_global_sign_out_refuses_the_users_refresh_tokens_and_access_tokens_at_userinfo(resources, admin_client):
    # AdminUserGlobalSignOut: "Amazon Cognito no longer accepts a signed-out user's refresh tokens in refresh
    # requests"; userInfo's 401 names "the user has globally signed out" (userinfo-endpoint docs).
    okta, tokens = signed_in(resources, admin_client)
    assert refresh(admin_client, tokens["refresh_token"]).status_code == 200
    assert userinfo(tokens["access_token"]).status_code == 200
    client("cognito-idp").admin_user_global_sign_out(UserPoolId=resources.user_pool_id, Username=okta.username)
    refused = refresh(admin_client, tokens["refresh_token"])
    assert (refused.status_code, refused.json()) == (400, {"error": "invalid_grant"})
    info = userinfo(tokens["access_token"])
    assert info.status_code == 401 and 'error="invalid_token"' in info.headers["WWW-Authenticate"]
    again = code_tokens(resources, admin_client, okta, "openid email aws.cognito.signin.user.admin")
    assert refresh(admin_client, again["refresh_token"]).status_code == 200
    assert userinfo(again["access_token"]).status_code == 200


def test_oauth2_revoke_makes_the_sessions_access_tokens_fail_at_the_user_pool_api(resources, admin_client):
    # "Revoking tokens": revoking a refresh token makes invalid every access token it issued.
    _, tokens = signed_in(resources, admin_client)
    refreshed = refresh(admin_client, tokens["refresh_token"]).json()
    revoked = requests.post(f"{settings().cognito_hosted_ui_url}/oauth2/revoke", timeout=30,
                            data={"token": tokens["refresh_token"]},
                            auth=(admin_client["ClientId"], admin_client["ClientSecret"]))
    assert revoked.status_code == 200
    for access_token in (tokens["access_token"], refreshed["access_token"]):
        assert error_of(client("cognito-idp").get_user, AccessToken=access_token) == (
            "NotAuthorizedException", "Access Token has been revoked")
        assert userinfo(access_token).status_code == 401


def test_userinfo_refuses_an_access_token_of_a_deleted_app_client(resources):
    # Unconfirmed what Cognito does (README, known differences): the safe answer, 401 invalid_token.
    idp = client("cognito-idp")
    made = idp.create_user_pool_client(
        UserPoolId=resources.user_pool_id, ClientName="deleted-later", GenerateSecret=True,
        AllowedOAuthFlows=["code"], AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthScopes=["openid", "email"],
        CallbackURLs=[f"{settings().demo_site_url}/oidc/callback/"], SupportedIdentityProviders=["Okta"],
        EnableTokenRevocation=True)["UserPoolClient"]
    tokens = code_tokens(resources, made, new_okta_user("Del", "Client"), "openid email")
    assert userinfo(tokens["access_token"]).status_code == 200
    idp.delete_user_pool_client(UserPoolId=resources.user_pool_id, ClientId=made["ClientId"])
    info = userinfo(tokens["access_token"])
    assert info.status_code == 401 and 'error="invalid_token"' in info.headers["WWW-Authenticate"]
    refused = refresh(made, tokens["refresh_token"])
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_client")
