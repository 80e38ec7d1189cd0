"""Hostile input, property-based: random, oversized and malformed parameters, bodies and headers against
every endpoint of the mock Okta, the hosted UI and the API invocation URL. Whatever comes in: no 5xx, no
traceback, the documented error shape, never a redirect to an unregistered URI, nothing echoed unescaped."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests
from hypothesis import HealthCheck, assume, given, settings as hsettings, strategies as st

from sandbox.config import settings

# Bounded so the whole module takes seconds; the sandbox is shared by the session.
BOUNDED = hsettings(max_examples=30, deadline=timedelta(seconds=8),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

OKTA_COGNITO_CLIENT = ("0oa1cognito0sandbox7", "sandbox-okta-cognito-secret")
OKTA_ADMIN = {"Authorization": "SSWS sandbox-okta-api-token"}
MARKUP = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>",
          "</textarea><b>bold</b>", "<iframe src=javascript:alert(1)>"]
TRACEBACK = re.compile(r'Traceback \(most recent call last\)|File "[^"]+\.py", line \d+')
# Cognito's authorize errors (authorization-endpoint docs) and RFC 6749 §4.1.2.1's; token errors §5.2.
AUTHORIZE_ERRORS = {"invalid_request", "unauthorized_client", "invalid_scope", "server_error",
                    "unsupported_response_type", "access_denied", "temporarily_unavailable", "invalid_client"}
TOKEN_ERRORS = {"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
                "unsupported_grant_type", "invalid_scope", "unsupported_token_type"}


# -- what we send ---------------------------------------------------------------------------------------

def _no_surrogates(max_size: int) -> st.SearchStrategy[str]:
    return st.text(st.characters(blacklist_categories=("Cs",)), max_size=max_size)


markup = st.builds(lambda a, m, b: a + m + b, _no_surrogates(8), st.sampled_from(MARKUP), _no_surrogates(8))
hostile = st.one_of(
    _no_surrogates(60), markup,
    st.sampled_from(["", "\x00", "%", "%zz", "%00", "../../etc/passwd", "' OR 1=1 --", "{\"a\":", "null", "[]",
                     "a" * 9000, "é" * 4000, "\u202e\ufeff", "Okta", "COGNITO", "code", "S256", "plain",
                     "openid", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Basic Og==", "Bearer "]),
)
# What http.client can put in a header: latin-1, no CR/LF, not starting with whitespace.
header_value = st.one_of(
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0xFF, blacklist_characters="\x7f"), max_size=80)
    .filter(lambda s: not s[:1].isspace() and not s[-1:].isspace()),
    st.sampled_from(["Bearer", "Bearer ", "Basic", "Basic !!!", "Basic Og==", "Bearer a.b.c", "Bearer " + "A" * 9000,
                     "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "SSWS x", "Negotiate abc"]),
    st.sampled_from(MARKUP),
)


def redirect_tricks(registered: str) -> st.SearchStrategy[str]:
    """The registered URI bent every way a redirect URI check gets wrong."""
    parts = urlsplit(registered)
    host, origin = parts.netloc, f"{parts.scheme}://{parts.netloc}"
    return st.sampled_from([
        registered + "extra", registered + "/../..", registered + "#frag", registered + "?next=http://evil.example",
        registered.rstrip("/"), registered + "/", registered.upper(), registered.replace("http://", "https://"),
        f"http://{host}@evil.example{parts.path}", f"http://evil.example@{host}{parts.path}",
        f"http://{host}.evil.example{parts.path}", f"http://evil.example/{host}{parts.path}",
        f"{origin}%2F%2Fevil.example", f"{origin}%40evil.example{parts.path}", quote(registered, safe=""),
        quote(quote(registered, safe=""), safe=""), f"{origin}\\@evil.example{parts.path}",
        f"//evil.example{parts.path}", f"javascript:alert(1)//{host}", f"data:text/html,<script>alert(1)</script>",
        f"http://{host}:1{parts.path}", f"http://127.0.0.1:{parts.port}{parts.path}", f" {registered}",
        registered + "\x00", registered + "%0d%0aSet-Cookie:x=1", registered + '"><script>alert(1)</script>',
        "http://evil.example" + parts.path, "",
    ])


def optional(valid, bad=hostile) -> st.SearchStrategy:
    """A parameter as the client should send it, missing, or hostile."""
    return st.one_of(st.just(valid), st.none(), bad)


def present(params: dict) -> dict:
    return {k: v for k, v in params.items() if v is not None}


# -- what must hold -------------------------------------------------------------------------------------

def assert_sane(response: requests.Response, sent) -> None:
    """No 5xx, no traceback, and no markup we sent reflected raw into an HTML page."""
    assert response.status_code < 500, (response.request.method, response.url[:200], response.status_code,
                                        response.text[:300])
    assert not TRACEBACK.search(response.text), response.text[:1000]
    if "html" in response.headers.get("Content-Type", ""):
        sent_text = " ".join(str(v) for v in sent)
        for payload in MARKUP:
            if payload in sent_text:
                assert payload not in response.text, (payload, response.text[:1000])


def target(location: str) -> str:
    """scheme://netloc/path of a redirect, the part a redirect URI check is about."""
    parts = urlsplit(location)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def query(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query, keep_blank_values=True).items()}


def assert_json_error(response: requests.Response, allowed: set[str]) -> None:
    assert "json" in response.headers.get("Content-Type", ""), response.headers
    assert response.json().get("error") in allowed, response.text[:300]


def too_large(response: requests.Response) -> bool:
    """The HTTP server refused the request line or body before any party saw it (RFC 9110 §15.5.14/15)."""
    return response.status_code in (413, 414, 431)


def assert_error_page(response: requests.Response) -> None:
    """Cognito's page for a bad client or redirect URI: never a redirect."""
    if too_large(response):
        return
    assert 400 <= response.status_code < 500, response.status_code
    assert "An error was encountered with the requested page" in response.text


# -- the hosted UI --------------------------------------------------------------------------------------

def ui(path: str) -> str:
    return settings().cognito_hosted_ui_url + path


def callback() -> str:
    return settings().demo_site_url + "/oidc/callback/"


def authorize_params(data, resources) -> dict:
    return present(data.draw(st.fixed_dictionaries({
        "client_id": optional(resources.client_id),
        "redirect_uri": st.one_of(st.just(callback()), st.none(), redirect_tricks(callback()), hostile),
        "response_type": optional("code"),
        "scope": optional("openid email profile"),
        "state": st.one_of(st.none(), hostile),
        "nonce": st.one_of(st.none(), hostile),
        "identity_provider": optional("Okta"),
        "idp_identifier": st.one_of(st.none(), hostile),
        "code_challenge": optional("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
        "code_challenge_method": optional("S256"),
        "prompt": st.one_of(st.none(), hostile),
    })))


def assert_authorize_outcome(response: requests.Response, params: dict, resources) -> None:
    """Onwards to /login or Okta, an error redirect to the registered URI, or the error page."""
    assert_sane(response, params.values())
    registered_pair = params.get("client_id") == resources.client_id and params.get("redirect_uri") == callback()
    if not response.is_redirect:
        assert_error_page(response) if response.status_code != 200 else None
        return
    location = response.headers["Location"]
    where = target(location)
    if where == callback():
        # facts.md: errors go back to the redirect URI only when it is the client's registered one.
        assert registered_pair, (params, location)
        assert query(location).get("error") in AUTHORIZE_ERRORS, location
        assert "code" not in query(location)
    elif where == ui("/error"):
        # An unknown client or an unregistered redirect URI: Cognito's own error page, never the URI.
        assert not registered_pair, (params, location)
        assert query(location) in ({"error": "redirect_mismatch", "client_id": resources.client_id},
                                   {"error": "invalid_request", "client_id": params.get("client_id")},
                                   {"error": "invalid_request"}), location
        assert_error_page(requests.get(location, allow_redirects=False, timeout=20))
    else:
        assert where in (ui("/login"), ui("/oauth2/authorize"), settings().okta_issuer + "/v1/authorize"), location
        assert registered_pair, (params, location)


@BOUNDED
@given(data=st.data())
def test_authorize_and_login_never_redirect_to_an_unregistered_uri(sandbox, resources, data):
    params = authorize_params(data, resources)
    path = data.draw(st.sampled_from(["/oauth2/authorize", "/login"]))
    response = requests.get(ui(path), params=params, allow_redirects=False, timeout=20)
    if path == "/login" and response.status_code == 200:
        assert_sane(response, params.values())
        assert params.get("client_id") == resources.client_id and params.get("redirect_uri") == callback()
        return
    assert_authorize_outcome(response, params, resources)


@pytest.mark.parametrize("trick", [
    "http://localhost:{demo_port}@evil.example/oidc/callback/", "{callback}#x", "{callback}extra",
    "https://evil.example/oidc/callback/", "{callback_quoted}"])
def test_a_tricked_redirect_uri_is_sent_to_cognitos_error_page_never_to_the_uri(sandbox, resources, trick):
    demo = urlsplit(settings().demo_site_url)
    uri = trick.format(demo_port=demo.port, callback=callback(), callback_quoted=quote(callback(), safe=""))
    response = requests.get(ui("/oauth2/authorize"), allow_redirects=False, timeout=10, params={
        "client_id": resources.client_id, "redirect_uri": uri, "response_type": "code", "scope": "openid",
        "state": MARKUP[0], "identity_provider": "Okta"})
    assert response.status_code == 302
    assert response.headers["Location"] == ui(f"/error?error=redirect_mismatch&client_id={resources.client_id}")
    page = requests.get(response.headers["Location"], allow_redirects=False, timeout=10)
    assert_error_page(page)
    assert MARKUP[0] not in page.text


@BOUNDED
@given(data=st.data())
def test_idpresponse_with_forged_codes_states_and_errors_never_fails_or_leaks(sandbox, resources, data):
    params = present(data.draw(st.fixed_dictionaries({
        "code": st.one_of(st.none(), hostile), "state": st.one_of(st.none(), hostile),
        "error": st.one_of(st.none(), st.sampled_from(["access_denied", "server_error"]), hostile),
        "error_description": st.one_of(st.none(), hostile)})))
    cookies = data.draw(st.dictionaries(st.sampled_from(["cognito_federation", "cognito_session", "x"]),
                                        st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E,
                                                              blacklist_characters=';,"\\'), max_size=60),
                                        max_size=2))
    method = data.draw(st.sampled_from(["GET", "POST"]))
    response = requests.request(method, ui("/oauth2/idpresponse"), allow_redirects=False, timeout=20,
                                **({"params": params} if method == "GET" else {"data": params}), cookies=cookies)
    assert_sane(response, params.values())
    if response.is_redirect:  # a forged state can't name a redirect URI, so only the registered one
        assert target(response.headers["Location"]) == callback(), response.headers["Location"]
    else:
        assert 400 <= response.status_code < 500


def token_form(data, resources) -> dict:
    return present(data.draw(st.fixed_dictionaries({
        "grant_type": optional("authorization_code", st.one_of(
            hostile, st.sampled_from(["refresh_token", "client_credentials", "password", "implicit"]))),
        "code": st.one_of(st.none(), hostile), "redirect_uri": st.one_of(st.none(), redirect_tricks(callback())),
        "code_verifier": st.one_of(st.none(), hostile), "refresh_token": st.one_of(st.none(), hostile),
        "client_id": optional(resources.client_id), "client_secret": st.one_of(st.none(), hostile),
        "scope": st.one_of(st.none(), hostile)})))


@BOUNDED
@given(data=st.data())
def test_token_endpoint_answers_garbage_with_an_rfc6749_json_error(sandbox, resources, data):
    form = token_form(data, resources)
    auth = data.draw(st.one_of(st.none(), st.just((resources.client_id, resources.client_secret)),
                               st.tuples(hostile.filter(lambda s: ":" not in s), hostile)))
    headers = data.draw(st.fixed_dictionaries({}, optional={
        "Authorization": header_value,
        "Content-Type": st.sampled_from(["application/json", "text/plain", "multipart/form-data",
                                         "application/x-www-form-urlencoded; charset=utf-7", "<b>x</b>"])}))
    if auth and "Authorization" in headers:
        auth = None  # one or the other
    response = requests.post(ui("/oauth2/token"), data=form, headers=headers, allow_redirects=False, timeout=20,
                             auth=tuple(a.encode("utf-8") for a in auth) if auth else None)
    assert_sane(response, [*form.values(), *headers.values()])
    if too_large(response):
        return
    assert response.status_code in (400, 401), (response.status_code, response.text[:300])
    assert_json_error(response, TOKEN_ERRORS)


def test_token_endpoint_refuses_an_oversized_body_with_a_client_error(sandbox, resources):
    response = requests.post(ui("/oauth2/token"), data={"grant_type": "authorization_code", "code": "x" * 3_000_000},
                             auth=(resources.client_id, resources.client_secret), timeout=30)
    assert 400 <= response.status_code < 500
    assert not TRACEBACK.search(response.text)


@BOUNDED
@given(authorization=st.one_of(st.none(), header_value), method=st.sampled_from(["GET", "POST"]))
def test_userinfo_answers_bad_tokens_with_www_authenticate(sandbox, authorization, method):
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = requests.request(method, ui("/oauth2/userInfo"), headers=headers, timeout=20)
    assert_sane(response, headers.values())
    if too_large(response):
        return
    assert response.status_code in (400, 401), response.status_code
    assert re.search(r'error="(invalid_request|invalid_token)"', response.headers.get("WWW-Authenticate", ""))


@BOUNDED
@given(data=st.data())
def test_logout_redirects_only_to_a_registered_logout_url(sandbox, resources, data):
    home = settings().demo_site_url + "/"
    params = present(data.draw(st.fixed_dictionaries({
        "client_id": optional(resources.client_id),
        "logout_uri": st.one_of(st.just(home), st.none(), redirect_tricks(home), hostile),
        "redirect_uri": st.one_of(st.none(), st.just(callback()), redirect_tricks(callback())),
        "response_type": st.one_of(st.none(), st.just("code"), hostile),
        "state": st.one_of(st.none(), hostile), "scope": st.one_of(st.none(), hostile)})))
    response = requests.get(ui("/logout"), params=params, allow_redirects=False, timeout=20)
    assert_sane(response, params.values())
    if response.is_redirect:
        where = target(response.headers["Location"])
        if where == ui("/error"):  # Cognito's own error page: a bad client, logout_uri or redirect_uri
            assert params.get("logout_uri") != home or params.get("client_id") != resources.client_id
            assert_error_page(requests.get(response.headers["Location"], allow_redirects=False, timeout=20))
            return
        assert params.get("client_id") == resources.client_id, params
        if where == home:
            assert params.get("logout_uri") == home
        elif where == callback():
            assert params.get("redirect_uri") == callback() and "error" in query(response.headers["Location"])
        else:  # signing in again: the authorize parameters, on to the login page or Okta
            assert where in (ui("/login"), ui("/oauth2/authorize"), settings().okta_issuer + "/v1/authorize")
            assert params.get("redirect_uri") == callback()
    else:
        assert_error_page(response)


@BOUNDED
@given(data=st.data())
def test_revoke_answers_garbage_with_a_json_error_or_200(sandbox, resources, data):
    form = present(data.draw(st.fixed_dictionaries({
        "token": st.one_of(st.none(), hostile), "client_id": optional(resources.client_id),
        "token_type_hint": st.one_of(st.none(), hostile)})))
    auth = data.draw(st.one_of(st.none(), st.just((resources.client_id, resources.client_secret)),
                               st.tuples(st.just(resources.client_id), hostile)))
    response = requests.post(ui("/oauth2/revoke"), data=form, timeout=20,
                             auth=tuple(a.encode("utf-8") for a in auth) if auth else None)
    assert_sane(response, form.values())
    if response.status_code != 200:  # RFC 7009 §2.2: an unknown token is still 200
        assert response.status_code in (400, 401)
        assert_json_error(response, TOKEN_ERRORS)


# -- the mock Okta --------------------------------------------------------------------------------------

def okta(path: str) -> str:
    return settings().okta_issuer + path


@BOUNDED
@given(data=st.data())
def test_okta_authorize_never_redirects_to_an_unregistered_uri(sandbox, data):
    registered = settings().cognito_hosted_ui_url + "/oauth2/idpresponse"
    params = present(data.draw(st.fixed_dictionaries({
        "client_id": optional(OKTA_COGNITO_CLIENT[0]),
        "redirect_uri": st.one_of(st.just(registered), st.none(), redirect_tricks(registered)),
        "response_type": optional("code"), "scope": optional("openid email profile"),
        "state": st.one_of(st.just("st"), st.none(), hostile), "nonce": st.one_of(st.just("n"), st.none(), hostile),
        "code_challenge_method": st.one_of(st.none(), hostile), "prompt": st.one_of(st.none(), hostile),
        "response_mode": st.one_of(st.none(), hostile)})))
    response = requests.get(okta("/v1/authorize"), params=params, allow_redirects=False, timeout=20)
    assert_sane(response, params.values())
    if response.is_redirect:
        assert target(response.headers["Location"]) == registered, response.headers["Location"]
        assert params.get("redirect_uri") == registered and params.get("client_id") == OKTA_COGNITO_CLIENT[0]
    elif not too_large(response):
        assert response.status_code in (200, 400)


@BOUNDED
@given(data=st.data())
def test_okta_back_channel_endpoints_answer_garbage_with_okta_errors(sandbox, data):
    endpoint = data.draw(st.sampled_from(["/v1/token", "/v1/introspect", "/v1/revoke", "/v1/userinfo"]))
    form = data.draw(st.dictionaries(st.sampled_from(["grant_type", "code", "redirect_uri", "code_verifier",
                                                      "refresh_token", "token", "token_type_hint", "client_id",
                                                      "client_secret", "scope"]), hostile, max_size=6))
    auth = data.draw(st.one_of(st.none(), st.just(OKTA_COGNITO_CLIENT), st.tuples(st.just(OKTA_COGNITO_CLIENT[0]),
                                                                                  hostile)))
    headers = data.draw(st.fixed_dictionaries({}, optional={"Authorization": header_value}))
    if auth and "Authorization" in headers:
        auth = None
    response = requests.post(okta(endpoint), data=form, headers=headers, timeout=20,
                             auth=tuple(a.encode("utf-8") for a in auth) if auth else None)
    assert_sane(response, [*form.values(), *headers.values()])
    if too_large(response):
        return
    if response.status_code >= 400 and endpoint != "/v1/userinfo":
        assert_json_error(response, TOKEN_ERRORS)
    elif response.status_code >= 400:
        assert "error=" in response.headers.get("WWW-Authenticate", "")


@BOUNDED
@given(data=st.data())
def test_okta_sign_in_form_logout_and_discovery_survive_garbage(sandbox, data):
    value = data.draw(hostile)
    choice = data.draw(st.sampled_from(["signin", "logout", "keys", "discovery"]))
    if choice == "signin":
        response = requests.post(settings().okta_public_url + "/login/signin", allow_redirects=False, timeout=20,
                                 data={"key": value, "username": data.draw(hostile), "password": data.draw(hostile)})
    elif choice == "logout":
        registered = settings().cognito_hosted_ui_url + "/logout"
        params = {"id_token_hint": value,
                  "post_logout_redirect_uri": data.draw(st.one_of(redirect_tricks(registered), hostile)),
                  "state": data.draw(hostile)}
        response = requests.get(okta("/v1/logout"), params=params, allow_redirects=False, timeout=20)
        if response.is_redirect:  # never to a URI the client did not register
            assert target(response.headers["Location"]) == registered
    else:
        path = "/v1/keys" if choice == "keys" else "/.well-known/openid-configuration"
        response = requests.get(okta(path), params={"client_id": value}, timeout=20)
        assert response.status_code == 200 or too_large(response)
    assert_sane(response, [value])


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | hostile,
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile, inner, max_size=4),
                           max_leaves=12)


@BOUNDED
@given(body=st.one_of(json_values, st.fixed_dictionaries({"profile": json_values, "credentials": json_values})),
       raw=st.one_of(st.none(), hostile))
def test_okta_users_api_answers_malformed_users_with_okta_error_codes(sandbox, body, raw):
    payload = raw.encode("utf-8") if raw is not None else json.dumps(body).encode()
    response = requests.post(settings().okta_public_url + "/api/v1/users", data=payload, timeout=20,
                             headers={**OKTA_ADMIN, "Content-Type": "application/json", "Accept": "application/json"})
    assert_sane(response, [raw, json.dumps(body)])
    if response.status_code >= 400 and not too_large(response):
        assert response.json().get("errorCode", "").startswith("E0000"), response.text[:300]


# -- the API invocation URL and the AWS endpoint's internal calls ----------------------------------------

@BOUNDED
@given(data=st.data())
def test_api_invocation_url_answers_garbage_with_api_gateway_errors(sandbox, resources, data):
    path = data.draw(st.one_of(st.sampled_from(["/profile", "/admin/profiles", "/public/ping", "/profile/x", "/",
                                                "//profile", "/PROFILE", "/%2e%2e/profile", "/profile%00"]),
                               hostile.map(lambda s: "/" + quote(s[:200], safe="/"))))
    method = data.draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]))
    headers = data.draw(st.fixed_dictionaries({}, optional={"Authorization": header_value,
                                                            "Content-Type": header_value}))
    body = data.draw(st.one_of(st.none(), hostile))
    response = requests.request(method, resources.api_url + path, headers=headers, timeout=20,
                                params=data.draw(st.dictionaries(hostile, hostile, max_size=3)),
                                data=body.encode("utf-8") if body is not None else None)
    assert_sane(response, [*headers.values(), body])
    # A client removes dot segments (RFC 3986 §5.2.4; urllib3 does) before sending: a drawn `../..` can
    # leave the invocation URL, and then the request is not one API Gateway's data plane answers.
    assume("/_user_request_/" in urlsplit(response.request.url).path)
    if response.status_code in (401, 403):
        assert response.headers.get("x-amzn-ErrorType"), response.headers
        if method != "HEAD":
            message = response.json()["message"]
            assert (message in ("Unauthorized", "Missing Authentication Token", "The incoming token has expired",
                                "Forbidden")
                    or response.headers["x-amzn-ErrorType"] == "IncompleteSignatureException"
                    and ("not a valid key=value pair" in message or "Authorization header requires" in message)), \
                response.text
    if path in ("/profile", "/admin/profiles") and method == "GET":
        assert response.status_code == 401  # no valid token can come out of these strategies


def test_a_doubled_slash_in_the_api_path_gets_an_api_gateway_error_not_moto(sandbox, resources):
    response = requests.get(resources.api_url + "//profile", timeout=10)
    assert response.status_code in (401, 403)
    assert response.json()["message"] in ("Unauthorized", "Missing Authentication Token")
    assert response.headers.get("x-amzn-ErrorType")


def test_a_malformed_authorization_header_on_any_aws_path_is_refused_not_a_server_error(sandbox, resources):
    for url in (resources.api_url + "//profile", settings().aws_endpoint_url + "/"):
        response = requests.get(url, headers={"Authorization": "0"}, timeout=10)
        assert 400 <= response.status_code < 500, (url, response.status_code)
        assert not TRACEBACK.search(response.text)


@BOUNDED
@given(body=st.one_of(json_values, st.fixed_dictionaries({"token_use": st.one_of(st.sampled_from(["id", "access"]),
                                                                                  hostile),
                                                          "claims": json_values})))
def test_internal_sign_endpoint_answers_malformed_bodies_without_a_server_error(sandbox, resources, body):
    response = requests.post(f"{settings().aws_endpoint_url}/_sandbox/cognito-idp/{resources.user_pool_id}/sign",
                             json=body, timeout=20)
    assert_sane(response, [])
    assert response.status_code in (200, 400), response.status_code
