"""Requests per second through the Cognito authorizer with a valid token, beside the same Lambda route
with no authorizer, in one run, against a running sandbox.

    SANDBOX_PORT_OFFSET=N python -m aws_endpoint.apigateway.measure [--seconds 5] [--threads 4]

Both routes are `GET /public/ping` on the profile Lambda: the seed API's (authorization NONE) and a
bench API's (`sandbox-apigw-bench`, COGNITO_USER_POOLS with scope sandbox-api/profile.read), so the only
difference is the authorizer. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import threading
import time
import uuid

import requests

from sandbox.aws import client
from sandbox.provision import discover, find_rest_api

BENCH_API = "sandbox-apigw-bench"


def bench_api(resources) -> str:
    """The bench API's id (created once; found again by name afterwards)."""
    found = find_rest_api(BENCH_API)
    if found:
        return found["id"]
    apigw = client("apigateway")
    api_id = apigw.create_rest_api(name=BENCH_API)["id"]
    authorizer = apigw.create_authorizer(restApiId=api_id, name="cognito", type="COGNITO_USER_POOLS",
                                         providerARNs=[resources.user_pool_arn],
                                         identitySource="method.request.header.Authorization")["id"]
    root = apigw.get_resources(restApiId=api_id)["items"][0]["id"]
    public = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="public")["id"]
    ping = apigw.create_resource(restApiId=api_id, parentId=public, pathPart="ping")["id"]
    apigw.put_method(restApiId=api_id, resourceId=ping, httpMethod="GET", authorizationType="COGNITO_USER_POOLS",
                     authorizerId=authorizer, authorizationScopes=["sandbox-api/profile.read"])
    fn = resources.functions["sandbox-profile-api"]
    apigw.put_integration(restApiId=api_id, resourceId=ping, httpMethod="GET", type="AWS_PROXY",
                          integrationHttpMethod="POST",
                          uri=f"arn:aws:apigateway:{resources.region}:lambda:path/2015-03-31/functions/{fn}/invocations")
    apigw.create_deployment(restApiId=api_id, stageName=resources.api_stage)
    return api_id


def access_token(resources) -> str:
    from tests.functions_apigw import access_claims, sign  # the same claims the tests use

    return sign(resources.user_pool_id, "access", access_claims(resources, username=f"bench-{uuid.uuid4().hex[:6]}"))


def rate(url: str, headers: dict, seconds: float, threads: int) -> tuple[float, int]:
    """(requests per second, non-200 answers) with `threads` keep-alive clients for `seconds`."""
    counts, errors = [0] * threads, [0] * threads
    deadline = time.perf_counter() + seconds

    def worker(i: int) -> None:
        with requests.Session() as session:
            while time.perf_counter() < deadline:
                if session.get(url, headers=headers, timeout=30).status_code != 200:
                    errors[i] += 1
                counts[i] += 1

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(counts) / (time.perf_counter() - started), sum(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    resources = discover()
    guarded = resources.api_url.replace(f"/{resources.api_id}/", f"/{bench_api(resources)}/") + "/public/ping"
    open_url = resources.api_url + "/public/ping"
    token = {"Authorization": access_token(resources)}
    rate(guarded, token, 1.0, args.threads)  # warm: Lambda workers, JWKS cache
    rate(open_url, {}, 1.0, args.threads)
    for name, url, headers in (("no authorizer", open_url, {}), ("Cognito authorizer", guarded, token),
                               ("no authorizer (again)", open_url, {}), ("Cognito authorizer (again)", guarded, token)):
        rps, errors = rate(url, headers, args.seconds, args.threads)
        print(f"{name:28s} {rps:8.1f} req/s  ({errors} non-200)")


if __name__ == "__main__":
    main()
