"""Create, or find and keep, every AWS resource of the flow, through boto3 only.

Idempotent: each step looks its resource up by name and creates it only when missing, so a second run
returns the same ids and makes no duplicates. Nothing here is moto-specific: with AWS_ENDPOINT_URL empty
the same calls provision a real account (the Cognito domain prefix must then be globally unique:
set COGNITO_DOMAIN).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sandbox.aws import client
from sandbox.aws_urls import api_invoke_url, cognito_issuer
from sandbox.config import seed
from sandbox.config import settings as sandbox_settings
from sandbox.functions import function as lambda_function
from sandbox.functions import functions as lambda_functions
from sandbox.provision.apigateway import ensure_api, ensure_deployment, find_rest_api
from sandbox.provision.cognito import (demo_client_config, ensure_app_client, ensure_domain,
                                       ensure_identity_provider, ensure_resource_server, ensure_user_pool,
                                       find_user_pool, machine_client_config)
from sandbox.provision import record
from sandbox.provision.common import Log, ProvisionError
from sandbox.provision.dynamodb import ensure_user_table
from sandbox.provision.settings import IdentityProvider
from sandbox.provision.settings import settings as provision_settings
from sandbox.provision.lambdas import allow_invoke, ensure_function, ensure_lambda_role, zip_source

__all__ = ["ProvisionError", "Resources", "find_rest_api", "find_user_pool", "names", "provision",
           "start_provisioned", "zip_source"]


@dataclass(frozen=True)
class Resources:
    region: str
    account_id: str
    user_pool_id: str
    user_pool_arn: str
    issuer: str
    domain: str
    client_id: str
    client_secret: str
    machine_client_id: str
    machine_client_secret: str
    identity_provider: str
    resource_server: str
    user_table: str
    functions: dict[str, str]
    api_id: str
    api_stage: str
    api_url: str

    def as_dict(self) -> dict:
        return asdict(self)


def names() -> dict:
    """Resource names (provision/settings.py: the seed's, each overridable from the environment)."""
    p = provision_settings()
    return {"pool": p.user_pool_name, "domain": p.domain, "table": p.user_table, "api": p.api_name,
            "stage": p.api_stage}


def provision(log: Log = lambda msg: None, identity_providers: list[IdentityProvider] | None = None,
              inputs: str | None = None) -> Resources:
    """Create or find every resource, in dependency order. The pool's identity providers are the seed's
    (`cognito.identity_providers`), or `identity_providers`; the demo site's app client supports them all."""
    s = sandbox_settings()
    cfg = seed()
    n = names()
    account = client("sts").get_caller_identity()["Account"]

    table_arn = ensure_user_table(n["table"], log)
    role_arn = ensure_lambda_role(cfg["lambda"]["role_name"], table_arn, log)
    functions = {fn.name: ensure_function(fn.as_seed(), role_arn, cfg["lambda"]["runtime"], n["table"], log)
                 for fn in lambda_functions()}

    presignup = lambda_function("PRESIGNUP").name
    pool = ensure_user_pool(n["pool"], functions[presignup], log)
    pool_id, pool_arn = pool["Id"], pool["Arn"]
    allow_invoke(presignup, "cognito-presignup", "cognito-idp.amazonaws.com", pool_arn)
    ensure_domain(pool_id, n["domain"], log)
    wanted = provision_settings().identity_providers if identity_providers is None else identity_providers
    idp_names = [ensure_identity_provider(pool_id, idp, log) for idp in wanted]
    resource_server = ensure_resource_server(pool_id, log)
    demo = ensure_app_client(pool_id, cfg["cognito"]["app_client"]["name"], demo_client_config(idp_names), log)
    machine = ensure_app_client(pool_id, "sandbox-machine", machine_client_config(resource_server), log)

    api_id, changed = ensure_api(n["api"], pool_arn, functions, s.aws_region, account, log)
    ensure_deployment(api_id, n["stage"], changed, log)

    resources = Resources(
        region=s.aws_region, account_id=account, user_pool_id=pool_id, user_pool_arn=pool_arn,
        issuer=cognito_issuer(pool_id), domain=n["domain"],
        client_id=demo["ClientId"], client_secret=demo["ClientSecret"],
        machine_client_id=machine["ClientId"], machine_client_secret=machine["ClientSecret"],
        identity_provider=idp_names[0], resource_server=resource_server, user_table=n["table"],
        functions=functions, api_id=api_id, api_stage=n["stage"], api_url=api_invoke_url(api_id, n["stage"]),
    )
    if s.local_aws:  # the sandbox command's restore (provision/record.py); a real account is left untagged
        # The last write: the saved AWS state holds all of the above once it holds this.
        inputs = inputs or record.inputs_digest(wanted)  # `inputs`: the caller's digest of these inputs
        record.ensure_mark(record.mark_of(inputs, resources.as_dict()), table_arn)
    return resources


def prepare() -> None:
    """What start_provisioned() can do before the AWS endpoint serves."""
    record.prepare()


def start_provisioned(log: Log = lambda msg: None) -> tuple[Resources, bool]:
    """The sandbox command's provisioning: skipped when the restored AWS state carries what it made from
    unchanged inputs (provision/record.py); otherwise provision() and keep what it made. (resources, skipped)"""
    inputs = record.current_inputs()  # one digest (each function zipped once) for the check, the tag, the file
    kept = record.saved(inputs)
    if kept is not None:
        return Resources(**kept), True
    resources = provision(log, inputs=inputs)
    record.save(resources.as_dict(), record.mark_of(inputs, resources.as_dict()))
    return resources, False

