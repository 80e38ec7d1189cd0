"""Each party's app carries its own context (settings, stores, caches): two of them live in one process
without sharing anything."""

from __future__ import annotations

import json
from dataclasses import replace

from werkzeug.test import Client

from hosted_ui.app import create_app as hosted_ui_app
from hosted_ui.settings import settings as hosted_ui_settings
from mock_idp.app import create_app as mock_idp_app
from mock_idp.settings import settings as mock_idp_settings


def test_two_hosted_uis_in_one_process_serve_their_own_domains(sandbox, resources):
    ours = hosted_ui_app(hosted_ui_settings())
    other = hosted_ui_app(replace(hosted_ui_settings(), domain="no-such-domain-here"))
    assert ours.ctx is not other.ctx and ours.ctx.codes is not other.ctx.codes
    args = {"client_id": resources.client_id, "redirect_uri": "https://example.invalid/cb", "response_type": "code"}
    # Ours knows the client (an unregistered redirect_uri goes to its /error page); the other has no pool.
    mismatch = Client(ours).get("/oauth2/authorize", query_string=args)
    assert mismatch.status_code == 302 and "error=redirect_mismatch" in mismatch.headers["Location"]
    assert mismatch.headers["Location"].startswith(hosted_ui_settings().url + "/error?")
    missing = Client(other).get("/oauth2/authorize", query_string=args)
    assert missing.status_code == 404 and "The user pool domain does not exist." in missing.text


def test_two_mock_oktas_in_one_process_are_two_issuers_with_their_own_keys(tmp_path):
    first_cfg = replace(mock_idp_settings(), issuer="http://localhost:1/oauth2/first", key_dir=tmp_path / "first")
    second_cfg = replace(mock_idp_settings(), issuer="http://localhost:1/oauth2/second", key_dir=tmp_path / "second")
    first, second = Client(mock_idp_app(first_cfg)), Client(mock_idp_app(second_cfg))
    documents = [json.loads(c.get(f"/oauth2/{name}/.well-known/openid-configuration").text)
                 for c, name in ((first, "first"), (second, "second"))]
    assert [d["issuer"] for d in documents] == [first_cfg.issuer, second_cfg.issuer]
    kids = [{k["kid"] for k in json.loads(c.get(f"/oauth2/{name}/v1/keys").text)["keys"]}
            for c, name in ((first, "first"), (second, "second"))]
    assert kids[0] and kids[1] and not kids[0] & kids[1]
    assert first.get("/oauth2/second/v1/keys").status_code == 404
