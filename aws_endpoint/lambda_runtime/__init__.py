"""Runs deployed Lambda functions' real code (owned by the foundation work, issue 2)."""

RULES: list = []


def shutdown_workers() -> None:
    """Stop every warm worker process (placeholder until the runtime lands)."""
