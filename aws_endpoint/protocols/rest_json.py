"""AWS rest-json (Lambda, API Gateway): the operation is the method and path (the model's `requestUri`,
e.g. `/2015-03-31/functions/{FunctionName}/configuration`); members travel in the path, the query string,
headers and a JSON body."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

from aws_endpoint.protocols import arguments, shapes
from aws_endpoint.protocols.errors import SerializationError, UnknownRoute
from aws_endpoint.protocols.query import typed
from sandbox import json_body

LABEL = re.compile(r"\{([^}+]+)(\+?)\}")


def _route(request_uri: str):
    path, _, query = request_uri.partition("?")
    pattern, at = "", 0
    for label in LABEL.finditer(path):
        pattern += re.escape(path[at:label.start()])
        # A label is one non-empty path segment; a greedy one ({Name+}) the rest of the path.
        pattern += f"(?P<{_group(label.group(1))}>{'.+' if label.group(2) else '[^/]+'})"
        at = label.end()
    pattern += re.escape(path[at:])
    return re.compile(pattern + "/?"), {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}


def _group(label: str) -> str:
    return "g_" + re.sub(r"\W", "_", label)


@lru_cache(maxsize=None)
def routes(service) -> list:
    """(method, path regex, static query, operation name) for every operation of the service."""
    table = []
    for name in service.model.operation_names:
        http = service.model.operation_model(name).http
        regex, static = _route(http["requestUri"])
        table.append((http["method"], regex, static, name))
    return table


def find_operation(service, method: str, path: str, args: dict):
    """The operation and its path labels; the one whose static query matches wins (ImportRestApi's `?mode=import`)."""
    matches = []
    for verb, regex, static, name in routes(service):
        found = regex.fullmatch(path)
        if found and verb == method and all(args.get(k, [None])[0] == v for k, v in static.items()):
            matches.append((len(static), name, found.groupdict()))
    if not matches:
        # With no matching route, AWS's REST front ends answer UnknownOperationException (amplify docs #2173).
        raise UnknownRoute()
    _, name, labels = max(matches, key=lambda m: m[0])
    return service.model.operation_model(name), {k: v if v is None else unquote(v) for k, v in labels.items()}


def wire_path(environ) -> str:
    """The request's path with each segment decoded but a `/` a segment holds kept as %2F (and `%` as %25),
    so a label such as an ARN with a path (`arn:aws:apigateway:…::/restapis/a/stages/b`, sent by the SDKs as
    one %2F-encoded segment) stays one segment. PATH_INFO has already decoded %2F into a separator; the raw
    REQUEST_URI (waitress) has not."""
    raw = environ.get("REQUEST_URI")
    if raw is None:
        return environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
    raw = urlsplit(raw).path if "://" in raw.split("?", 1)[0] else raw.split("?", 1)[0]
    raw = raw.encode("latin-1", "replace").decode("utf-8", "replace")
    return "/".join(unquote(segment, errors="replace").replace("%", "%25").replace("/", "%2F")
                    for segment in raw.split("/"))


def check(service, environ, body: bytes) -> None:
    path = wire_path(environ)
    args = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True, errors="replace")
    operation, labels = find_operation(service, environ.get("REQUEST_METHOD", "GET"), path, args)
    shape = operation.input_shape
    if shape is None:
        return
    code, located, params = service.validation_code, {}, {}
    for name, member in shape.members.items():
        where, key = member.serialization.get("location"), member.serialization.get("name", name)
        path_name = name[:1].lower() + name[1:]
        if where == "uri":
            label = labels.get(_group(key))
            params[key] = None if label is None else typed(label, member, path_name, code)
        elif where == "querystring" and member.type_name not in shapes.AGGREGATES and key in args:
            params[key] = typed(args[key][0], member, path_name, code)
        elif where == "header":
            header = environ.get("HTTP_" + key.upper().replace("-", "_"))
            params[key] = None if header is None else typed(header, member, path_name, code)
        elif where is not None:  # multi-valued query strings and header maps: left to the service
            params[key] = shapes.PRESENT if key in args else None
        else:
            continue
        located[name] = True
    shapes.check(params, shape, code, members=located)
    arguments.check(service.name, operation.name, params)
    payload = shape.serialization.get("payload")
    if payload is not None and shape.members[payload].type_name != "structure":
        return  # a raw body (Invoke's Payload, a blob): not JSON to the service
    # AWS's REST front ends read the body as JSON whatever its declared type; moto dispatches an
    # x-amz-json or form type as another protocol (a 404): it gets the type boto3 sends.
    environ["CONTENT_TYPE"] = "application/json"
    try:
        document = json_body.parse(body, empty={})
    except json_body.BadJSON as exc:
        raise SerializationError(str(exc)) from None
    target = shape.members[payload] if payload is not None else shape
    problem = shapes.wire_type_error(document, target)
    if problem is not None:
        raise SerializationError(problem)
    prefix = operation.name[:1].lower() + operation.name[1:] + "Input." if service.input_prefix else ""
    body_members = None if payload is not None else {n for n in shape.members if n not in located}
    shapes.check(document, target, code, prefix=prefix, members=body_members)
