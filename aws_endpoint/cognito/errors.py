"""The Cognito extension's wire errors, one class per error, turned into HTTP in `to_response` only."""

from __future__ import annotations

import json

from werkzeug.wrappers import Response


class CognitoError(Exception):
    status = 400
    error_type = "InvalidParameterException"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ResourceNotFound(CognitoError):
    # Unconfirmed: real Cognito answers a well-known URL of an unknown pool with 404 and
    # {"message": "User pool <id> does not exist."} (the API's ResourceNotFoundException text).
    status = 404
    error_type = "ResourceNotFoundException"


class UsernameExists(CognitoError):
    # The AWS API's UsernameExistsException text; 409 because this internal call is a create.
    status = 409
    error_type = "UsernameExistsException"


class UnsupportedMediaType(CognitoError):
    # The internal calls take JSON only (views.py): 415 (RFC 9110 §15.5.16), sandbox-only wording.
    status = 415
    error_type = "UnsupportedMediaTypeException"


class InvalidParameter(CognitoError):
    status = 400
    error_type = "InvalidParameterException"


def to_response(error: CognitoError) -> Response:
    """The one place a CognitoError becomes HTTP: AWS's JSON error shape and x-amzn-ErrorType."""
    body = {"__type": error.error_type, "message": error.message}
    return Response(json.dumps(body), status=error.status, content_type="application/json",
                    headers={"x-amzn-ErrorType": error.error_type})


def json_response(body, status: int = 200) -> Response:
    return Response(json.dumps(body, default=str), status=status, content_type="application/json")
