"""AWS JSON 1.0/1.1 (DynamoDB, Cognito user pools, CloudWatch Logs): `POST /` with
`X-Amz-Target: <targetPrefix>.<Operation>` and the input as a JSON object."""

from __future__ import annotations

import threading
from collections import OrderedDict

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


class PassedBodies:
    """The last bodies an operation's model accepted, bounded in number and size: the same body checks
    the same against the same model, and a client repeats its calls (a Lambda's GetItem of one key, the
    hosted UI's DescribeUserPoolClient), so a repeat skips the parse and the walk of the model. Refusals
    are never kept, so every refused body is checked (and refused) again."""

    def __init__(self, max_entries: int = 512, max_body_bytes: int = 4096):
        self.max_entries, self.max_body_bytes = max_entries, max_body_bytes
        self._passed: OrderedDict[tuple[str, str, bytes], None] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: tuple[str, str, bytes]) -> bool:
        return len(key[2]) <= self.max_body_bytes and key in self._passed  # a larger body is never kept

    def add(self, key: tuple[str, str, bytes]) -> None:
        if len(key[2]) > self.max_body_bytes:
            return
        with self._lock:
            self._passed[key] = None
            while len(self._passed) > self.max_entries:
                self._passed.popitem(last=False)


PASSED = PassedBodies()


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
    passed = (service.name, name, body)
    if passed in PASSED:
        return
    try:
        params = json_body.parse(body, empty={})
    except json_body.BadJSON as exc:
        raise SerializationError(str(exc)) from None
    problem = shapes.wire_type_error(params, operation.input_shape) if operation.input_shape else None
    if problem is not None:
        raise SerializationError(problem)
    shapes.check(params, operation.input_shape, service.validation_code)
    PASSED.add(passed)
