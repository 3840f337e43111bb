"""The answers people vote on: arena answer runs, grouped by prompt set, drawn into blind ballots.

A ballot is a prompt answered by at least two models, two of them drawn at random and placed at
random (A or B). The draw uses the operating system's randomness, so positions cannot be predicted.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass

from ..arena import ARENA_MODE, Answer, read_answers
from ..store import RunInfo, Store
from .sessions import Ballot
from .summaries import fingerprint

__all__ = ["AnswerPool", "PromptAnswers"]

_random = secrets.SystemRandom()


@dataclass(frozen=True)
class PromptAnswers:
    """One prompt of a prompt set and each model's answer to it."""

    prompt_set: str
    prompt_id: str
    category: str
    question: str
    answers: dict[str, str]
    """Model -> its answer."""


class AnswerPool:
    """Every votable prompt of a store's answer runs, re-read when an answer run changes."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._answers: dict[tuple, dict[str, Answer]] = {}

    def prompts(self) -> list[PromptAnswers]:
        """Prompts answered by two models or more, in prompt-set and prompt order."""
        runs = [r for r in self._store.list_runs() if r.manifest.mode == ARENA_MODE]
        latest: dict[tuple[str, str], RunInfo] = {}
        for run in runs:  # oldest first: a later run of the same model on the same set wins
            latest[(_prompt_set(run), run.manifest.model)] = run
        by_prompt: dict[tuple[str, str], dict[str, Answer]] = {}
        for (prompt_set, model), run in sorted(latest.items()):
            for prompt_id, answer in self._read(run).items():
                by_prompt.setdefault((prompt_set, prompt_id), {})[model] = answer
        out = []
        for (prompt_set, prompt_id), answers in sorted(by_prompt.items()):
            if len(answers) >= 2:
                first = next(iter(answers.values()))
                out.append(PromptAnswers(prompt_set, prompt_id, first.category, first.question,
                                         {m: a.text for m, a in answers.items()}))
        return out

    def draw(self) -> Ballot | None:
        """A fresh ballot: a random prompt, two of its models in random positions; None when nothing is votable."""
        prompts = self.prompts()
        if not prompts:
            return None
        prompt = _random.choice(prompts)
        left, right = _random.sample(sorted(prompt.answers), 2)
        return Ballot(
            id=secrets.token_urlsafe(16), prompt_set=prompt.prompt_set, prompt_id=prompt.prompt_id,
            category=prompt.category, question=prompt.question, left=left, right=right,
            answer_left=prompt.answers[left], answer_right=prompt.answers[right],
        )

    def _read(self, run: RunInfo) -> dict[str, Answer]:
        key = fingerprint(run)
        with self._lock:
            if key not in self._answers:
                self._answers[key] = read_answers(self._store, run)
            return self._answers[key]


def _prompt_set(run: RunInfo) -> str:
    return f"{run.manifest.suite}@{run.manifest.suite_version}"
