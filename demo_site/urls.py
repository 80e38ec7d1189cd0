"""Every path of the demo site, in one table."""

from django.urls import path

from demo_site import views
from demo_site.oidc.views import SignInCallbackView, SignInStartView, SignOutView

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path("profile/", views.profile_page, name="profile"),
    path("profile/admin/", views.admin_profiles, name="admin_profiles"),
    path("flow/", views.flow, name="flow"),
    # mozilla-django-oidc's three views, under its own URL names (its urls.py, subclassed here).
    path("oidc/authenticate/", SignInStartView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", SignInCallbackView.as_view(), name="oidc_authentication_callback"),
    path("oidc/logout/", SignOutView.as_view(), name="oidc_logout"),
]
