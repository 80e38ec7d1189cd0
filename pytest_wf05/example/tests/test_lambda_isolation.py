"""Your Lambda code runs as on AWS: a package installed where your tests run (requests) is not there for a
function that did not ship it (Runtime.ImportModuleError)."""

import io
import json
import uuid
import zipfile


def zipped(source: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("handler.py", source)
    return buf.getvalue()


def test_a_function_importing_a_package_it_did_not_ship_fails_as_on_aws(wf05_sandbox):
    lam, iam = wf05_sandbox.aws_client("lambda"), wf05_sandbox.aws_client("iam")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "lambda.amazonaws.com"}}]}
    role = iam.create_role(RoleName=f"example-{uuid.uuid4().hex[:8]}", AssumeRolePolicyDocument=json.dumps(trust))
    name = f"example-{uuid.uuid4().hex[:8]}"
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=role["Role"]["Arn"], Handler="handler.main",
                        Code={"ZipFile": zipped("import requests\n\ndef main(event, context):\n    return 1\n")})
    try:
        response = lam.invoke(FunctionName=name, Payload=b"{}")
        assert response["FunctionError"] == "Unhandled"
        assert json.loads(response["Payload"].read()) == {
            "errorType": "Runtime.ImportModuleError", "requestId": "", "stackTrace": [],
            "errorMessage": "Unable to import module 'handler': No module named 'requests'"}
    finally:  # the sandbox may be shared: leave it as it was
        lam.delete_function(FunctionName=name)
        iam.delete_role(RoleName=role["Role"]["RoleName"])
