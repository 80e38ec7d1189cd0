"""A sign-in through the compose stack in headless Chromium, as a person on the host would do it: the demo
site, Cognito's hosted UI, Okta's sign-in page, back to the profile page with the API's answer and the user's
DynamoDB record; every URL the browser is shown is a front-channel one."""

from __future__ import annotations

import requests
from playwright.sync_api import expect

from conftest import AWS, BACK_CHANNEL, DEMO, OKTA_ISSUER, expect_alices_profile, id_token_claim, sign_in


def test_alice_signs_in_through_cognito_and_okta_and_sees_the_apis_200_and_her_dynamodb_record(page):
    sign_in(page)
    expect_alices_profile(page)
    expect(page.locator("#who")).to_have_text("Alice Anderson")


def test_the_id_token_carries_cognitos_front_channel_issuer_whose_discovery_and_keys_answer_on_the_host(page):
    page.goto(DEMO + "/profile/")
    iss = id_token_claim(page, "iss")
    assert iss.startswith(AWS + "/us-east-1_"), iss
    discovery = requests.get(iss + "/.well-known/openid-configuration", timeout=10).json()
    assert discovery["issuer"] == iss
    assert requests.get(discovery["jwks_uri"], timeout=10).json()["keys"]
    expect(page.locator(".signature").first).to_contain_text("valid: RS256")
    okta = requests.get(OKTA_ISSUER + "/.well-known/openid-configuration", timeout=10).json()
    assert okta["issuer"] == OKTA_ISSUER


def test_the_profile_and_flow_pages_show_only_front_channel_urls(page):
    for path in ("/profile/", "/flow/"):
        page.goto(DEMO + path)
        html = page.content()
        assert not BACK_CHANNEL.findall(html), (path, sorted({m.group(0) for m in BACK_CHANNEL.finditer(html)}))


def test_the_flow_page_draws_every_step_of_a_first_sign_in_with_the_trigger_writing_to_dynamodb(page):
    page.goto(DEMO + "/flow/")
    expect(page.locator("#sequence")).to_be_visible()
    for letter in "abcdefghijklmn":
        expect(page.locator(f"#step-{letter} .event").first).to_be_visible()
    expect(page.locator("#sequence .lifeline", has_text="DynamoDB")).to_have_count(1)
    expect(page.locator("#step-n")).to_contain_text("PutItem")
    expect(page.locator("#stored-item")).to_contain_text("alice@example.com")
