"""The call checker's verdict: cheap to make, its explanation written only when it is read.

`check_calls` judges many answers whose explanation nobody reads: a reward during training, a
benchmark, the trial pairs of a parallel matching. Most of them fail, and a failing explanation names
calls and values with `repr`, which cost more than the check itself; a pydantic `Verdict` costs as
much again. A `CallVerdict` holds the outcome (passed, failure kind, flags, components) and either the
explanation or a function (with its arguments) that writes it on first read; `verdict()` turns it into the typed, frozen
`Verdict` that environments return and the store keeps.
"""

from __future__ import annotations

from typing import Any

from ..types import FailureKind, Verdict

__all__ = ["CallVerdict"]

_VERDICT_FIELDS = frozenset(Verdict.model_fields)


class CallVerdict:
    """What `check_calls` found: the fields of a `Verdict`, with the explanation written lazily."""

    __slots__ = ("passed", "failure", "flags", "components", "_explain")

    def __init__(
        self,
        passed: bool,
        failure: FailureKind | None,
        explain: str | tuple[Any, ...],
        flags: tuple[str, ...] = (),
        components: dict[str, float] | None = None,
    ) -> None:
        self.passed = passed
        """Whether the calls are correct."""
        self.failure = failure
        """Why they are not; None when they passed."""
        self.flags = flags
        """Notes on how the verdict was reached (e.g. `greedy_first_match` in bfcl mode)."""
        self.components = components if components is not None else {}
        """Named partial checks (`matched_calls` for parallel calls)."""
        self._explain = explain  # the text, or (function, *arguments) that writes it

    @property
    def reward(self) -> float:
        """1.0 when passed, else 0.0."""
        return 1.0 if self.passed else 0.0

    @property
    def explanation(self) -> str:
        """One line a person can read: what was wrong, where (written on first read)."""
        explain = self._explain
        if type(explain) is not str:
            explain = self._explain = explain[0](*explain[1:])
        return explain

    def verdict(self) -> Verdict:
        """The `Verdict` to return, store and show.

        Built without re-validating fields this module's callers produced with the right types
        (validation cost about a third of a failing check); a test compares it with a validated one.
        """
        verdict = Verdict.__new__(Verdict)
        object.__setattr__(verdict, "__dict__", {
            "reward": 1.0 if self.passed else 0.0,
            "passed": self.passed,
            "failure": self.failure,
            "explanation": self.explanation,
            "components": dict(self.components),
            "flags": list(self.flags),
        })
        object.__setattr__(verdict, "__pydantic_fields_set__", set(_VERDICT_FIELDS))
        object.__setattr__(verdict, "__pydantic_extra__", None)
        object.__setattr__(verdict, "__pydantic_private__", None)
        return verdict

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CallVerdict):
            return NotImplemented
        return self.verdict() == other.verdict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        kind = self.failure.value if self.failure is not None else None
        return f"CallVerdict(passed={self.passed}, failure={kind!r}, explanation={self.explanation!r})"
