"""The AWS endpoint's start-up shortcuts (aws_endpoint/app.py) change when work is done, never its result."""

import boto3
from moto.core.base_backend import AccountSpecificBackend
from moto.core.utils import get_service_model
from moto.dynamodb.models import DynamoDBBackend
from werkzeug.routing import Map, Rule

from aws_endpoint import app
from aws_endpoint.protocols.services import SERVICES


def setup_module():
    app.compile_url_builders_lazily()
    app.list_regions_lazily()
    app.share_motos_model_loader()


def test_a_url_built_from_a_lazily_compiled_rule_is_the_one_werkzeug_builds():
    adapter = Map([Rule("/restapis/<rule>/stages/<int:n>", endpoint="stage")]).bind("localhost")
    # An argument named `rule` too: the builder takes the rule positionally.
    assert adapter.build("stage", {"rule": "a b", "n": 3, "extra": "x"}) == "/restapis/a%20b/stages/3?extra=x"
    assert adapter.match("/restapis/abc/stages/3") == ("stage", {"rule": "abc", "n": 3})


def test_an_accounts_region_list_is_made_when_first_asked_for_and_is_botocores_list():
    backends = AccountSpecificBackend(service_name="dynamodb", account_id="123456789012", backend=DynamoDBBackend,
                                      use_boto3_regions=True, additional_regions=["local-1"])
    assert "_regions" not in backends.__dict__
    session = boto3.Session()
    expected = [region for partition in session.get_available_partitions()
                for region in session.get_available_regions("dynamodb", partition_name=partition)]
    assert backends.regions == [*expected, "local-1"]
    assert "eu-west-1" in backends and "local-1" in backends and "nowhere-1" not in backends


def test_a_region_whose_backend_exists_is_found_without_the_region_list():
    backends = AccountSpecificBackend(service_name="dynamodb", account_id="123456789012", backend=DynamoDBBackend,
                                      use_boto3_regions=True, additional_regions=None)
    dict.__setitem__(backends, "us-east-1", object())
    assert "us-east-1" in backends
    assert "_regions" not in backends.__dict__


def test_the_request_layer_checks_against_the_model_moto_parses_the_request_with():
    for name, service in SERVICES.items():
        assert service.model is get_service_model(name)
        assert service.model.service_name == name
