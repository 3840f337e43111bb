"""Named registries: anything a user picks on the CLI is registered by a decorator and found by name.

One small class serves every layer (environments, suites, backends, tool-call parsers), so an unknown
name fails the same way everywhere: with the list of known names and a close match.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Generic, TypeVar

from .errors import UserError

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """A name -> object table with a decorator to fill it.

    Examples:
        >>> parsers: Registry[Callable] = Registry("tool parser")
        >>> @parsers.register("hermes")
        ... def parse_hermes(text): ...
        >>> parsers.get("hermes") is parse_hermes
        True
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, name: str) -> Callable[[T], T]:
        """Decorator that registers its target under `name`; a second registration is a bug."""

        def add(obj: T) -> T:
            if name in self._items and self._items[name] is not obj:
                raise ValueError(f"{self.kind} {name!r} is registered twice")
            self._items[name] = obj
            return obj

        return add

    def get(self, name: str) -> T:
        """The object registered as `name`; a UserError listing the known names otherwise."""
        try:
            return self._items[name]
        except KeyError:
            close = difflib.get_close_matches(name, self._items, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            known = ", ".join(sorted(self._items)) or "(none)"
            raise UserError(f"unknown {self.kind} {name!r}.{hint} Known: {known}") from None

    def names(self) -> list[str]:
        """Registered names in the order they were registered (a CLI lists its choices so)."""
        return list(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items
