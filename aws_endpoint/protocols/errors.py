"""The request layer's wire errors, one class per AWS error, rendered in each protocol's shape by `render`.

Shapes: JSON 1.0/1.1 `{"__type": ..., "message": ...}` (1.0, DynamoDB, names coral's own errors in full:
`com.amazon.coral.service#SerializationException`, rusoto #658; `com.amazon.coral.validate#ValidationException`,
AdRoll/goamz #15); query `<ErrorResponse><Error><Type>Sender</Type><Code>…` with a RequestId (aws-cli #37);
rest-json `x-amzn-ErrorType` and `{"message": ...}`, Lambda's with `"Type": "User"` (localstack's
AWS-validated Lambda snapshots).
"""

from __future__ import annotations

import json
import re
import uuid
from xml.sax.saxutils import escape

from werkzeug.wrappers import Response


class ProtocolError(Exception):
    status = 400
    code = "ValidationException"
    namespace = "com.amazon.coral.service"  # JSON 1.0 names the error in full

    def __init__(self, message: str | None = None):
        super().__init__(message)
        self.message = message


class SerializationError(ProtocolError):
    """The body does not deserialize into the operation's input (JSON syntax, or a member's wire type)."""
    code = "SerializationException"


class UnknownOperation(ProtocolError):
    code = "UnknownOperationException"


class UnknownRoute(UnknownOperation):
    status = 404  # a REST path and method no operation has


class MissingAuthenticationToken(ProtocolError):
    # An unsigned call to an operation that needs a signature: 400 "Request is missing Authentication
    # Token" (AWS Java SDK against DynamoDB, aws-dynamodb-session-tomcat #42).
    code = "MissingAuthenticationTokenException"


class ValidationFailed(ProtocolError):
    """Members that break the model's constraints; the code is the service's (Service.validation_code)."""
    namespace = "com.amazon.coral.validate"

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


class MissingAction(ProtocolError):
    code = "MissingAction"  # query API common errors: "The request is missing an action or a required parameter."


class InvalidAction(ProtocolError):
    code = "InvalidAction"


class PageNotFound(ProtocolError):
    """What DynamoDB's front end answers a body it does not take as JSON (a Content-Type other than its
    JSON version's): 404 with an XHTML page, no AWS error (rusoto #215, huseyinbabal/taws #165)."""
    status = 404
    code = "PageNotFound"


class InternalFailure(ProtocolError):
    status = 500
    code = "InternalFailure"


PAGE_NOT_FOUND = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
                  '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
                  '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n<head>\n'
                  ' <title>Page Not Found</title>\n</head>\n<body>Page Not Found</body>\n</html>')
# What XML 1.0 cannot carry (NUL and most C0 controls): an echoed Action never breaks the document.
NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(service, error: ProtocolError) -> Response:
    request_id = str(uuid.uuid4())
    if isinstance(error, PageNotFound):
        return Response(PAGE_NOT_FOUND, status=404, content_type="text/html")
    if service.protocol == "query":
        message = "" if error.message is None else f"<Message>{escape(NOT_XML.sub('?', error.message))}</Message>"
        body = (f'<ErrorResponse xmlns="{service.model.metadata.get("xmlNamespace", "")}"><Error>'
                f"<Type>{'Receiver' if error.status >= 500 else 'Sender'}</Type><Code>{error.code}</Code>{message}</Error><RequestId>{request_id}</RequestId></ErrorResponse>")
        return Response(body, status=error.status, content_type="text/xml", headers={"x-amzn-RequestId": request_id})
    headers = {"x-amzn-ErrorType": error.code, "x-amzn-RequestId": request_id}
    if service.protocol == "json":
        version = service.model.metadata.get("jsonVersion", "1.0")
        error_type = f"{error.namespace}#{error.code}" if version == "1.0" else error.code
        body = {"__type": error_type, **({} if error.message is None else {"message": error.message})}
        return Response(json.dumps(body), status=error.status, content_type=f"application/x-amz-json-{version}",
                        headers=headers)
    body = {"Type": "User"} if service.name == "lambda" else {}
    body.update({} if error.message is None else {"message": error.message})
    return Response(json.dumps(body), status=error.status, content_type="application/json", headers=headers)


def not_emulated(service) -> ProtocolError:
    """An operation of the model that moto lacks: answered as an unknown one (AWS has it, the sandbox not)."""
    message = f"The sandbox's {service.name} does not emulate this operation."
    kind = {"query": InvalidAction, "rest-json": UnknownRoute}.get(service.protocol, UnknownOperation)
    return kind(message)
