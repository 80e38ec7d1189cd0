"""Django settings for the demo site (placeholder until the demo client lands, issue 6)."""

from pathlib import Path

from sandbox.config import settings as sandbox_settings

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "sandbox-demo-site-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "sandbox",
]
ROOT_URLCONF = "demo_site.urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(sandbox_settings().state_dir / "demo.sqlite3"),
    }
}
USE_TZ = True
SESSION_COOKIE_NAME = "demo_sessionid"
CSRF_COOKIE_NAME = "demo_csrftoken"
