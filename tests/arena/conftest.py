"""Arena fixtures: a prompts file, replay answer models, a real SQLite file, scripted judges on loopback."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.openai_server import OpenAIServer, Reply, completion
from toolgym.arena import AnswerConfig, JudgeConfig, answer
from toolgym.models import ModelOptions

# words per answer of each model on prompts p0..p7: every model loses somewhere, so ratings are finite
LENGTHS = {
    "alpha": [30, 30, 30, 30, 30, 5, 30, 5],
    "beta": [10, 10, 10, 40, 10, 10, 10, 10],
    "gamma": [5, 5, 5, 5, 50, 5, 5, 20],
}
N_PROMPTS = 8
UNDECIDED = "p7"
"""Prompt on which the picky judge never gives a verdict."""

_ANSWER = re.compile(r"<answer_([ab])>\n(.*?)\n</answer_\1>", re.DOTALL)


def write_prompts(path: Path, n: int = N_PROMPTS) -> Path:
    lines = [{"id": f"p{i}", "prompt": f"Question p{i}: tell me about topic {i}.",
              "category": "writing" if i % 2 else "coding"} for i in range(n)]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def write_answers(path: Path, lengths: list[int]) -> Path:
    lines = [{"id": f"p{i}", "content": " ".join(["word"] * n)} for i, n in enumerate(lengths)]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def answers_in(body: dict) -> tuple[str, str, str]:
    """(question, answer A, answer B) read back from the default judge prompt of a request."""
    prompt = body["messages"][-1]["content"]
    found = dict(_ANSWER.findall(prompt))
    question = re.search(r"<question>\n(.*?)\n</question>", prompt, re.DOTALL).group(1)
    return question, found["a"], found["b"]


def prefer_longer(body: dict) -> Reply:
    """A judge that prefers the longer answer, strongly when it is over twice as long."""
    question, a, b = answers_in(body)
    if UNDECIDED in question:
        return completion("Both answers have merit and I cannot decide.")
    la, lb = len(a.split()), len(b.split())
    if la == lb:
        label = "A=B"
    elif la > lb:
        label = "A>>B" if la > 2 * lb else "A>B"
    else:
        label = "B>>A" if lb > 2 * la else "B>A"
    return completion(f"My first thought was [[A=B]]. On reflection: [[{label}]]")


def always_a(body: dict) -> Reply:
    """A judge with pure position bias: the first answer always wins."""
    return completion("Answer A is better. [[A>B]]")


@dataclass
class Arena:
    """A store with the three replay models' answers to the prompts, and a judge server."""

    tmp: Path
    db: str
    prompts: Path
    models: dict[str, str]
    server: OpenAIServer

    def judge_config(self, **kw) -> JudgeConfig:
        return JudgeConfig(**{"judge": "openai:judge", "db": self.db, "concurrency": 4, **kw})

    def options(self, **kw) -> ModelOptions:
        return ModelOptions(base_url=self.server.url, **kw)


@pytest.fixture
def arena(tmp_path: Path) -> Iterator[Arena]:
    db = str(tmp_path / "arena.db")
    prompts = write_prompts(tmp_path / "questions.jsonl")
    models = {}
    for name, lengths in LENGTHS.items():
        spec = f"replay:{write_answers(tmp_path / f'{name}.jsonl', lengths)}"
        answer(AnswerConfig(prompts=str(prompts), model=spec, db=db))
        models[name] = spec
    with OpenAIServer(prefer_longer) as server:
        yield Arena(tmp_path, db, prompts, models, server)
