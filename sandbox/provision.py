"""Create, or find and keep, every AWS resource of the flow, through boto3 only.

Idempotent: each step looks its resource up by name and creates it only when missing, so a second run
returns the same ids and makes no duplicates. Nothing here is moto-specific: with AWS_ENDPOINT_URL empty
the same calls provision a real account (the Cognito domain prefix must then be globally unique:
set COGNITO_DOMAIN).
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import zipfile
from dataclasses import asdict, dataclass
from typing import Callable

from botocore.exceptions import ClientError

from sandbox.aws import client
from sandbox.config import ROOT, env, seed, settings

Log = Callable[[str], None]


class ProvisionError(Exception):
    pass


@dataclass(frozen=True)
class Resources:
    region: str
    account_id: str
    user_pool_id: str
    user_pool_arn: str
    issuer: str
    domain: str
    client_id: str
    client_secret: str
    machine_client_id: str
    machine_client_secret: str
    identity_provider: str
    resource_server: str
    user_table: str
    functions: dict[str, str]
    api_id: str
    api_stage: str
    api_url: str

    def as_dict(self) -> dict:
        return asdict(self)


def names() -> dict:
    """Resource names: the seed's, each overridable from the environment (e.g. for a real account)."""
    cfg = seed()
    return {
        "pool": env("COGNITO_USER_POOL_NAME", cfg["cognito"]["user_pool_name"]),
        "domain": env("COGNITO_DOMAIN", cfg["cognito"]["domain"]),
        "table": env("USER_TABLE", cfg["dynamodb"]["user_table"]),
        "api": env("API_NAME", cfg["api"]["name"]),
        "stage": env("API_STAGE", cfg["api"]["stage"]),
    }


def _is(error: ClientError, *codes: str) -> bool:
    return error.response["Error"]["Code"] in codes


# -- DynamoDB -----------------------------------------------------------------------------------------

def ensure_user_table(name: str, log: Log) -> str:
    ddb = client("dynamodb")
    try:
        return ddb.describe_table(TableName=name)["Table"]["TableArn"]
    except ClientError as exc:
        if not _is(exc, "ResourceNotFoundException"):
            raise
    log(f"creating DynamoDB table {name}")
    arn = ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "userName", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "userName", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )["TableDescription"]["TableArn"]
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    return arn


# -- IAM and Lambda -----------------------------------------------------------------------------------

LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                   "Action": "sts:AssumeRole"}],
}


def ensure_lambda_role(role_name: str, table_arn: str, log: Log) -> str:
    iam = client("iam")
    try:
        arn = iam.get_role(RoleName=role_name)["Role"]["Arn"]
    except ClientError as exc:
        if not _is(exc, "NoSuchEntity"):
            raise
        log(f"creating IAM role {role_name}")
        arn = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))["Role"]["Arn"]
    # put_role_policy replaces in place: idempotent by nature.
    iam.put_role_policy(RoleName=role_name, PolicyName="user-table-and-logs", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Scan"],
             "Resource": table_arn},
            {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
             "Resource": "*"},
        ],
    }))
    return arn


def zip_source(folder: str) -> bytes:
    """Zip a function's source folder reproducibly (fixed timestamps, sorted), so an unchanged folder
    has an unchanged CodeSha256 and is not redeployed."""
    root = ROOT / folder
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            info = zipfile.ZipInfo(str(path.relative_to(root)), date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _code_sha256(code: bytes) -> str:
    import base64

    return base64.b64encode(hashlib.sha256(code).digest()).decode()


def ensure_function(fn: dict, role_arn: str, runtime: str, table: str, log: Log) -> str:
    lam = client("lambda")
    code = zip_source(fn["source"])
    environment = {"Variables": {**fn["environment"], "USER_TABLE": table}}
    config = dict(Role=role_arn, Handler=fn["handler"], Runtime=runtime, Timeout=fn["timeout"],
                  Environment=environment)
    try:
        current = lam.get_function(FunctionName=fn["name"])["Configuration"]
    except ClientError as exc:
        if not _is(exc, "ResourceNotFoundException"):
            raise
        log(f"creating Lambda function {fn['name']}")
        for attempt in range(10):
            try:
                return lam.create_function(FunctionName=fn["name"], Code={"ZipFile": code}, Publish=False,
                                           **config)["FunctionArn"]
            except ClientError as err:
                # Real IAM takes a few seconds before a new role can be assumed by Lambda.
                if "cannot be assumed" not in str(err) or attempt == 9:
                    raise
                time.sleep(2)
    if current["CodeSha256"] != _code_sha256(code):
        log(f"updating code of {fn['name']}")
        lam.update_function_code(FunctionName=fn["name"], ZipFile=code)
        lam.get_waiter("function_updated_v2").wait(FunctionName=fn["name"], WaiterConfig={"Delay": 1})
    wanted = {"Handler": fn["handler"], "Runtime": runtime, "Timeout": fn["timeout"],
              "Environment": environment["Variables"], "Role": role_arn}
    have = {"Handler": current.get("Handler"), "Runtime": current.get("Runtime"),
            "Timeout": current.get("Timeout"), "Environment": current.get("Environment", {}).get("Variables", {}),
            "Role": current.get("Role")}
    if wanted != have:
        log(f"updating configuration of {fn['name']}")
        lam.update_function_configuration(FunctionName=fn["name"], **config)
    return current["FunctionArn"]


def allow_invoke(function_name: str, statement_id: str, principal: str, source_arn: str) -> None:
    """Let a service invoke a function (resource policy); an existing statement is kept."""
    try:
        client("lambda").add_permission(FunctionName=function_name, StatementId=statement_id,
                                        Action="lambda:InvokeFunction", Principal=principal,
                                        SourceArn=source_arn)
    except ClientError as exc:
        if not _is(exc, "ResourceConflictException"):
            raise


# -- Cognito ------------------------------------------------------------------------------------------

def find_user_pool(name: str) -> dict | None:
    idp = client("cognito-idp")
    for page in idp.get_paginator("list_user_pools").paginate(MaxResults=60):
        for pool in page["UserPools"]:
            if pool["Name"] == name:
                return idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    return None


def ensure_user_pool(name: str, presignup_arn: str, log: Log) -> dict:
    idp = client("cognito-idp")
    lambda_config = {"PreSignUp": presignup_arn}
    pool = find_user_pool(name)
    if pool is None:
        log(f"creating Cognito user pool {name}")
        pool = idp.create_user_pool(
            PoolName=name,
            UsernameConfiguration={"CaseSensitive": False},
            # Standard attributes, mutable so a returning federated user's mapped values can be updated.
            Schema=[{"Name": attr, "AttributeDataType": "String", "Mutable": True, "Required": False}
                    for attr in ("email", "given_name", "family_name")],
            LambdaConfig=lambda_config,
        )["UserPool"]
    elif pool.get("LambdaConfig", {}).get("PreSignUp") != presignup_arn:
        log(f"attaching PreSignUp to {name}")
        idp.update_user_pool(UserPoolId=pool["Id"], LambdaConfig={**pool.get("LambdaConfig", {}), **lambda_config})
    return pool


def ensure_domain(pool_id: str, domain: str, log: Log) -> None:
    idp = client("cognito-idp")
    found = idp.describe_user_pool_domain(Domain=domain).get("DomainDescription", {})
    if found.get("UserPoolId") == pool_id:
        return
    if found.get("UserPoolId"):
        raise ProvisionError(f"Cognito domain {domain!r} belongs to another pool: set COGNITO_DOMAIN")
    log(f"creating Cognito domain {domain}")
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain=domain)


def ensure_identity_provider(pool_id: str, log: Log) -> str:
    idp = client("cognito-idp")
    cfg = seed()["cognito"]["identity_provider"]
    okta_client = next(c for c in seed()["okta"]["clients"] if c["client_id"] == cfg["okta_client_id"])
    details = {
        "client_id": env("OKTA_CLIENT_ID", okta_client["client_id"]),
        "client_secret": env("OKTA_CLIENT_SECRET", okta_client["client_secret"]),
        "authorize_scopes": cfg["authorize_scopes"],
        "attributes_request_method": cfg["attributes_request_method"],
        "oidc_issuer": settings().okta_issuer,
    }
    try:
        current = idp.describe_identity_provider(UserPoolId=pool_id, ProviderName=cfg["name"])["IdentityProvider"]
    except ClientError as exc:
        if not _is(exc, "ResourceNotFoundException"):
            raise
        log(f"creating identity provider {cfg['name']}")
        idp.create_identity_provider(UserPoolId=pool_id, ProviderName=cfg["name"], ProviderType="OIDC",
                                     ProviderDetails=details, AttributeMapping=cfg["attribute_mapping"])
        return cfg["name"]
    have = current.get("ProviderDetails", {})
    if any(have.get(k) != v for k, v in details.items()) or current.get("AttributeMapping") != cfg["attribute_mapping"]:
        log(f"updating identity provider {cfg['name']}")
        idp.update_identity_provider(UserPoolId=pool_id, ProviderName=cfg["name"], ProviderDetails=details,
                                     AttributeMapping=cfg["attribute_mapping"])
    return cfg["name"]


def ensure_resource_server(pool_id: str, log: Log) -> str:
    idp = client("cognito-idp")
    cfg = seed()["cognito"]["resource_server"]
    try:
        current = idp.describe_resource_server(UserPoolId=pool_id, Identifier=cfg["identifier"])["ResourceServer"]
        if current.get("Scopes") != cfg["scopes"]:
            idp.update_resource_server(UserPoolId=pool_id, Identifier=cfg["identifier"], Name=cfg["name"],
                                       Scopes=cfg["scopes"])
    except ClientError as exc:
        if not _is(exc, "ResourceNotFoundException"):
            raise
        log(f"creating resource server {cfg['identifier']}")
        idp.create_resource_server(UserPoolId=pool_id, Identifier=cfg["identifier"], Name=cfg["name"],
                                   Scopes=cfg["scopes"])
    return cfg["identifier"]


def ensure_app_client(pool_id: str, name: str, config: dict, log: Log) -> dict:
    """Find the client by name and bring its settings up to date (keeping id and secret), or create it."""
    idp = client("cognito-idp")
    for page in idp.get_paginator("list_user_pool_clients").paginate(UserPoolId=pool_id, MaxResults=60):
        for found in page["UserPoolClients"]:
            if found["ClientName"] == name:
                current = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=found["ClientId"])
                current = current["UserPoolClient"]
                if any(current.get(k) != v for k, v in config.items()):
                    log(f"updating app client {name}")
                    idp.update_user_pool_client(UserPoolId=pool_id, ClientId=found["ClientId"], ClientName=name,
                                                **config)
                return current
    log(f"creating app client {name}")
    return idp.create_user_pool_client(UserPoolId=pool_id, ClientName=name, GenerateSecret=True,
                                       **config)["UserPoolClient"]


def demo_client_config(idp_name: str) -> dict:
    cfg = seed()["cognito"]["app_client"]
    return {
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthScopes": cfg["scopes"],
        "CallbackURLs": cfg["callback_urls"],
        "LogoutURLs": cfg["logout_urls"],
        "SupportedIdentityProviders": [idp_name],
        "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"],
        "AccessTokenValidity": cfg["access_token_minutes"],
        "IdTokenValidity": cfg["id_token_minutes"],
        "RefreshTokenValidity": cfg["refresh_token_days"],
        "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
        "EnableTokenRevocation": True,
    }


def machine_client_config(resource_server: str) -> dict:
    """A confidential client for the client_credentials grant (resource-server scopes only)."""
    return {
        "AllowedOAuthFlows": ["client_credentials"],
        "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthScopes": [f"{resource_server}/profile.read"],
        "AccessTokenValidity": 60,
        "TokenValidityUnits": {"AccessToken": "minutes"},
    }


# -- API Gateway --------------------------------------------------------------------------------------

def find_rest_api(name: str) -> dict | None:
    apigw = client("apigateway")
    for page in apigw.get_paginator("get_rest_apis").paginate():
        for api in page["items"]:
            if api["name"] == name:
                return api
    return None


def ensure_resource(api_id: str, path: str, by_path: dict) -> str:
    """Create each missing segment of a path; return the leaf resource's id."""
    apigw = client("apigateway")
    current = "/"
    for segment in [s for s in path.split("/") if s]:
        child = current.rstrip("/") + "/" + segment
        if child not in by_path:
            by_path[child] = apigw.create_resource(restApiId=api_id, parentId=by_path[current],
                                                   pathPart=segment)["id"]
        current = child
    return by_path[current]


def ensure_api(pool_arn: str, functions: dict[str, str], region: str, account: str, log: Log) -> tuple[str, bool]:
    """The REST API with its authorizer, routes and Lambda proxy integrations. Returns (api id, changed)."""
    apigw = client("apigateway")
    cfg = seed()["api"]
    name = names()["api"]
    api = find_rest_api(name)
    changed = False
    if api is None:
        log(f"creating REST API {name}")
        # The tag is inert on real AWS; moto takes it as the API's id, so local URLs stay the same.
        api = apigw.create_rest_api(name=name, description="WF-05 profile API",
                                    endpointConfiguration={"types": ["REGIONAL"]},
                                    tags={"_custom_id_": env("API_LOCAL_ID", "sandboxapi")})
        changed = True
    api_id = api["id"]

    authorizers = {a["name"]: a for a in apigw.get_authorizers(restApiId=api_id)["items"]}
    if cfg["authorizer"] in authorizers:
        authorizer_id = authorizers[cfg["authorizer"]]["id"]
    else:
        authorizer_id = apigw.create_authorizer(
            restApiId=api_id, name=cfg["authorizer"], type="COGNITO_USER_POOLS", providerARNs=[pool_arn],
            identitySource="method.request.header.Authorization")["id"]
        changed = True

    by_path = {r["path"]: r["id"] for r in apigw.get_resources(restApiId=api_id, limit=500)["items"]}
    for route in cfg["routes"]:
        resource_id = ensure_resource(api_id, route["path"], by_path)
        try:
            apigw.get_method(restApiId=api_id, resourceId=resource_id, httpMethod=route["method"])
            continue  # routes are kept as they are once made
        except ClientError as exc:
            if not _is(exc, "NotFoundException"):
                raise
        method = dict(restApiId=api_id, resourceId=resource_id, httpMethod=route["method"],
                      authorizationType=route["authorization"])
        if route["authorization"] == "COGNITO_USER_POOLS":
            method.update(authorizerId=authorizer_id, authorizationScopes=route["scopes"])
        apigw.put_method(**method)
        fn_arn = functions[route["function"]]
        apigw.put_integration(
            restApiId=api_id, resourceId=resource_id, httpMethod=route["method"], type="AWS_PROXY",
            integrationHttpMethod="POST",
            uri=f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{fn_arn}/invocations")
        changed = True

    for fn_name in {r["function"] for r in cfg["routes"]}:
        allow_invoke(fn_name, f"apigateway-{api_id}", "apigateway.amazonaws.com",
                     f"arn:aws:execute-api:{region}:{account}:{api_id}/*")
    return api_id, changed


def ensure_deployment(api_id: str, stage: str, changed: bool, log: Log) -> None:
    apigw = client("apigateway")
    try:
        apigw.get_stage(restApiId=api_id, stageName=stage)
        if not changed:
            return
    except ClientError as exc:
        if not _is(exc, "NotFoundException"):
            raise
    log(f"deploying REST API to stage {stage}")
    apigw.create_deployment(restApiId=api_id, stageName=stage)


# -- All of it ----------------------------------------------------------------------------------------

def provision(log: Log = lambda msg: None) -> Resources:
    """Create or find every resource, in dependency order."""
    s = settings()
    cfg = seed()
    n = names()
    account = client("sts").get_caller_identity()["Account"]

    table_arn = ensure_user_table(n["table"], log)
    role_arn = ensure_lambda_role(cfg["lambda"]["role_name"], table_arn, log)
    functions = {fn["name"]: ensure_function(fn, role_arn, cfg["lambda"]["runtime"], n["table"], log)
                 for fn in cfg["lambda"]["functions"]}

    presignup = next(fn["name"] for fn in cfg["lambda"]["functions"] if fn["source"] == "trigger")
    pool = ensure_user_pool(n["pool"], functions[presignup], log)
    pool_id, pool_arn = pool["Id"], pool["Arn"]
    allow_invoke(presignup, "cognito-presignup", "cognito-idp.amazonaws.com", pool_arn)
    ensure_domain(pool_id, n["domain"], log)
    idp_name = ensure_identity_provider(pool_id, log)
    resource_server = ensure_resource_server(pool_id, log)
    demo = ensure_app_client(pool_id, cfg["cognito"]["app_client"]["name"], demo_client_config(idp_name), log)
    machine = ensure_app_client(pool_id, "sandbox-machine", machine_client_config(resource_server), log)

    api_id, changed = ensure_api(pool_arn, functions, s.aws_region, account, log)
    ensure_deployment(api_id, n["stage"], changed, log)

    issuer_base = s.aws_public_url if s.local_aws else f"https://cognito-idp.{s.aws_region}.amazonaws.com"
    api_url = (f"{s.aws_public_url}/restapis/{api_id}/{n['stage']}/_user_request_" if s.local_aws
               else f"https://{api_id}.execute-api.{s.aws_region}.amazonaws.com/{n['stage']}")
    return Resources(
        region=s.aws_region, account_id=account, user_pool_id=pool_id, user_pool_arn=pool_arn,
        issuer=f"{issuer_base}/{pool_id}", domain=n["domain"],
        client_id=demo["ClientId"], client_secret=demo["ClientSecret"],
        machine_client_id=machine["ClientId"], machine_client_secret=machine["ClientSecret"],
        identity_provider=idp_name, resource_server=resource_server, user_table=n["table"],
        functions=functions, api_id=api_id, api_stage=n["stage"], api_url=api_url,
    )


def discover() -> Resources:
    """The resources of an already-provisioned account (finds by name; creates nothing new)."""
    return provision()  # every step is find-first; on a provisioned account this only reads

