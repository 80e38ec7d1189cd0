"""AWS JSON 1.0/1.1 (DynamoDB, Cognito user pools, CloudWatch Logs): `POST /` with
`X-Amz-Target: <targetPrefix>.<Operation>` and the input as a JSON object."""

from __future__ import annotations

from aws_endpoint.protocols import shapes
from aws_endpoint.protocols.errors import (MissingAuthenticationToken, PageNotFound, SerializationError,
                                           UnknownOperation)
from sandbox import json_body


def content_types(service) -> tuple[str, ...]:
    # The protocol's own type, and plain JSON, which DynamoDB takes too (jonsaw/amazon-cognito-identity-dart
    # #41 signs its calls with application/json); the other JSON version is a 404 page (rusoto #215).
    return (f"application/x-amz-json-{service.model.metadata.get('jsonVersion', '1.0')}", "application/json")


def needs_signature(operation) -> bool:
    """Cognito's public calls (InitiateAuth, SignUp...) are `smithy.api#noAuth` in the model."""
    return operation.auth_type != "none" and "smithy.api#noAuth" not in (operation.auth or ())


def check(service, environ, body: bytes) -> None:
    mimetype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if mimetype not in content_types(service):
        raise PageNotFound()
    environ["CONTENT_TYPE"] = content_types(service)[0]  # moto takes only the protocol's own type
    prefix, _, name = environ.get("HTTP_X_AMZ_TARGET", "").partition(".")
    if prefix != service.model.metadata["targetPrefix"] or name not in service.model.operation_names:
        raise UnknownOperation()  # no message: {"__type": "...#UnknownOperationException"} (aws-sdk-go #3689)
    operation = service.model.operation_model(name)
    if needs_signature(operation) and not environ.get("HTTP_AUTHORIZATION"):
        raise MissingAuthenticationToken("Request is missing Authentication Token")
    try:
        params = json_body.parse(body, empty={})
    except json_body.BadJSON as exc:
        raise SerializationError(str(exc)) from None
    problem = shapes.wire_type_error(params, operation.input_shape) if operation.input_shape else None
    if problem is not None:
        raise SerializationError(problem)
    shapes.check(params, operation.input_shape, service.validation_code)
