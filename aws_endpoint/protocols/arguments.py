"""Checks a service makes of an argument's meaning, beyond its model's shape, where moto would fail
instead of answering: one table, (service, operation) -> check(params)."""

from __future__ import annotations

import re

from aws_endpoint.protocols.errors import ProtocolError


class BadRequest(ProtocolError):
    code = "BadRequestException"


# API Gateway's taggable resources: arn:<partition>:apigateway:<region>::/<type>/<id>[/stages/<name>]
# (API Gateway developer guide, "Tagging your API Gateway resources"; no account id in the ARN).
# Anything else is 400 BadRequestException "Invalid ARN specified in the request", the text API Gateway
# gives a bad ARN (moto's InvalidArn exception; emulators checked against AWS use the same).
APIGATEWAY_TAG_ARN = re.compile(
    r"arn:aws[a-z-]*:apigateway:[a-z0-9-]+::/"
    r"(restapis/[^/]+(/stages/[^/]+)?|apikeys/[^/]+|usageplans/[^/]+|domainnames/[^/]+|clientcertificates/[^/]+"
    r"|vpclinks/[^/]+)")


def apigateway_tag_arn(params: dict) -> None:
    if not APIGATEWAY_TAG_ARN.fullmatch(params.get("resource_arn") or ""):
        raise BadRequest("Invalid ARN specified in the request")


CHECKS = {("apigateway", name): apigateway_tag_arn for name in ("GetTags", "TagResource", "UntagResource")}


def check(service_name: str, operation_name: str, params: dict) -> None:
    """Raise the service's error for an argument it refuses by meaning."""
    checker = CHECKS.get((service_name, operation_name))
    if checker is not None:
        checker(params)
