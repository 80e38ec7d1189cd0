"""Where moto's API Gateway management API crashes on a request the real one answers, patched in one place
(`install()`, called once by aws_endpoint.app.create_app), so the caller gets API Gateway's answer, not a 500:

- a Delete (or UpdateRequestValidator) of something that does not exist is the NotFoundException its Get
  answers (moto pops or indexes the id and raises KeyError): `FOUND_FIRST` lists them with their Get; and
  GetDeployment of an unknown deployment is NotFoundException "Invalid Deployment identifier specified";
- ImportRestApi of a document whose `info` has no `description` imports it (OpenAPI 3's Info object
  requires only `title` and `version`; moto reads `info["description"]`), with no description, as a
  CreateRestApi without one;
- ImportRestApi or PutRestApi of a document moto cannot read (no `info.title`, no `paths`, a path item
  that is not an object, ...) is 400 BadRequestException, moto's own text for a document it refuses
  ("Failed to parse the uploaded OpenAPI document due to: ..."), and an import that fails creates no API.
  PutRestApi applies the paths in order, as moto does: the ones before the bad one stay (AWS's own
  behaviour on a half-bad merge is unconfirmed);
- an Update call without `patchOperations` (optional in every Update operation's input shape; boto3 sends
  `{}`) changes nothing and answers as usual: moto iterates the missing list (TypeError, so a 500)."""

from __future__ import annotations

import functools
import inspect

from moto.apigateway.exceptions import BadRequestException, DeploymentNotFoundException
from moto.apigateway.models import APIGatewayBackend, RestAPI
from moto.apigateway.responses import APIGatewayResponse

# What moto raises when a document lacks what it reads: a member missing, or of another type than it expects.
UNREADABLE = (KeyError, TypeError, AttributeError, IndexError)


def _unreadable(exc: Exception) -> BadRequestException:
    what = f"no {exc.args[0]!r}" if isinstance(exc, KeyError) and exc.args else "an unexpected value"
    return BadRequestException(f"Failed to parse the uploaded OpenAPI document due to: {what}")


# The backend call that crashes on an unknown id -> moto's Get of the same thing (same parameter names), whose
# NotFound it raises first: the id checked before anything changes.
FOUND_FIRST = {
    "delete_rest_api": "get_rest_api",
    "delete_resource": "get_resource",
    "delete_integration": "get_method",
    "delete_authorizer": "get_authorizer",
    "delete_request_validator": "get_request_validator",
    "update_request_validator": "get_request_validator",
    "delete_usage_plan": "get_usage_plan",
    "delete_usage_plan_key": "get_usage_plan_key",
}


def _found_first(original, getter_name: str):
    signature = inspect.signature(original)
    getter_params = list(inspect.signature(getattr(APIGatewayBackend, getter_name)).parameters)[1:]

    @functools.wraps(original)
    def call(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs).arguments
        getattr(self, getter_name)(*(bound[name] for name in getter_params))
        return original(self, *args, **kwargs)
    return call


def _get_deployment(original):
    @functools.wraps(original)
    def get_deployment(self, deployment_id):
        if deployment_id not in self.deployments:
            raise DeploymentNotFoundException()
        return original(self, deployment_id)
    return get_deployment


def _import_rest_api(original):
    @functools.wraps(original)
    def import_rest_api(self, api_doc, *args, **kwargs):
        info = api_doc.get("info") if isinstance(api_doc, dict) else None
        if isinstance(info, dict) and "description" not in info:
            api_doc = {**api_doc, "info": {**info, "description": None}}
        before = set(self.apis)
        try:
            return original(self, api_doc, *args, **kwargs)
        except Exception as exc:
            for api_id in set(self.apis) - before:  # the API moto created before the document failed
                self.apis.pop(api_id, None)
            if isinstance(exc, UNREADABLE):
                raise _unreadable(exc) from None
            raise
    return import_rest_api


def _put_rest_api(original):
    @functools.wraps(original)
    def put_rest_api(self, function_id, *args, **kwargs):
        self.get_rest_api(function_id)  # an unknown API is NotFoundException before the document is read
        try:
            return original(self, function_id, *args, **kwargs)
        except UNREADABLE as exc:
            raise _unreadable(exc) from None
    return put_rest_api


def _no_patch_operations_is_an_empty_list(original):
    @functools.wraps(original)
    def _get_param(self, param_name, if_none=None):
        value = original(self, param_name, if_none)
        return [] if param_name == "patchOperations" and value is None else value
    return _get_param


def install() -> None:
    if getattr(APIGatewayBackend, "_sandbox_rules", False):
        return
    for name, getter_name in FOUND_FIRST.items():
        setattr(APIGatewayBackend, name, _found_first(getattr(APIGatewayBackend, name), getter_name))
    RestAPI.get_deployment = _get_deployment(RestAPI.get_deployment)
    APIGatewayBackend.import_rest_api = _import_rest_api(APIGatewayBackend.import_rest_api)
    APIGatewayBackend.put_rest_api = _put_rest_api(APIGatewayBackend.put_rest_api)
    APIGatewayResponse._get_param = _no_patch_operations_is_an_empty_list(APIGatewayResponse._get_param)
    APIGatewayBackend._sandbox_rules = True
