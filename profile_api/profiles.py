"""What each route of the profile API does. Plain functions: the event in, the proxy answer out."""

import json

from botocore.exceptions import BotoCoreError, ClientError

# The item fields the PreSignUp trigger writes (trigger/user_details.py).
FIELDS = ("userName", "ClientId", "Email", "given_name", "family_name")


def answer(status: int, body: dict) -> dict:
    return {"statusCode": status, "headers": {"Content-Type": "application/json"},
            "body": json.dumps(body, separators=(",", ":"))}


def error(status: int, code: str, message: str) -> dict:
    return answer(status, {"error": code, "message": message})


def claims_of(event: dict) -> dict:
    return ((event.get("requestContext") or {}).get("authorizer") or {}).get("claims") or {}


def plain(item: dict) -> dict:
    """DynamoDB's typed JSON ({"S": ...}) to plain strings, the known fields only."""
    return {name: item[name]["S"] for name in FIELDS if "S" in item.get(name, {})}


def profile(event: dict, dynamodb, table: str) -> dict:
    claims = claims_of(event)
    # Access tokens carry `username`, ID tokens `cognito:username`; the trigger keyed the item by it.
    user = claims.get("username") or claims.get("cognito:username")
    if not user:
        return error(401, "unauthorized", "the authorizer passed no username claim")
    found = dynamodb.get_item(TableName=table, Key={"userName": {"S": user}}, ConsistentRead=True).get("Item")
    if not found:
        return error(404, "not_found", f"no profile for {user}")
    return answer(200, {"profile": plain(found), "claims": claims})


def all_profiles(event: dict, dynamodb, table: str) -> dict:
    items, start = [], None
    while True:
        page = dynamodb.scan(TableName=table, **({"ExclusiveStartKey": start} if start else {}))
        items += [plain(item) for item in page.get("Items", [])]
        start = page.get("LastEvaluatedKey")
        if not start:
            return answer(200, {"profiles": items})


def ping(event: dict, dynamodb, table: str) -> dict:
    return answer(200, {"ok": True, "service": "profile-api"})


ROUTES = {
    ("GET", "/profile"): profile,
    ("GET", "/admin/profiles"): all_profiles,
    ("GET", "/public/ping"): ping,
}


def handle(event: dict, dynamodb, table: str) -> dict:
    route = ROUTES.get((event.get("httpMethod"), event.get("resource")))
    if route is None:
        return error(404, "not_found", f"no route {event.get('httpMethod')} {event.get('resource')}")
    if not table:
        return error(500, "misconfigured", "USER_TABLE is not set")
    try:
        return route(event, dynamodb, table)
    except (ClientError, BotoCoreError) as exc:
        print(json.dumps({"error": str(exc)}))
        return error(503, "unavailable", "the profile store is unavailable")
