"""`${stageVariables.name}` in integration URIs and authorizer ARNs ("Set up stage variables for a REST API")."""

from __future__ import annotations

import re

PATTERN = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}")


def substitute(text: str, variables: dict[str, str]) -> str:
    """Replace each stage variable reference; an undefined one becomes empty, as API Gateway renders it."""
    if not text or "${" not in text:  # most URIs and ARNs have none: no regex pass per request
        return text or ""
    return PATTERN.sub(lambda m: variables.get(m.group(1), ""), text or "")
