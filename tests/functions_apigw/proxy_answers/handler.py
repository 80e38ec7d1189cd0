"""Answer with the proxy response named by the `shape` query parameter: good ones and malformed ones."""

import base64

SHAPES = {
    "multi": {"statusCode": 201, "headers": {"X-One": "1", "X-Flag": True},
              "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]}, "body": "made"},
    "binary": {"statusCode": 200, "headers": {"Content-Type": "image/png"},
               "body": base64.b64encode(b"\x89PNG\r\n").decode(), "isBase64Encoded": True},
    "string-status": {"statusCode": "202", "body": "accepted"},
    "no-status": {"body": "defaulted"},
    "extra-key": {"statusCode": 200, "body": "x", "cookies": ["a=1"]},
    "dict-body": {"statusCode": 200, "body": {"not": "a string"}},
    "bad-status": {"statusCode": "two hundred", "body": "x"},
    "number-header": {"statusCode": 200, "headers": {"X-Count": 3}, "body": "x"},
    "not-an-object": ["statusCode", 200],
}


def lambda_handler(event, context):
    shape = (event.get("queryStringParameters") or {}).get("shape", "")
    if shape == "raise":
        raise RuntimeError("the function failed")
    return SHAPES[shape]
