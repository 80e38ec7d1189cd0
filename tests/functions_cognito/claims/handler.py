"""A PreTokenGeneration trigger answering the override in the OVERRIDE environment variable (JSON): for a
V1 event as response.claimsOverrideDetails, for a V2 event as response.claimsAndScopeOverrideDetails. With
FAIL set, it raises that message instead."""

import json
import os


def lambda_handler(event, context):
    if os.environ.get("FAIL"):
        raise Exception(os.environ["FAIL"])
    key = "claimsAndScopeOverrideDetails" if event["version"] == "2" else "claimsOverrideDetails"
    event["response"] = {key: json.loads(os.environ["OVERRIDE"])}
    return event
