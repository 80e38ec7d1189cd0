"""Health checks that tell the truth (compose.yaml's health checks call these): a part whose dependency is
gone answers 503 with the reason, not 200."""

from __future__ import annotations

import dataclasses
import json

import requests
from botocore.exceptions import EndpointConnectionError
from django.test import override_settings
from werkzeug.wrappers import Request

from demo_site import health as demo_health
from hosted_ui import views as hosted_ui_views
from hosted_ui.context import HostedUI
from hosted_ui.settings import settings as hosted_ui_settings
from sandbox.config import settings


def test_the_demo_site_is_healthy_while_its_app_client_exists_with_the_secret_it_holds(resources):
    answer = requests.get(settings().demo_site_url + "/health", timeout=10)
    assert answer.status_code == 200 and answer.json() == {"status": "ok", "service": "demo"}
    with override_settings(COGNITO_USER_POOL_ID=resources.user_pool_id, OIDC_RP_CLIENT_ID=resources.client_id,
                           OIDC_RP_CLIENT_SECRET=resources.client_secret):
        assert demo_health.problem() == ""


def test_the_demo_site_is_unhealthy_when_its_user_pool_is_gone(resources):
    # What the demo site sees after the AWS endpoint restarted empty: its pool id names no pool.
    with override_settings(COGNITO_USER_POOL_ID="us-east-1_Gone00000", OIDC_RP_CLIENT_ID=resources.client_id,
                           OIDC_RP_CLIENT_SECRET=resources.client_secret):
        assert "ResourceNotFoundException" in demo_health.problem()


def test_the_demo_site_is_unhealthy_when_its_app_client_has_another_secret(resources):
    # Provisioned again: the same ids (moto's stable ids), a new secret; every token call would fail.
    with override_settings(COGNITO_USER_POOL_ID=resources.user_pool_id, OIDC_RP_CLIENT_ID=resources.client_id,
                           OIDC_RP_CLIENT_SECRET="not-the-secret"):
        assert "another client secret" in demo_health.problem()


def test_the_demo_sites_health_answers_503_with_the_reason_when_it_cannot_sign_anyone_in(resources, client):
    with override_settings(COGNITO_USER_POOL_ID=resources.user_pool_id, OIDC_RP_CLIENT_ID=resources.client_id,
                           OIDC_RP_CLIENT_SECRET="not-the-secret", ALLOWED_HOSTS=["*"]):
        answer = client.get("/health")
    assert answer.status_code == 503
    assert answer.json()["status"] == "unavailable" and "another client secret" in answer.json()["reason"]


def test_the_hosted_ui_is_healthy_while_its_domain_and_the_domains_user_pool_exist(resources):
    answer = requests.get(settings().cognito_hosted_ui_url + "/health", timeout=10)
    body = answer.json()
    state = body.pop("state")  # how far its saved state is (sandbox/state.py)
    assert answer.status_code == 200 and body == {"status": "ok", "service": "cognito-hosted-ui"}
    assert 0 <= state["flushed"] <= state["generation"]


def test_the_hosted_ui_is_unhealthy_when_its_domain_is_gone(resources):
    # What the hosted UI sees after the AWS endpoint restarted empty: no domain, no pool.
    ctx = HostedUI.build(dataclasses.replace(hosted_ui_settings(), domain="no-such-domain-here"))
    answer = hosted_ui_views.health(ctx, Request.from_values("/health"))
    assert answer.status_code == 503
    assert json.loads(answer.get_data()) == {"status": "unavailable", "service": "cognito-hosted-ui",
                                             "reason": "the user pool domain no-such-domain-here does not exist"}


def test_the_hosted_ui_health_tries_the_aws_endpoint_once_and_answers_503_when_it_does_not_answer():
    # As while the sandbox starts and the AWS endpoint does not serve yet: one attempt, then the reason
    # (the shared client's retries would back off for a second or more before a health check answers).
    ctx = HostedUI.build(hosted_ui_settings())
    sent = []

    def refuse(request, **kwargs):
        sent.append(request.url)
        raise EndpointConnectionError(endpoint_url=request.url)

    ctx.aws.health_cognito().meta.events.register("before-send", refuse)
    answer = hosted_ui_views.health(ctx, Request.from_values("/health"))
    assert answer.status_code == 503 and len(sent) == 1
    assert json.loads(answer.get_data())["reason"].startswith("the AWS endpoint did not answer: Could not connect")
