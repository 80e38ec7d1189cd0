"""The AWS services the sandbox uses, each with botocore's service model, and which one a request is for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from moto.core.utils import get_service_model

# SigV4: Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, ...
CREDENTIAL_SCOPE = re.compile(r"Credential=[^/,\s]*/[^/,\s]*/[^/,\s]*/([^/,\s]+)/")


@dataclass(frozen=True)
class Service:
    name: str             # botocore's service name (= its SigV4 signing name for these)
    validation_code: str  # the error code of a constraint violation (messages: '1 validation error detected: ...')
    # API Gateway names a body member by its operation's input ('putIntegrationInput.type'), others by
    # the member alone ('tableName', 'routingConfig.additionalVersionWeights'); localstack's AWS snapshots.
    input_prefix: bool = False

    @cached_property
    def model(self):
        # moto's copy of botocore's model (moto.core.utils, one per process; moto has no extras for these
        # services), the one moto parses the request with: each model file is parsed once, not twice.
        return get_service_model(self.name)

    @property
    def protocol(self) -> str:
        return self.model.protocol


# Codes: DynamoDB ValidationException (cdk-nextjs #157), Cognito InvalidParameterException (boto3 #3581),
# IAM ValidationError with Type Sender (localstack's IAM snapshots), Lambda and API Gateway
# ValidationException (localstack's snapshots), CloudWatch Logs InvalidParameterException.
SERVICES = {s.name: s for s in (
    Service("dynamodb", "ValidationException"),
    Service("cognito-idp", "InvalidParameterException"),
    Service("lambda", "ValidationException"),
    Service("apigateway", "ValidationException", input_prefix=True),
    Service("iam", "ValidationError"),
    Service("sts", "ValidationError"),
    Service("logs", "InvalidParameterException"),
)}
TARGET_PREFIXES = {"DynamoDB_20120810": "dynamodb", "AWSCognitoIdentityProviderService": "cognito-idp",
                   "Logs_20140328": "logs"}


def signing_service(environ) -> str | None:
    match = CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    return match.group(1).lower() if match else None


def service_for(environ) -> Service | None:
    """The service a signed request names in its credential scope, or an unsigned one in X-Amz-Target
    (moto would route an unsigned DynamoDB call to S3). None: not one of ours, moto's as before."""
    if environ.get("HTTP_AUTHORIZATION"):
        return SERVICES.get(signing_service(environ))
    prefix = environ.get("HTTP_X_AMZ_TARGET", "").partition(".")[0]
    return SERVICES.get(TARGET_PREFIXES.get(prefix))
