"""API Gateway extensions on the AWS endpoint (owned by the API Gateway work, issue 5)."""

RULES: list = []
