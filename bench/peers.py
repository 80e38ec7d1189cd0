"""The federated sign-in against the two Node peers, interleaved in one run, as a ratio (after the reference
harness in ../shared/bench-peers/, on ports of this sandbox's offset).

Ours: Cognito /oauth2/authorize (identity_provider=Okta) -> Okta's form, filled in -> /oauth2/idpresponse ->
the client's redirect URI with a code -> /oauth2/token, a new cookie jar each time. The peers, installed
from npm into PEERS_DIR (default /tmp/wf05-bench-peers) on first use: jagregory/cognito-local 5.3.0's hosted
sign-in (authorize form, POST, token) and axa-group/oauth2-mock-server 8.2.3 (authorize, token, userinfo).
They do less than ours (no federation, no second party); their sum is the bar. Needs node and npm."""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.parse

import boto3
import requests

from bench.journey import TokenEndpoint, pkce
from sandbox.config import port_of, settings
from sandbox.requests_session import new_session

PEERS_DIR = os.environ.get("PEERS_DIR", "/tmp/wf05-bench-peers")
PACKAGES = ("cognito-local@5.3.0", "oauth2-mock-server@8.2.3")


def missing_tools() -> str | None:
    absent = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    return f"{' and '.join(absent)} not on PATH" if absent else None


def install() -> None:
    if all(os.path.exists(f"{PEERS_DIR}/node_modules/{p.split('@')[0]}") for p in PACKAGES):
        return
    os.makedirs(PEERS_DIR, exist_ok=True)
    subprocess.run(f"npm init -y >/dev/null && npm install -s {' '.join(PACKAGES)}", shell=True, cwd=PEERS_DIR,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)


def wait(url: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with contextlib.suppress(requests.RequestException):
            requests.get(url, timeout=1)
            return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


@contextlib.contextmanager
def running():
    """{name: one sign-in} for each peer, each on a loopback port beside this sandbox's."""
    install()
    base = port_of(settings().aws_endpoint_url)  # 4566 + offset
    cognito_local_port, oauth2_mock_port = base + 20, base + 21
    work = tempfile.mkdtemp(prefix="wf05-peers-")
    procs = [
        subprocess.Popen(["node", f"{PEERS_DIR}/node_modules/cognito-local/lib/bin/start.js"], cwd=work,
                         env={**os.environ, "PORT": str(cognito_local_port), "HOST": "127.0.0.1"},
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen(["node", f"{PEERS_DIR}/node_modules/oauth2-mock-server/dist/oauth2-mock-server.mjs",
                          "-p", str(oauth2_mock_port), "-a", "127.0.0.1"], cwd=work,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    try:
        cl, om = f"http://127.0.0.1:{cognito_local_port}", f"http://127.0.0.1:{oauth2_mock_port}"
        wait(cl + "/health")
        wait(om + "/.well-known/openid-configuration")
        idp = boto3.client("cognito-idp", endpoint_url=cl, region_name="us-east-1",
                           aws_access_key_id="test", aws_secret_access_key="test")
        pool = idp.create_user_pool(PoolName="peer")["UserPool"]["Id"]
        cb = "http://localhost:8000/cb"
        cid = idp.create_user_pool_client(UserPoolId=pool, ClientName="c", CallbackURLs=[cb], AllowedOAuthFlows=["code"],
                                          AllowedOAuthScopes=["openid"])["UserPoolClient"]["ClientId"]
        idp.admin_create_user(UserPoolId=pool, Username="alice@example.com", TemporaryPassword="Passw0rd!x",
                              MessageAction="SUPPRESS", UserAttributes=[{"Name": "email", "Value": "alice@example.com"}])
        idp.admin_set_user_password(UserPoolId=pool, Username="alice@example.com", Password="Passw0rd!", Permanent=True)

        def cognito_local():
            s = new_session()
            v, c = pkce()
            q = {"client_id": cid, "redirect_uri": cb, "response_type": "code", "code_challenge": c,
                 "code_challenge_method": "S256", "scope": "openid", "state": "s"}
            r = s.get(cl + "/oauth2/authorize", params=q, timeout=10)
            assert r.status_code == 200, r.text[:200]
            r = s.post(cl + "/oauth2/authorize", data={**q, "username": "alice@example.com", "password": "Passw0rd!"},
                       allow_redirects=False, timeout=10)
            code = urllib.parse.parse_qs(urllib.parse.urlsplit(r.headers["Location"]).query)["code"][0]
            r = s.post(cl + "/oauth2/token", data={"grant_type": "authorization_code", "code": code,
                                                   "redirect_uri": cb, "client_id": cid, "code_verifier": v}, timeout=10)
            assert r.status_code == 200, r.text[:200]

        def oauth2_mock():
            s = new_session()
            v, c = pkce()
            r = s.get(om + "/authorize", params={"client_id": "x", "redirect_uri": cb, "response_type": "code",
                                                "scope": "openid", "state": "s", "nonce": "n", "code_challenge": c,
                                                "code_challenge_method": "S256"}, allow_redirects=False, timeout=10)
            code = urllib.parse.parse_qs(urllib.parse.urlsplit(r.headers["Location"]).query)["code"][0]
            r = s.post(om + "/token", data={"grant_type": "authorization_code", "code": code, "redirect_uri": cb,
                                            "code_verifier": v}, auth=("x", "y"), timeout=10)
            r = s.get(om + "/userinfo", headers={"Authorization": "Bearer " + r.json()["access_token"]}, timeout=10)
            assert r.status_code == 200

        yield {"cognito-local": cognito_local, "oauth2-mock-server": oauth2_mock}
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            with contextlib.suppress(Exception):
                p.wait(5)
        shutil.rmtree(work, ignore_errors=True)


def measure(resources, username: str, runs: int) -> dict:
    """Medians of each flow, taken in turn `runs` times; or {"skipped": why}."""
    why = missing_tools()
    if why:
        return {"skipped": why}
    ours_flow = TokenEndpoint(resources, username)

    def ours():
        verifier, challenge = pkce()
        code = ours_flow.code(challenge)  # a new cookie jar (Browser) each time
        # On a kept connection, as each peer's token request goes on the connection its flow opened
        # (the app's back channel, as in bench/journey.py), not on a new session and connection.
        response = ours_flow.session.post(settings().cognito_hosted_ui_url + "/oauth2/token", timeout=15,
                                          auth=(resources.client_id, resources.client_secret),
                                          data={"grant_type": "authorization_code", "code": code,
                                                "redirect_uri": ours_flow.redirect_uri, "code_verifier": verifier})
        assert response.status_code == 200, response.text

    try:
        with running() as flows:
            flows = {"ours": ours, **flows}
            times: dict[str, list[float]] = {name: [] for name in flows}
            for fn in flows.values():
                fn(), fn()
            for _ in range(runs):
                for name, fn in flows.items():
                    started = time.perf_counter()
                    fn()
                    times[name].append((time.perf_counter() - started) * 1000)
    except (subprocess.SubprocessError, OSError, RuntimeError) as exc:
        return {"skipped": f"the peers could not run: {exc}"}
    med = {name: statistics.median(v) for name, v in times.items()}
    peers_sum = med["cognito-local"] + med["oauth2-mock-server"]
    return {"runs": runs, "median_ms": med, "ratio": med["ours"] / peers_sum}
