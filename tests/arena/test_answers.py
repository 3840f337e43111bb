"""Answer runs: resumable, mode arena, answers read back for judging (toolgym/arena/answers.py)."""

from __future__ import annotations

import pytest

from tests.arena.conftest import LENGTHS, N_PROMPTS, write_answers, write_prompts
from toolgym.arena import ARENA_MODE, AnswerConfig, answer, read_answers
from toolgym.arena.answers import answer_runs
from toolgym.errors import UserError
from toolgym.store import Store


def test_answers_are_a_resumable_arena_run(tmp_path):
    db = str(tmp_path / "a.db")
    prompts = write_prompts(tmp_path / "q.jsonl")
    spec = f"replay:{write_answers(tmp_path / 'alpha.jsonl', LENGTHS['alpha'])}"
    first = answer(AnswerConfig(prompts=str(prompts), model=spec, db=db, limit=3))
    assert first.done == 3 and first.manifest.mode == ARENA_MODE and first.manifest.suite == "arena:q.jsonl"
    assert first.status == "finished"
    again = answer(AnswerConfig(prompts=str(prompts), model=spec, db=db, limit=3))
    assert again.name == first.name and again.rollouts == 3  # nothing answered twice
    with Store(db) as store:
        answers = read_answers(store, store.get_run(first.name))
    assert sorted(answers) == ["p0", "p1", "p2"]
    a = answers["p1"]
    assert a.question == "Question p1: tell me about topic 1." and a.category == "writing"
    assert a.text == " ".join(["word"] * LENGTHS["alpha"][1])


def test_changed_prompts_do_not_resume_the_old_run(tmp_path):
    db = str(tmp_path / "a.db")
    prompts = write_prompts(tmp_path / "q.jsonl", N_PROMPTS)
    spec = f"replay:{write_answers(tmp_path / 'alpha.jsonl', LENGTHS['alpha'])}"
    answer(AnswerConfig(prompts=str(prompts), model=spec, db=db))
    write_prompts(prompts, N_PROMPTS - 1)
    with pytest.raises(UserError, match="suite_version"):
        answer(AnswerConfig(prompts=str(prompts), model=spec, db=db))


def test_answer_runs_need_a_choice_between_prompt_sets(tmp_path):
    db = str(tmp_path / "a.db")
    spec = f"replay:{write_answers(tmp_path / 'alpha.jsonl', LENGTHS['alpha'])}"
    with Store(db) as store, pytest.raises(UserError, match="no arena answers"):
        answer_runs(store)
    one, two = write_prompts(tmp_path / "one.jsonl", 2), write_prompts(tmp_path / "two.jsonl", 3)
    answer(AnswerConfig(prompts=str(one), model=spec, db=db))
    answer(AnswerConfig(prompts=str(two), model=spec, db=db))
    with Store(db) as store:
        with pytest.raises(UserError, match=r"2 prompt sets .*choose one with --prompts"):
            answer_runs(store)
        name, runs = answer_runs(store, str(two))
    assert name.startswith("arena:two.jsonl@") and len(runs) == 1
