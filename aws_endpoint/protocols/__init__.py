"""One request layer before moto: every call to an AWS service the sandbox uses is checked against that
service's botocore model in its protocol (JSON 1.0/1.1, query, rest-json) and refused as AWS refuses it:
unknown operation, wrong content type, body that does not deserialize, members that break the model's
constraints. What passes goes to moto unchanged; an operation of the model that moto does not emulate is
answered as unknown, in the protocol's shape, never as moto's HTML 404 or a 500. S3 (rest-xml) is not
used by the sandbox: its calls, and every other service's, pass straight through.
"""

from __future__ import annotations

import io
import logging

from werkzeug.wrappers import Response
from werkzeug.wsgi import get_input_stream

from aws_endpoint.protocols import json_protocol, query, rest_json
from aws_endpoint.protocols.errors import InternalFailure, ProtocolError, not_emulated, render
from aws_endpoint.protocols.services import Service, service_for

log = logging.getLogger("aws_endpoint")
CHECKS = {"json": json_protocol.check, "query": query.check, "rest-json": rest_json.check}
# AWS's common error text for InternalFailure (the services' "Common Errors" pages).
INTERNAL_FAILURE = InternalFailure("The request processing has failed because of an unknown error, exception or failure.")


def read_body(environ) -> bytes:
    """The request's body, put back for moto: what werkzeug's Request(environ).get_data() reads."""
    body = get_input_stream(environ).read()
    environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
    return body


def refusal(service: Service, environ) -> Response | None:
    """AWS's error for a request moto should not see, or None (the body is put back for moto)."""
    body = read_body(environ)
    try:
        CHECKS[service.protocol](service, environ, body)
    except ProtocolError as error:
        return render(service, error)
    except Exception:  # noqa: BLE001 (a bug here: AWS's InternalFailure, and the traceback in the log)
        log.exception("request check failed on %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
        return render(service, INTERNAL_FAILURE)
    return None


def through(moto_app, environ, start_response):
    """Check the request, then let moto answer it."""
    service = service_for(environ)
    if service is None:
        return moto_app(environ, start_response)
    answer = refusal(service, environ)
    if answer is not None:
        return answer(environ, start_response)
    try:
        status, headers, body = buffered(moto_app, environ)
    except NotImplementedError:  # moto's "The <action> action has not been implemented"
        return render(service, not_emulated(service))(environ, start_response)
    except Exception:  # noqa: BLE001 (a moto bug: AWS's InternalFailure in the protocol's shape, logged)
        log.exception("moto failed on %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
        return render(service, INTERNAL_FAILURE)(environ, start_response)
    if status.startswith("404") and is_html(headers):  # Flask: no such route
        return render(service, not_emulated(service))(environ, start_response)
    start_response(status, headers)
    return body


def buffered(app, environ) -> tuple[str, list, list[bytes]]:
    """Run a WSGI app to the end: its status, headers and body, so that an answer that must be replaced
    is found before anything is sent (what werkzeug's Response.from_app does, without a Response)."""
    answer, chunks = [], []

    def start_response(status, headers, exc_info=None):
        if exc_info:
            raise exc_info[1].with_traceback(exc_info[2])
        answer[:] = [status, headers]
        return chunks.append

    body = app(environ, start_response)
    try:
        chunks.extend(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    return answer[0], answer[1], chunks


def is_html(headers) -> bool:
    return any(name.lower() == "content-type" and value.split(";")[0].strip().lower() == "text/html"
               for name, value in headers)
