"""What `toolgym view` serves and how: one config object, its fields the CLI's options."""

from __future__ import annotations

import ipaddress

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ViewConfig", "is_loopback"]


class ViewConfig(BaseModel):
    """Settings of the web view; the CLI flags map one-to-one onto these fields."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    db: str = "toolgym.db"
    """Where runs and battles are stored: a SQLite file path or an SQLAlchemy URL."""
    host: str = "127.0.0.1"
    """Address to listen on; anything but loopback requires an access token."""
    port: int = Field(default=7575, ge=1, le=65535)
    """Port to listen on."""
    token: str | None = Field(default=None, min_length=16)
    """Access token every request must carry (?token=, then a cookie); off loopback a random one is made
    and printed when none is given."""
    admin_token: str | None = Field(default=None, min_length=16)
    """Token that lists and deletes votes at /admin/votes (header X-Admin-Token); none: admin routes off."""
    votes_per_minute: int = Field(default=30, ge=1)
    """Votes one voter session may cast per minute."""
    page_size: int = Field(default=50, ge=1, le=500)
    """Rollouts per transcript page."""
    vote_source: str = "votes:web"
    """Battle source the votes are stored under (rate them with `toolgym arena leaderboard --source`)."""


def is_loopback(host: str) -> bool:
    """Whether `host` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
