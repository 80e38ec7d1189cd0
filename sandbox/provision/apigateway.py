"""The REST API: its Cognito authorizer, its routes with Lambda proxy integrations, and its stage."""

from __future__ import annotations

from botocore.exceptions import ClientError

from sandbox.aws import client
from sandbox.config import seed
from sandbox.provision.settings import settings as provision_settings
from sandbox.provision.common import Log, is_error
from sandbox.provision.lambdas import allow_invoke


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


def ensure_api(name: str, pool_arn: str, functions: dict[str, str], region: str, account: str,
               log: Log) -> tuple[str, bool]:
    """The REST API with its authorizer, routes and Lambda proxy integrations. Returns (api id, changed)."""
    apigw = client("apigateway")
    cfg = seed()["api"]
    api = find_rest_api(name)
    changed = False
    if api is None:
        log(f"creating REST API {name}")
        # The tag is inert on real AWS; moto takes it as the API's id, so local URLs stay the same.
        api = apigw.create_rest_api(name=name, description="WF-05 profile API",
                                    endpointConfiguration={"types": ["REGIONAL"]},
                                    tags={"_custom_id_": provision_settings().api_local_id})
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
            if not is_error(exc, "NotFoundException"):
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
        if not is_error(exc, "NotFoundException"):
            raise
    log(f"deploying REST API to stage {stage}")
    apigw.create_deployment(restApiId=api_id, stageName=stage)
