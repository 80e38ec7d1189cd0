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

from werkzeug.wrappers import Request, Response

from aws_endpoint.protocols import json_protocol, query, rest_json
from aws_endpoint.protocols.errors import InternalFailure, ProtocolError, not_emulated, render
from aws_endpoint.protocols.services import Service, service_for

log = logging.getLogger("aws_endpoint")
CHECKS = {"json": json_protocol.check, "query": query.check, "rest-json": rest_json.check}
# AWS's common error text for InternalFailure (the services' "Common Errors" pages).
INTERNAL_FAILURE = InternalFailure("The request processing has failed because of an unknown error, exception or failure.")


def refusal(service: Service, environ) -> Response | None:
    """AWS's error for a request moto should not see, or None (the body is put back for moto)."""
    body = Request(environ).get_data()
    environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
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
        answer = Response.from_app(moto_app, environ)
    except NotImplementedError:  # moto's "The <action> action has not been implemented"
        answer = None
    except Exception:  # noqa: BLE001 (a moto bug: AWS's InternalFailure in the protocol's shape, logged)
        log.exception("moto failed on %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
        return render(service, INTERNAL_FAILURE)(environ, start_response)
    if answer is None or (answer.status_code == 404 and answer.mimetype == "text/html"):  # Flask: no such route
        answer = render(service, not_emulated(service))
    return answer(environ, start_response)
