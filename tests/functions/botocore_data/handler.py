"""What a function's botocore sessions read: which data loader each gets, and which of botocore's data files
its first DynamoDB client reads (tests/test_lambda_python_runtime.py)."""

import os

import boto3
import botocore.loaders
import botocore.session


def lambda_handler(event, context):
    reads = []
    load_file = botocore.loaders.JSONFileLoader.load_file
    botocore.loaders.JSONFileLoader.load_file = lambda self, path: reads.append(path) or load_file(self, path)
    loader = botocore.session.get_session().get_component("data_loader")
    shared = botocore.session.get_session().get_component("data_loader") is loader
    for _ in range(20):
        boto3.session.Session()  # boto3 adds its data folder to the loader of each Session it makes
    client = boto3.client("dynamodb")
    tables = client.list_tables()["TableNames"]  # with the function's own credentials, region and endpoint
    os.environ["AWS_DATA_PATH"] = "/nonexistent/models"
    own = botocore.session.get_session().get_component("data_loader")
    return {"shared": shared, "reads": reads, "search_paths": loader.search_paths,
            "own_loader_for_a_data_path": own is not loader, "own_search_paths": own.search_paths,
            "region": client.meta.region_name, "lambda_region": os.environ["AWS_REGION"],
            "listed_tables": isinstance(tables, list)}
