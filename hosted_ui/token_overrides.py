"""PreTokenGeneration: run the trigger when tokens are made, and apply its answer to the claims.

Sources: TokenGeneration_HostedAuth for a hosted-UI sign-in, TokenGeneration_RefreshTokens for a refresh
(pre-token-generation trigger docs). For the hosted UI Cognito runs it during the sign-in, before the
code goes back: a failure reaches the client's redirect URI as `error=invalid_request&error_description=
PreTokenGeneration failed with error <message>.` (captures of real callbacks in public code), so
signin.issue_code runs it and the code carries the answer to the token endpoint.

V1 (default) customises the ID token; V2 (LambdaConfig.PreTokenGenerationConfig.LambdaVersion V2_0) both
tokens and the access token's scopes. Claims Cognito does not let a trigger add, change or suppress are
left as they are (the docs list them; whether Cognito ignores such an attempt or fails it is not stated:
ignored here). A claim both suppressed and overridden is suppressed (docs). groupOverrideDetails replaces
`cognito:groups` in both tokens; an empty or null object suppresses the groups (docs)."""

from __future__ import annotations

from dataclasses import dataclass, field

from hosted_ui import triggers

# The pre-token-generation docs' list of claims that cannot be modified (ID token), plus the group claims,
# which only groupOverrideDetails changes ("For group related claims, use groupOverrideDetails instead").
PROTECTED_ID = frozenset({"acr", "amr", "aud", "at_hash", "auth_time", "azp", "cognito:username", "exp", "iat",
                          "identities", "iss", "jti", "nbf", "nonce", "origin_jti", "sub", "token_use",
                          "cognito:groups", "cognito:roles", "cognito:preferred_role"})
# The access token's own fixed claims besides those (scopes change only through scopesToAdd/Suppress).
PROTECTED_ACCESS = PROTECTED_ID | {"client_id", "event_id", "scope", "username", "version", "device_key"}
KEEP = object()  # groups: no groupOverrideDetails in the answer


@dataclass(frozen=True)
class Overrides:
    id_add: dict = field(default_factory=dict)
    id_suppress: tuple = ()
    access_add: dict = field(default_factory=dict)
    access_suppress: tuple = ()
    scopes_add: tuple = ()
    scopes_suppress: tuple = ()
    groups: object = KEEP  # KEEP, or the list that replaces cognito:groups


def _version(pool: dict) -> int:
    config = (pool.get("LambdaConfig") or {}).get("PreTokenGenerationConfig") or {}
    return 2 if config.get("LambdaVersion") == "V2_0" else 1


def _unrecognizable() -> triggers.TriggerFailed:
    return triggers.TriggerFailed("PreTokenGeneration failed with error Unrecognizable lambda output.")


def _claims(part, strings_only: bool) -> tuple[dict, tuple]:
    if part is None:
        return {}, ()
    if not isinstance(part, dict):
        raise _unrecognizable()
    add, suppress = part.get("claimsToAddOrOverride") or {}, part.get("claimsToSuppress") or []
    if not isinstance(add, dict) or not isinstance(suppress, list) or not all(isinstance(s, str) for s in suppress):
        raise _unrecognizable()
    if strings_only and not all(isinstance(v, str) for v in add.values()):
        raise _unrecognizable()  # V1's claimsToAddOrOverride is a string-to-string map (docs' syntax)
    return add, tuple(suppress)


def _groups(details: dict):
    if "groupOverrideDetails" not in details:
        return KEEP
    group = details["groupOverrideDetails"]
    if group is None:
        return []
    if not isinstance(group, dict):
        raise _unrecognizable()
    names = group.get("groupsToOverride") or []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise _unrecognizable()
    return names


def parse(output: dict, version: int) -> Overrides:
    response = output.get("response")
    if not isinstance(response, dict):
        raise _unrecognizable()
    key = "claimsAndScopeOverrideDetails" if version == 2 else "claimsOverrideDetails"
    details = response.get(key)
    if details is None:
        return Overrides()
    if not isinstance(details, dict):
        raise _unrecognizable()
    if version == 1:
        add, suppress = _claims(details, strings_only=True)
        return Overrides(id_add=add, id_suppress=suppress, groups=_groups(details))
    id_add, id_suppress = _claims(details.get("idTokenGeneration"), strings_only=False)
    access = details.get("accessTokenGeneration")
    access_add, access_suppress = _claims(access, strings_only=False)
    access = access or {}
    scopes_add, scopes_suppress = access.get("scopesToAdd") or [], access.get("scopesToSuppress") or []
    if not all(isinstance(s, list) and all(isinstance(x, str) for x in s) for s in (scopes_add, scopes_suppress)):
        raise _unrecognizable()
    return Overrides(id_add, id_suppress, access_add, access_suppress, tuple(scopes_add), tuple(scopes_suppress),
                     _groups(details))


def run(ctx, source: str, pool_id: str, client_id: str, user, scopes, flow: str | None = None) -> Overrides | None:
    """The trigger's answer, or None when the pool has none. Raises TriggerFailed as Cognito words it."""
    pool = ctx.live.pool(pool_id)
    version = _version(pool)

    def event() -> dict:
        groups = ctx.live.groups(pool_id, user.username)
        return triggers.pre_token_generation_event(source, version, ctx.settings.aws_region, pool_id, client_id,
                                                   user, groups, list(scopes))
    return ctx.triggers.run("PreTokenGeneration", pool, event, flow, read=lambda output: parse(output, version))


def _apply(claims: dict, add: dict, suppress, protected: frozenset) -> dict:
    out = dict(claims)
    out.update({k: v for k, v in add.items() if k not in protected})
    for name in suppress:
        if name not in protected:
            out.pop(name, None)
    return out


def _with_groups(claims: dict, overrides: Overrides) -> dict:
    if overrides.groups is KEEP:
        return claims
    out = {k: v for k, v in claims.items() if k != "cognito:groups"}
    return {**out, "cognito:groups": list(overrides.groups)} if overrides.groups else out


def id_claims(claims: dict, overrides: Overrides | None) -> dict:
    if overrides is None:
        return claims
    return _with_groups(_apply(claims, overrides.id_add, overrides.id_suppress, PROTECTED_ID), overrides)


def access_claims(claims: dict, overrides: Overrides | None) -> dict:
    if overrides is None:
        return claims
    out = _apply(claims, overrides.access_add, overrides.access_suppress, PROTECTED_ACCESS)
    if overrides.scopes_add or overrides.scopes_suppress:
        scopes = [s for s in claims.get("scope", "").split() if s not in overrides.scopes_suppress]
        scopes += [s for s in overrides.scopes_add if s not in scopes and s not in overrides.scopes_suppress]
        out["scope"] = " ".join(scopes)
    return _with_groups(out, overrides)
