"""Many browsers at once: every sign-in completes, and each person is one pool user and one DynamoDB record."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sandbox.testing.browser import Browser, SignInResult
from sandbox.testing.okta import create_okta_user
from sandbox.aws import client
from tests.functions_faults import pool_users, records


def sign_in_together(logins: list[str]) -> list[SignInResult]:
    """One fresh browser per login, all released at the same moment."""
    start = threading.Barrier(len(logins))

    def one(login: str) -> SignInResult:
        with Browser(timeout=60) as browser:
            start.wait()
            return browser.sign_in(login)

    with ThreadPoolExecutor(len(logins)) as pool:
        return list(pool.map(one, logins))


def assert_all_signed_in(results: list[SignInResult]) -> None:
    server_errors = [(h.method, h.url, h.status) for r in results for h in r.hops if h.status >= 500]
    assert not server_errors
    failed = [(r.page.url, r.page.status_code, r.api_status, r.error) for r in results if not r.ok]
    assert not failed  # each ended on the profile page, whose API call answered 200


def groups_of(resources, username: str) -> list[str]:
    found = client("cognito-idp").admin_list_groups_for_user(UserPoolId=resources.user_pool_id, Username=username)
    return [g["GroupName"] for g in found["Groups"]]


def test_fifty_distinct_users_signing_in_at_once_each_get_one_pool_user_and_one_record(sandbox, resources):
    logins = [create_okta_user(first="Crowd").login for _ in range(50)]

    assert_all_signed_in(sign_in_together(logins))

    for login in logins:
        users = pool_users(resources.user_pool_id, login)
        assert len(users) == 1, login
        assert users[0]["UserStatus"] == "EXTERNAL_PROVIDER"
        stored = records(resources.user_table, login)
        assert [r["userName"] for r in stored] == [users[0]["Username"]]
        assert groups_of(resources, users[0]["Username"]) == [f"{resources.user_pool_id}_Okta"]
    okta_groups = [g for g in client("cognito-idp").list_groups(UserPoolId=resources.user_pool_id)["Groups"]
                   if g["GroupName"].endswith("_Okta")]
    assert len(okta_groups) == 1  # one group however many first sign-ins race


def test_ten_simultaneous_first_sign_ins_of_one_user_make_one_pool_user_and_one_record(sandbox, resources):
    login = create_okta_user(first="Twin").login

    assert_all_signed_in(sign_in_together([login] * 10))

    users = pool_users(resources.user_pool_id, login)
    assert len(users) == 1
    assert [r["userName"] for r in records(resources.user_table, login)] == [users[0]["Username"]]
    group = f"{resources.user_pool_id}_Okta"
    assert groups_of(resources, users[0]["Username"]) == [group]
    pages = client("cognito-idp").get_paginator("list_users_in_group").paginate(
        UserPoolId=resources.user_pool_id, GroupName=group)
    assert [u["Username"] for page in pages for u in page["Users"]].count(users[0]["Username"]) == 1
