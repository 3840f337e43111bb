"""Deterministic stand-in data for the bodies of fc-core tools.

The tools are not executed in single-turn evaluation; their bodies return plausible JSON so that a
multi-turn environment or a demo can run them. The same arguments always give the same answer.
"""

from __future__ import annotations

import random
import zlib
from typing import Any

__all__ = ["rng_for"]


def rng_for(*parts: Any) -> random.Random:
    """A private RNG seeded by the arguments of a call."""
    return random.Random(zlib.crc32(repr(parts).encode()))
