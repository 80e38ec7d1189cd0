"""Cognito extensions on the AWS endpoint (owned by the emulated-Cognito work, issue 4)."""

RULES: list = []
