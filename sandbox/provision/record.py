"""What provisioning made, kept beside the saved AWS state, so a start that restores that state does not
provision again (issue 15: "restore rather than re-provision once durable state exists").

Provisioning on the sandbox's endpoint (not on a real account) ends by tagging the user table with a
mark: a digest of its inputs (the seed as filled in, the resources' names and identity providers, each
function's zipped code and settings, provisioning's own source) and of what it found or made (ids, ARNs,
client secrets). The tag is its last write, so an
AWS state file that holds it holds everything provisioning did before it (a snapshot is consistent:
aws_endpoint/persistence.py). The sandbox command keeps the same mark and the resources in
`<state_dir>/provision-<aws port>.state.json`; on the next start, when its inputs give the same digest
and the restored table carries the same mark (one ListTagsOfResource), provisioning would find
everything and change nothing, so it is skipped. Anything else provisions as before: changed inputs, a
state file moved aside or wiped (no table), a crash before the tag was saved, or a provisioning since
(e.g. `manage.py provision` after an app client was deleted: a new secret, so a new mark).

What this does not see: a provisioned resource changed or deleted through the AWS API with no
provisioning after it; `python manage.py provision` puts it back, as before.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from sandbox import state
from sandbox.aws import client
from sandbox.config import port_of, seed
from sandbox.config import settings as sandbox_settings
from sandbox.functions import functions as lambda_functions
from sandbox.provision.settings import IdentityProvider
from sandbox.provision.settings import settings as provision_settings

MARK = "wf05-sandbox:provisioned"  # the tag key on the user table
_SOURCES = Path(__file__).resolve().parent  # provisioning's own code: a change may make other resources


def inputs_digest(identity_providers: list[IdentityProvider] | tuple[IdentityProvider, ...]) -> str:
    """What provisioning's result depends on, as one SHA-256."""
    from sandbox.provision.lambdas import zip_source  # noqa: PLC0415 (no cycle at import)

    s = sandbox_settings()
    p = provision_settings()
    digest = hashlib.sha256()
    digest.update(json.dumps({
        "seed": seed(), "region": s.aws_region, "endpoint": s.aws_endpoint_url,
        "public_url": s.aws_public_url,  # the issuer and API URL provisioning records are built from it
        "names": [p.user_pool_name, p.domain, p.user_table, p.api_name, p.api_stage, p.api_local_id],
        "identity_providers": [asdict(idp) for idp in identity_providers],
        "functions": [fn.as_seed() for fn in lambda_functions()],
    }, sort_keys=True, default=str).encode())
    for fn in lambda_functions():
        digest.update(hashlib.sha256(zip_source(str(fn.source))).digest())
    for path in sorted(_SOURCES.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


_prepared: dict[str, str] = {}


def prepare() -> None:
    """What the sandbox command can do before the AWS endpoint serves: the digest of the inputs, the client."""
    _prepared["inputs"] = inputs_digest(provision_settings().identity_providers)
    client("dynamodb")


def current_inputs() -> str:
    """The digest of the sandbox command's provisioning inputs: prepare()'s, else made now."""
    return _prepared.pop("inputs", None) or inputs_digest(provision_settings().identity_providers)


def mark_of(inputs: str, resources: dict) -> str:
    return hashlib.sha256((inputs + json.dumps(resources, sort_keys=True)).encode()).hexdigest()[:48]


def table_arn(resources: dict) -> str:
    return f"arn:aws:dynamodb:{resources['region']}:{resources['account_id']}:table/{resources['user_table']}"


def ensure_mark(mark: str, arn: str) -> None:
    """Tag the user table with the mark, unless it carries it already (so provisioning again changes nothing)."""
    ddb = client("dynamodb")
    tags = {t["Key"]: t["Value"] for t in ddb.list_tags_of_resource(ResourceArn=arn).get("Tags", [])}
    if tags.get(MARK) != mark:
        ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": MARK, "Value": mark}])


def path() -> Path:
    s = sandbox_settings()
    return s.state_dir / f"provision-{port_of(s.aws_endpoint_url)}.state.json"


def save(resources: dict, mark: str) -> None:
    """Keep what the sandbox command provisioned (written whole, then renamed: never half a file)."""
    if not state.enabled():
        return
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"mark": mark, "resources": resources}, indent=1))
    os.replace(tmp, target)


def saved(inputs: str) -> dict | None:
    """The resources provisioning made, when the restored AWS state carries them and provisioning's inputs
    (`inputs`, their digest) are unchanged; None when it must run."""
    if not state.enabled():
        return None
    try:
        kept = json.loads(path().read_text())
        resources, mark = kept["resources"], kept["mark"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if mark != mark_of(inputs, resources):
        return None
    try:
        tags = client("dynamodb").list_tags_of_resource(ResourceArn=table_arn(resources)).get("Tags", [])
    except (ClientError, BotoCoreError):  # no such table: the AWS state is not the one provisioned
        return None
    return resources if {t["Key"]: t["Value"] for t in tags}.get(MARK) == mark else None
