"""A plain OIDC client against the sandbox: sign in through the hosted UI and Okta, verify the ID token
against the pool's JWKS, call the API with the access token."""

import jwt
import requests


def test_a_new_user_signs_in_and_the_api_returns_their_record(wf05_sandbox, wf05_okta_user, wf05_sign_in,
                                                              wf05_resources, wf05_flow_events):
    user = wf05_okta_user(first_name="Olive")
    signed_in = wf05_sign_in(user)

    keys = jwt.PyJWKClient(f"{wf05_resources['issuer']}/.well-known/jwks.json")
    claims = jwt.decode(signed_in.id_token, keys.get_signing_key_from_jwt(signed_in.id_token).key,
                        algorithms=["RS256"], audience=wf05_resources["client_id"], issuer=wf05_resources["issuer"])
    assert claims["email"] == user.login and claims["token_use"] == "id"

    profile = requests.get(wf05_resources["api_url"] + "/profile", timeout=15,
                           headers={"Authorization": f"Bearer {signed_in.access_token}"})
    assert profile.status_code == 200
    assert user.login in profile.text

    events = wf05_flow_events(signed_in.flow_id, steps=("l", "m"))
    assert {"l", "m"} <= {event["step"] for event in events}  # the user was created, the PreSignUp trigger ran


def test_the_api_refuses_a_request_without_a_token(wf05_resources):
    assert requests.get(wf05_resources["api_url"] + "/profile", timeout=15).status_code == 401
