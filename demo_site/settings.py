"""Django settings for the demo site: every endpoint, id and secret from the environment, read once here.

Defaults point at the local sandbox. Front-channel URLs (what the browser is sent to) and back-channel
URLs (what this server calls) are separate settings; issuers are the same on both. Empty Cognito ids and
API URL are found by name through the AWS API when the WSGI app loads (demo_site/resources.py), because
the sandbox provisions them only after this module is imported. Every variable is listed in .env.example.
"""

from __future__ import annotations

from pathlib import Path

from sandbox.aws_urls import HOSTED_UI_PATHS
from sandbox.config import env, port_of
from sandbox.config import settings as sandbox_settings

_sandbox = sandbox_settings()


def _flag(name: str, default: str = "0") -> bool:
    return env(name, default).strip().lower() in ("1", "true", "yes", "on")


BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = env("DEMO_SECRET_KEY", "sandbox-demo-site-not-secret")
DEBUG = _flag("DEMO_DEBUG")
DEMO_SITE_URL = _sandbox.demo_site_url
ALLOWED_HOSTS = [h for h in env("DEMO_ALLOWED_HOSTS", "localhost,127.0.0.1,demo").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "mozilla_django_oidc",
    "sandbox",
    "demo_site",
]
MIDDLEWARE = [
    "demo_site.middleware.flow_events_gathered",
    "demo_site.middleware.canonical_host",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "demo_site.urls"
WSGI_APPLICATION = "demo_site.wsgi.application"
# The pages are Jinja2 (demo_site/jinja2/, environment in demo_site/jinja2env.py), as the other parties'
# are; the backend gives every page `request` and `csrf_input`, the processor `user`.
TEMPLATES = [{
    "BACKEND": "django.template.backends.jinja2.Jinja2",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"environment": "demo_site.jinja2env.environment",
                "context_processors": ["django.contrib.auth.context_processors.auth"]},
}]

# One sqlite file per demo-site port: several sandboxes run side by side (SANDBOX_PORT_OFFSET). It holds
# Django's users (keyed on cognito:username) and sessions; it is migrated when the WSGI app loads.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env("DEMO_DATABASE_PATH", str(_sandbox.state_dir / f"demo-{port_of(DEMO_SITE_URL)}.sqlite3")),
        # WAL: readers never wait for the writer, and a commit is an append to the log, not a journal
        # rewrite; synchronous=NORMAL syncs at checkpoints only (a power cut may lose the last sessions,
        # never corrupt the file). IMMEDIATE: a transaction takes the write lock when it begins, so two
        # sign-ins never both read then fail to upgrade ("database is locked"); `timeout` waits for it.
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE",
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"},
        # One connection per server thread, kept: opening it and running the PRAGMAs was ~1.5 ms of every
        # request that touches the session (Django's default closes it after each request).
        "CONN_MAX_AGE": None,
        "CONN_HEALTH_CHECKS": True,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TIME_ZONE = "UTC"

# Every party shares `localhost`, and browsers do not separate cookies by port: prefix ours.
SESSION_COOKIE_NAME = "demo_sessionid"
CSRF_COOKIE_NAME = "demo_csrftoken"  # unused while CSRF_USE_SESSIONS; named for whoever turns it off
# The CSRF secret in the session, not a cookie of its own: the one form (sign out) is shown to signed-in
# users only, whose session exists anyway. A cookie was set anew by every page holding that form (Django
# renews its expiry whenever the token is used) and by sign-in (rotated on login): a Set-Cookie the
# browser parses and stores on each, for nothing the session does not already carry.
CSRF_USE_SESSIONS = True
SESSION_COOKIE_SAMESITE = "Lax"  # the callback is a top-level GET from Cognito: Lax still sends it
SESSION_ENGINE = "demo_site.sessions"  # Django's database sessions, one SQL statement per read or write

AUTHENTICATION_BACKENDS = ["demo_site.oidc.backend.CognitoBackend"]
LOGIN_URL = "oidc_authentication_init"
LOGIN_REDIRECT_URL = "/profile/"
LOGIN_REDIRECT_URL_FAILURE = "/"
LOGOUT_REDIRECT_URL = "/"

# -- Cognito (the OpenID provider the demo site signs in with) ------------------------------------------
COGNITO_HOSTED_UI_URL = _sandbox.cognito_hosted_ui_url  # front channel: the browser goes here
COGNITO_HOSTED_UI_BACKCHANNEL_URL = env("COGNITO_HOSTED_UI_BACKCHANNEL_URL",
                                        _sandbox.backchannel(COGNITO_HOSTED_UI_URL)).rstrip("/")
COGNITO_USER_POOL_ID = env("COGNITO_USER_POOL_ID", "")
COGNITO_APP_CLIENT_NAME = env("COGNITO_APP_CLIENT_NAME", "demo-site")
COGNITO_ISSUER = env("COGNITO_ISSUER", "").rstrip("/")  # empty: <AWS public URL or cognito-idp>/<pool id>
# Empty: the hosted UI's login page (seed step b, first form); "Okta": straight to Okta (second form).
COGNITO_IDENTITY_PROVIDER = env("COGNITO_IDENTITY_PROVIDER", "")
COGNITO_LOGOUT_URL = env("COGNITO_LOGOUT_URL", COGNITO_HOSTED_UI_URL + HOSTED_UI_PATHS["logout"])
COGNITO_LOGOUT_REDIRECT_URL = env("COGNITO_LOGOUT_REDIRECT_URL", DEMO_SITE_URL + "/")  # one of LogoutURLs

# mozilla-django-oidc (settings reference: https://mozilla-django-oidc.readthedocs.io/en/stable/settings.html)
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = "RS256"  # Cognito signs with RS256 only
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email profile sandbox-api/profile.read")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", COGNITO_HOSTED_UI_URL + HOSTED_UI_PATHS["authorize"])
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", COGNITO_HOSTED_UI_BACKCHANNEL_URL + HOSTED_UI_PATHS["token"])
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", COGNITO_HOSTED_UI_BACKCHANNEL_URL + HOSTED_UI_PATHS["userinfo"])
# The verified ID token carries every attribute the demo site keeps (Cognito puts the user's attributes
# the client may read in it; OIDC Core §5.4 lets a client take claims from the ID token): the sign-in
# reads /oauth2/userInfo only when this is on, a second back-channel call on the callback.
DEMO_CALL_USERINFO = _flag("DEMO_CALL_USERINFO")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", "")  # empty: back channel of <issuer>/.well-known/jwks.json
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"  # the only method Cognito accepts
OIDC_TOKEN_USE_BASIC_AUTH = True  # client_secret_basic: the secret in a Basic header, not the body
OIDC_STORE_ACCESS_TOKEN = True
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = float(env("OIDC_TIMEOUT", "10"))
OIDC_CREATE_USER = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
OIDC_OP_LOGOUT_URL_METHOD = "demo_site.logout.provider_logout_url"
ALLOW_LOGOUT_GET_METHOD = False
# Seconds of clock difference tolerated on exp/iat (troubleshooting: clock skew).
OIDC_CLOCK_SKEW_SECONDS = int(env("OIDC_CLOCK_SKEW_SECONDS", "60"))

# -- Okta sign-out (optional): after Cognito's /logout, also end the Okta session ---------------------
OKTA_LOGOUT_URL = env("OKTA_LOGOUT_URL", "")  # e.g. <Okta issuer>/v1/logout; empty: stay signed in at Okta
OKTA_LOGOUT_CLIENT_ID = env("OKTA_LOGOUT_CLIENT_ID", "")
OKTA_POST_LOGOUT_REDIRECT_URI = env("OKTA_POST_LOGOUT_REDIRECT_URI", "")

# -- API Gateway (the profile API, seed steps h-k) ---------------------------------------------------
API_URL = env("API_URL", "").rstrip("/")  # the stage's invoke URL; empty: found by the API's name
API_BACKCHANNEL_URL = env("API_BACKCHANNEL_URL", "").rstrip("/")  # empty: back channel of API_URL
API_PROFILE_PATH = env("API_PROFILE_PATH", "/profile")
API_ADMIN_PATH = env("API_ADMIN_PATH", "/admin/profiles")
API_TIMEOUT = float(env("API_TIMEOUT", "15"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"demo_site": {"handlers": ["console"], "level": env("DEMO_LOG_LEVEL", "WARNING")},
                "mozilla_django_oidc": {"handlers": ["console"], "level": env("DEMO_LOG_LEVEL", "WARNING")},
                # A 500's traceback in the sandbox's output (Django logs it only to mail_admins by default).
                "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
