"""The demo site's journey hop by hop, against the demo site's own /health and the hosted UI's own token
endpoint, interleaved in one run so each figure is a ratio of timings taken side by side.

Each round: one demo-site sign-in of a returning user from a new browser (its hops timed by the
browser-like client), one GET of the demo site's /health, and one code flow straight at the hosted UI
(authorize with identity_provider=Okta, Okta's form, idpresponse) whose POST /oauth2/token alone is timed.
Every timing is the client's: connection kept, as the browser's is between hops."""

from __future__ import annotations

import base64
import hashlib
import secrets
import statistics
import time
from collections import defaultdict
from urllib.parse import parse_qs, urlencode, urlsplit

from sandbox.aws_urls import HOSTED_UI_PATHS
from sandbox.config import settings
from sandbox.requests_session import new_session
from sandbox.testing.browser import Browser


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    return verifier, base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def hop_label(method: str, url: str) -> str:
    s = settings()
    names = {s.demo_site_url: "demo", s.cognito_hosted_ui_url: "cognito", s.okta_public_url: "okta"}
    split = urlsplit(url)
    return f"{method} {names.get(f'{split.scheme}://{split.netloc}', split.netloc)} {split.path}"


class TokenEndpoint:
    """A code from the hosted UI (through Okta) for the demo app client, then its POST /oauth2/token timed."""

    def __init__(self, resources, username: str):
        self.res, self.username = resources, username
        self.redirect_uri = settings().demo_site_url + "/oidc/callback/"
        self.session = new_session()  # the app's back channel: one kept connection

    def code(self, verifier_challenge: str) -> str:
        s = settings()
        query = {"response_type": "code", "client_id": self.res.client_id, "redirect_uri": self.redirect_uri,
                 "state": secrets.token_urlsafe(8), "nonce": secrets.token_urlsafe(8), "scope": "openid email profile",
                 "identity_provider": self.res.identity_provider, "code_challenge": verifier_challenge,
                 "code_challenge_method": "S256"}
        with Browser() as browser:
            result = browser.open(s.cognito_hosted_ui_url + HOSTED_UI_PATHS["authorize"] + "?" + urlencode(query),
                                  self.username, stop_before=lambda url: url.startswith(self.redirect_uri))
        if not result.stopped_before:
            raise RuntimeError(f"no code from the hosted UI: {result.error}")
        return parse_qs(urlsplit(result.stopped_before).query)["code"][0]

    def timed_exchange(self) -> float:
        verifier, challenge = pkce()
        code = self.code(challenge)
        started = time.perf_counter()
        response = self.session.post(settings().cognito_hosted_ui_url + HOSTED_UI_PATHS["token"], timeout=15,
                                     auth=(self.res.client_id, self.res.client_secret),
                                     data={"grant_type": "authorization_code", "code": code,
                                           "redirect_uri": self.redirect_uri, "code_verifier": verifier})
        ms = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"token endpoint: {response.status_code} {response.text[:200]}")
        return ms


def measure(resources, username: str, runs: int, warmup: int = 3) -> dict:
    health_session = new_session()
    health_url = settings().demo_site_url + "/health"
    token = TokenEndpoint(resources, username)
    hops: dict[str, list[float]] = defaultdict(list)
    health: list[float] = []
    token_ms: list[float] = []
    for i in range(warmup + runs):
        with Browser() as browser:
            result = browser.sign_in(username)
        if not result.ok:
            raise RuntimeError(f"sign-in failed: {result.error}")
        started = time.perf_counter()
        if health_session.get(health_url, timeout=15).status_code != 200:
            raise RuntimeError("the demo site's /health did not answer 200")
        health_ms = (time.perf_counter() - started) * 1000
        exchange_ms = token.timed_exchange()
        if i < warmup:
            continue
        seen: dict[str, int] = defaultdict(int)
        for hop in result.hops:
            label = hop_label(hop.method, hop.url)
            seen[label] += 1
            hops[label if seen[label] == 1 else f"{label} (#{seen[label]})"].append(hop.ms)
        health.append(health_ms)
        token_ms.append(exchange_ms)
    health_median, token_median = statistics.median(health), statistics.median(token_ms)
    hop_medians = {k: statistics.median(v) for k, v in hops.items()}
    demo = {k: v for k, v in hop_medians.items() if k.split()[1] == "demo"}
    callback = next(v for k, v in demo.items() if "/oidc/callback/" in k)
    return {"runs": runs, "health_ms": health_median, "token_endpoint_ms": token_median,
            "hops_median_ms": {k: round(v, 1) for k, v in hop_medians.items()},
            "demo_hops_vs_health": {k: round(v / health_median, 2) for k, v in demo.items()},
            "callback_ms": callback, "callback_vs_token": callback / token_median,
            "worst_demo_hop_vs_health": max(v / health_median for v in demo.values())}


if __name__ == "__main__":  # against a running sandbox
    from sandbox.config import apply_local_aws_defaults
    from sandbox.provision import provision

    apply_local_aws_defaults()
    print(measure(provision(), "alice@example.com", 20))
