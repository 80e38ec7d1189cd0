"""Check a request's members against the operation's input shape from botocore's model, as AWS's request
layer does before the service sees it: first each member's wire type (a mismatch is SerializationException:
the body does not deserialize), then the model's constraints (required, length, range, enum, pattern),
all collected into one message: '2 validation errors detected: Value null at 'tableName' failed to satisfy
constraint: Member must not be null; ...' (DynamoDB, Lambda, Cognito and IAM answer in this form).

botocore's own ParamValidator checks Python values before serialization and only `required`, `min` and
Python types; the wire needs JSON types (timestamps as epoch numbers, blobs as base64 text) and every
constraint, hence this walker over the same shapes. Each input shape is compiled once into plain `Node`s
(its constraints, members and their wire names read from botocore's model once, patterns compiled), so a
request walks only its own values.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from aws_endpoint.protocols.errors import SerializationError, ValidationFailed

# The Java class coral names in "class X can not be converted to an <type>" (localstack's AWS snapshots:
# "class java.lang.Boolean can not be converted to an String",
# "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String").
JAVA_TYPES = {"string": "String", "integer": "Integer", "long": "Long", "boolean": "Boolean", "float": "Float",
              "double": "Double", "timestamp": "Date", "blob": "ByteBuffer"}
AGGREGATES = ("structure", "list", "map")
PRESENT = object()  # a member given in a form the walker does not descend into (query protocol aggregates)


def found(value) -> str:
    if isinstance(value, bool):
        return "class java.lang.Boolean"
    if isinstance(value, (int, float)):
        return "class com.amazon.coral.value.json.numbers.TruncatingBigNumber"
    return "class java.lang.String"


@lru_cache(maxsize=512)
def _pattern(pattern: str):
    try:
        return re.compile(pattern)
    except re.error:  # a Java-only construct (\p{L}...): not checked here
        return None


class Node:
    """One shape of the model, as the walk needs it."""

    __slots__ = ("kind", "java_type", "min", "max", "sized", "ranged", "enum", "pattern", "pattern_text",
                 "members", "required", "member", "key", "value")

    def __init__(self, shape):
        meta, kind = shape.metadata, shape.type_name
        self.kind, self.java_type = kind, JAVA_TYPES.get(kind, kind)
        self.min, self.max = meta.get("min"), meta.get("max")
        self.sized = kind in ("string", "list", "map", "blob")
        self.ranged = kind in ("integer", "long", "float", "double")
        self.enum = tuple(shape.enum) if kind == "string" and shape.enum else None
        self.pattern_text = meta.get("pattern") if kind == "string" else None
        self.pattern = _pattern(self.pattern_text) if self.pattern_text is not None else None
        # structure: (name, its name on the wire, its name in a message, node); list: member; map: key, value
        self.members: tuple = ()
        self.required: frozenset = frozenset()
        self.member = self.key = self.value = None


_compiled: dict[int, tuple] = {}  # id(botocore shape) -> (the shape, kept so the id stays its, Node)
_compile_lock = threading.Lock()


def compiled(shape) -> Node:
    found_node = _compiled.get(id(shape))
    if found_node is not None:
        return found_node[1]
    with _compile_lock:
        node = _compile(shape, {})
        _compiled[id(shape)] = (shape, node)
        return node


def _compile(shape, nodes: dict) -> Node:
    """A shape's Node; `nodes` holds the ones compiled so far by name and metadata, so a recursive shape
    (DynamoDB's AttributeValue) is compiled once and points at itself."""
    key = (shape.name, shape.type_name, repr(sorted(shape.metadata.items())))
    if key in nodes:
        return nodes[key]
    node = nodes[key] = Node(shape)
    if node.kind == "structure":
        node.members = tuple((name, member.serialization.get("name", name), name[:1].lower() + name[1:],
                              _compile(member, nodes)) for name, member in shape.members.items())
        node.required = frozenset(shape.required_members)
    elif node.kind == "list":
        node.member = _compile(shape.member, nodes)
    elif node.kind == "map":
        node.key, node.value = _compile(shape.key, nodes), _compile(shape.value, nodes)
    return node


def wire_type_error(value, shape) -> str | None:
    """Coral's deserialization message when `value` cannot be `shape`, or None when it can."""
    return _wire_error(value, compiled(shape))


def _wire_error(value, node: Node) -> str | None:
    kind = node.kind
    if isinstance(value, list):
        return None if kind == "list" else "Start of list found where not expected"
    if isinstance(value, dict):
        return None if kind in ("structure", "map") else "Start of structure or map found where not expected"
    if kind in AGGREGATES:
        return "Unexpected field type"  # a scalar where DynamoDB wants a map (JuliaCloud/AWS.jl #673)
    if kind in ("string", "blob"):
        ok = isinstance(value, str)
    elif kind == "boolean":
        ok = isinstance(value, bool)
    else:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return None if ok else f"{found(value)} can not be converted to an {node.java_type}"


def _text(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_text(v)}" for k, v in value.items()) + "}"
    return str(value)


def _constraints(value, node: Node) -> list[str]:
    broken = []
    if node.sized and value is not PRESENT:
        if node.min is not None and len(value) < node.min:
            broken.append(f"Member must have length greater than or equal to {node.min}")
        if node.max is not None and len(value) > node.max:
            broken.append(f"Member must have length less than or equal to {node.max}")
    if node.ranged:
        if node.min is not None and value < node.min:
            broken.append(f"Member must have value greater than or equal to {node.min}")
        if node.max is not None and value > node.max:
            broken.append(f"Member must have value less than or equal to {node.max}")
    if node.enum is not None and value not in node.enum:
        broken.append(f"Member must satisfy enum value set: [{', '.join(node.enum)}]")
    if node.pattern is not None and not node.pattern.fullmatch(value):
        broken.append(f"Member must satisfy regular expression pattern: {node.pattern_text}")
    return broken


def walk(value, node: Node, path: str, violations: list[str]) -> None:
    """Raise SerializationError at the first wire-type mismatch; add each broken constraint."""
    if value is PRESENT:
        return
    problem = _wire_error(value, node)
    if problem is not None:
        raise SerializationError(problem)
    violations.extend(f"Value '{_text(value)}' at '{path}' failed to satisfy constraint: {c}"
                      for c in _constraints(value, node))
    if node.kind == "structure":
        walk_members(value, node, path + ".", violations)
    elif node.kind == "list":
        for i, item in enumerate(value, 1):
            if item is not None:
                walk(item, node.member, f"{path}.{i}.member", violations)
    elif node.kind == "map":
        for key, item in value.items():
            walk(key, node.key, f"{path}.{key}.key", violations)
            if item is not None:
                walk(item, node.value, f"{path}.{key}.value", violations)


def walk_members(params: dict, node: Node, prefix: str, violations: list[str], members=None) -> None:
    """The members of a structure (all of them, or the named ones): JSON null is absent, unknown
    members are ignored, as AWS's JSON deserializers do."""
    is_dict = isinstance(params, dict)
    for name, wire_name, path_name, member in node.members:
        if members is not None and name not in members:
            continue
        value = params.get(wire_name) if is_dict else None
        if value is None:
            if name in node.required:
                violations.append(f"Value null at '{prefix + path_name}' failed to satisfy constraint: "
                                  "Member must not be null")
            continue
        walk(value, member, prefix + path_name, violations)


def check(params: dict, shape, code: str, prefix: str = "", members=None) -> None:
    """Raise SerializationError or ValidationFailed(code) for what AWS would refuse in `params`."""
    if shape is None:
        return
    violations: list[str] = []
    walk_members(params, compiled(shape), prefix, violations, members)
    if violations:
        count = len(violations)
        raise ValidationFailed(f"{count} validation error{'s' if count > 1 else ''} detected: "
                               + "; ".join(violations), code)
