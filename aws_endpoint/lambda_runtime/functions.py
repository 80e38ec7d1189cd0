"""Find a deployed function in moto's Lambda backend (in-process) and take what running it needs."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from aws_endpoint.lambda_runtime.errors import ValidationError, from_moto

# FunctionName may be a name, a full ARN or a partial ARN, each with an optional `:qualifier`
# (Invoke API reference, FunctionName).
FULL_ARN = re.compile(r"^arn:aws[\w-]*:lambda:(?P<region>[\w-]+):(?P<account>\d{12}):function:"
                      r"(?P<name>[\w.-]+)(?::(?P<qualifier>[\w$-]+))?$")
PARTIAL_ARN = re.compile(r"^(?P<account>\d{12}):function:(?P<name>[\w.-]+)(?::(?P<qualifier>[\w$-]+))?$")
# The pattern Lambda quotes when FunctionName is malformed (Invoke API reference, FunctionName).
FUNCTION_NAME_PATTERN = (r"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?"
                         r"(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?")
NAME = re.compile(r"^(?P<name>[\w.-]+)(?::(?P<qualifier>[\w$-]+))?$")


@dataclass(frozen=True)
class FunctionSpec:
    """One function version's code and configuration, as stored by moto."""

    name: str
    arn: str  # unqualified
    version: str  # "$LATEST" or a published version number
    handler: str
    runtime: str
    environment: tuple[tuple[str, str], ...]
    timeout: int
    memory_size: int
    code_sha256: str
    region: str
    account: str
    code: bytes = field(compare=False, repr=False)
    layer_arns: tuple[str, ...] = ()
    layers: tuple[bytes, ...] = field(default=(), compare=False, repr=False)  # their zips, in order

    @property
    def pool_key(self) -> tuple:
        """What identifies interchangeable workers: an update of code or configuration changes it."""
        return (self.arn, self.version, self.code_sha256, self.handler, self.runtime, self.environment,
                self.timeout, self.memory_size, self.layer_arns)


@dataclass(frozen=True)
class FunctionRef:
    name: str
    qualifier: str | None
    region: str | None
    account: str | None


def parse_function_name(value: str, qualifier: str | None) -> FunctionRef:
    for pattern in (FULL_ARN, PARTIAL_ARN, NAME):
        match = pattern.match(value)
        if match:
            parts = match.groupdict()
            return FunctionRef(parts["name"], parts["qualifier"] or qualifier, parts.get("region"),
                               parts.get("account"))
    raise ValidationError(
        f"1 validation error detected: Value '{value}' at 'functionName' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {FUNCTION_NAME_PATTERN}")


def default_account() -> str:
    from moto.core import DEFAULT_ACCOUNT_ID

    # moto server's own precedence: MOTO_ACCOUNT_ID, then its default account (moto/core/responses.py).
    return os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT_ID)


def find_function(function: str, qualifier: str | None, region: str, account: str | None = None) -> FunctionSpec:
    """Look a function up by name, ARN or partial ARN. Raises ResourceNotFound (moto's error) or ValidationError."""
    from moto.awslambda.exceptions import LambdaClientError
    from moto.backends import get_backend

    ref = parse_function_name(function, qualifier)
    region = ref.region or region
    account = ref.account or account or default_account()
    try:
        fn = get_backend("lambda")[account][region].get_function(ref.name, ref.qualifier)
    except LambdaClientError as exc:
        raise from_moto(exc) from None
    version = str(fn.version)
    backend = get_backend("lambda")[account][region]
    layer_arns = tuple(layer["Arn"] for layer in getattr(fn, "layers", None) or ())
    layer_versions = [backend.layers_versions_by_arn(arn) for arn in layer_arns]
    return FunctionSpec(
        name=fn.function_name,
        arn=f"arn:aws:lambda:{region}:{account}:function:{fn.function_name}",
        version=version,
        handler=fn.handler or "",
        runtime=fn.run_time or "python3.12",
        environment=tuple(sorted((fn.environment_vars or {}).items())),
        timeout=int(fn.timeout),
        memory_size=int(fn.memory_size),
        code_sha256=fn.code_sha_256,
        region=region,
        account=account,
        code=getattr(fn, "code_bytes", b"") or b"",
        layer_arns=layer_arns,
        layers=tuple(getattr(lv, "code_bytes", b"") or b"" for lv in layer_versions if lv is not None),
    )
