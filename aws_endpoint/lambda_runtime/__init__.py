"""Runs deployed Lambda functions' real code from moto's stored zip, in warm, isolated worker processes.

`RULES` serves Lambda's Invoke API on the AWS endpoint; `invoke()` is the same thing in-process for the
other extensions (API Gateway, Cognito triggers); `shutdown_workers()` stops every worker.
"""

from aws_endpoint.lambda_runtime.errors import LambdaError
from aws_endpoint.lambda_runtime.invoke import InvokeResult, invoke
from aws_endpoint.lambda_runtime.pool import shutdown_workers
from aws_endpoint.lambda_runtime.routes import RULES

__all__ = ["RULES", "InvokeResult", "LambdaError", "invoke", "shutdown_workers"]
