"""API requests per second through the Cognito authorizer beside the same Lambda route without one.

The routes and the load loop are the API Gateway part's own (`aws_endpoint/apigateway/measure.py`):
`GET /public/ping` on the profile Lambda, once on the seed API (authorization NONE) and once on a bench API
whose method has the Cognito user pool authorizer (scope `sandbox-api/profile.read`). The two are measured
alternately, twice each, so drift on a shared machine hits both alike.
"""

from __future__ import annotations

from aws_endpoint.apigateway.measure import access_token, bench_api, rate
from sandbox.provision import discover


def measure(seconds: float, threads: int) -> dict:
    resources = discover()
    guarded = resources.api_url.replace(f"/{resources.api_id}/", f"/{bench_api(resources)}/") + "/public/ping"
    open_url = resources.api_url + "/public/ping"
    token = {"Authorization": access_token(resources)}
    rate(guarded, token, 1.0, threads)  # warm: Lambda workers, JWKS cache
    rate(open_url, {}, 1.0, threads)
    totals = {"open": [0.0, 0], "authorizer": [0.0, 0]}
    for _ in range(2):
        for name, url, headers in (("open", open_url, {}), ("authorizer", guarded, token)):
            rps, errors = rate(url, headers, seconds / 2, threads)
            totals[name][0] += rps / 2
            totals[name][1] += errors
    open_rps, auth_rps = totals["open"][0], totals["authorizer"][0]
    return {"threads": threads, "open_rps": open_rps, "authorizer_rps": auth_rps,
            "non_200": totals["open"][1] + totals["authorizer"][1],
            # per-request time with the authorizer over without it, minus one
            "authorizer_cost": open_rps / auth_rps - 1 if auth_rps else float("inf")}
