"""mozilla-django-oidc's backend, made to check Cognito's ID token fully and key users on cognito:username.

mozilla-django-oidc checks the signature (key from the JWKS by kid and alg) and the nonce, but not `iss`,
`aud` or `token_use` (its `_verify_jws` passes verify_aud=False), and does not turn an expired token into
a refusal: `verify_token` here does all of it (demo_site/oidc/id_token.py). Hooks: "Advanced user
verification based on their claims" and "Changing how Django users are created" in
https://mozilla-django-oidc.readthedocs.io/en/stable/installation.html.
"""

from __future__ import annotations

from functools import lru_cache

import requests
from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from demo_site.backchannel import session
from demo_site.oidc import id_token
from demo_site.oidc.jwks import KeySetUnavailable, key_set
from demo_site.oidc.sign_in import SignIn, record_sign_in
from demo_site.oidc.token_client import TokenEndpointError, request_tokens
from demo_site.resources import resolve_again
from sandbox import flowlog


@lru_cache(maxsize=64)
def _user_query(model, attname: str, connection):
    """The statement users_where runs for `attname` on `connection` (a server thread's own, kept), with
    what it needs to make its rows into users: made once, not on every sign-in and page."""
    meta = model._meta
    fields, quote = meta.concrete_fields, connection.ops.quote_name
    field = meta.pk if attname == meta.pk.attname else meta.get_field(attname)
    sql = (f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(meta.db_table)} "
           f"WHERE {quote(field.column)} = %s")
    columns = [f.get_col(meta.db_table) for f in fields]
    converters = [connection.ops.get_db_converters(c) + c.get_db_converters(connection) for c in columns]
    return field, sql, [f.attname for f in fields], columns, converters


class UserInfoRefused(Exception):
    """Cognito's /oauth2/userInfo refused the access token, or spoke of another user. Not a
    SuspiciousOperation: mozilla-django-oidc would swallow that around get_or_create_user."""


class CognitoBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # reads the settings resolved when the WSGI app loaded
        self.token_response: dict = {}
        self.jwk = None

    @property
    def flow(self) -> str | None:
        request = getattr(self, "request", None)
        return request.GET.get("state") if request is not None else None

    # -- seed step f/g: the token exchange and the ID token ---------------------------------------------

    def get_token(self, payload: dict) -> dict:
        """The code grant, with the secret in a Basic header and the flow id on the back-channel call."""
        form = {k: v for k, v in payload.items() if k != "client_secret"}
        try:
            self.token_response = request_tokens(self.OIDC_OP_TOKEN_ENDPOINT, payload["client_id"],
                                                 payload["client_secret"], form, flow=self.flow,
                                                 timeout=settings.OIDC_TIMEOUT)
        except TokenEndpointError as exc:
            # The secret refused: the app client may have been made anew (same id, new secret). Read it
            # again from AWS and, if it changed, exchange the same code once more.
            if exc.error != "invalid_client" or not resolve_again(settings) \
                    or settings.OIDC_RP_CLIENT_ID != payload["client_id"]:
                raise
            self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
            self.token_response = request_tokens(self.OIDC_OP_TOKEN_ENDPOINT, payload["client_id"],
                                                 settings.OIDC_RP_CLIENT_SECRET, form, flow=self.flow,
                                                 timeout=settings.OIDC_TIMEOUT)
        return self.token_response

    def retrieve_matching_jwk(self, token, header: dict | None = None):
        """The pool's key the token names (kid, and alg when the key states one), from the process's cached
        key set (demo_site/oidc/jwks.py) rather than a fetch per sign-in."""
        header = header if header is not None else id_token.check_header(token)
        kid = header.get("kid")
        try:
            self.jwk = key_set(self.OIDC_OP_JWKS_ENDPOINT).key_for(str(kid), str(header.get("alg")),
                                                                   timeout=settings.OIDC_TIMEOUT)
        except KeySetUnavailable as exc:
            raise id_token.IdTokenRejected(f"could not fetch the key set {self.OIDC_OP_JWKS_ENDPOINT}: {exc}") from None
        if self.jwk is None:
            raise id_token.IdTokenRejected(f"no key {kid!r} in the pool's key set {self.OIDC_OP_JWKS_ENDPOINT}")
        return self.jwk

    def verify_token(self, token, **kwargs):
        """Signature, exp/iat, token_use, iss, aud and nonce; raise IdTokenRejected saying which failed."""
        header = id_token.check_header(token)
        key = self.retrieve_matching_jwk(token, header)
        claims = id_token.decode_signed(token, key, leeway=settings.OIDC_CLOCK_SKEW_SECONDS)
        return id_token.check_claims(claims, issuer=settings.COGNITO_ISSUER, client_id=self.OIDC_RP_CLIENT_ID,
                                     nonce=kwargs.get("nonce"))

    # -- userinfo and the Django user -------------------------------------------------------------------

    def get_userinfo(self, access_token, id_token_jwt, payload):
        """The verified ID token's claims; with DEMO_CALL_USERINFO, Cognito's /oauth2/userInfo merged under
        them (the ID token's win)."""
        if not settings.DEMO_CALL_USERINFO:
            return dict(payload)
        try:
            response = session.get(self.OIDC_OP_USER_ENDPOINT, timeout=settings.OIDC_TIMEOUT,
                                   headers={"Authorization": f"Bearer {access_token}", flowlog.HEADER: self.flow or ""})
        except requests.RequestException as exc:
            raise UserInfoRefused(f"could not reach {self.OIDC_OP_USER_ENDPOINT}: {exc.__class__.__name__}") from None
        if response.status_code != 200:
            raise UserInfoRefused(f"userInfo answered {response.status_code} "
                                  f"{response.headers.get('WWW-Authenticate', response.text[:200])}")
        try:
            info = response.json()
        except ValueError:
            raise UserInfoRefused("userInfo did not answer JSON") from None
        # OIDC Core 5.3.2: the UserInfo `sub` must be the ID token's, or the answer must not be used.
        if info.get("sub") != payload.get("sub"):
            raise UserInfoRefused("userInfo's sub is not the ID token's")
        return {**info, **payload}

    def verify_claims(self, claims):
        if not claims.get("cognito:username"):
            raise UserInfoRefused("the ID token has no cognito:username: no user can be keyed on it")
        return True

    def filter_users_by_claims(self, claims):
        return self.users_where("username", claims["cognito:username"])

    def get_user(self, user_id):
        """The signed-in user of a request (Django's auth middleware asks on every page), or None."""
        found = self.users_where(self.UserModel._meta.pk.attname, user_id)
        return found[0] if found else None

    def users_where(self, attname: str, value) -> list:
        """The users whose field `attname` equals `value`, in one prepared SQL statement over the model's own
        columns, each value through the converters the ORM applies (the database's and the field's, e.g. an
        aware datetime), made into users by `Model.from_db` as the ORM makes them: the ORM's query compiler
        was most of the cost of these lookups, once per sign-in and once per page."""
        db = router.db_for_read(self.UserModel)
        connection = connections[db]
        field, sql, names, columns, converters = _user_query(self.UserModel, attname, connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [field.get_db_prep_value(value, connection)])
            rows = cursor.fetchall()
        users = []
        for row in rows:
            values = list(row)
            for i, (column, steps) in enumerate(zip(columns, converters)):
                for convert in steps:
                    values[i] = convert(values[i], column, connection)
            users.append(self.UserModel.from_db(db, names, values))
        return users

    def create_user(self, claims):
        """The user's first sign-in here. Two first sign-ins of one person at once both find no user: the
        loser of the race takes the winner's row (its unique username) instead of failing."""
        try:
            with transaction.atomic():
                user = self.UserModel(username=claims["cognito:username"])
                user.set_unusable_password()
                return self.update_user(user, claims)
        except IntegrityError:
            return self.update_user(self.UserModel.objects.get(username=claims["cognito:username"]), claims)

    def update_user(self, user, claims):
        """Refresh the user's details from the claims on every sign-in (Cognito's mapped attributes); a
        returning user whose details did not change costs no write."""
        details = {"email": claims.get("email", ""), "first_name": claims.get("given_name", "")[:150],
                   "last_name": claims.get("family_name", "")[:150]}
        changed = [name for name, value in details.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, details[name])
        if user.pk is None:
            user.save()
        elif changed:
            user.save(update_fields=changed)
        return user

    # -- after a sign-in: what the callback view stores and the flow page shows --------------------------

    def store_tokens(self, access_token, id_token_jwt):
        """Hand the tokens to the callback view, which stores them once the user is logged in (login may
        flush the session when another user was signed in)."""
        self.request.demo_sign_in = SignIn(flow=self.flow, access_token=access_token, id_token=id_token_jwt,
                                           refresh_token=self.token_response.get("refresh_token"),
                                           expires_in=self.token_response.get("expires_in"))

    def authenticate(self, request, **kwargs):
        user = super().authenticate(request, **kwargs)
        sign_in = getattr(request, "demo_sign_in", None) if request is not None else None
        if user is not None and sign_in is not None:
            record_sign_in(sign_in, user, jwk=self.jwk, jwks_url=self.OIDC_OP_JWKS_ENDPOINT,
                           userinfo_url=self.OIDC_OP_USER_ENDPOINT if settings.DEMO_CALL_USERINFO else None)
        return user


