"""The redirect URI must equal one of the client's CallbackURLs: never redirect anywhere else."""

from hosted_ui.errors import redirect_mismatch


def check(request, client: dict) -> None:
    # Exact string match (RFC 6749 §3.1.2.3; Cognito compares the registered URL as is).
    if (not request.redirect_uri or "redirect_uri" in request.repeated  # two URIs: neither is trusted
            or request.redirect_uri not in (client.get("CallbackURLs") or [])):
        raise redirect_mismatch(client["ClientId"])  # /error?error=redirect_mismatch&client_id=<id> (errors.py)
