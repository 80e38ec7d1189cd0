from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import include, path


@login_required(login_url="/oidc/authenticate/")
def me(request):
    return JsonResponse({"email": request.user.email, "has_access_token": bool(request.session.get("oidc_access_token"))})


urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls")), path("me/", me)]
