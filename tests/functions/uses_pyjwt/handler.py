"""Uses a package the Python runtime does not include (PyJWT): it works only when the zip or a layer ships it."""

import jwt


def lambda_handler(event, context):
    return {"token": jwt.encode({"sub": event.get("sub", "x")}, "not-a-secret", algorithm="HS256"),
            "jwt_from": jwt.__file__}
