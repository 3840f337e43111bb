"""Battle records: one judged game (or one human vote) as stored, and the games a judge still owes.

A *game* shows a judge two answers to one prompt in one order; a prompt judged for one pair of
models is two games, with the positions swapped, so a judge's preference for the first (or second)
answer cancels out. Each game is stored as a `BattleRecord`, whatever its fate: judged, unparseable
(kept with the judge's text, counted, left out of ratings) or failed on infrastructure (retried).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

__all__ = ["BattleRecord", "GameKey", "Outcome"]

Outcome = Literal["a", "b", "tie"]
"""Who won a game: the model shown first (a), the other (b), or neither."""


class GameKey(NamedTuple):
    """What identifies a game within a source and prompt set."""

    prompt_id: str
    model_a: str
    model_b: str
    seq: int = 0


class BattleRecord(NamedTuple):
    """One game between two answers, as stored in the `arena_battles` table.

    A NamedTuple, not a pydantic model: a vote file can hold millions of battles.
    """

    source: str
    """Who judged: `judge:SPEC` (a model judge, `#HASH` of a custom template appended) or `votes:FILE`."""
    prompt_set: str
    """The prompts' `NAME@HASH` for judged games; empty for votes."""
    prompt_id: str
    """The prompt; all games of one prompt form one cluster for the intervals."""
    model_a: str
    """Model whose answer was shown first."""
    model_b: str
    """Model whose answer was shown second."""
    seq: int = 0
    """0 for judged games (the order of the two models tells the games apart); the line for votes."""
    category: str = ""
    """Category of the prompt, for per-category leaderboards."""
    verdict: str | None = None
    """The label as given (`A>>B` ... `B>>A`, or a vote's winner); None when unparseable or failed."""
    outcome: Outcome | None = None
    """Who won; None when the game does not count (unparseable, or failed)."""
    strong: bool = False
    """Whether the win was strong (`>>`); weighted by the leaderboard's strong weight."""
    style_a: dict[str, int] | None = None
    """Style counts of A's answer (`toolgym.stats.style_features`); None when the answer is unknown."""
    style_b: dict[str, int] | None = None
    """Style counts of B's answer."""
    judgment: str | None = None
    """The judge's full output, kept to audit verdicts (unparseable ones above all)."""
    error: str | None = None
    """Infrastructure error that kept the judge from answering; such games are retried."""
    voter: str | None = None
    """For a vote cast in `toolgym view`: a hash of the voter's session (never the session itself)."""

    @property
    def key(self) -> GameKey:
        """The game's identity within its source and prompt set."""
        return GameKey(self.prompt_id, self.model_a, self.model_b, self.seq)

    @property
    def counted(self) -> bool:
        """Whether the game has an outcome and enters ratings."""
        return self.outcome is not None and self.error is None

    @property
    def unparseable(self) -> bool:
        """Whether the judge answered but gave no verdict that could be read."""
        return self.outcome is None and self.error is None
