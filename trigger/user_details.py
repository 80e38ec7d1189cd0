"""What the trigger does per trigger source (see README.md)."""

from botocore.exceptions import BotoCoreError, ClientError

# userAttributes name -> item attribute name (seed step n: these exact names).
ATTRIBUTE_FIELDS = {"email": "Email", "given_name": "given_name", "family_name": "family_name"}


class UserDetailsNotStored(Exception):
    """Storing failed: raising fails the sign-in, so no user exists without a record."""


def user_item(event: dict) -> dict:
    """The DynamoDB item for a PreSignUp event, in DynamoDB's typed JSON."""
    attributes = (event.get("request") or {}).get("userAttributes") or {}
    item = {
        "userName": {"S": event["userName"]},
        "ClientId": {"S": (event.get("callerContext") or {}).get("clientId") or ""},
    }
    for source, field in ATTRIBUTE_FIELDS.items():
        if attributes.get(source):
            item[field] = {"S": attributes[source]}
    return item


def store(item: dict, dynamodb, table: str) -> None:
    """Put the item; the key is userName, so a retried invocation writes the same single item."""
    if not table:
        raise UserDetailsNotStored("USER_TABLE is not set")
    try:
        dynamodb.put_item(TableName=table, Item=item)
    except (ClientError, BotoCoreError) as exc:
        raise UserDetailsNotStored(f"could not store the user's details: {exc}") from exc


def handle(event: dict, dynamodb, table: str) -> dict:
    """Store the details on a federated first sign-in; every other source passes through. Returns the
    event unchanged: the response's autoConfirmUser/autoVerify* stay false, as Cognito sent them."""
    if event.get("triggerSource") == "PreSignUp_ExternalProvider":
        store(user_item(event), dynamodb, table)
    return event
