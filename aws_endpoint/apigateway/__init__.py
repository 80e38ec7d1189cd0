"""API Gateway REST APIs served at their LocalStack-style invocation URL, with Cognito authorizers enforced.

`/restapis/<apiId>/<stage>/_user_request_/<path>` on the AWS endpoint, every method. Modules, in the order
a request meets them: routing (API, stage, resource, method from moto), authorizer (+ jwks), proxy_event,
integrations (+ proxy_response), views (the glue and the one place errors become HTTP).
"""

from werkzeug.routing import Rule

from aws_endpoint.apigateway.views import invoke_api

RULES = [
    Rule("/restapis/<api_id>/<stage>/_user_request_/", endpoint=invoke_api),
    Rule("/restapis/<api_id>/<stage>/_user_request_/<everything:path>", endpoint=invoke_api),
]
