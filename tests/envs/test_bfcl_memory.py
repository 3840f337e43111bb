"""BFCL's memory categories: prerequisite conversations fill bfcl-eval's own memory back-ends, questions run
against the snapshot, the final answer is checked as BFCL's agentic checker does (and, in toolgym mode,
with its two flaws fixed)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import random
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from toolgym.check import agentic_answer_found
from toolgym.cli import main
from toolgym.errors import UserError
from toolgym.models import ModelOptions, ReplayModel
from toolgym.suites import load_suite, split_bfcl_spec
from toolgym.types import Message, ToolCall

from ..suites.bfcl_oracle import bfcl_checker

needs_memory = pytest.mark.skipif(
    bfcl_checker() is None or importlib.util.find_spec("rank_bm25") is None,
    reason="needs bfcl-eval (pip install --no-deps bfcl-eval) and its memory back-ends' rank_bm25 "
           "(pip install 'toolgym[bfcl]')",
)


@pytest.fixture(scope="module")
def suite():
    return load_suite("bfcl:memory_kv,memory_rec_sum")


def _answer(text: str) -> Message:
    return Message(role="assistant", content=text)


@needs_memory
def test_memory_questions_load_with_their_scenario_chains(suite) -> None:
    assert Counter(t.category for t in suite.tasks) == {"memory_kv": 155, "memory_rec_sum": 155}
    task = next(t for t in suite.tasks if t.id == "memory_kv_0-customer-0")
    assert task.metadata["possible_answers"] == ["Michael"] and task.messages[0].role == "system"
    assert "{'answer': A short and precise answer" in task.messages[0].content  # BFCL's format prompt
    chain = suite.env.prerequisites(task)
    assert chain.key == "memory_kv:customer" and chain.tasks[0].id == "memory_kv_prereq_0-customer-0"
    assert len(chain.tasks) == 10 and len(chain.tasks[0].metadata["user_turns"]) == 8
    assert {t.name for t in task.tools} >= {"archival_memory_add", "core_memory_retrieve_all"}
    rec = next(t for t in suite.tasks if t.category == "memory_rec_sum")
    assert {t.name for t in rec.tools} == {"memory_append", "memory_clear", "memory_replace", "memory_retrieve",
                                            "memory_update"}


@needs_memory
def test_memory_is_handed_from_conversation_to_conversation_and_shown_in_the_prompt(suite) -> None:
    env, task = suite.env, next(t for t in suite.tasks if t.id == "memory_kv_0-customer-0")
    first = env.continue_from(suite.env.prerequisites(task).tasks[0], None)
    assert "There is no content in the core memory at this point." in first.messages[0].content
    episode = env.reset(first)
    assert episode.call(ToolCall(name="core_memory_add", arguments={"key": "first_name", "value": "Michael"})) \
        == '{"status": "Key-value pair added."}'
    assert "snake_case" in episode.call(ToolCall(name="archival_memory_add", arguments={"key": "Bad Key",
                                                                                          "value": "x"}))
    assert "not available" in episode.call(ToolCall(name="_flush_memory_to_local_file"))
    state = episode.handover()
    episode.close()
    assert state == {"core_memory": {"first_name": "Michael"}, "archival_memory": {}}  # BFCL's snapshot file
    question = env.continue_from(task, state)
    assert '"first_name": "Michael"' in question.messages[0].content  # core memory shown, as BFCL shows it
    assert question.messages[0].content.endswith(task.messages[0].content)  # then the answer-format prompt
    again = env.reset(question)
    assert again.call(ToolCall(name="core_memory_retrieve", arguments={"key": "first_name"})) == '{"value": "Michael"}'
    again.close()


class CountingReplay(ReplayModel):
    """The replay backend, counting the requests of each task id (prerequisite conversations included)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, ModelOptions())
        self.asked: Counter[str] = Counter()

    async def generate(self, messages, tools, sampling, *, task_id=None, sample=0):
        self.asked[task_id] += 1
        return await super().generate(messages, tools, sampling, task_id=task_id, sample=sample)


@needs_memory
@pytest.mark.parametrize("mode", ["bfcl", "toolgym"])
def test_gold_through_the_agent_loop_scores_100_percent_playing_each_chain_once(mode: str, tmp_path: Path,
                                                                                 capsys) -> None:
    gold = tmp_path / "gold.jsonl"
    main(["suite", "reference", "bfcl:memory_kv,memory_rec_sum", "--out", str(gold)])
    db = tmp_path / "runs.db"
    main(["eval", "bfcl:memory_kv,memory_rec_sum", "--model", f"replay:{gold}", "--mode", mode, "--db", str(db),
          "--run", "gold", "--concurrency", "8"])
    out = capsys.readouterr().out
    rows = sqlite3.connect(db).execute("select task_id, passed, explanation from rollouts").fetchall()
    assert len(rows) == 310 and all(passed == 1 for _, passed, _ in rows), [r for r in rows if r[1] != 1][:3]
    if mode == "bfcl":
        assert "BFCL agentic (2/5 run)" in out and "memory_vector (" in out
    # the question read back the notes of every conversation of its scenario: the chain was handed on
    messages = json.loads(sqlite3.connect(db).execute(
        "select messages from transcripts where task_id = 'memory_kv_101-student-21'").fetchone()[0])
    keys = json.loads(messages[3]["content"])["keys"]
    assert keys == [f"student_conversation_{k}" for k in range(10)]

    async def count() -> Counter[str]:
        from toolgym.run import EpisodeLimits
        from toolgym.run.scheduler import Job, run_jobs
        from toolgym.types import SamplingConfig

        model = CountingReplay(gold)
        jobs = [Job(t, s) for t in suite_kv.tasks[:40] for s in (0, 1)]

        async def ignore(result) -> None:
            assert result.verdict is not None and result.verdict.passed, result.rollout.error

        await run_jobs(model, suite_kv.env, jobs, SamplingConfig(), EpisodeLimits(), concurrency=8, on_result=ignore)
        return model.asked

    suite_kv = load_suite("bfcl:memory_kv")
    asked = asyncio.run(count())
    first = "memory_kv_prereq_0-customer-0"
    assert asked[first] == 2 * 10  # the note, then 9 user turns: once per sample, not once per question
    assert asked["memory_kv_0-customer-0"] == 2 * 2


# ---------------------------------------------------------------- the answer check against BFCL's own


def bfcl_agentic() -> object:
    from bfcl_eval.eval_checker.agentic_eval.agentic_checker import agentic_checker

    return agentic_checker


PERTURBATIONS = ("gold", "other_answer", "in_a_word", "context_only", "upper_punct", "dollar", "plain",
                 "calls_only", "hedge")


def perturbed(kind: str, truth: list[str], other: str, rng: random.Random) -> list[Message]:
    """A final answer: gold's, or one corrupted by `kind` (seeded), as the transcript's last messages."""
    a = rng.choice(truth)
    texts = {
        "gold": repr({"answer": a, "context": "recalled from memory"}),
        "other_answer": repr({"answer": other, "context": "recalled from memory"}),
        "in_a_word": repr({"answer": rng.choice(["x", "pre"]) + a + rng.choice(["s", "ing", ""]), "context": ""}),
        "context_only": repr({"answer": "I do not know", "context": f"maybe {a}"}),
        "upper_punct": f"{{'answer': '{a.upper().replace(' ', rng.choice([' ', '-', '  ']))}.', 'context': ''}}",
        "dollar": f"The answer is ${a}!",
        "plain": f"It is {a}, as you told me.",
        "hedge": f"Either {other} or {a}.",
    }
    if kind == "calls_only":  # force-quit: the last step still calls
        return [Message(role="assistant", tool_calls=[ToolCall(name="memory_retrieve", id="c")]),
                Message(role="tool", content="{}", tool_call_id="c")]
    return [Message(role="assistant", tool_calls=[ToolCall(name="memory_retrieve", id="c")]),
            Message(role="tool", content="{}", tool_call_id="c"), _answer(texts[kind])]


@needs_memory
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bfcl_mode_verdicts_equal_bfcls_agentic_checker_on_perturbed_gold(suite, seed: int) -> None:
    checker, rng = bfcl_agentic(), random.Random(seed)
    env = suite.env.with_mode("bfcl")
    answers = [t.metadata["possible_answers"] for t in suite.tasks]
    verdicts: Counter[tuple[str, bool]] = Counter()
    for task in suite.tasks:
        for kind in PERTURBATIONS:
            tail = perturbed(kind, task.metadata["possible_answers"], rng.choice(answers)[0], rng)
            ours = env.verify(task, [*task.messages, *tail]).passed
            last = tail[-1]
            theirs = last.role == "assistant" and not last.tool_calls and bool(
                checker(last.content, task.metadata["possible_answers"])["valid"])
            assert ours == theirs, (task.id, kind, last.content)
            verdicts[(kind, ours)] += 1
    assert verdicts[("gold", True)] == len(suite.tasks) and verdicts[("calls_only", True)] == 0
    assert verdicts[("other_answer", False)] > 200 and verdicts[("in_a_word", False)] > 200  # both kinds occur
    assert verdicts[("context_only", True)] == len(suite.tasks)  # BFCL's flaw: the context counts


@needs_memory
def test_toolgym_mode_fixes_the_answer_edges_and_the_context_on_the_same_input(suite) -> None:
    task = next(t for t in suite.tasks if t.id == "memory_kv_22-customer-22")
    assert task.metadata["possible_answers"] == ["49.99", "$49.99"]
    dollar = task.model_copy(update={"metadata": {**task.metadata, "possible_answers": ["$49.99"]}})
    said = [*task.messages, _answer("{'answer': '$49.99', 'context': 'the order total'}")]
    bfcl, toolgym = suite.env.with_mode("bfcl"), suite.env.with_mode("toolgym")
    assert valid(bfcl_agentic()("{'answer': '$49.99', 'context': 'the order total'}", ["$49.99"])) is False
    assert not bfcl.verify(dollar, said).passed and toolgym.verify(dollar, said).passed
    glued = [*task.messages, _answer("{'answer': 'USD$49.99x', 'context': ''}")]  # inside longer words
    assert bfcl.verify(dollar, glued).passed is False and toolgym.verify(dollar, glued).passed is False
    michael = next(t for t in suite.tasks if t.id == "memory_kv_0-customer-0")
    hedged = [*michael.messages, _answer("{'answer': 'I do not know', 'context': 'perhaps Michael'}")]
    assert bfcl.verify(michael, hedged).passed and not toolgym.verify(michael, hedged).passed
    loose = [*michael.messages, _answer("Your name is Michael.")]  # not in the requested form: the whole reply
    assert bfcl.verify(michael, loose).passed and toolgym.verify(michael, loose).passed
    assert agentic_answer_found("{'answer': 'michael'}", ["Michael"], "toolgym")


def valid(result: dict) -> bool:
    """BFCL's verdict in an agentic checker result."""
    return bool(result["valid"])


@needs_memory
def test_refused_agentic_categories_say_why_and_kinds_split_into_runs() -> None:
    with pytest.raises(UserError, match="'web_search_base' is not run: needs the internet"):
        load_suite("bfcl:web_search_base")
    with pytest.raises(UserError, match="load single-turn, multi-turn and memory categories on their own"):
        load_suite("bfcl:memory_kv,simple_python")
    assert split_bfcl_spec("bfcl") == {"single_turn": "bfcl:single_turn", "multi_turn": "bfcl:multi_turn",
                                       "memory": "bfcl:memory"}
    assert split_bfcl_spec("bfcl:simple_python,memory_kv,multi_turn_base") == {
        "single_turn": "bfcl:simple_python", "multi_turn": "bfcl:multi_turn_base", "memory": "bfcl:memory_kv"}
    assert split_bfcl_spec("bfcl:memory_kv,memory_rec_sum") is None
