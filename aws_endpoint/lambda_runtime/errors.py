"""The Invoke API's errors, one class per wire error, rendered in one place (routes.render_error).

Lambda answers them with `x-amzn-ErrorType: <code>` and a JSON body `{"Type": "User", "Message": ...}`,
which botocore turns into `ClientError` with that code (botocore's Lambda exception shapes: Type, Message).
"""

from __future__ import annotations


class LambdaError(Exception):
    status = 500
    code = "ServiceException"
    type = "Service"
    # The message's key as the error's shape in botocore's Lambda model names it: "Message" for
    # ServiceException and ResourceNotFoundException, "message" for the request errors.
    message_key = "Message"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ResourceNotFound(LambdaError):
    status, code, type = 404, "ResourceNotFoundException", "User"


class InvalidRequestContent(LambdaError):
    status, code, type = 400, "InvalidRequestContentException", "User"
    message_key = "message"


class InvalidParameterValue(LambdaError):
    status, code, type = 400, "InvalidParameterValueException", "User"
    message_key = "message"


class ValidationError(LambdaError):
    status, code, type = 400, "ValidationException", "User"
    message_key = "message"  # not in the model: coral's validation errors say "message"


class RequestTooLarge(LambdaError):
    status, code, type = 413, "RequestTooLargeException", "User"
    message_key = "message"


def from_moto(exc) -> LambdaError:
    """Carry one of moto's Lambda errors (a JsonRESTError) over unchanged: code, message and status."""
    error = LambdaError(exc.message)
    error.status, error.code, error.type = exc.code, exc.error_type, "User"
    return error
