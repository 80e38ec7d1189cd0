"""Seed step g: the demo site's backend refuses an ID token that is not exactly one issued to it.

Tokens are minted with the pool's real keys through the AWS endpoint's internal sign call; the backend
fetches the real JWKS. Each refusal names the claim that failed.
"""

from __future__ import annotations

import time

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from demo_site.oidc.backend import CognitoBackend
from demo_site.oidc.id_token import IdTokenRejected
from sandbox.config import settings as sandbox_settings

NONCE = "n-0S6_WzA2Mj"


def sign(pool_id: str, token_use: str, claims: dict) -> str:
    response = requests.post(f"{sandbox_settings().aws_endpoint_url}/_sandbox/cognito-idp/{pool_id}/sign",
                             json={"token_use": token_use, "claims": claims}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["token"]


@pytest.fixture
def backend(resources, settings):
    """The backend configured as the WSGI app configures it (demo_site/resources.py)."""
    settings.OIDC_RP_CLIENT_ID = resources.client_id
    settings.OIDC_RP_CLIENT_SECRET = resources.client_secret
    settings.COGNITO_ISSUER = resources.issuer
    settings.OIDC_OP_JWKS_ENDPOINT = f"{resources.issuer}/.well-known/jwks.json"
    return CognitoBackend()


@pytest.fixture
def id_claims(resources):
    now = int(time.time())
    return {"sub": "0b5e7f5a-alice", "iss": resources.issuer, "aud": resources.client_id, "token_use": "id",
            "auth_time": now, "iat": now, "exp": now + 3600, "nonce": NONCE,
            "cognito:username": "okta_00u1alice0sandbox0x7", "email": "alice@example.com"}


def test_an_id_token_issued_to_this_client_with_the_sent_nonce_is_accepted(backend, resources, id_claims):
    claims = backend.verify_token(sign(resources.user_pool_id, "id", id_claims), nonce=NONCE)
    assert claims["cognito:username"] == "okta_00u1alice0sandbox0x7"


def test_an_id_token_from_another_issuer_is_refused(backend, resources, id_claims):
    token = sign(resources.user_pool_id, "id", {**id_claims, "iss": "http://localhost:4566/us-east-1_other"})
    with pytest.raises(IdTokenRejected, match=r"^iss is 'http://localhost:4566/us-east-1_other', expected"):
        backend.verify_token(token, nonce=NONCE)


def test_an_id_token_for_another_app_client_is_refused(backend, resources, id_claims):
    token = sign(resources.user_pool_id, "id", {**id_claims, "aud": "someotherclientid"})
    with pytest.raises(IdTokenRejected, match=r"^aud is 'someotherclientid', expected this app client"):
        backend.verify_token(token, nonce=NONCE)


def test_an_access_token_presented_as_the_id_token_is_refused(backend, resources, id_claims):
    now = int(time.time())
    access = {"sub": id_claims["sub"], "iss": resources.issuer, "client_id": resources.client_id,
              "token_use": "access", "scope": "openid email", "auth_time": now, "iat": now, "exp": now + 3600,
              "username": "okta_00u1alice0sandbox0x7"}
    with pytest.raises(IdTokenRejected, match=r"^token_use is 'access', expected 'id'"):
        backend.verify_token(sign(resources.user_pool_id, "access", access), nonce=NONCE)


def test_an_id_token_with_another_nonce_is_refused(backend, resources, id_claims):
    token = sign(resources.user_pool_id, "id", {**id_claims, "nonce": "replayed-nonce"})
    with pytest.raises(IdTokenRejected, match=r"^nonce does not match"):
        backend.verify_token(token, nonce=NONCE)


def test_an_id_token_without_a_nonce_is_refused_when_one_was_sent(backend, resources, id_claims):
    claims = {k: v for k, v in id_claims.items() if k != "nonce"}
    with pytest.raises(IdTokenRejected, match=r"^nonce does not match"):
        backend.verify_token(sign(resources.user_pool_id, "id", claims), nonce=NONCE)


def test_an_expired_id_token_is_refused_beyond_the_allowed_clock_skew(backend, resources, id_claims):
    now = int(time.time())
    token = sign(resources.user_pool_id, "id", {**id_claims, "iat": now - 7200, "exp": now - 600})
    with pytest.raises(IdTokenRejected, match=r"^ID token has expired"):
        backend.verify_token(token, nonce=NONCE)


def test_an_id_token_signed_with_a_key_not_in_the_pools_jwks_is_refused(backend, resources, id_claims):
    genuine = sign(resources.user_pool_id, "id", id_claims)
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(id_claims, forger, algorithm="RS256", headers={"kid": jwt.get_unverified_header(genuine)["kid"]})
    with pytest.raises(IdTokenRejected, match=r"^ID token signature or format is invalid"):
        backend.verify_token(forged, nonce=NONCE)


def test_an_unsigned_id_token_is_refused(backend, id_claims):
    unsigned = jwt.encode(id_claims, None, algorithm="none", headers={"kid": "x"})
    with pytest.raises(IdTokenRejected, match=r"alg is 'none', expected 'RS256'"):
        backend.verify_token(unsigned, nonce=NONCE)


def test_an_id_token_naming_a_key_the_pool_does_not_have_is_refused(backend, resources, id_claims):
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(id_claims, forger, algorithm="RS256", headers={"kid": "not-a-pool-key"})
    with pytest.raises(IdTokenRejected, match=r"^no key 'not-a-pool-key' in the pool's key set"):
        backend.verify_token(forged, nonce=NONCE)


# -- the signature and time checks: PyJWT's verdicts on the token's one cached parse ----------------------

OWN_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OWN_JWK = jwt.PyJWK.from_dict({**jwt.algorithms.RSAAlgorithm.to_jwk(OWN_KEY.public_key(), as_dict=True),
                               "kid": "own", "alg": "RS256"})
NOW = 1_800_000_000


def own_token(**claims) -> str:
    base = {"sub": "s", "iat": NOW, "exp": NOW + 3600}
    return jwt.encode({k: v for k, v in {**base, **claims}.items() if v is not None}, OWN_KEY, algorithm="RS256",
                      headers={"kid": "own"})


@pytest.mark.parametrize("token", [
    own_token(),
    own_token(exp=NOW - 30),  # expired, within the leeway
    own_token(exp=NOW - 61),  # expired beyond it
    own_token(exp=NOW - 60),  # exactly at its edge
    own_token(iat=NOW + 30),
    own_token(iat=NOW + 61),  # issued in the future
    own_token(nbf=NOW + 61),
    own_token(nbf=NOW + 30),
    own_token(exp=None),
    own_token(iat=None),
    own_token(exp="soon"),
    own_token(iat="then"),
    own_token(nbf=[1]),
    own_token(sub=7),
    own_token(jti=7),
    own_token(exp=float(NOW + 5)),
    own_token()[:-4] + ("AAAA" if not own_token().endswith("AAAA") else "BBBB"),  # a signature altered
    jwt.api_jws.encode(b"[1]", OWN_KEY, algorithm="RS256", headers={"kid": "own"}),  # claims not a JSON object
], ids=lambda t: t[-8:])
def test_the_signature_and_time_checks_give_pyjwts_own_verdicts(token, monkeypatch):
    from demo_site.oidc import id_token

    monkeypatch.setattr(jwt.api_jwt, "datetime", type("Frozen", (), {"now": staticmethod(
        lambda tz=None: __import__("datetime").datetime.fromtimestamp(NOW, tz))}))
    try:
        jwt.decode(token, OWN_JWK, algorithms=["RS256"], leeway=60,
                   options={"verify_aud": False, "verify_iss": False, "require": ["exp", "iat"]})
        expected = None
    except jwt.ExpiredSignatureError:
        expected = "ID token has expired (check the clocks: OIDC_CLOCK_SKEW_SECONDS)"
    except jwt.InvalidTokenError as exc:
        expected = f"ID token signature or format is invalid: {exc}"
    try:
        claims = id_token.decode_signed(token, OWN_JWK, leeway=60, now=NOW)
        got = None
    except IdTokenRejected as exc:
        got, claims = str(exc), None
    assert got == expected
    if got is None:
        assert claims == jwt.decode(token, options={"verify_signature": False})


def test_a_signature_refused_with_one_key_is_not_remembered_as_refused_for_the_right_one():
    from demo_site.oidc import id_token

    other = jwt.PyJWK.from_dict({**jwt.algorithms.RSAAlgorithm.to_jwk(
        rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key(), as_dict=True), "kid": "own"})
    token = own_token()
    with pytest.raises(IdTokenRejected, match="Signature verification failed"):
        id_token.decode_signed(token, other, leeway=60, now=NOW)
    assert id_token.decode_signed(token, OWN_JWK, leeway=60, now=NOW)["sub"] == "s"
    with pytest.raises(IdTokenRejected, match="Signature verification failed"):  # nor the other way round
        id_token.decode_signed(token, other, leeway=60, now=NOW)


def test_the_claims_handed_out_are_copies_so_the_cached_parse_stays_as_signed():
    from demo_site.oidc import id_token

    token = own_token()
    id_token.decode_signed(token, OWN_JWK, leeway=60, now=NOW)["sub"] = "someone else"
    assert id_token.decode_signed(token, OWN_JWK, leeway=60, now=NOW)["sub"] == "s"


@pytest.mark.parametrize("value", [["a.b.c"], {"id_token": "a.b.c"}, 7])
def test_an_id_token_that_is_not_a_string_is_refused_as_pyjwt_refuses_it(backend, value):
    # A token response is JSON: its id_token may be a list or an object, which a cache cannot even hash.
    with pytest.raises(IdTokenRejected, match=r"^ID token is not a JWT: Invalid token type"):
        backend.verify_token(value, nonce=NONCE)
    from demo_site.oidc.token_view import describe
    assert describe(value, "http://localhost:1/jwks.json")["signature"].startswith("not a JWT: Invalid token type")


def test_the_nested_claims_handed_out_are_copies_so_the_cached_parse_stays_as_signed():
    from demo_site.oidc import id_token

    token = own_token(aud=["app"], **{"cognito:groups": ["readers"]})
    claims = id_token.decode_signed(token, OWN_JWK, leeway=60, now=NOW)
    claims["aud"].append("another app")
    claims["cognito:groups"].append("admins")
    id_token.parsed(token)[1]["aud"].append("a third")
    again = id_token.decode_signed(token, OWN_JWK, leeway=60, now=NOW)
    assert (again["aud"], again["cognito:groups"]) == (["app"], ["readers"])
