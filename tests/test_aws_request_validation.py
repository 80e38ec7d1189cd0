"""The AWS endpoint checks every call against its service's botocore model before moto sees it, in each
protocol the sandbox uses: JSON 1.0 (DynamoDB), JSON 1.1 (Cognito), query (IAM, STS) and rest-json
(Lambda, API Gateway). A refused call gets the service's own error code in the protocol's shape, which
botocore's own parsers read back; nothing reaches moto's 500s."""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from sandbox.config import settings


def aws(path: str = "/") -> str:
    return settings().aws_endpoint_url + path


def signed(service: str) -> dict:
    return {"Authorization": f"AWS4-HMAC-SHA256 Credential=test/20261201/us-east-1/{service}/aws4_request, "
                             "SignedHeaders=host, Signature=0"}


def target(service: str, operation: str, content_type: str | None = None) -> dict:
    prefix, version = {"dynamodb": ("DynamoDB_20120810", "1.0"),
                       "cognito-idp": ("AWSCognitoIdentityProviderService", "1.1")}[service]
    return {**signed(service), "X-Amz-Target": f"{prefix}.{operation}",
            "Content-Type": content_type or f"application/x-amz-json-{version}"}


def unvalidated(service: str):
    """A boto3 client that sends what it is given: botocore's own client-side checks are off."""
    s = settings()
    return boto3.client(service, endpoint_url=s.aws_endpoint_url, region_name=s.aws_region,
                        config=Config(parameter_validation=False, retries={"max_attempts": 1}))


def query_error(response: requests.Response) -> dict:
    """Type, Code, Message and RequestId of a query protocol's XML ErrorResponse."""
    root = ET.fromstring(response.text)
    assert root.tag.endswith("ErrorResponse"), response.text
    return {element.tag.rsplit("}", 1)[-1]: element.text for element in root.iter()}


# -- JSON 1.0 / 1.1 -----------------------------------------------------------------------------------------

def test_dynamodb_without_a_required_member_is_coral_validation_exception(sandbox):
    answer = requests.post(aws(), data="{}", headers=target("dynamodb", "DescribeTable"), timeout=10)
    assert answer.status_code == 400
    assert answer.headers["Content-Type"] == "application/x-amz-json-1.0"
    assert answer.json() == {"__type": "com.amazon.coral.validate#ValidationException",
                             "message": "1 validation error detected: Value null at 'tableName' failed to satisfy "
                                        "constraint: Member must not be null"}


def test_a_body_the_model_accepted_before_is_still_refused_with_a_wrong_content_type_or_no_signature(sandbox, resources):
    body = json.dumps({"TableName": resources.user_table})
    for _ in range(2):  # the second is a repeat of a body that passed: the checks around it still apply
        assert requests.post(aws(), data=body, headers=target("dynamodb", "DescribeTable"), timeout=10).status_code == 200
    assert requests.post(aws(), data=body, headers=target("dynamodb", "DescribeTable", "text/plain"),
                         timeout=10).status_code == 404
    unsigned = {k: v for k, v in target("dynamodb", "DescribeTable").items() if k != "Authorization"}
    refused = requests.post(aws(), data=body, headers=unsigned, timeout=10)
    assert (refused.status_code, refused.json()["__type"]) == (
        400, "com.amazon.coral.service#MissingAuthenticationTokenException")
    # The same body under another operation is checked against that operation's input.
    other = requests.post(aws(), data=body, headers=target("dynamodb", "GetItem"), timeout=10)
    assert other.status_code == 400 and "'key' failed to satisfy constraint: Member must not be null" in other.json()["message"]


def test_a_refused_body_is_refused_again_when_repeated(sandbox):
    for _ in range(3):
        answer = requests.post(aws(), data="{}", headers=target("dynamodb", "DescribeTable"), timeout=10)
        assert answer.status_code == 400
        assert answer.json()["__type"] == "com.amazon.coral.validate#ValidationException"


@pytest.mark.parametrize("value, message", [
    ([1], "Start of list found where not expected"),
    ({"a": 1}, "Start of structure or map found where not expected"),
    (7, "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String"),
    (True, "class java.lang.Boolean can not be converted to an String"),
])
def test_dynamodb_member_of_the_wrong_json_type_is_serialization_exception(sandbox, value, message):
    answer = requests.post(aws(), data=json.dumps({"TableName": value}),
                           headers=target("dynamodb", "DescribeTable"), timeout=10)
    assert answer.status_code == 400
    assert answer.json() == {"__type": "com.amazon.coral.service#SerializationException", "message": message}


@pytest.mark.parametrize("body", ["[]", "7", "{\"TableName\":", "\xff\xfe", "[" * 100_000, "{\"a\":" * 100_000])
def test_dynamodb_body_that_is_not_a_json_object_is_serialization_exception(sandbox, body):
    answer = requests.post(aws(), data=body.encode("latin-1"), headers=target("dynamodb", "ListTables"), timeout=20)
    assert answer.status_code == 400
    assert answer.json()["__type"] == "com.amazon.coral.service#SerializationException"


def test_dynamodb_constraints_of_the_model_are_enforced_together(sandbox):
    # DynamoDB's own text for an empty name (nubo-db/dynoxide #11, checked against DynamoDB).
    answer = requests.post(aws(), data=json.dumps({"TableName": "", "Limit": 0}),
                           headers=target("dynamodb", "Scan"), timeout=10)
    assert answer.status_code == 400
    assert answer.json()["message"] == (
        "2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: Member must have "
        "length greater than or equal to 1; Value '0' at 'limit' failed to satisfy constraint: Member must have "
        "value greater than or equal to 1")


def test_an_unknown_json_operation_is_unknown_operation_exception(sandbox):
    for operation in ("Nope", "describeTable", ""):
        answer = requests.post(aws(), data="{}", headers=target("dynamodb", operation), timeout=10)
        assert answer.status_code == 400
        assert answer.json() == {"__type": "com.amazon.coral.service#UnknownOperationException"}
    answer = requests.post(aws(), data="{}", headers={**target("cognito-idp", "x"),
                                                      "X-Amz-Target": "DynamoDB_20120810.ListTables"}, timeout=10)
    assert answer.json() == {"__type": "UnknownOperationException"}  # JSON 1.1: the short name


@pytest.mark.parametrize("content_type", ["application/x-amz-json-1.1", "application/x-www-form-urlencoded",
                                          "text/plain", None])
def test_dynamodb_with_another_content_type_gets_its_front_ends_404_page(sandbox, content_type):
    headers = {k: v for k, v in target("dynamodb", "ListTables").items() if k != "Content-Type"}
    answer = requests.post(aws(), data="{}", timeout=10,
                           headers={**headers, **({"Content-Type": content_type} if content_type else {})})
    assert answer.status_code == 404
    assert "<title>Page Not Found</title>" in answer.text


def test_dynamodb_takes_plain_application_json_as_aws_does(sandbox, resources):
    answer = requests.post(aws(), data=json.dumps({"TableName": resources.user_table}),
                           headers=target("dynamodb", "DescribeTable", "application/json; charset=utf-8"), timeout=10)
    assert answer.status_code == 200
    assert answer.json()["Table"]["TableName"] == resources.user_table


def test_an_unsigned_call_needing_a_signature_is_missing_authentication_token(sandbox):
    headers = {k: v for k, v in target("dynamodb", "ListTables").items() if k != "Authorization"}
    answer = requests.post(aws(), data="{}", headers=headers, timeout=10)
    assert answer.status_code == 400
    assert answer.json() == {"__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
                             "message": "Request is missing Authentication Token"}


def test_cognitos_public_calls_still_need_no_signature(resources):
    headers = {k: v for k, v in target("cognito-idp", "InitiateAuth").items() if k != "Authorization"}
    answer = requests.post(aws(), headers=headers, timeout=10, data=json.dumps({
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": resources.client_id,
        "AuthParameters": {"USERNAME": "nobody", "PASSWORD": "x"}}))
    assert 400 <= answer.status_code < 500
    assert answer.json()["__type"] != "MissingAuthenticationTokenException"


def test_cognito_refuses_a_bad_pool_id_with_invalid_parameter_exception(sandbox):
    answer = requests.post(aws(), data=json.dumps({"UserPoolId": "no pool"}),
                           headers=target("cognito-idp", "DescribeUserPool"), timeout=10)
    assert answer.status_code == 400
    assert answer.headers["x-amzn-ErrorType"] == "InvalidParameterException"
    assert answer.json() == {"__type": "InvalidParameterException", "message": (
        "1 validation error detected: Value 'no pool' at 'userPoolId' failed to satisfy constraint: Member must "
        "satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+")}


# -- query ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("action", ["Nope", "ListRoles\x00", "ListRoles\r\nX-Injected: 1", "<b>ListRoles</b>",
                                    "%zz", "\udcff".encode("utf-8", "surrogateescape").decode("latin-1")])
def test_an_unknown_query_action_is_invalid_action_in_an_xml_error_response(sandbox, action):
    answer = requests.post(aws(), headers=signed("iam"), timeout=10,
                           data={"Action": action, "Version": "2010-05-08"})
    assert answer.status_code == 400
    assert answer.headers["Content-Type"].startswith("text/xml")
    error = query_error(answer)
    assert (error["Type"], error["Code"]) == ("Sender", "InvalidAction")
    assert error["Message"].startswith("Could not find operation ") and error["Message"].endswith(" for version 2010-05-08")
    assert error["RequestId"]


@pytest.mark.parametrize("kwargs", [{"data": {"Action[]": "ListRoles"}}, {"json": {"Action": "ListRoles"}},
                                    {"data": ""}])
def test_a_query_call_without_an_action_is_missing_action(sandbox, kwargs):
    answer = requests.post(aws(), headers=signed("iam"), timeout=10, **kwargs)
    assert answer.status_code == 400
    assert query_error(answer)["Code"] == "MissingAction"


def test_iam_without_a_required_member_is_validation_error(sandbox):
    answer = requests.post(aws(), headers=signed("iam"), timeout=10, data={"Action": "GetRole", "Version": "2010-05-08"})
    assert answer.status_code == 400
    error = query_error(answer)
    assert (error["Code"], error["Message"]) == ("ValidationError", "1 validation error detected: Value null at "
                                                 "'roleName' failed to satisfy constraint: Member must not be null")


def test_iam_with_a_number_member_that_is_no_number_is_validation_error_not_a_crash(sandbox):
    answer = requests.get(aws(), headers=signed("iam"), timeout=10,
                          params={"Action": "ListRoles", "Version": "2010-05-08", "MaxItems": "many"})
    assert answer.status_code == 400
    assert query_error(answer)["Code"] == "ValidationError"


@pytest.mark.parametrize("action, member", [("ListVirtualMFADevices", {}), ("ListRoles", {}),
                                            ("ListRoleTags", {"RoleName": "sandbox-lambda-role"}),
                                            ("ListAttachedRolePolicies", {"RoleName": "sandbox-lambda-role"})])
def test_iam_with_a_marker_it_never_handed_out_is_invalid_marker_not_a_crash(resources, action, member):
    for marker in ("[]", "null", "0.0", "<script>"):
        answer = requests.post(aws(), headers=signed("iam"), timeout=10,
                               data={"Action": action, "Version": "2010-05-08", "Marker": marker, **member})
        assert answer.status_code == 400, (action, marker, answer.text[:200])
        error = query_error(answer)
        assert (error["Code"], error["Message"]) == ("ValidationError", "Invalid Marker.")


def test_iam_pages_on_with_the_marker_it_handed_out(resources):
    iam = unvalidated("iam")
    extra = f"marker-probe-{uuid.uuid4().hex[:8]}"  # so there are at least two roles
    iam.create_role(RoleName=extra, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}))
    try:
        names = [role["RoleName"] for role in iam.list_roles()["Roles"]]
        first = iam.list_roles(MaxItems=1)
        assert first["IsTruncated"] and first["Roles"][0]["RoleName"] == names[0]
        assert iam.list_roles(Marker=first["Marker"], MaxItems=1)["Roles"][0]["RoleName"] == names[1]
    finally:
        iam.delete_role(RoleName=extra)


def test_sts_calls_sdks_send_still_answer(sandbox):
    answer = requests.post(aws(), headers=signed("sts"), timeout=10,
                           data={"Action": "GetCallerIdentity", "Version": "2011-06-15"})
    assert answer.status_code == 200 and "<Account>" in answer.text


# -- rest-json ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("service, method, path", [
    ("lambda", "GET", "/2015-03-31/nothing"), ("lambda", "PATCH", "/2015-03-31/functions"),
    ("apigateway", "GET", "/nothing"), ("apigateway", "POST", "/restapis/x/y/z/w")])
def test_a_rest_path_no_operation_has_is_unknown_operation_exception(sandbox, service, method, path):
    answer = requests.request(method, aws(path), headers=signed(service), timeout=10)
    assert answer.status_code == 404
    assert answer.headers["x-amzn-ErrorType"] == "UnknownOperationException"
    assert answer.headers["Content-Type"] == "application/json"


def test_lambda_create_function_without_its_members_is_validation_exception(sandbox):
    answer = requests.post(aws("/2015-03-31/functions"), data="{}", headers=signed("lambda"), timeout=10)
    assert answer.status_code == 400
    assert answer.headers["x-amzn-ErrorType"] == "ValidationException"
    assert answer.json() == {"Type": "User", "message": (
        "3 validation errors detected: Value null at 'functionName' failed to satisfy constraint: Member must not "
        "be null; Value null at 'role' failed to satisfy constraint: Member must not be null; Value null at 'code' "
        "failed to satisfy constraint: Member must not be null")}


def test_lambda_path_member_breaking_its_pattern_is_validation_exception(sandbox):
    answer = requests.get(aws("/2015-03-31/functions/no%20such%20name"), headers=signed("lambda"), timeout=10)
    assert answer.status_code == 400
    assert "at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern" \
        in answer.json()["message"]


def test_api_gateway_names_a_body_member_by_its_operations_input(sandbox):
    answer = requests.post(aws("/restapis"), data=json.dumps({"name": ["x"]}), headers=signed("apigateway"), timeout=10)
    assert answer.status_code == 400
    assert answer.json() == {"message": "Start of list found where not expected"}
    answer = requests.post(aws("/restapis"), data="{}", headers=signed("apigateway"), timeout=10)
    assert answer.json() == {"message": "1 validation error detected: Value null at 'createRestApiInput.name' "
                                        "failed to satisfy constraint: Member must not be null"}


@pytest.mark.parametrize("payload", [b"[" * 100_000, b"{\"a\":" * 100_000, b"{\"a\": ", b"\x87\x99"])
def test_lambda_invoke_with_a_payload_that_is_not_json_is_invalid_request_content(resources, payload):
    answer = requests.post(aws("/2015-03-31/functions/sandbox-profile-api/invocations"), data=payload,
                           headers=signed("lambda"), timeout=20)
    assert answer.status_code == 400
    assert answer.headers["x-amzn-ErrorType"] == "InvalidRequestContentException"
    # The key botocore's model names for this error: "message" (InvalidRequestContentException's shape).
    assert answer.json()["message"].startswith("Could not parse request body into json: Could not parse payload into json: ")
    assert answer.json()["Type"] == "User"


# -- botocore reads every refusal back as the service's error ---------------------------------------------

@pytest.mark.parametrize("service, call, code", [
    ("dynamodb", lambda c: c.describe_table(), "ValidationException"),
    ("dynamodb", lambda c: c.list_tables(Limit="x"), "SerializationException"),
    ("cognito-idp", lambda c: c.describe_user_pool(), "InvalidParameterException"),
    ("iam", lambda c: c.get_role(), "ValidationError"),
    ("sts", lambda c: c.assume_role(RoleArn="arn:aws:iam::123456789012:role/x"), "ValidationError"),
    ("lambda", lambda c: c.create_function(), "ValidationException"),
    ("lambda", lambda c: c.create_function(FunctionName=7, Role="r", Code={}), "SerializationException"),
    ("apigateway", lambda c: c.create_rest_api(), "ValidationException"),
    ("logs", lambda c: c.describe_log_groups(limit="x"), "SerializationException"),
    ("logs", lambda c: c.create_log_group(), "InvalidParameterException"),
])
def test_boto3_sees_each_refusal_as_the_services_client_error(sandbox, service, call, code):
    with pytest.raises(ClientError) as caught:
        call(unvalidated(service))
    assert caught.value.response["Error"]["Code"] == code
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_an_operation_moto_does_not_emulate_is_unknown_in_the_protocols_shape_not_an_html_404(sandbox):
    answer = requests.get(aws("/clientcertificates"), headers=signed("apigateway"), timeout=10)  # GetClientCertificates
    assert answer.status_code == 404
    assert answer.headers["x-amzn-ErrorType"] == "UnknownOperationException"
    assert answer.json() == {"message": "The sandbox's apigateway does not emulate this operation."}


def test_a_number_in_a_rest_path_is_read_as_a_number_and_a_word_there_is_refused(sandbox):
    layer = "/2018-10-31/layers/no-such-layer/versions/"
    number = requests.delete(aws(layer + "1"), headers=signed("lambda"), timeout=10)
    assert number.headers.get("x-amzn-ErrorType") not in ("SerializationException", "ValidationException")
    answer = requests.delete(aws(layer + "one"), headers=signed("lambda"), timeout=10)
    assert answer.status_code == 400
    assert answer.headers["x-amzn-ErrorType"] == "ValidationException"


def moto_that_fails(environ, start_response):
    raise RuntimeError("a moto bug")


@pytest.mark.parametrize("service, headers, body, shape", [
    ("iam", {"CONTENT_TYPE": "application/x-www-form-urlencoded"}, b"Action=ListRoles&Version=2010-05-08", "xml"),
    ("dynamodb", {"CONTENT_TYPE": "application/x-amz-json-1.0", "HTTP_X_AMZ_TARGET": "DynamoDB_20120810.ListTables"},
     b"{}", "json"),
])
def test_a_moto_failure_behind_the_checks_is_internal_failure_in_the_protocols_shape_and_logged(service, headers, body,
                                                                                               shape, caplog):
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Response as WerkzeugResponse

    from aws_endpoint.protocols import through

    environ = EnvironBuilder(method="POST", path="/", data=body, headers={**signed(service)}).get_environ()
    environ.update(headers)
    answer = WerkzeugResponse.from_app(lambda e, s: through(moto_that_fails, e, s), environ)
    assert answer.status_code == 500
    text = answer.get_data(as_text=True)
    if shape == "xml":
        assert "<Code>InternalFailure</Code>" in text and "<Type>Receiver</Type>" in text
    else:
        assert json.loads(text)["__type"] == "com.amazon.coral.service#InternalFailure"
    assert "a moto bug" in caplog.text


@pytest.mark.parametrize("operation", ["get_tags", "untag_resource", "tag_resource"])
@pytest.mark.parametrize("arn", ["0", "x", "arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:role/x"])
def test_api_gateway_tagging_of_something_that_is_no_api_gateway_arn_is_bad_request(sandbox, operation, arn):
    # API Gateway's text for a bad ARN, "Invalid ARN specified in the request" (aws_endpoint/protocols/arguments.py);
    # moto itself fails on these with an IndexError.
    kwargs = {"get_tags": {}, "untag_resource": {"tagKeys": ["k"]}, "tag_resource": {"tags": {"k": "v"}}}[operation]
    with pytest.raises(ClientError) as caught:
        getattr(unvalidated("apigateway"), operation)(resourceArn=arn, **kwargs)
    assert caught.value.response["Error"] == {"Code": "BadRequestException",
                                              "Message": "Invalid ARN specified in the request"}
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_api_gateway_tags_a_stage_by_its_arn_whose_path_travels_as_one_encoded_segment(resources):
    # The SDKs send the ARN as one path label with its `/` as %2F (botocore serializes a non-greedy label so);
    # the stage is the taggable resource moto emulates.
    arn = f"arn:aws:apigateway:{settings().aws_region}::/restapis/{resources.api_id}/stages/{resources.api_stage}"
    client = unvalidated("apigateway")
    client.tag_resource(resourceArn=arn, tags={"review": "yes"})
    try:
        assert client.get_tags(resourceArn=arn)["tags"]["review"] == "yes"
    finally:
        client.untag_resource(resourceArn=arn, tagKeys=["review"])
    assert "review" not in client.get_tags(resourceArn=arn)["tags"]


# -- where moto's API Gateway crashes and API Gateway answers (aws_endpoint/apigateway/moto_rules.py) --------

def test_deleting_a_rest_api_that_does_not_exist_is_not_found_as_getting_it_is(resources):
    client = unvalidated("apigateway")
    for call in (client.get_rest_api, client.delete_rest_api):
        with pytest.raises(ClientError) as caught:
            call(restApiId="0")
        assert caught.value.response["Error"] == {"Code": "NotFoundException", "Message": "Invalid Rest API Id specified"}
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_deleting_what_does_not_exist_in_an_api_is_the_refusal_getting_it_is(resources):
    client = unvalidated("apigateway")
    api_id = client.create_rest_api(name="unknown ids")["id"]
    plan_id = client.create_usage_plan(name="unknown ids")["id"]
    key_id = client.create_api_key(name="unknown ids")["id"]
    try:
        root = client.get_resources(restApiId=api_id)["items"][0]["id"]
        ids = {"restApiId": api_id}
        pairs = [(client.get_resource, client.delete_resource, {**ids, "resourceId": "nope"}),
                 (client.get_method, client.delete_integration, {**ids, "resourceId": root, "httpMethod": "GET"}),
                 (client.get_authorizer, client.delete_authorizer, {**ids, "authorizerId": "nope"}),
                 (client.get_request_validator, client.delete_request_validator, {**ids, "requestValidatorId": "nope"}),
                 (client.get_request_validator, client.update_request_validator, {**ids, "requestValidatorId": "nope"}),
                 (client.get_usage_plan, client.delete_usage_plan, {"usagePlanId": "nope"}),
                 (client.get_usage_plan_key, client.delete_usage_plan_key, {"usagePlanId": plan_id, "keyId": key_id}),
                 (client.get_usage_plan_key, client.delete_usage_plan_key, {"usagePlanId": plan_id, "keyId": "nope"})]
        for get, change, params in pairs:
            refusals = []
            for call in (get, change):
                with pytest.raises(ClientError) as caught:
                    call(**params)
                refusals.append((caught.value.response["Error"], caught.value.response["ResponseMetadata"]["HTTPStatusCode"]))
            assert refusals[0] == refusals[1], change.__name__
            assert 400 <= refusals[1][1] < 500, change.__name__
        with pytest.raises(ClientError) as caught:
            client.get_deployment(**ids, deploymentId="nope")
        assert caught.value.response["Error"] == {"Code": "NotFoundException",
                                                  "Message": "Invalid Deployment identifier specified"}
        assert [r["id"] for r in client.get_resources(**ids)["items"]] == [root]
        assert client.get_usage_plan(usagePlanId=plan_id)["id"] == plan_id
    finally:
        client.delete_rest_api(restApiId=api_id)
        client.delete_usage_plan(usagePlanId=plan_id)
        client.delete_api_key(apiKey=key_id)


def test_an_openapi_import_whose_info_has_no_description_makes_an_api_without_one(resources):
    # OpenAPI 3's Info object requires title and version only.
    client = unvalidated("apigateway")
    doc = {"openapi": "3.0.1", "info": {"title": "no description", "version": "1"}, "paths": {"/ping": {"get": {}}}}
    api_id = client.import_rest_api(body=json.dumps(doc).encode())["id"]
    try:
        api = client.get_rest_api(restApiId=api_id)
        assert api["name"] == "no description" and "description" not in api
        assert {r["path"] for r in client.get_resources(restApiId=api_id)["items"]} == {"/", "/ping"}
    finally:
        client.delete_rest_api(restApiId=api_id)


@pytest.mark.parametrize("doc", [{"openapi": "3.0.1", "info": {"version": "1"}, "paths": {}},
                                 {"openapi": "3.0.1", "info": {"title": "t", "version": "1"}},
                                 {"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {"/a": 5}}])
def test_an_openapi_import_moto_cannot_read_is_bad_request_and_creates_no_api(resources, doc):
    client = unvalidated("apigateway")
    before = {api["id"] for api in client.get_rest_apis()["items"]}
    with pytest.raises(ClientError) as caught:
        client.import_rest_api(body=json.dumps(doc).encode())
    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert caught.value.response["Error"]["Message"].startswith("Failed to parse the uploaded OpenAPI document")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert {api["id"] for api in client.get_rest_apis()["items"]} == before


def test_putting_an_openapi_document_on_an_api_that_does_not_exist_is_not_found(resources):
    with pytest.raises(ClientError) as caught:
        unvalidated("apigateway").put_rest_api(restApiId="0", body=b'{"openapi": "3.0.1", "paths": {}}')
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


def test_an_update_without_patch_operations_changes_nothing_and_answers_as_a_get(resources):
    # patchOperations is optional in every Update operation's input; boto3 then sends `{}`.
    client = unvalidated("apigateway")
    api_id = client.create_rest_api(name="no patch operations", description="kept")["id"]
    key_id = client.create_api_key(name="no patch operations")["id"]
    plan_id = client.create_usage_plan(name="no patch operations")["id"]
    try:
        root = client.get_resources(restApiId=api_id)["items"][0]["id"]
        client.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
        client.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
        client.create_deployment(restApiId=api_id, stageName="s")
        authorizer = client.create_authorizer(restApiId=api_id, name="c", type="COGNITO_USER_POOLS",
                                              providerARNs=[resources.user_pool_arn],
                                              identitySource="method.request.header.Authorization")["id"]
        pairs = [(client.update_rest_api, client.get_rest_api, {"restApiId": api_id}),
                 (client.update_stage, client.get_stage, {"restApiId": api_id, "stageName": "s"}),
                 (client.update_authorizer, client.get_authorizer, {"restApiId": api_id, "authorizerId": authorizer}),
                 (client.update_api_key, client.get_api_key, {"apiKey": key_id}),
                 (client.update_usage_plan, client.get_usage_plan, {"usagePlanId": plan_id})]
        for update, get, ids in pairs:
            before = get(**ids)
            updated = update(**ids)
            for answer in (updated, before):
                answer.pop("ResponseMetadata")
                answer.pop("lastUpdatedDate", None)
                answer.pop("value", None)  # an API key's value: moto's UpdateApiKey shows it, GetApiKey by default not
            assert updated == before, update.__name__
        with pytest.raises(ClientError) as caught:
            client.update_rest_api(restApiId="0")
        assert caught.value.response["Error"]["Code"] == "NotFoundException"
    finally:
        client.delete_rest_api(restApiId=api_id)
        client.delete_api_key(apiKey=key_id)
        client.delete_usage_plan(usagePlanId=plan_id)
