"""`run_loop`: one real round on the tiny model, every run stored, compared with the start; a rerun resumes."""

from __future__ import annotations

import json

import pytest

from tests.train.crafted import needs_capable_tiny, needs_tiny
from toolgym.errors import UserError
from toolgym.store import Store
from toolgym.train import LoopConfig, LoopHooks, run_loop

pytestmark = [needs_tiny, needs_capable_tiny, pytest.mark.slow]


def test_one_round_is_stored_compared_and_resumable(tmp_path):
    config = LoopConfig(model="tiny", rounds=1, samples=3, train_limit=12, test_limit=8, max_tokens=96, max_steps=2,
                        batch_size=4, concurrency=32, device="cpu", threads=2, db=str(tmp_path / "loop.db"),
                        out=tmp_path / "loop")
    stages: list[str] = []
    result = run_loop(config, LoopHooks(on_stage=stages.append))
    assert stages[0] == "round 0: evaluating tiny on the test split"
    assert [r.round for r in result.rounds] == [0, 1]
    start, trained = result.rounds
    assert (start.test_run, trained.test_run, trained.train_run) == ("loop-r0-test", "loop-r1-test", "loop-r0-train")
    assert trained.model == f"hf:{tmp_path / 'loop' / 'r1' / 'model'}"
    assert trained.sft_rows > 0 and trained.training[0].steps == 2
    d = trained.versus_start
    assert d is not None and d.n_tasks == 8 and d.low <= d.value <= d.high and 0.0 <= d.p_value <= 1.0
    assert 0.0 <= start.accuracy.low <= start.accuracy.value <= start.accuracy.high <= 1.0
    with Store(config.db) as store:
        runs = {r.name: r for r in store.list_runs()}
    assert runs["loop-r0-train"].rollouts == 36 and runs["loop-r0-train"].manifest.sampling.temperature == 1.0
    assert runs["loop-r1-test"].manifest.model == trained.model
    saved = json.loads((tmp_path / "loop" / "loop.json").read_text())
    assert len(saved["rounds"]) == 2
    # the same command again: every run resumes and the round's model is reused, not trained again
    again = run_loop(config)
    assert again.rounds[1].accuracy == trained.accuracy
    assert again.rounds[1].training[0].wall_s == trained.training[0].wall_s
    # a changed setting must not reuse the old round's directory
    with pytest.raises(UserError, match="trained with other settings"):
        run_loop(config.model_copy(update={"max_steps": 3}))


def test_skip_solved_and_per_category_choose_the_rounds_sft_rows(tmp_path, fc_core):
    """The round trains on what the filters keep: crafted runs with real verdicts stand in for sampling."""
    from tests.train.crafted import write_run, wrong_answer
    from toolgym.train.chat import reference_answer

    train = {c: [t for t in fc_core.split("train") if t.category == c][:3] for c in ("simple", "irrelevance")}
    solved, mixed = train["simple"][0], train["simple"][1:] + train["irrelevance"]
    test = fc_core.split("test")[:4]

    def fake_evaluate(run, options):
        if run.split == "train":  # one task every sample of which passes; the others pass once of two
            answers = {(solved.id, 0): reference_answer(solved), (solved.id, 1): reference_answer(solved)}
            for t in mixed:
                answers[(t.id, 0)], answers[(t.id, 1)] = wrong_answer(t), reference_answer(t)
            write_run(tmp_path / "loop.db", run.run, fc_core, answers)
        else:
            write_run(tmp_path / "loop.db", run.run, fc_core, {(t.id, 0): reference_answer(t) for t in test},
                      split="test")
        return run.run

    config = LoopConfig(model="tiny", rounds=1, skip_solved=True, per_category=1, max_steps=1, batch_size=2,
                        device="cpu", threads=2, db=str(tmp_path / "loop.db"), out=tmp_path / "loop")
    result = run_loop(config, LoopHooks(evaluate=fake_evaluate))
    trained = result.rounds[1]
    assert trained.sft_rows == 2  # one simple (not the solved one), one irrelevance
    record = json.loads((tmp_path / "loop" / "r1" / "sft-data" / "toolgym_data.json").read_text())
    assert record["settings"] == {"per_task": 1, "skip_solved": True, "per_category": 1}
    assert record["skipped"]["solved"] == 2 and record["skipped"]["category_cap"] == 3


def test_a_grpo_round_trains_on_the_tasks_whose_samples_disagree(tmp_path, fc_core):
    from tests.train.crafted import write_run, wrong_answer
    from toolgym.train.chat import reference_answer

    simple = [t for t in fc_core.split("train") if t.category == "simple"][:3]
    test = fc_core.split("test")[:4]

    def fake_evaluate(run, options):
        if run.split == "train":  # task 0 always passes, task 1 never, task 2 once of two
            answers = {(simple[0].id, 0): reference_answer(simple[0]), (simple[0].id, 1): reference_answer(simple[0]),
                       (simple[1].id, 0): wrong_answer(simple[1]), (simple[1].id, 1): wrong_answer(simple[1], 1),
                       (simple[2].id, 0): wrong_answer(simple[2]), (simple[2].id, 1): reference_answer(simple[2])}
            write_run(tmp_path / "loop.db", run.run, fc_core, answers)
        else:
            write_run(tmp_path / "loop.db", run.run, fc_core, {(t.id, 0): reference_answer(t) for t in test},
                      split="test")
        return run.run

    config = LoopConfig(model="tiny", rounds=1, grpo=True, generations=2, max_steps=1, batch_size=2, max_tokens=24,
                        device="cpu", threads=2, db=str(tmp_path / "loop.db"), out=tmp_path / "loop")
    trained = run_loop(config, LoopHooks(evaluate=fake_evaluate)).rounds[1]
    assert trained.grpo_prompts == 1 and trained.sft_rows == 0 and [t.method for t in trained.training] == ["grpo"]
    assert trained.training[0].steps == 1 and (tmp_path / "loop" / "r1" / "model" / "model.safetensors").is_file()
