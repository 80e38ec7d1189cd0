"""The authorize request as Cognito reads it (authorization-endpoint docs)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields


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
    idp_identifier: str | None = None  # matched against the IdPs' IdpIdentifiers, not their names
    prompt: str | None = None  # managed login's OIDC prompt: none is answered here, the rest go to the IdP
    login_hint: str | None = None  # passed on to the IdP
    repeated: tuple[str, ...] = ()  # the parameters sent more than once (RFC 6749 §3.1: each is refused)

    @classmethod
    def from_args(cls, args) -> "AuthorizeRequest":
        def get(name):
            value = args.get(name)
            return value if value not in (None, "") else None

        getlist = getattr(args, "getlist", lambda name: [])  # a query's MultiDict; a sealed request is a dict

        return cls(
            client_id=args.get("client_id", ""),
            redirect_uri=args.get("redirect_uri", ""),
            response_type=args.get("response_type", ""),
            state=get("state"),
            scope=get("scope"),
            nonce=get("nonce"),
            code_challenge=get("code_challenge"),
            code_challenge_method=get("code_challenge_method"),
            identity_provider=get("identity_provider"),
            idp_identifier=get("idp_identifier"),
            prompt=get("prompt"),
            login_hint=get("login_hint"),
            repeated=tuple(f.name for f in fields(cls) if f.name != "repeated" and len(getlist(f.name)) > 1),
        )

    @property
    def implicit(self) -> bool:
        """response_type=token: tokens (and errors) go back in the redirect URI's fragment."""
        return self.response_type.lower() == "token"

    @property
    def prompts(self) -> set[str]:
        """The prompt values asked for (space separated, OIDC Core §3.1.2.1)."""
        return set(self.prompt.split()) if self.prompt else set()

    def params(self, **override) -> dict:
        """The request's parameters, for a link or redirect that repeats it (login page, logout)."""
        return {k: v for k, v in {**asdict(self), **override}.items() if v not in (None, "") and k != "repeated"}
