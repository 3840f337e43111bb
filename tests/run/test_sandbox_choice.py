"""`--sandbox`: the isolation of model-written code is chosen, printed and recorded (eval, score, train grpo, loop)."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from toolgym.cli import main
from toolgym.envs import sandbox as sandbox_module
from toolgym.store import Store
from toolgym.store.manifest import diff_manifests
from toolgym.train import GRPORunConfig, LoopConfig
from toolgym.train.grpo import GRPOMethod, grpo_sandbox
from toolgym.train.loop import _test_eval, _train_eval

pytestmark = pytest.mark.skipif(
    shutil.which("bwrap", path="/usr/local/bin:/usr/bin:/bin") is None,
    reason="bubblewrap (bwrap) is not installed: apt-get install bubblewrap",
)


@pytest.fixture
def reference(tmp_path, capsys):
    ref = tmp_path / "ref.jsonl"
    main(["suite", "reference", "code", "--split", "test", "--out", str(ref)])
    capsys.readouterr()
    return ref, str(tmp_path / "runs.db")


def eval_code(ref, db, *extra: str) -> None:
    main(["eval", "code", "--model", f"replay:{ref}", "--limit", "2", "--db", db, *extra])


def test_default_is_bwrap_printed_and_recorded(reference, capsys):
    ref, db = reference
    eval_code(ref, db, "--run", "strong")
    out = capsys.readouterr().out
    assert "model-written code runs in the bwrap sandbox" in out and "weak" not in out
    assert Store(db).get_run("strong").manifest.sandbox == "bwrap"


def test_a_weak_sandbox_runs_only_by_name_and_a_resume_must_name_it_again(reference, capsys):
    ref, db = reference
    eval_code(ref, db, "--run", "weak", "--sandbox", "process")
    assert "runs in the process sandbox (weak isolation, chosen by name)" in capsys.readouterr().out
    assert Store(db).get_run("weak").manifest.sandbox == "process"
    with pytest.raises(SystemExit) as e:
        eval_code(ref, db, "--run", "weak")  # the default is bwrap: not the same run
    assert e.value.code == 2 and 'sandbox: "process" -> "bwrap"' in capsys.readouterr().err


def test_unknown_sandbox_is_one_clear_error(reference, capsys):
    ref, db = reference
    with pytest.raises(SystemExit) as e:
        eval_code(ref, db, "--sandbox", "docker")
    err = capsys.readouterr().err
    assert e.value.code == 2 and "--sandbox" in err and "'bwrap'" in err and "Traceback" not in err


def test_suites_without_code_record_no_sandbox_and_older_runs_still_resume(tmp_path, capsys):
    db = str(tmp_path / "runs.db")
    main(["eval", "fc-core", "--model", "tiny", "--limit", "1", "--db", db, "--run", "fc"])
    capsys.readouterr()
    assert Store(db).get_run("fc").manifest.sandbox is None
    assert diff_manifests({"suite": "fc-core"}, {"suite": "fc-core", "sandbox": None}) == []
    assert diff_manifests({"suite": "code"}, {"suite": "code", "sandbox": "bwrap"}) == ['sandbox: (absent) -> "bwrap"']


PODMAN = shutil.which("podman", path="/usr/local/bin:/usr/bin:/bin")


@pytest.mark.skipif(PODMAN is None or os.geteuid() != 0, reason="needs podman (apt-get install podman), run as root")
def test_podman_is_a_strong_choice_printed_and_recorded(reference, capsys):
    ref, db = reference
    eval_code(ref, db, "--run", "contained", "--sandbox", "podman")
    out = capsys.readouterr().out
    assert "model-written code runs in the podman sandbox" in out and "weak" not in out
    run = Store(db).get_run("contained")
    assert run.manifest.sandbox == "podman" and run.done == 2


def test_score_prints_the_sandbox_and_reports_it_in_json(reference, capsys):
    ref, _ = reference
    main(["score", "--suite", "code", "--responses", str(ref), "--split", "test", "--sandbox", "process"])
    assert "model-written code runs in the process sandbox (weak isolation, chosen by name)" in capsys.readouterr().out
    main(["score", "--suite", "code", "--responses", str(ref), "--split", "test", "--json"])
    scored = json.loads(capsys.readouterr().out)
    assert scored["sandbox"] == "bwrap" and scored["overall"] == 1.0  # the default; reference answers all pass
    main(["score", "--suite", "fc-core", "--responses", str(ref), "--json"])  # runs no code: no sandbox
    assert "sandbox" not in json.loads(capsys.readouterr().out)


def test_score_with_an_unknown_sandbox_is_one_clear_error(reference, capsys):
    ref, _ = reference
    with pytest.raises(SystemExit) as e:
        main(["score", "--suite", "code", "--responses", str(ref), "--sandbox", "docker"])
    err = capsys.readouterr().err
    assert e.value.code == 2 and "--sandbox" in err and "'podman'" in err and "Traceback" not in err


def test_train_grpo_prints_the_sandbox_before_the_model_loads(capsys):
    with pytest.raises(SystemExit) as e:  # a model that is not there: the run stops after the choice is made
        main(["train", "grpo", "--model", "hf:/nonexistent-model", "--suite", "code", "--sandbox", "process",
              "--out", "/nonexistent-out/model", "--batch-size", "2", "--num-generations", "2"])  # fmt: skip
    out = capsys.readouterr().out
    assert e.value.code == 2
    assert "model-written code runs in the process sandbox (weak isolation, chosen by name)" in out


def test_grpo_on_a_code_suite_runs_its_reward_under_the_chosen_sandbox_and_records_it(tmp_path):
    config = GRPORunConfig(model="tiny", suite="code", sandbox="process", out=tmp_path / "m", batch_size=2,
                           num_generations=2)  # fmt: skip
    method = GRPOMethod(config)
    method.prepare()
    assert method.sandbox == "process" and method.env.sandbox.isolation == "process"
    assert grpo_sandbox(config) == "process"
    assert grpo_sandbox(config.model_copy(update={"suite": "fc-core"})) is None  # no code, no sandbox


def test_without_bwrap_loop_and_train_grpo_refuse_before_anything_runs(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sandbox_module.bwrap, "bwrap_path", lambda: None)  # as on a machine without bubblewrap
    sandbox_module._plan.cache_clear()
    try:
        db = tmp_path / "runs.db"
        for argv in (["loop", "--suite", "code", "--db", str(db), "--out", str(tmp_path / "loop")],
                     ["train", "grpo", "--suite", "code", "--out", str(tmp_path / "m"), "--batch-size", "2",
                      "--num-generations", "2"]):  # fmt: skip
            with pytest.raises(SystemExit) as e:
                main(argv)
            assert e.value.code == 2 and "--sandbox process" in capsys.readouterr().err, argv
        assert not db.exists() and not (tmp_path / "loop").exists() and not (tmp_path / "m").exists()
    finally:
        sandbox_module._plan.cache_clear()


def test_the_loop_passes_its_sandbox_to_every_evaluation():
    config = LoopConfig(suite="code", sandbox="process")  # each evaluation then prints it and records it (above)
    assert _train_eval(config, "tiny", "r", 1).sandbox == "process"
    assert _test_eval(config, "tiny", "t").sandbox == "process"
