"""Check a request's members against the operation's input shape from botocore's model, as AWS's request
layer does before the service sees it: first each member's wire type (a mismatch is SerializationException:
the body does not deserialize), then the model's constraints (required, length, range, enum, pattern),
all collected into one message: '2 validation errors detected: Value null at 'tableName' failed to satisfy
constraint: Member must not be null; ...' (DynamoDB, Lambda, Cognito and IAM answer in this form).

botocore's own ParamValidator checks Python values before serialization and only `required`, `min` and
Python types; the wire needs JSON types (timestamps as epoch numbers, blobs as base64 text) and every
constraint, hence this walker over the same shapes.
"""

from __future__ import annotations

import re
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


def wire_type_error(value, shape) -> str | None:
    """Coral's deserialization message when `value` cannot be `shape`, or None when it can."""
    kind = shape.type_name
    if isinstance(value, list):
        return None if kind == "list" else "Start of list found where not expected"
    if isinstance(value, dict):
        return None if kind in ("structure", "map") else "Start of structure or map found where not expected"
    if kind in AGGREGATES:
        return "Unexpected field type"  # a scalar where DynamoDB wants a map (JuliaCloud/AWS.jl #673)
    ok = {"string": lambda v: isinstance(v, str), "blob": lambda v: isinstance(v, str),
          "boolean": lambda v: isinstance(v, bool),
          }.get(kind, lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))(value)
    return None if ok else f"{found(value)} can not be converted to an {JAVA_TYPES.get(kind, kind)}"


@lru_cache(maxsize=512)
def _pattern(pattern: str):
    try:
        return re.compile(pattern)
    except re.error:  # a Java-only construct (\p{L}...): not checked here
        return None


def _text(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_text(v)}" for k, v in value.items()) + "}"
    return str(value)


def _constraints(value, shape) -> list[str]:
    meta, kind, broken = shape.metadata, shape.type_name, []
    if kind in ("string", "list", "map", "blob") and value is not PRESENT:
        if "min" in meta and len(value) < meta["min"]:
            broken.append(f"Member must have length greater than or equal to {meta['min']}")
        if "max" in meta and len(value) > meta["max"]:
            broken.append(f"Member must have length less than or equal to {meta['max']}")
    if kind in ("integer", "long", "float", "double"):
        if "min" in meta and value < meta["min"]:
            broken.append(f"Member must have value greater than or equal to {meta['min']}")
        if "max" in meta and value > meta["max"]:
            broken.append(f"Member must have value less than or equal to {meta['max']}")
    if kind == "string":
        if shape.enum and value not in shape.enum:
            broken.append(f"Member must satisfy enum value set: [{', '.join(shape.enum)}]")
        pattern = _pattern(meta["pattern"]) if "pattern" in meta else None
        if pattern is not None and not pattern.fullmatch(value):
            broken.append(f"Member must satisfy regular expression pattern: {meta['pattern']}")
    return broken


def walk(value, shape, path: str, violations: list[str]) -> None:
    """Raise SerializationError at the first wire-type mismatch; add each broken constraint."""
    if value is PRESENT:
        return
    problem = wire_type_error(value, shape)
    if problem is not None:
        raise SerializationError(problem)
    violations.extend(f"Value '{_text(value)}' at '{path}' failed to satisfy constraint: {c}"
                      for c in _constraints(value, shape))
    if shape.type_name == "structure":
        walk_members(value, shape, path + ".", violations)
    elif shape.type_name == "list":
        for i, item in enumerate(value, 1):
            if item is not None:
                walk(item, shape.member, f"{path}.{i}.member", violations)
    elif shape.type_name == "map":
        for key, item in value.items():
            walk(key, shape.key, f"{path}.{key}.key", violations)
            if item is not None:
                walk(item, shape.value, f"{path}.{key}.value", violations)


def walk_members(params: dict, shape, prefix: str, violations: list[str], members=None) -> None:
    """The members of a structure (all of them, or the named ones): JSON null is absent, unknown
    members are ignored, as AWS's JSON deserializers do."""
    required = set(shape.required_members)
    for name, member in shape.members.items():
        if members is not None and name not in members:
            continue
        value = params.get(member.serialization.get("name", name)) if isinstance(params, dict) else None
        path = prefix + name[:1].lower() + name[1:]
        if value is None:
            if name in required:
                violations.append(f"Value null at '{path}' failed to satisfy constraint: Member must not be null")
            continue
        walk(value, member, path, violations)


def check(params: dict, shape, code: str, prefix: str = "", members=None) -> None:
    """Raise SerializationError or ValidationFailed(code) for what AWS would refuse in `params`."""
    if shape is None:
        return
    violations: list[str] = []
    walk_members(params, shape, prefix, violations, members)
    if violations:
        count = len(violations)
        raise ValidationFailed(f"{count} validation error{'s' if count > 1 else ''} detected: "
                               + "; ".join(violations), code)
