"""The Cognito authorizer's cost on an API request, beside the same Lambda route without one.

Both routes are `GET /public/ping` on the profile Lambda: the seed API's (authorization NONE) and a bench
API's (`sandbox-apigw-bench`, COGNITO_USER_POOLS with scope sandbox-api/profile.read), so the only
difference is the authorizer (and the token the caller sends it). They are alternated request by request
(A-B-B-A), so drift on a shared machine hits both alike. `python -m bench` runs this among the rest;
alone, against a running sandbox:

    SANDBOX_PORT_OFFSET=N python -m bench.api [--rounds 20] [--quads 50]   # the cost and its noise band
    SANDBOX_PORT_OFFSET=N python -m bench.api --rate [--seconds 5] [--threads 4]

`--rate` also measures the profile page's API call (`GET /profile` on the seed API: the authorizer, the
profile Lambda and its DynamoDB GetItem), and gives the AWS endpoint's CPU per request (every thread of its
process, from its health document; the Lambda workers are processes of their own).
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

import requests

from bench.load import closed_loop
from sandbox.aws import client
from sandbox.config import apply_local_aws_defaults, settings
from sandbox.provision import find_rest_api, provision

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


PROFILE_USER = "bench-profile"  # the bench's own record in the user table, for GET /profile


def access_token(resources, username: str | None = None) -> str:
    from tests.functions_apigw import access_claims, sign  # the same claims the tests use

    return sign(resources.user_pool_id, "access",
                access_claims(resources, username=username or f"bench-{uuid.uuid4().hex[:6]}"))


def aws_cpu_seconds() -> float:
    """The AWS endpoint's process CPU so far (its health document)."""
    return requests.get(settings().aws_endpoint_url + "/_sandbox/health", timeout=30).json()["cpu_seconds"]


def rate(url: str, headers: dict, seconds: float, threads: int) -> tuple[float, int, float]:
    """(requests per second, non-200 answers, the AWS endpoint's CPU ms per request) with `threads`
    keep-alive clients for `seconds`."""
    sessions = [requests.Session() for _ in range(threads)]
    cpu = aws_cpu_seconds()
    try:
        ok, failed, elapsed = closed_loop(
            threads, seconds, lambda i: sessions[i].get(url, headers=headers, timeout=30).status_code == 200)
    finally:
        for session in sessions:
            session.close()
    cpu = aws_cpu_seconds() - cpu
    return (ok + failed) / elapsed, failed, cpu * 1000 / max(ok + failed, 1)


def profile_route(resources) -> tuple[str, dict]:
    """The profile page's API call (`GET /profile`, seed API) and its headers, for a user that has a record."""
    client("dynamodb").put_item(TableName=resources.user_table, Item={
        "userName": {"S": PROFILE_USER}, "Email": {"S": f"{PROFILE_USER}@example.com"}})
    url, headers = resources.api_url + "/profile", {"Authorization": access_token(resources, PROFILE_USER)}
    rate(url, headers, 1.0, 2)
    return url, headers


def routes(resources) -> tuple[str, str, dict]:
    """(the open route's URL, the guarded route's URL, the guarded route's headers), both warmed."""
    guarded = resources.api_url.replace(f"/{resources.api_id}/", f"/{bench_api(resources)}/") + "/public/ping"
    open_url = resources.api_url + "/public/ping"
    token = {"Authorization": access_token(resources)}
    rate(guarded, token, 1.0, 2)  # warm: Lambda workers, JWKS cache
    rate(open_url, {}, 1.0, 2)
    return open_url, guarded, token


def timed_get(session: requests.Session, url: str, headers: dict) -> float:
    """Seconds for one request on the session's kept connection."""
    started = time.perf_counter()
    if session.get(url, headers=headers, timeout=30).status_code != 200:
        raise RuntimeError(f"{url} did not answer 200")
    return time.perf_counter() - started


def alternated(rounds: int = 20, quads: int = 50) -> dict:
    """The authorizer's cost from `rounds` rounds of `quads` A-B-B-A quads of single requests (A: no
    authorizer, B: the Cognito authorizer) on one kept connection, each request timed alone.

    Medians, not a block's mean: a request the shared machine stalls (another process took the core)
    moves a mean by its whole stall, the median not at all, and such stalls were most of the spread of
    the former 50-request blocks. The cost is the median B request over the median A request of the whole
    run, minus one; a round's cost is the same within the round (its p10-p90 across rounds is printed). The
    noise is what the machine lets one tell apart: within a round, the same route's first requests of the
    quads against its second ones (A2/A1 and B2/B1, medians, minus one), p10-p90 across rounds."""
    open_url, guarded, token = routes(provision())
    session = requests.Session()
    every_a, every_b, costs, noise = [], [], [], []
    median = statistics.median
    for _ in range(rounds):
        a1, b1, b2, a2 = [], [], [], []
        for _ in range(quads):
            a1.append(timed_get(session, open_url, {}))
            b1.append(timed_get(session, guarded, token))
            b2.append(timed_get(session, guarded, token))
            a2.append(timed_get(session, open_url, {}))
        every_a += a1 + a2
        every_b += b1 + b2
        costs.append(median(b1 + b2) / median(a1 + a2) - 1)
        noise += [median(a2) / median(a1) - 1, median(b2) / median(b1) - 1]
    deciles = statistics.quantiles(noise, n=10)
    cost_deciles = statistics.quantiles(costs, n=10)
    return {"rounds": rounds, "quads_per_round": quads, "cost": median(every_b) / median(every_a) - 1,
            "open_ms": median(every_a) * 1000, "guarded_ms": median(every_b) * 1000,
            "cost_p10": cost_deciles[0], "cost_p90": cost_deciles[-1],
            "noise_p10": deciles[0], "noise_p90": deciles[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="A-B-B-A rounds of the authorizer's cost (20)")
    parser.add_argument("--quads", type=int, default=50, help="A-B-B-A request quads per round (50)")
    parser.add_argument("--rate", action="store_true", help="requests per second with a closed loop instead")
    parser.add_argument("--seconds", type=float, default=5.0, help="--rate: seconds per route")
    parser.add_argument("--threads", type=int, default=4, help="--rate: keep-alive clients")
    args = parser.parse_args()
    apply_local_aws_defaults()
    if not args.rate:
        r = alternated(args.rounds, args.quads)
        # The row: the cost beside the noise band (what one route's requests differ by in a round).
        print(f"Cognito authorizer cost {r['cost']:+.1%} ({r['guarded_ms']:.2f} vs {r['open_ms']:.2f} ms; "
              f"rounds p10-p90 {r['cost_p10']:+.1%} .. {r['cost_p90']:+.1%}); "
              f"A/A noise p10-p90 {r['noise_p10']:+.1%} .. {r['noise_p90']:+.1%} "
              f"({r['rounds']} rounds of {r['quads_per_round']} A-B-B-A request quads)")
        return
    resources = provision()
    open_url, guarded, token = routes(resources)
    profile_url, profile_headers = profile_route(resources)
    for name, url, headers in (("no authorizer", open_url, {}), ("Cognito authorizer", guarded, token),
                               ("GET /profile (DynamoDB)", profile_url, profile_headers),
                               ("no authorizer (again)", open_url, {}), ("Cognito authorizer (again)", guarded, token),
                               ("GET /profile (again)", profile_url, profile_headers)):
        rps, errors, cpu_ms = rate(url, headers, args.seconds, args.threads)
        print(f"{name:28s} {rps:8.1f} req/s  AWS endpoint CPU {cpu_ms:.3f} ms/request  ({errors} non-200)")


if __name__ == "__main__":
    main()
