"""What every identity-provider type's `complete` answers: the IdP's user and the mapped attributes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    user_id: str  # the user's id at the IdP (the user name is `<ProviderName>_<user_id>`)
    attributes: dict[str, str]  # the pool's attributes, by the provider's AttributeMapping
