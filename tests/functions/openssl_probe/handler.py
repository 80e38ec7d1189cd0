"""Whether OpenSSL read the function's OPENSSL_CONF: MD4 is only in the legacy provider such a config loads."""

import hashlib


def lambda_handler(event, context):
    try:
        return {"md4": hashlib.new("md4", b"").hexdigest()}
    except ValueError as exc:
        return {"md4": f"ValueError: {exc}"}
