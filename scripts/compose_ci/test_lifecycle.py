"""The stack's lifecycle with the browser's session held: `docker compose down` then `up`, and
`docker compose restart aws`. The state (the user pool, the app client, the user, her DynamoDB record) and
the demo site's session survive both; every service's health check is true again before the next sign-in."""

from __future__ import annotations

import json
import subprocess
import time

from conftest import DEMO, compose, expect_alices_profile, sign_in


def test_after_down_and_up_the_held_session_still_opens_alices_profile(page):
    page.goto(DEMO + "/profile/")
    expect_alices_profile(page)
    compose("down", "--timeout", "10")
    compose("up", "--wait")
    page.goto(DEMO + "/profile/")  # no sign-in: the session cookie the browser held
    assert page.url == DEMO + "/profile/", page.url
    expect_alices_profile(page)


def test_after_restarting_the_aws_endpoint_the_session_holds_and_a_new_sign_in_works(page):
    compose("restart", "aws")
    compose("up", "--wait")  # every service healthy again (their health checks look at their dependencies)
    page.goto(DEMO + "/profile/")
    assert page.url == DEMO + "/profile/", page.url
    expect_alices_profile(page)
    page.click("#sign-out")
    page.wait_for_url(DEMO + "/")
    sign_in(page)
    expect_alices_profile(page)


def health(service: str) -> str:
    """Docker's health status of the service's container (its compose health check's verdict)."""
    container = compose("ps", "-q", service).strip()
    state = subprocess.run(["docker", "inspect", container], capture_output=True, text=True, check=True)
    return json.loads(state.stdout)[0]["State"]["Health"]["Status"]


def test_after_the_aws_endpoint_restarts_empty_the_hosted_ui_and_the_demo_site_are_unhealthy():
    compose("stop", "aws")
    compose("run", "--rm", "--no-deps", "aws", "sh", "-c", "rm -rf /state/aws-*")  # its saved state gone
    compose("start", "aws")
    deadline = time.monotonic() + 60  # three failed checks, 2 s apart, once the pool is found gone
    while {health("cognito"), health("demo")} != {"unhealthy"} and time.monotonic() < deadline:
        time.sleep(1)  # the poll's interval
    assert (health("aws"), health("cognito"), health("demo")) == ("healthy", "unhealthy", "unhealthy")
