"""The authorize request as Cognito reads it (authorization-endpoint docs)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class AuthorizeRequest:
    client_id: str
    redirect_uri: str
    response_type: str
    state: str | None
    scope: str | None
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    identity_provider: str | None

    @classmethod
    def from_args(cls, args) -> "AuthorizeRequest":
        def get(name):
            value = args.get(name)
            return value if value not in (None, "") else None

        return cls(
            client_id=args.get("client_id", ""),
            redirect_uri=args.get("redirect_uri", ""),
            response_type=args.get("response_type", ""),
            state=get("state"),
            scope=get("scope"),
            nonce=get("nonce"),
            code_challenge=get("code_challenge"),
            code_challenge_method=get("code_challenge_method"),
            # idp_identifier is the documented alias (an IdP identifier); here both name the provider.
            identity_provider=get("identity_provider") or get("idp_identifier"),
        )

    def params(self, **override) -> dict:
        """The request's parameters, for a link or redirect that repeats it (login page, logout)."""
        return {k: v for k, v in {**asdict(self), **override}.items() if v not in (None, "")}
