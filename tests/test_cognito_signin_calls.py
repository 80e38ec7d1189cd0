"""What one federated sign-in asks the AWS endpoint for, step by step: a returning user's sign-in reads the
pool's change counters once per request and no configuration, user or groups it already read; a change
made through the AWS API in between is still read on the next request (hosted_ui/live.py).

The hosted UI here is a second instance in the test process (the sandbox's own settings, domain and
pool), its AWS calls counted on their way to the real AWS endpoint; Okta is the sandbox's. The rule for
the hosted UI's own writes (live.wrote_user) is also checked alone, against an AWS endpoint written here
(PoolUsers), where the order of writes and reads across two requests can be set exactly."""

from __future__ import annotations

import base64
import contextvars
from dataclasses import replace
from urllib.parse import urlencode, urlsplit

import jwt
import pytest
from werkzeug.test import Client

from hosted_ui.app import create_app
from hosted_ui.live import Live
from hosted_ui.settings import settings as hosted_ui_settings
from sandbox.aws import client
from sandbox.testing import browser as testing
from tests.functions_cognito.browser import authorize_params, new_okta_user, pkce_pair, query


class CountedCalls:
    """Every AWS call the hosted UI makes (API operations by name, internal calls by their last path
    segment), made for real."""

    def __init__(self, aws):
        self.calls: list[str] = []
        cognito, get_json, internal = aws.cognito, aws.get_json, aws.internal
        aws.cognito = lambda: _Recording(cognito(), self.calls)
        aws.get_json = lambda path: (self.calls.append(path.rsplit("/", 1)[-1]), get_json(path))[1]
        aws.internal = lambda path, body: (self.calls.append(path.rsplit("/", 1)[-1]), internal(path, body))[1]

    def taken(self) -> list[str]:
        taken, self.calls[:] = list(self.calls), []
        return taken


class _Recording:
    def __init__(self, inner, calls: list[str]):
        self._inner, self._calls = inner, calls

    def __getattr__(self, operation: str):
        call = getattr(self._inner, operation)

        def recorded(**kwargs):
            self._calls.append(operation)
            return call(**kwargs)
        return recorded


@pytest.fixture
def hosted_ui(sandbox):
    app = create_app(hosted_ui_settings())
    return app, CountedCalls(app.ctx.aws)


def signed_in(app, counted: CountedCalls, resources, login: str, before_token=lambda: None) -> tuple[dict, object]:
    """One sign-in through this hosted UI, `before_token` run between idpresponse and the token request:
    ({step: its AWS calls}, the token endpoint's answer)."""
    ui, steps = Client(app), {}
    verifier, challenge = pkce_pair()
    params = authorize_params(resources, code_challenge=challenge, code_challenge_method="S256")
    to_okta = ui.get("/oauth2/authorize?" + urlencode(params))
    steps["authorize"] = counted.taken()
    assert to_okta.status_code == 302, to_okta.text
    idp_response = hosted_ui_settings().idp_response_url()
    with testing.Browser() as okta:
        back = okta.open(to_okta.headers["Location"], login,
                         stop_before=lambda url: url.startswith(idp_response)).stopped_before
    assert back, "Okta did not send the browser back to the hosted UI"
    split = urlsplit(back)
    to_client = ui.get(f"{split.path}?{split.query}")
    steps["idpresponse"] = counted.taken()
    assert to_client.status_code == 302, to_client.text
    code = query(to_client.headers["Location"])["code"]
    before_token()
    basic = base64.b64encode(f"{resources.client_id}:{resources.client_secret}".encode()).decode()
    token = ui.post("/oauth2/token", headers={"Authorization": f"Basic {basic}"},
                    data={"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
                          "redirect_uri": params["redirect_uri"]})
    steps["token"] = counted.taken()
    return steps, token


def test_a_returning_sign_in_reads_the_counters_once_per_request_and_no_user_or_groups(hosted_ui, resources):
    app, counted = hosted_ui
    okta = new_okta_user("Rita", "Returning")
    signed_in(app, counted, resources, okta.login)  # the first: reads the pool, creates the user
    steps, token = signed_in(app, counted, resources, okta.login)
    assert token.status_code == 200, token.text
    assert steps == {"authorize": ["changes"],
                     "idpresponse": ["changes", "admin_update_user_attributes"],  # the mapped attributes
                     "token": ["changes", "sign-tokens"]}


def test_a_group_added_through_the_api_before_the_token_request_is_in_its_tokens(hosted_ui, resources):
    app, counted = hosted_ui
    okta = new_okta_user("Gus", "Grouped")
    idp = client("cognito-idp")
    idp.create_group(UserPoolId=resources.user_pool_id, GroupName="late-joiners")
    try:
        signed_in(app, counted, resources, okta.login)
        steps, token = signed_in(app, counted, resources, okta.login, before_token=lambda: idp.admin_add_user_to_group(
            UserPoolId=resources.user_pool_id, Username=okta.username, GroupName="late-joiners"))
    finally:
        idp.delete_group(UserPoolId=resources.user_pool_id, GroupName="late-joiners")
    assert token.status_code == 200, token.text
    assert steps["token"] == ["changes", "admin_get_user", "admin_list_groups_for_user", "sign-tokens"]
    access = jwt.decode(token.json["access_token"], options={"verify_signature": False})
    assert "late-joiners" in access["cognito:groups"]


def test_a_user_disabled_through_the_api_before_the_token_request_gets_no_tokens(hosted_ui, resources):
    app, counted = hosted_ui
    okta = new_okta_user("Dora", "Disabled")
    signed_in(app, counted, resources, okta.login)
    _, token = signed_in(app, counted, resources, okta.login, before_token=lambda: client("cognito-idp").admin_disable_user(
        UserPoolId=resources.user_pool_id, Username=okta.username))
    assert token.status_code == 400 and token.json["error"] == "invalid_grant", token.text


class PoolUsers:
    """The answers hosted_ui.live needs from the AWS endpoint for these cases, written by the test:
    the pool's counters (changes.py's shape), DescribeUserPool, and AdminGetUser, whose calls are counted."""

    def __init__(self):
        self.writes, self.given, self.reads = 5, {"ann": "Ann", "wes": "Wes"}, []

    def write(self, username: str, given: str) -> None:
        self.given[username], self.writes = given, self.writes + 1

    def get_json(self, path: str) -> dict:
        return {"config": "boot.0.1", "users": f"boot.0.{self.writes}"}

    def cognito(self):
        return self

    def describe_user_pool(self, UserPoolId: str) -> dict:  # noqa: N803 (boto3's names)
        return {"UserPool": {"Id": UserPoolId}}

    def admin_get_user(self, UserPoolId: str, Username: str) -> dict:  # noqa: N803
        self.reads.append(Username)
        return {"Username": Username, "UserStatus": "EXTERNAL_PROVIDER",
                "UserAttributes": [{"Name": "sub", "Value": Username}, {"Name": "given_name", "Value": self.given[Username]}]}


def kept_reads() -> tuple[Live, PoolUsers]:
    aws = PoolUsers()
    return Live(replace(hosted_ui_settings(), keep_reads=True), aws), aws


def given(live, username: str) -> str:
    return live.user("pool", username).attributes["given_name"]


def wrote(live, aws, username: str, name: str) -> None:
    """The hosted UI's own write of `username` inside the current request."""
    aws.write(username, name)
    user = live.user("pool", username)
    live.wrote_user("pool", replace(user, attributes={**user.attributes, "given_name": name}))


def test_after_its_own_write_alone_the_next_request_reads_no_user():
    live, aws = kept_reads()
    with live.request_scope():
        assert (given(live, "ann"), given(live, "wes")) == ("Ann", "Wes")
        wrote(live, aws, "ann", "Anna")
    with live.request_scope():
        assert (given(live, "ann"), given(live, "wes")) == ("Anna", "Wes")
    assert aws.reads == ["ann", "wes"]


def test_after_its_own_write_and_another_the_next_request_reads_again():
    live, aws = kept_reads()
    with live.request_scope():
        given(live, "ann"), given(live, "wes")
        wrote(live, aws, "ann", "Anna")
    aws.write("wes", "Wyn")
    with live.request_scope():
        assert (given(live, "ann"), given(live, "wes")) == ("Anna", "Wyn")
    assert aws.reads == ["ann", "wes", "ann", "wes"]


def test_a_request_that_asked_the_counters_before_the_write_returned_takes_no_claim_from_it():
    live, aws = kept_reads()
    with live.request_scope():
        given(live, "ann"), given(live, "wes")
    other, scope = contextvars.Context(), live.request_scope()
    with live.request_scope():
        given(live, "ann")
        aws.write("wes", "Wyn")  # someone else's write lands first: the counter is one more...
        other.run(scope.__enter__)
        other.run(live.pool, "pool")  # ...when another request asks for it (reading no user yet)
        wrote(live, aws, "ann", "Anna")  # this write makes it two more, but claims "one more"
    assert other.run(given, live, "wes") == "Wyn"  # the claim would say Wes
    other.run(scope.__exit__, None, None, None)
