"""The fixtures (pytest11 entry point `wf05`).

    wf05_sandbox        session: a running sandbox (URLs, .resources, .env, .aws_client(), .flow_events())
    wf05_resources      session: the provisioned ids (user pool, app clients, issuer, API URL, table, functions)
    wf05_okta_user      a factory: a new, active Okta user (the Users API), password "Passw0rd!"
    wf05_sign_in        a full sign-in of an OIDC client through the hosted UI and Okta: tokens and flow id
    wf05_demo_client    session: the demo site's app client (client id, secret, callback URL)
    wf05_app_client     a factory: register an app client for your app's callback URL(s)
    wf05_browser        a cookie-carrying browser for your app: .sign_in_app(start_url, user), .session
    wf05_flow_events    events recorded under a flow id: (flow_id, steps=("e", "m")) -> [event, ...]

Where the sandbox is: WF05_SANDBOX_ROOT or the ini option `wf05_root` (its checkout); its interpreter
WF05_SANDBOX_PYTHON / `wf05_python` (default: the checkout's .venv). Each session (each pytest-xdist
worker) starts its own on free ports from WF05_PORT_OFFSET / `wf05_port_offset` (default 15000), unless
WF05_SANDBOX_OFFSET names the offset of one already running. `wf05_sandbox_env` (ini, lines KEY=VALUE)
passes settings to a started sandbox, e.g. SANDBOX_PRESIGNUP_SOURCE=lambdas/presignup (a relative folder
is taken from your project's root).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from pytest_wf05 import okta, sandbox as sandboxes
from pytest_wf05.signin import AppClient, Browser, sign_in_client

DEFAULT_PORT_OFFSET = 15000


def pytest_addoption(parser):
    parser.addini("wf05_root", "the sandbox's checkout (or WF05_SANDBOX_ROOT)")
    parser.addini("wf05_python", "the sandbox's interpreter (or WF05_SANDBOX_PYTHON; default its .venv)")
    parser.addini("wf05_port_offset", f"first port offset tried (or WF05_PORT_OFFSET; default {DEFAULT_PORT_OFFSET})")
    parser.addini("wf05_sandbox_env", "settings for a started sandbox, one KEY=VALUE a line", type="linelist")


def _setting(config, env_name: str, ini_name: str) -> str | None:
    return os.environ.get(env_name) or config.getini(ini_name) or None


def _sandbox_env(config) -> dict[str, str]:
    env = {}
    for line in config.getini("wf05_sandbox_env"):
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if key.endswith("_SOURCE") and value and not Path(value).expanduser().is_absolute():
            value = str((config.rootpath / value).resolve())
        env[key] = value
    return env


@pytest.fixture(scope="session")
def wf05_sandbox(request, tmp_path_factory):
    config = request.config
    root = sandboxes.checkout(_setting(config, "WF05_SANDBOX_ROOT", "wf05_root"))
    python = sandboxes.interpreter(root, _setting(config, "WF05_SANDBOX_PYTHON", "wf05_python"))
    running_offset = os.environ.get("WF05_SANDBOX_OFFSET")
    if running_offset:
        yield sandboxes.running(root, python, int(running_offset))
        return
    base = int(_setting(config, "WF05_PORT_OFFSET", "wf05_port_offset") or DEFAULT_PORT_OFFSET)
    work = tmp_path_factory.mktemp("wf05")
    started = sandboxes.start(root, python, work / "state", base, work / "logs", _sandbox_env(config))
    yield started
    started.stop()


@pytest.fixture(scope="session")
def wf05_resources(wf05_sandbox) -> dict:
    return wf05_sandbox.resources


@pytest.fixture
def wf05_okta_user(wf05_sandbox):
    def create(login: str | None = None, password: str = okta.PASSWORD, first_name: str = "Test",
               last_name: str = "User") -> okta.OktaUser:
        return okta.create_user(wf05_sandbox.urls.okta, wf05_sandbox.okta_api_token, login, password, first_name,
                                last_name)

    return create


@pytest.fixture(scope="session")
def wf05_demo_client(wf05_sandbox) -> AppClient:
    res = wf05_sandbox.resources
    return AppClient(res["client_id"], res["client_secret"], (f"{wf05_sandbox.urls.demo_site}/oidc/callback/",),
                     ("openid", "email", "profile", f"{res['resource_server']}/profile.read"))


@pytest.fixture
def wf05_sign_in(wf05_sandbox, wf05_okta_user, wf05_demo_client):
    """sign_in(user=None, client=None, scopes=None) -> SignIn (tokens, flow_id); a new Okta user by default,
    the demo site's client by default (its redirect URI is not opened: the code is taken from it)."""
    def sign_in(user: okta.OktaUser | None = None, client: AppClient | None = None, scopes=None):
        return sign_in_client(wf05_sandbox.urls.cognito, wf05_sandbox.resources["identity_provider"],
                              client or wf05_demo_client, user or wf05_okta_user(), scopes)

    return sign_in


@pytest.fixture(scope="session")
def wf05_app_client(wf05_sandbox):
    """register(callback_urls, logout_urls=()) -> AppClient: an app client of the pool for your app, with the
    demo client's OAuth settings (code flow, scopes, the Okta IdP), created through the Cognito API and
    deleted at the end of the session (a shared sandbox keeps only its own clients)."""
    cognito = wf05_sandbox.aws_client("cognito-idp")
    created_ids = []
    pool = wf05_sandbox.resources["user_pool_id"]
    template = cognito.describe_user_pool_client(UserPoolId=pool, ClientId=wf05_sandbox.resources["client_id"])[
        "UserPoolClient"]

    def register(callback_urls, logout_urls=()) -> AppClient:
        created = cognito.create_user_pool_client(
            UserPoolId=pool, ClientName=f"pytest-wf05-{uuid.uuid4().hex[:8]}", GenerateSecret=True,
            CallbackURLs=list(callback_urls), LogoutURLs=list(logout_urls) or list(callback_urls),
            AllowedOAuthFlows=template["AllowedOAuthFlows"], AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthScopes=template["AllowedOAuthScopes"],
            SupportedIdentityProviders=template["SupportedIdentityProviders"],
            ExplicitAuthFlows=template.get("ExplicitAuthFlows", ["ALLOW_REFRESH_TOKEN_AUTH"]),
            **{key: template[key] for key in ("ReadAttributes", "WriteAttributes") if template.get(key)})["UserPoolClient"]
        created_ids.append(created["ClientId"])
        return AppClient(created["ClientId"], created["ClientSecret"], tuple(callback_urls),
                         tuple(template["AllowedOAuthScopes"]))

    yield register
    for client_id in created_ids:
        cognito.delete_user_pool_client(UserPoolId=pool, ClientId=client_id)


@pytest.fixture
def wf05_browser(wf05_sandbox):
    browser = Browser(wf05_sandbox.urls.cognito, wf05_sandbox.resources["identity_provider"])
    yield browser
    browser.session.close()


@pytest.fixture
def wf05_flow_events(wf05_sandbox):
    return wf05_sandbox.flow_events
