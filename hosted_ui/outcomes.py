"""What a protocol step decides, before it becomes HTTP in views.py."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Redirect:
    location: str
    set_cookies: list[tuple] = field(default_factory=list)
    clear_cookies: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LoginPage:
    providers: list[dict]  # {"name", "href"}
