"""Provisioning through boto3: a second run finds and keeps what exists (same ids, no duplicates)."""

from sandbox.aws import client
from sandbox.config import seed
from sandbox.provision import names, provision, zip_source


def count_everything(res) -> dict:
    idp, apigw = client("cognito-idp"), client("apigateway")
    return {
        "pools": sum(p["Name"] == names()["pool"] for p in idp.list_user_pools(MaxResults=60)["UserPools"]),
        "clients": sorted(c["ClientName"] for c in
                          idp.list_user_pool_clients(UserPoolId=res.user_pool_id, MaxResults=60)["UserPoolClients"]),
        "providers": [p["ProviderName"] for p in
                      idp.list_identity_providers(UserPoolId=res.user_pool_id, MaxResults=60)["Providers"]],
        "resource_servers": len(idp.list_resource_servers(UserPoolId=res.user_pool_id, MaxResults=50)["ResourceServers"]),
        "apis": sum(a["name"] == names()["api"] for a in apigw.get_rest_apis()["items"]),
        "authorizers": len(apigw.get_authorizers(restApiId=res.api_id)["items"]),
        "api_resources": sorted(r["path"] for r in apigw.get_resources(restApiId=res.api_id)["items"]),
        "deployments": len(apigw.get_deployments(restApiId=res.api_id)["items"]),
        "functions": sorted(f["FunctionName"] for f in client("lambda").list_functions()["Functions"]
                            if f["FunctionName"].startswith("sandbox-")),
        "tables": [t for t in client("dynamodb").list_tables()["TableNames"] if t == names()["table"]],
    }


def test_provisioning_twice_gives_the_same_ids_and_no_duplicates(resources):
    before = count_everything(resources)
    again = provision()
    assert again == resources
    assert count_everything(again) == before
    assert before["pools"] == 1 and before["apis"] == 1
    assert before["clients"] == ["demo-site", "sandbox-machine"]
    assert before["providers"] == ["Okta"]
    assert before["tables"] == [names()["table"]]


def test_the_pool_federates_to_okta_with_the_seeded_mapping_and_presignup(resources):
    idp = client("cognito-idp")
    pool = idp.describe_user_pool(UserPoolId=resources.user_pool_id)["UserPool"]
    assert pool["LambdaConfig"]["PreSignUp"] == resources.functions["sandbox-presignup"]
    provider = idp.describe_identity_provider(UserPoolId=resources.user_pool_id, ProviderName="Okta")
    provider = provider["IdentityProvider"]
    assert provider["ProviderType"] == "OIDC"
    assert provider["ProviderDetails"]["oidc_issuer"].endswith("/oauth2/default")
    assert provider["ProviderDetails"]["authorize_scopes"] == "openid email profile"
    assert provider["ProviderDetails"]["attributes_request_method"] == "GET"
    assert provider["AttributeMapping"] == seed()["cognito"]["identity_providers"][0]["attribute_mapping"]
    app = idp.describe_user_pool_client(UserPoolId=resources.user_pool_id, ClientId=resources.client_id)
    app = app["UserPoolClient"]
    assert app["SupportedIdentityProviders"] == ["Okta"]
    assert app["AllowedOAuthFlows"] == ["code"]
    assert set(app["AllowedOAuthScopes"]) == {"openid", "email", "profile", "sandbox-api/profile.read"}
    assert app["ClientSecret"] == resources.client_secret


def test_an_unchanged_source_folder_zips_to_the_same_bytes():
    assert zip_source("trigger") == zip_source("trigger")


def test_the_saved_provisioning_mark_changes_with_the_aws_public_url(monkeypatch):
    # The recorded issuer and API URL are built from it: a start with another public URL provisions again.
    import dataclasses

    from sandbox.config import settings
    from sandbox.provision import record

    here = record.inputs_digest(())
    moved = dataclasses.replace(settings(), aws_public_url="http://lan-host:4566")
    monkeypatch.setattr(record, "sandbox_settings", lambda: moved)
    assert record.inputs_digest(()) != here
