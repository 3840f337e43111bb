"""The `arena` environment kind: answers are recorded as they are, and judged later in battles.

Arena prompts have no right answer to check, so the verifier only confirms that an answer was
recorded; quality comes from pairwise judgments (`toolgym.arena.judging`) or human votes. Registered
in `ENVIRONMENTS` as `arena`, so an arena prompt set runs through the same scheduler and store as an
evaluation.
"""

from __future__ import annotations

from ..envs import ENVIRONMENTS, Environment
from ..types import Message, Task, Verdict

__all__ = ["ANSWER_RECORDED", "ArenaEnvironment"]

ANSWER_RECORDED = "arena_answer"
"""Flag of the verdict of every arena answer: recorded, not judged."""


class ArenaEnvironment(Environment):
    """Single-turn answers to arena prompts; the verdict says "recorded", never "correct"."""

    kind = "arena"
    single_turn = True

    def verify(self, task: Task, transcript: list[Message]) -> Verdict:
        """A trivial passing verdict: the answer is stored and waits for a judge."""
        return Verdict(
            reward=1.0,
            passed=True,
            explanation="answer recorded; arena answers are judged pairwise, not verified",
            flags=[ANSWER_RECORDED],
        )


ENVIRONMENTS.register("arena")(ArenaEnvironment)
