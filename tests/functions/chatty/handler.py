"""Log through print, stderr and the logging module."""

import logging
import sys

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def lambda_handler(event, context):
    print(f"printed {event['marker']}")
    print(f"to stderr {event['marker']}", file=sys.stderr)
    logger.info("logged %s", event["marker"])
    return "ok"
