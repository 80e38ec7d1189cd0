"""The demo site's OpenID Connect client: mozilla-django-oidc with Cognito's ID-token checks added."""
