"""Parse a request's JSON body safely: every way it can be bad is one exception, never a RecursionError.

Python's json module recurses once per nesting level: 100,000 nested arrays raise RecursionError (not
ValueError), and a document just under the interpreter's limit parses but breaks the next recursive walk
over it. Every JSON endpoint of the sandbox parses through `parse`, so each answers such a body with its
own 400 instead of a 500.
"""

from __future__ import annotations

import json
import sys

# Deep enough for any real request here (DynamoDB's 32 levels of nested attributes take ~70 JSON levels),
# shallow enough for the recursive walks that follow a parse.
MAX_DEPTH = 100


class BadJSON(ValueError):
    """The body is not JSON (syntax, encoding) or nests deeper than allowed; str() says which."""


def parse(data: bytes | str, max_depth: int | None = MAX_DEPTH, empty=None):
    """The body's JSON value (`empty` for an empty body), or BadJSON. max_depth None: only what the
    interpreter's recursion limit allows (~1000 levels, as Jackson's default limit in AWS's services)."""
    if not data or not data.strip():
        return empty
    try:
        value = json.loads(data)
    except RecursionError:
        raise BadJSON(too_deep(max_depth or sys.getrecursionlimit())) from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        raise BadJSON(str(exc)) from None
    if max_depth is not None and containers_at_most(data) > max_depth and nesting_exceeds(value, max_depth):
        raise BadJSON(too_deep(max_depth))
    return value


def containers_at_most(data: bytes | str) -> int:
    """An upper bound of the document's depth, counted in C: its opening brackets (some may be in strings)."""
    if isinstance(data, str):
        return data.count("[") + data.count("{")
    return data.count(b"[") + data.count(b"{")


def too_deep(max_depth: int) -> str:
    return f"Document nesting depth exceeds the maximum allowed ({max_depth})"


def nesting_exceeds(value, max_depth: int) -> bool:
    """Whether arrays/objects nest deeper than max_depth, walked without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
