"""Sleep past the function's timeout; otherwise return the worker's pid."""

import os
import time


def lambda_handler(event, context):
    time.sleep(event.get("seconds", 0))
    return {"pid": os.getpid()}
