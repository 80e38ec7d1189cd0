"""Runs deployed Lambda functions' real code (owned by the foundation work, issue 2)."""

RULES: list = []
