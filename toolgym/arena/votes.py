"""Human votes: battles judged by people, imported from JSON Lines.

One vote per line::

    {"model_a": "gpt-4o", "model_b": "llama-3-70b", "winner": "model_a", "prompt_id": "q17",
     "answer_a": "...", "answer_b": "..."}

`winner` is `model_a`, `model_b`, `tie` or `tie (bothbad)` (Chatbot Arena's labels; both ties count
as a tie). `prompt_id` groups the votes of one prompt for the intervals (a vote without one is its
own group); `answer_a` and `answer_b`, when given, supply the style counts for style control;
`category` is optional. Anything else is an error naming the line: an unknown winner is never read
as a tie, and an unknown field is never ignored.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import UserError, invalid_input
from ..inputs import parse_json, read_text
from ..stats import style_features
from .battles import BattleRecord, Outcome
from .store import BattleStore

__all__ = ["WINNERS", "Vote", "VoteImport", "import_votes", "read_votes"]

WINNERS: dict[str, Outcome] = {"model_a": "a", "model_b": "b", "tie": "tie", "tie (bothbad)": "tie"}
"""Accepted `winner` labels and the outcome each means."""


class Vote(BaseModel):
    """One line of a votes file."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    model_a: str = Field(min_length=1)
    """Model whose answer was shown first (on the left)."""
    model_b: str = Field(min_length=1)
    """The other model."""
    winner: str
    """model_a, model_b, tie or tie (bothbad)."""
    prompt_id: str | int | None = None
    """The prompt voted on; votes of one prompt are resampled together."""
    answer_a: str | None = None
    """Model A's answer, for style features."""
    answer_b: str | None = None
    """Model B's answer, for style features."""
    category: str = ""
    """Category of the prompt."""


@dataclass(frozen=True)
class VoteImport:
    """What an import stored."""

    source: str
    votes: int
    ties: int
    models: list[str]
    with_answers: int
    """Votes that carry both answers (usable with style control)."""


def read_votes(path: Path, source: str) -> list[BattleRecord]:
    """Read a votes file into battle records of `source`.

    Raises:
        UserError: a missing file or a bad line: invalid JSON, unknown field, unknown winner label, a
            model voting against itself, one answer without the other. The message names file:line.
    """
    if not path.exists():
        raise UserError(f"votes file {path} does not exist; give a JSONL file, one vote per line")
    lines = read_text(path, "votes file").splitlines()
    records = [_record(f"{path}:{n}", n, line, source) for n, line in enumerate(lines, 1) if line.strip()]
    if not records:
        raise UserError(f'{path}: no votes found; write one JSON object per line with "model_a", "model_b" '
                        'and "winner"')
    return records


def import_votes(path: Path, db: str, source: str | None = None) -> VoteImport:
    """Store the votes of `path` as the battles of `source` (default `votes:FILE_NAME`).

    Importing a file again replaces the votes imported from it before (nothing is counted twice).
    """
    source = source or f"votes:{path.name}"
    records = read_votes(path, source)
    with BattleStore(db) as battles:
        battles.replace(source, records)
    return VoteImport(
        source=source,
        votes=len(records),
        ties=sum(r.outcome == "tie" for r in records),
        models=sorted({r.model_a for r in records} | {r.model_b for r in records}),
        with_answers=sum(r.style_a is not None for r in records),
    )


def _record(where: str, number: int, line: str, source: str) -> BattleRecord:
    vote = _read_line(where, line)
    outcome = WINNERS.get(vote.winner)
    if outcome is None:
        close = difflib.get_close_matches(vote.winner, WINNERS, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise UserError(f"{where}: unknown winner {vote.winner!r}; {hint}use one of "
                        f"{', '.join(map(repr, WINNERS))}")
    if vote.model_a == vote.model_b:
        raise UserError(f"{where}: model {vote.model_a!r} is on both sides; a vote compares two models")
    if (vote.answer_a is None) != (vote.answer_b is None):
        raise UserError(f"{where}: give both answer_a and answer_b (for style features) or neither")
    styled = vote.answer_a is not None and vote.answer_b is not None
    return BattleRecord(
        source, "", str(vote.prompt_id) if vote.prompt_id is not None else f"line {number}",
        vote.model_a, vote.model_b, number, vote.category, verdict=vote.winner, outcome=outcome,
        style_a=style_features(vote.answer_a) if styled else None,
        style_b=style_features(vote.answer_b) if styled else None,
    )


def _read_line(where: str, line: str) -> Vote:
    data = parse_json(line, where, "write one vote per line")
    if not isinstance(data, dict):
        raise UserError(f"{where}: expected a JSON object (a vote), got {type(data).__name__}")
    try:
        return Vote.model_validate(data)
    except ValidationError as e:
        raise invalid_input(e, where, model=Vote, missing_hint="every vote needs model_a, model_b and winner") from None
