"""The AWS endpoint's WSGI app: this project's extension routes first, everything else to moto."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from types import SimpleNamespace

import moto.backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, Map, Rule
from werkzeug.wrappers import Request, Response

from aws_endpoint import apigateway, cognito, flow, lambda_runtime, persistence, protocols
from aws_endpoint.apigateway import moto_rules as apigateway_rules
from aws_endpoint.cognito import moto_rules
from aws_endpoint.iam import moto_rules as iam_rules
from aws_endpoint.lambda_runtime import moto_rules as lambda_rules
from aws_endpoint.cognito.changes import CHANGES, write_of
from aws_endpoint.lambda_runtime import tracing
from sandbox.config import settings


log = logging.getLogger("aws_endpoint")


class EverythingConverter(BaseConverter):
    """The rest of the path, as sent: unlike `path`, it keeps a leading slash ('//profile' is not '/profile')."""

    regex = "[\\s\\S]*"  # any character, newlines too (a decoded %0A is still the API's path)
    part_isolating = False


def health(request: Request) -> Response:
    # The process's CPU so far (all its threads), for bench/api.py's CPU per request.
    return Response(persistence.health_json(cpu_seconds=round(time.process_time(), 6)), content_type="application/json")


# Every extension path, in one table. Anything that matches none of them is moto's.
EXTENSION_RULES = [
    Rule("/_sandbox/health", endpoint=health),
    *flow.RULES,
    *lambda_runtime.RULES,
    *cognito.RULES,
    *apigateway.RULES,
]
# The extension endpoints that change stored state: whether they write moto's backends (the services they
# look up are then counted as written, persistence.py), or only their own store (the flows, Cognito's
# revocations), which counts its changes itself.
WRITES = {flow.post_events: False, cognito.views.federated_users: True, cognito.views.sign_tokens: False,
          cognito.views.revoke_session: False}


def aws_error(status: int, error_type: str, message: str) -> Response:
    """An error as AWS's JSON protocols send it (moto's own errors keep moto's shapes)."""
    return Response(json.dumps({"__type": error_type, "message": message}), status=status,
                    content_type="application/x-amz-json-1.1",
                    headers={"x-amzn-ErrorType": error_type, "x-amzn-RequestId": str(uuid.uuid4())})


def malformed_signature(environ) -> Response | None:
    """A SigV4 Authorization header moto cannot parse: AWS answers 403 IncompleteSignatureException.
    (moto indexes into the header unguarded and would answer a 500.)"""
    auth = environ.get("HTTP_AUTHORIZATION")
    if auth is None:
        return None
    scheme, _, params = auth.partition(" ")
    if scheme == "AWS4-HMAC-SHA256" and "Credential=" in params and "Signature=" in params:
        return None
    return aws_error(403, "IncompleteSignatureException",
                     "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters "
                     "of the AWS4-HMAC-SHA256 scheme.")


# The issuer's two public documents (aws_endpoint/cognito), which web pages may read; nothing else.
ISSUER_DOCUMENT = re.compile(r"^/[\w-]+_[0-9a-zA-Z]+/\.well-known/(jwks\.json|openid-configuration)$")


def cross_site_refusal(environ, allowed_origins: set[str]) -> Response | None:
    """Refuse what a web page's script sends through a visitor's browser (browsers add `Origin`; AWS SDKs
    and the CLI never do). moto answers every Origin with Access-Control-Allow-Origin, so without this any
    page could read the app client's secret and rewrite its callback URLs through the sandbox. Exempt: an
    API's invocation URL (API Gateway serves browsers; CORS is the API's own configuration) and the public
    issuer documents (JWKS, discovery), which real Cognito serves to browsers too."""
    origin = environ.get("HTTP_ORIGIN")
    path = environ.get("PATH_INFO", "")
    if (origin is None or origin.rstrip("/") in allowed_origins or "/_user_request_/" in path
            or (environ.get("REQUEST_METHOD") in ("GET", "OPTIONS") and ISSUER_DOCUMENT.match(path))):
        return None
    return aws_error(403, "AccessDeniedException", f"Requests from the web origin {origin} are refused by the "
                     "sandbox's AWS endpoint (AWS_ALLOWED_ORIGINS lists the origins allowed).")


def call_moto(moto_app, environ, start_response):
    """moto, with its gaps answered as AWS would: a malformed signature is 403, a request its service's
    model refuses gets that service's error (aws_endpoint/protocols), a path no service owns is 404, and
    a moto bug is AWS's InternalFailure, never a traceback."""
    refusal = malformed_signature(environ)
    if refusal is not None:
        return refusal(environ, start_response)
    try:
        return protocols.through(moto_app, environ, start_response)
    except Exception:  # noqa: BLE001
        if "HTTP_AUTHORIZATION" not in environ:  # not an AWS API call: moto found no service for the path
            return aws_error(404, "UnknownOperationException", "No AWS service or sandbox extension serves "
                             f"{environ.get('PATH_INFO')}.")(environ, start_response)
        log.exception("moto failed on %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
        return aws_error(500, "InternalFailure", "The request processing has failed because of an "
                         "unknown error, exception or failure.")(environ, start_response)


def list_moto_modules_once() -> None:
    """moto lists its package directory on every request to find a service (list_of_moto_modules, called
    by DomainDispatcherApplication.get_backend_for_host): 40 % of a request's time here. The listing
    cannot change while the process runs, so take it once."""
    modules = tuple(moto.backends.list_of_moto_modules())
    moto.backends.list_of_moto_modules = lambda: iter(modules)


def list_method_names_once() -> None:
    """moto lists a response class's methods (inspect.getmembers, method_names_from_class) on every request
    to find the action's handler: a third of a Cognito call's time in moto. A class's methods are set when
    it is defined, so list each class once."""
    import moto.core.responses as responses  # noqa: PLC0415 (patched here only)

    if getattr(responses.method_names_from_class, "listed_once", False):
        return
    list_names, listed = responses.method_names_from_class, {}

    def method_names_from_class(clazz) -> list[str]:
        names = listed.get(clazz)
        if names is None:
            names = listed[clazz] = list_names(clazz)
        return names

    method_names_from_class.listed_once = True
    responses.method_names_from_class = method_names_from_class


def import_motos_dummy_key_once() -> None:
    """moto parses its one dummy RSA key (cognitoidp/resources/jwks-private.json) for every user pool it
    creates, ~0.2 s each. Our pools sign with their own keys (aws_endpoint/cognito), so moto's
    `jwk` name, in its Cognito module only, is given an import_key that parses that key once."""
    import moto.cognitoidp.models as cognito_models  # noqa: PLC0415 (patched here only)
    from joserfc import jwk  # noqa: PLC0415

    if cognito_models.jwk is not jwk:
        return
    parsed = {}

    def import_key(value):
        cache_key = json.dumps(value, sort_keys=True)
        if cache_key not in parsed:
            parsed[cache_key] = jwk.RSAKey.import_key(value)
        return parsed[cache_key]

    cognito_models.jwk = SimpleNamespace(RSAKey=SimpleNamespace(import_key=import_key))


def compile_url_builders_lazily() -> None:
    """werkzeug compiles two URL builders (Python code generated through `ast`, for url_for) for every rule
    it binds; moto only matches URLs, and API Gateway's first request binds a rule per operation of its
    model (moto.core.routing.RestRouter): 0.2 s of CPU at start-up for builders never called. Each builder
    is compiled on its first call instead, from the same rule: the same URLs when something builds one."""
    from werkzeug.routing.rules import Rule  # noqa: PLC0415 (patched here only)

    if getattr(Rule._compile_builder, "lazy", False):
        return
    compile_builder = Rule._compile_builder

    def _compile_builder(self, append_unknown: bool = True):
        compiled = []

        def build(rule, /, **values):  # positional: a URL's argument may be named `rule`
            if not compiled:
                compiled.append(compile_builder(rule, append_unknown))
            return compiled[0](rule, **values)

        return build

    _compile_builder.lazy = True
    Rule._compile_builder = _compile_builder


def list_regions_lazily() -> None:
    """moto lists a service's regions (botocore's endpoints.json, and the service's whole model for its
    endpoint prefix: 0.07 s for DynamoDB's) when an account's backends are first looked up, which restoring
    the saved state does for every service saved. The list is only read about a region whose backend does
    not exist yet, so it is made then, the same list (moto's AccountSpecificBackend._generate_regions)."""
    from moto.core.base_backend import AccountSpecificBackend  # noqa: PLC0415 (patched here only)

    if isinstance(AccountSpecificBackend.__dict__.get("regions"), property):
        return
    init, lock = AccountSpecificBackend.__init__, threading.Lock()

    def __init__(self, service_name, account_id, backend, use_boto3_regions, additional_regions):
        init(self, service_name, account_id, backend, False, None)
        self.__dict__.pop("_regions", None)
        self.__dict__["_regions_from"] = (use_boto3_regions, additional_regions)

    def regions(self) -> list[str]:
        with lock:
            if "_regions" not in self.__dict__:
                use_boto3_regions, additional_regions = self.__dict__.pop("_regions_from")
                self.__dict__["_regions"] = [
                    *(self._generate_regions(self.service_name) if use_boto3_regions else ()),
                    *(additional_regions or ())]
            return self.__dict__["_regions"]

    def set_regions(self, value: list[str]) -> None:
        self.__dict__["_regions"] = value

    def __contains__(self, region: str) -> bool:  # moto's, with the backends made asked first
        region = "aws" if region == "global" else region
        return dict.__contains__(self, region) or region in self.regions

    AccountSpecificBackend.__init__, AccountSpecificBackend.__contains__ = __init__, __contains__
    AccountSpecificBackend.regions = property(regions, set_regions)


def share_motos_model_loader() -> None:
    """moto makes a new botocore Loader for each model it reads (moto.core.utils._load_service_model: each
    service's model, then its paginators), so each one lists botocore's data directories again, ~0.02 s of
    file checks a time. One Loader (moto's, with its extras) for all of them: it caches its listings and
    files, and moto keeps each model it built anyway (get_service_model is cached)."""
    import moto.core.utils as moto_utils  # noqa: PLC0415 (patched here only)

    if getattr(moto_utils.create_loader, "shared", False):
        return
    loader = moto_utils.create_loader()
    lock = threading.Lock()  # botocore's loader is not thread-safe

    class SharedLoader:
        def load_service_model(self, service_name, type_name, api_version=None):
            with lock:
                return loader.load_service_model(service_name, type_name, api_version)

    def create_loader():
        return SharedLoader()

    create_loader.shared = True
    moto_utils.create_loader = create_loader


def create_app():
    compile_url_builders_lazily()
    list_regions_lazily()
    share_motos_model_loader()
    list_moto_modules_once()
    list_method_names_once()
    import_motos_dummy_key_once()
    moto_rules.install()
    apigateway_rules.install()
    lambda_rules.install()
    iam_rules.install()
    persistence.start()  # restores the saved state before anything is served
    moto_app = DomainDispatcherApplication(create_backend_app)
    allowed_origins = settings().aws_allowed_origins
    # Copies: a Rule binds to one Map, and create_app may be called more than once per process.
    url_map = Map([rule.empty() for rule in EXTENSION_RULES], strict_slashes=False, merge_slashes=False,
                  converters={"everything": EverythingConverter})

    def to_moto(environ, start_response):
        written = write_of(environ)  # a Cognito write: its change counter moves once moto applied it
        try:
            with persistence.request(environ):
                return tracing.recording_writes(environ, start_response,
                                                lambda env, respond: call_moto(moto_app, env, respond))
        finally:
            if written:
                CHANGES.bump(*written)

    def app(environ, start_response):
        refusal = cross_site_refusal(environ, allowed_origins)
        if refusal is not None:
            return refusal(environ, start_response)
        if environ.get("PATH_INFO") == "/":  # every JSON and query protocol call; no extension path is "/"
            return to_moto(environ, start_response)
        adapter = url_map.bind_to_environ(environ)
        try:
            endpoint, args = adapter.match()
        except HTTPException:  # not ours (404/405): moto's
            return to_moto(environ, start_response)
        if endpoint in WRITES:
            with persistence.request(environ, writes=True, moto_writes=WRITES[endpoint]):
                response = endpoint(Request(environ), **args)
        else:
            response = endpoint(Request(environ), **args)
        return response(environ, start_response)

    return app
