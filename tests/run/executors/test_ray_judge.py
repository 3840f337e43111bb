"""`arena judge --executor ray`: a local judge served by Ray model servers judges as it does in-process.

The games are played and stored by the driver (this process) one by one, so an interrupted judging
resumes game by game, whichever executor serves the judge.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.arena.conftest import LENGTHS, write_answers, write_prompts
from tests.run.executors.test_ray_executor import actor_pids, wait_for
from tests.train.crafted import needs_tiny
from toolgym.arena import AnswerConfig, BattleStore, JudgeConfig, answer, judge

ray = pytest.importorskip("ray", reason="needs Ray: pip install 'toolgym[ray]'")
pytestmark = [pytest.mark.slow, needs_tiny]  # a Ray cluster and the tiny model judging: seconds each

PROMPTS = 3
SOURCE = "judge:tiny"


def answered(tmp_path: Path, name: str) -> str:
    """A store holding two replay models' answers to the same prompts; returns its URL."""
    db = str(tmp_path / f"{name}.db")
    prompts = write_prompts(tmp_path / "q.jsonl", PROMPTS)
    for model in ("alpha", "beta"):
        spec = f"replay:{write_answers(tmp_path / f'{model}.jsonl', LENGTHS[model][:PROMPTS])}"
        answer(AnswerConfig(prompts=str(prompts), model=spec, db=db))
    return db


def judge_config(db: str, executor: str) -> JudgeConfig:
    # Sampled with each game's own seed, one game at a time: the judge's text depends only on its prompt
    # and seed, wherever it runs. (Greedy, the tiny model writes one sentence for every game, which
    # would make the comparison blind to a game stored under another game's key.)
    return JudgeConfig(judge="tiny", db=db, executor=executor, temperature=1.0, max_tokens=12, concurrency=1)


def games(db: str) -> dict[tuple, tuple]:
    """Each stored game (prompt, model shown first, model shown second) -> what the judge said."""
    with BattleStore(db) as battles:
        records = list(battles.records(SOURCE))
    out = {(r.prompt_id, r.model_a, r.model_b): (r.verdict, r.outcome, r.strong, r.judgment, r.error)
           for r in records}
    assert len(out) == len(records), "a game was stored twice"
    return out


def servers() -> list[int]:
    return actor_pids(b"ray::ModelServer")


def test_a_tiny_judge_on_ray_judges_every_game_as_it_does_locally(tmp_path, ray_cluster):
    local = judge(judge_config(answered(tmp_path, "local"), "local"))
    serving: list[int] = []
    on_ray = judge(judge_config(answered(tmp_path, "ray"), f"ray:{ray_cluster.address}"),
                   on_game=lambda record, summary: serving.extend(servers()))
    assert serving, "a Ray model server was up while the games were judged"
    assert wait_for(lambda: not servers(), 30), "the judging's model server was stopped after it"
    assert on_ray.planned == local.planned == 2 * PROMPTS, "one pair, both positions, per prompt"
    assert (on_ray.judged, on_ray.unparseable, on_ray.errors) == (local.judged, local.unparseable, 0)
    assert games(str(tmp_path / "ray.db")) == games(str(tmp_path / "local.db"))
    judgments = [judgment for *_, judgment, _ in games(str(tmp_path / "ray.db")).values()]
    # sampled text differs between games (how many distinct ones depends on the machine's numerics)
    assert len(set(judgments)) >= 2, "the games' judgments differ, so a game stored under another's key would show"


def test_an_interrupted_judging_on_ray_resumes_game_by_game(tmp_path, ray_cluster):
    db = answered(tmp_path, "ray")
    config = judge_config(db, f"ray:{ray_cluster.address}")

    def interrupt_after_two(record, summary) -> None:
        if summary.judged + summary.unparseable == 2:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C: asyncio.run cancels the judging

    with pytest.raises(KeyboardInterrupt):
        judge(config, on_game=interrupt_after_two)
    assert 2 <= len(games(db)) < 2 * PROMPTS, "what was judged before the interrupt is stored"
    kept = games(db)
    resumed = judge(config)
    assert resumed.done_before == len(kept) and resumed.judged + resumed.unparseable == 2 * PROMPTS - len(kept)
    local = judge(judge_config(answered(tmp_path, "local"), "local"))
    assert local.done_before == 0 and games(db) == games(str(tmp_path / "local.db"))
