"""Echo the event, the environment and the context; count invocations to show warm reuse."""

import os

invocations = 0  # module level: survives between invocations of a warm worker


def lambda_handler(event, context):
    global invocations
    invocations += 1
    return {
        "event": event,
        "environment": dict(os.environ),
        "pid": os.getpid(),
        "invocations": invocations,
        "cwd": os.getcwd(),
        "context": {
            "aws_request_id": context.aws_request_id,
            "function_name": context.function_name,
            "function_version": context.function_version,
            "invoked_function_arn": context.invoked_function_arn,
            "memory_limit_in_mb": context.memory_limit_in_mb,
            "log_group_name": context.log_group_name,
            "log_stream_name": context.log_stream_name,
            "remaining_ms": context.get_remaining_time_in_millis(),
        },
    }


def can_import_sandbox(event, context):
    """Whether the sandbox's own packages leak into the function (they must not, as on Lambda)."""
    import importlib.util

    return {name: importlib.util.find_spec(name) is not None for name in ("sandbox", "aws_endpoint", "boto3")}


def returns_a_set(event, context):
    return {"not", "json"}


def exits(event, context):
    os._exit(3)
