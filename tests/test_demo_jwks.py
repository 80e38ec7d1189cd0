"""The demo site's cached key set (demo_site/oidc/jwks.py): the pool's JWKS is fetched once and reused,
fetched again when it is old or a token names a key id it lacks (at most once per interval), and a key set
that cannot be fetched is a refusal that says so. Against the sandbox's real JWKS; the clock is passed in."""

from __future__ import annotations

import time

import jwt
import pytest
import requests

from demo_site.oidc import jwks
from demo_site.oidc.backend import CognitoBackend
from demo_site.oidc.id_token import IdTokenRejected
from demo_site.oidc.jwks import MAX_AGE, REFETCH_INTERVAL, KeySet, KeySetUnavailable
from sandbox.config import settings as sandbox_settings


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CountingSession:
    def __init__(self):
        self.urls = []

    def get(self, url, **kwargs):
        self.urls.append(url)
        return requests.get(url, **kwargs)


@pytest.fixture
def fetches(monkeypatch) -> CountingSession:
    counting = CountingSession()
    monkeypatch.setattr(jwks, "session", counting)
    return counting


@pytest.fixture
def pool_key(resources):
    """A token signed by the pool, and its key id."""
    now = int(time.time())
    response = requests.post(f"{sandbox_settings().aws_endpoint_url}/_sandbox/cognito-idp/{resources.user_pool_id}/sign",
                             json={"token_use": "id", "claims": {"sub": "s", "iss": resources.issuer, "iat": now,
                                                                 "exp": now + 600, "token_use": "id"}}, timeout=10)
    assert response.status_code == 200, response.text
    token = response.json()["token"]
    return token, jwt.get_unverified_header(token)["kid"]


def test_the_key_set_is_fetched_once_and_its_key_verifies_the_pools_tokens(resources, fetches, pool_key):
    token, kid = pool_key
    keys = KeySet(f"{resources.issuer}/.well-known/jwks.json", clock=Clock())
    first = keys.key_for(kid, "RS256", timeout=10)
    assert keys.key_for(kid, "RS256", timeout=10) is first
    assert len(fetches.urls) == 1
    assert jwt.decode(token, first, algorithms=["RS256"], options={"verify_aud": False})["sub"] == "s"


def test_an_unknown_key_id_refetches_at_most_once_per_interval(resources, fetches, pool_key):
    _, kid = pool_key
    clock = Clock()
    keys = KeySet(f"{resources.issuer}/.well-known/jwks.json", clock=clock)
    keys.key_for(kid, "RS256", timeout=10)
    clock.now += REFETCH_INTERVAL  # an unknown kid may be a key the pool just rotated in: look again
    assert keys.key_for("not-a-pool-key", "RS256", timeout=10) is None
    assert len(fetches.urls) == 2
    for _ in range(5):  # made-up kids within the interval: no more fetches
        assert keys.key_for("not-a-pool-key", "RS256", timeout=10) is None
    assert len(fetches.urls) == 2
    assert keys.key_for(kid, "RS256", timeout=10) is not None and len(fetches.urls) == 2


def test_an_old_key_set_is_fetched_again_and_a_key_of_another_alg_does_not_match(resources, fetches, pool_key):
    _, kid = pool_key
    clock = Clock()
    keys = KeySet(f"{resources.issuer}/.well-known/jwks.json", clock=clock)
    keys.key_for(kid, "RS256", timeout=10)
    clock.now += MAX_AGE
    keys.key_for(kid, "RS256", timeout=10)
    assert len(fetches.urls) == 2
    assert keys.key_for(kid, "RS512", timeout=10) is None  # the pool's key says alg RS256


def test_a_key_set_that_cannot_be_fetched_is_unavailable_and_the_sign_in_says_why(resources, settings, pool_key):
    token, kid = pool_key
    missing = f"{sandbox_settings().aws_endpoint_url}/us-east-1_nosuchpool/.well-known/jwks-missing.json"
    with pytest.raises(KeySetUnavailable):
        KeySet(missing).key_for(kid, "RS256", timeout=10)
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = resources.client_id, resources.client_secret
    settings.COGNITO_ISSUER, settings.OIDC_OP_JWKS_ENDPOINT = resources.issuer, missing
    with pytest.raises(IdTokenRejected, match=r"^could not fetch the key set .*jwks-missing\.json: "):
        CognitoBackend().verify_token(token, nonce=None)
