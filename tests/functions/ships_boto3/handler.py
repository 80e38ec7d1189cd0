"""A function whose package carries its own boto3 (pip install -t .): on Lambda that copy is imported."""

import boto3


def lambda_handler(event, context):
    return {"version": boto3.__version__, "file": boto3.__file__}
