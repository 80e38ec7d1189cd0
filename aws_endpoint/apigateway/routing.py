"""Find the REST API, stage, resource and method a request is for, in moto's apigateway backend.

Read at request time, in-process, so a route, method or authorizer changed through the AWS API applies to
the next request. (Real API Gateway serves the last deployment's snapshot; moto keeps no snapshot, so
the live definition stands in for it.)

Resource selection follows API Gateway's rules for REST APIs: a literal path part beats `{param}`, which
beats the greedy `{proxy+}`; `{proxy+}` matches one or more segments and only as the last part; a method
defined on the resource beats `ANY` ("Set up a proxy integration with a proxy resource", developer guide).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from moto.backends import get_backend

from aws_endpoint.apigateway.errors import MissingAuthenticationToken

LITERAL, PARAM, GREEDY = 0, 1, 2


@dataclass(frozen=True)
class Route:
    account_id: str
    region: str
    api: object  # moto RestAPI
    stage: object  # moto Stage
    resource: object  # moto Resource
    method: object  # moto Method
    resource_path: str  # "/items/{id}"
    path_parameters: dict[str, str] = field(default_factory=dict)

    @property
    def stage_variables(self) -> dict[str, str]:
        return dict(self.stage.variables or {})

    def authorizer(self):
        """The moto Authorizer of the method, or None when the method has none."""
        return self.api.authorizers.get(self.method.authorizer_id) if self.method.authorizer_id else None


def find_api(api_id: str) -> tuple[str, str, object]:
    """(account, region, RestAPI) holding `api_id`, across every account and region moto has in use."""
    backends = get_backend("apigateway")
    for account_id, regions in list(dict.items(backends)):
        for region, backend in list(dict.items(regions)):
            api = backend.apis.get(api_id)
            if api is not None:
                return account_id, region, api
    raise MissingAuthenticationToken(f"no REST API {api_id}")


def resource_paths(api) -> dict[str, str]:
    """Every resource's full path, by id (walked locally: moto's get_path looks each parent up again)."""
    resources = dict(api.resources)
    paths: dict[str, str] = {}

    def path_of(resource_id: str) -> str:
        if resource_id not in paths:
            resource = resources[resource_id]
            if not resource.parent_id:
                paths[resource_id] = "/"
            else:
                parent = path_of(resource.parent_id)
                paths[resource_id] = parent.rstrip("/") + "/" + resource.path_part
        return paths[resource_id]

    for resource_id in resources:
        path_of(resource_id)
    return paths


Part = tuple[int, str]  # (LITERAL, "items") / (PARAM, "id") / (GREEDY, "proxy")


def template_parts(template: str) -> tuple[Part, ...]:
    """A resource path split once into classified parts."""
    parts = []
    for part in (p for p in template.split("/") if p):
        if part.startswith("{") and part.endswith("+}"):
            parts.append((GREEDY, part[1:-2]))
        elif part.startswith("{") and part.endswith("}"):
            parts.append((PARAM, part[1:-1]))
        else:
            parts.append((LITERAL, part))
    return tuple(parts)


@dataclass(frozen=True)
class PathTable:
    """An API's resources as (resource id, path, parts), valid while its fingerprint is unchanged."""

    fingerprint: tuple
    entries: tuple[tuple[str, str, tuple[Part, ...]], ...]


def fingerprint(api) -> tuple:
    """Exactly what the path table is built from: each resource's id, parent and path part. Reading these
    is a fraction of rebuilding every path, and any change through the AWS API (a resource created,
    deleted, or an import that replaces them) changes it, so the next request sees it."""
    return tuple([(rid, r.parent_id, r.path_part) for rid, r in list(api.resources.items())])


class PathTables:
    """The last path table of each API object (keyed by the object: an API deleted and created again
    under the same id is another object), bounded."""

    def __init__(self, max_entries: int = 256):
        self.max_entries = max_entries
        self._tables: dict[int, tuple[object, PathTable]] = {}
        self.builds = 0  # for tests: how many times a table was built

    def table(self, api) -> PathTable:
        current = fingerprint(api)
        cached = self._tables.get(id(api))
        if cached is not None and cached[0] is api and cached[1].fingerprint == current:
            return cached[1]
        self.builds += 1
        table = PathTable(current, tuple((rid, path, template_parts(path)) for rid, path in resource_paths(api).items()))
        if len(self._tables) >= self.max_entries and id(api) not in self._tables:
            self._tables.clear()  # many APIs come and go in tests only: start over rather than track age
        self._tables[id(api)] = (api, table)
        return table


TABLES = PathTables()


def match_path(template: str | tuple[Part, ...], segments: list[str]) -> tuple[tuple[int, ...], dict[str, str]] | None:
    """(specificity, path parameters) when `template` matches the request's segments, else None."""
    parts = template_parts(template) if isinstance(template, str) else template
    rank: list[int] = []
    params: dict[str, str] = {}
    for index, (kind, name) in enumerate(parts):
        if kind == GREEDY:
            if index != len(parts) - 1 or index >= len(segments):
                return None
            params[name] = "/".join(segments[index:])
            return tuple(rank + [GREEDY]), params
        if index >= len(segments):
            return None
        if kind == PARAM:
            params[name] = segments[index]
            rank.append(PARAM)
        elif name == segments[index]:
            rank.append(LITERAL)
        else:
            return None
    if len(parts) != len(segments):
        return None
    return tuple(rank), params


def method_for(resource, http_method: str):
    methods = resource.resource_methods
    return methods.get(http_method) or methods.get("ANY")


def resolve(api_id: str, stage_name: str, path: str, http_method: str) -> Route:
    """The route for a request; MissingAuthenticationToken for an unknown API, stage, path or method."""
    account_id, region, api = find_api(api_id)
    stage = api.stages.get(stage_name)
    if stage is None:
        raise MissingAuthenticationToken(f"no stage {stage_name} in REST API {api_id}")
    segments = [s for s in path.split("/") if s]
    best = None
    for resource_id, template, parts in TABLES.table(api).entries:
        matched = match_path(parts, segments)
        if matched is None:
            continue
        resource = api.resources.get(resource_id)
        if resource is None:  # deleted since the table was read
            continue
        method = method_for(resource, http_method)
        if method is None:
            continue
        rank, params = matched
        if best is None or rank < best[0]:
            best = (rank, resource, method, template, params)
    if best is None:
        raise MissingAuthenticationToken(f"no method {http_method} /{'/'.join(segments)} in {api_id}/{stage_name}")
    _, resource, method, template, params = best
    return Route(account_id, region, api, stage, resource, method, template, params)
