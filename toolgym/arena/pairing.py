"""Which models meet on which prompt: against a baseline, all pairs, or sampled pairs.

* `baseline` (Arena-Hard's design): every model meets one baseline on every prompt. Cheapest for
  many models (M - 1 pairs per prompt), and win rates against the baseline come for free.
* `all`: every pair on every prompt, M (M - 1) / 2 per prompt; the most information per prompt.
* `sampled`: `pairs_per_prompt` pairs drawn per prompt, seeded by the prompt id, so the draw does
  not change when models or prompts are added and a resumed judge asks for the same games.

Each pair on a prompt becomes two games, one per order of the answers (`games`).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from typing import Literal

from ..errors import UserError
from .battles import GameKey

__all__ = ["Pairing", "games", "pairs_for_prompt"]

Pairing = Literal["baseline", "all", "sampled"]
"""How models are paired on each prompt."""


def pairs_for_prompt(
    prompt_id: str,
    models: Sequence[str],
    pairing: Pairing,
    *,
    baseline: str | None = None,
    pairs_per_prompt: int = 1,
    seed: int = 0,
) -> list[tuple[str, str]]:
    """The unordered pairs of `models` that meet on one prompt (each pair listed once).

    Raises:
        UserError: `baseline` pairing without a baseline among the models.
    """
    if pairing == "baseline":
        if baseline is None or baseline not in models:
            raise UserError(
                f"pairing 'baseline' needs a baseline among the models {sorted(models)}, got {baseline!r}; "
                "name one with --baseline, or pair all models with --pairing all"
            )
        return [(m, baseline) for m in models if m != baseline]
    every = list(itertools.combinations(sorted(models), 2))
    if pairing == "all" or pairs_per_prompt >= len(every):
        return every
    return random.Random(f"{seed}:{prompt_id}").sample(every, pairs_per_prompt)


def games(prompt_id: str, pairs: Sequence[tuple[str, str]]) -> Iterator[GameKey]:
    """Two games per pair, with the answers in both orders, so position bias cancels out."""
    for x, y in pairs:
        yield GameKey(prompt_id, x, y)
        yield GameKey(prompt_id, y, x)
