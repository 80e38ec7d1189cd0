"""compose.yaml is a valid Compose file (checked against the Compose specification's JSON schema, vendored
in tests/data/) with the start order, health checks and channels the sandbox needs."""

from __future__ import annotations

import copy
import json
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml

from tests.sandbox_process import ROOT

SCHEMA = json.loads((ROOT / "tests" / "data" / "compose_spec.json").read_text())
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
# The schema declares draft 2019-09 (with a trailing "#" jsonschema does not resolve): name it explicitly.
Validator = jsonschema.Draft201909Validator


def errors(doc: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in Validator(SCHEMA).iter_errors(doc)]


def test_the_vendored_schema_is_itself_a_valid_json_schema():
    Validator.check_schema(SCHEMA)
    assert SCHEMA["title"] == "Compose Specification"


def test_compose_yaml_is_valid_against_the_compose_specification():
    assert errors(COMPOSE) == []


@pytest.mark.parametrize("breakage, where", [
    (lambda d: d["services"]["demo"]["depends_on"]["cognito"].update(condition="service_ready"), "depends_on"),
    (lambda d: d["services"]["aws"].update(ports="4566:4566"), "ports"),
    (lambda d: d["services"]["okta"]["healthcheck"].update(retries="many"), "retries"),
    (lambda d: d["services"]["cognito"].update(depends_on_typo=["aws"]), "depends_on_typo"),
])
def test_a_broken_compose_file_is_rejected_by_the_schema(breakage, where):
    doc = copy.deepcopy(COMPOSE)
    breakage(doc)
    problems = errors(doc)
    assert problems and any(where in p for p in problems), problems


def test_there_is_one_service_per_party_and_a_one_shot_provision():
    assert set(COMPOSE["services"]) == {"aws", "provision", "okta", "cognito", "demo"}
    for name in ("aws", "okta", "cognito", "demo"):
        assert COMPOSE["services"][name]["command"][2:5] == ["sandbox", "--parts", name]
    assert COMPOSE["services"]["provision"]["command"][1:] == ["manage.py", "provision"]


def test_every_service_runs_under_an_init_that_reaps_the_orphans_it_inherits():
    # A Lambda template that ends leaves its environments to PID 1; the sandbox as PID 1 never reaps them.
    assert {name: service.get("init") for name, service in COMPOSE["services"].items()} == \
        dict.fromkeys(COMPOSE["services"], True)


def test_one_service_builds_the_image_and_every_service_runs_that_image_without_pulling_it():
    services = COMPOSE["services"]
    builders = [name for name, service in services.items() if "build" in service]
    assert builders == ["aws"]
    assert {service["image"] for service in services.values()} == {services["aws"]["image"]}
    assert {service["pull_policy"] for service in services.values()} == {"never"}


def test_every_long_running_service_has_a_health_check_and_the_start_order_waits_on_them():
    services = COMPOSE["services"]
    for name in ("aws", "okta", "cognito", "demo"):
        assert services[name]["healthcheck"]["test"][0] == "CMD"
    assert "healthcheck" not in services["provision"]
    assert services["provision"]["depends_on"] == {"aws": {"condition": "service_healthy"}}
    assert services["cognito"]["depends_on"]["provision"] == {"condition": "service_completed_successfully"}
    assert services["demo"]["depends_on"] == {"provision": {"condition": "service_completed_successfully"},
                                             "cognito": {"condition": "service_healthy"}}


def test_front_channel_urls_are_localhost_and_the_back_channel_map_names_each_service_on_its_port():
    services = COMPOSE["services"]
    for name, service in services.items():
        env = service["environment"]
        front = {key: env[key] for key in ("AWS_PUBLIC_URL", "OKTA_PUBLIC_URL", "COGNITO_HOSTED_UI_URL", "DEMO_SITE_URL")}
        assert {urlsplit(url).hostname for url in front.values()} == {"localhost"}, name
        # The issuers are built from the front-channel URLs only: the same `iss` for the browser and servers.
        assert env["OKTA_ISSUER"] == env["OKTA_PUBLIC_URL"] + "/oauth2/default"
        pairs = dict(pair.split("=", 1) for pair in env["SANDBOX_BACKCHANNEL_MAP"].split(","))
        assert set(pairs) == set(front.values())
        for front_url, back_url in pairs.items():
            back = urlsplit(back_url)
            assert back.hostname in services and back.port == urlsplit(front_url).port
            # Published on the host's loopback only: the sandbox's demo secrets are public.
            assert f"127.0.0.1:{back.port}:{back.port}" in services[back.hostname]["ports"]
        assert urlsplit(env["AWS_ENDPOINT_URL"]).hostname == "aws"
