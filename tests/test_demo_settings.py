"""The demo site's settings: ids found by name through the AWS API when left empty, the issuer and key
set derived from the pool, one database per port, and seed step b's second form (straight to Okta)."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from demo_site.resources import adopt, resolve_missing
from sandbox.config import port_of
from sandbox.config import settings as sandbox_settings


# Read at collection, before pytest-django points DATABASES at a test database for django_db tests.
DEMO_DATABASE = django_settings.DATABASES["default"]["NAME"]


def empty_settings(**overrides) -> SimpleNamespace:
    values = dict(COGNITO_USER_POOL_ID="", OIDC_RP_CLIENT_ID="", OIDC_RP_CLIENT_SECRET="", API_URL="",
                  COGNITO_APP_CLIENT_NAME="demo-site", COGNITO_ISSUER="", OIDC_OP_JWKS_ENDPOINT="",
                  API_BACKCHANNEL_URL="")
    values.update(overrides)
    return SimpleNamespace(**values)


def test_empty_ids_are_found_by_name_through_the_aws_api(resources):
    conf = empty_settings()
    resolve_missing(conf)
    assert conf.COGNITO_USER_POOL_ID == resources.user_pool_id
    assert (conf.OIDC_RP_CLIENT_ID, conf.OIDC_RP_CLIENT_SECRET) == (resources.client_id, resources.client_secret)
    assert conf.API_URL == resources.api_url
    assert conf.COGNITO_ISSUER == resources.issuer
    assert conf.OIDC_OP_JWKS_ENDPOINT == resources.issuer + "/.well-known/jwks.json"
    assert requests.get(conf.OIDC_OP_JWKS_ENDPOINT, timeout=10).json()["keys"]


def test_ids_set_in_the_environment_are_kept(resources):
    conf = empty_settings(OIDC_RP_CLIENT_ID="fromenv", OIDC_RP_CLIENT_SECRET="secretfromenv",
                          API_URL="https://abc.execute-api.eu-west-1.amazonaws.com/dev")
    resolve_missing(conf)
    assert (conf.OIDC_RP_CLIENT_ID, conf.OIDC_RP_CLIENT_SECRET) == ("fromenv", "secretfromenv")
    assert conf.API_URL == "https://abc.execute-api.eu-west-1.amazonaws.com/dev"


def test_an_unknown_app_client_name_fails_with_the_settings_to_set(resources):
    with pytest.raises(ImproperlyConfigured, match="no app client named 'nope'.*set OIDC_RP_CLIENT_ID"):
        resolve_missing(empty_settings(COGNITO_APP_CLIENT_NAME="nope"))


def test_the_database_file_is_per_port_and_cookies_are_prefixed():
    assert DEMO_DATABASE.endswith(f"demo-{port_of(sandbox_settings().demo_site_url)}.sqlite3")
    assert (django_settings.SESSION_COOKIE_NAME, django_settings.CSRF_COOKIE_NAME) == ("demo_sessionid", "demo_csrftoken")


def test_the_client_secret_goes_in_a_basic_header_with_pkce_s256_and_a_nonce():
    assert django_settings.OIDC_TOKEN_USE_BASIC_AUTH is True
    assert django_settings.OIDC_USE_PKCE is True and django_settings.OIDC_PKCE_CODE_CHALLENGE_METHOD == "S256"
    assert django_settings.OIDC_USE_NONCE is True and django_settings.OIDC_RP_SIGN_ALGO == "RS256"


def test_with_identity_provider_okta_cognito_sends_the_browser_straight_to_okta(client, settings, resources):
    settings.COGNITO_IDENTITY_PROVIDER = "Okta"
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"  # no database needed here
    settings.OIDC_RP_CLIENT_ID = resources.client_id
    demo = urlsplit(settings.DEMO_SITE_URL)
    start = client.get("/oidc/authenticate/", HTTP_HOST=demo.netloc)
    assert start.status_code == 302
    assert parse_qs(urlsplit(start["Location"]).query)["identity_provider"] == ["Okta"]
    at_cognito = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_cognito.status_code == 302
    assert at_cognito.headers["Location"].startswith(sandbox_settings().okta_issuer + "/v1/authorize?")


def test_the_pages_url_function_answers_as_djangos_reverse_under_any_script_prefix():
    from django.urls import reverse, set_script_prefix

    from demo_site.jinja2env import url

    try:
        for prefix in ("/", "/app/", "/"):
            set_script_prefix(prefix)
            assert url("profile") == reverse("profile") == prefix + "profile/"
            assert url("oidc_logout") == reverse("oidc_logout")
    finally:
        set_script_prefix("/")


def test_what_the_sandbox_command_provisioned_is_what_the_demo_site_would_find_by_name(resources):
    found, handed = empty_settings(), empty_settings()
    resolve_missing(found)
    adopt(handed, resources.as_dict())
    resolve_missing(handed)  # finds nothing more, derives the issuer and URLs
    assert vars(handed) == vars(found)
    assert handed.SANDBOX_FOUND == ("COGNITO_USER_POOL_ID", "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "API_URL",
                                    "COGNITO_ISSUER", "OIDC_OP_JWKS_ENDPOINT", "API_BACKCHANNEL_URL")


def test_the_handed_over_ids_leave_what_the_environment_set_and_another_app_client_to_be_found(resources):
    conf = empty_settings(API_URL="https://abc.execute-api.eu-west-1.amazonaws.com/dev", COGNITO_APP_CLIENT_NAME="nope")
    adopt(conf, resources.as_dict())
    assert conf.API_URL == "https://abc.execute-api.eu-west-1.amazonaws.com/dev"
    assert conf.COGNITO_USER_POOL_ID == resources.user_pool_id
    assert (conf.OIDC_RP_CLIENT_ID, conf.OIDC_RP_CLIENT_SECRET) == ("", "")  # not the demo-site client: found by name
    with pytest.raises(ImproperlyConfigured, match="no app client named 'nope'"):
        resolve_missing(conf)


def test_the_handed_over_api_url_comes_from_this_runs_settings_not_the_saved_record(resources):
    # The saved record's URL was built from the AWS_PUBLIC_URL of the run that provisioned.
    from sandbox.aws_urls import api_invoke_url

    saved = {**resources.as_dict(), "api_url": "http://stale-host:4566/restapis/old/dev/_user_request_"}
    conf = empty_settings()
    adopt(conf, saved)
    assert conf.API_URL == api_invoke_url(resources.api_id, resources.api_stage) != saved["api_url"]
