"""`toolgym audit`, `rescore`, `plan`, `outcomes` and compare's power line, end to end on real files."""

from __future__ import annotations

import json

import pytest

from tests.audit.test_health import world  # noqa: F401  (fixture: three replayed models in a real SQLite file)
from toolgym.cli import main
from toolgym.store import RunManifest, Store
from toolgym.types import FailureKind, Message, Rollout, Verdict


def cli(*args: str) -> None:
    main(list(args))


def flat(text: str) -> str:
    """Console output with rich's line wrapping and table rules undone."""
    return " ".join(text.replace("│", " ").replace("┃", " ").split())


def test_audit_of_a_bundled_suite_replays_every_gold_answer(capsys) -> None:
    cli("audit", "fc-core", "--show", "5")
    out = flat(capsys.readouterr().out)
    assert "800 tasks, gold answers replayed for 800, 0 fail" in out
    assert "give --runs" in out


def test_audit_with_runs_then_rescore(world, tmp_path, capsys) -> None:  # noqa: F811
    _, suite, db = world
    report = tmp_path / "audit.json"
    cli("audit", f"jsonl:{suite}", "--runs", "a,b", "--runs", "c", "--db", db, "--json", str(report))
    out = flat(capsys.readouterr().out)
    assert "1 tasks no model passed" in out and "t0001" in out
    assert "1 probable label errors" in out and "add_numbers(a=0, b=2)" in out and "2/3" in out
    data = json.loads(report.read_text())
    assert data["runs"] == ["a", "b", "c"] and data["label_suspects"][0]["task_id"] == "t0000"
    cli("rescore", "a", "--db", db, "--mode", "bfcl")
    out = flat(capsys.readouterr().out)
    assert "re-graded 8 rollouts of a" in out and "into run a-rescored: 6/8 pass" in out
    assert "0 verdicts changed" in out


def test_plan_from_an_assumed_accuracy_and_from_pilot_runs(world, capsys) -> None:  # noqa: F811
    _, suite, db = world
    cli("plan", "fc-core", "--accuracy", "0.6", "--delta", "0.1", "--task-sd", "0.15", "--repeats", "1,3")
    out = flat(capsys.readouterr().out)
    assert "detect +10.0% with 80% power" in out and "fc-core (400 tasks)" in out
    assert "assumed accuracy 60.0%" in out
    cli("plan", "--run", "a", "--run", "c", "--delta", "0.2", "--db", db)
    out = flat(capsys.readouterr().out)
    assert "runs a and c (8 shared tasks x 1 and 1)" in out and "cannot be told apart" in out


def test_plan_user_errors_name_the_option(capsys) -> None:
    with pytest.raises(SystemExit) as e:
        cli("plan", "--delta", "0.1")
    assert e.value.code == 2 and "--accuracy" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli("plan", "--accuracy", "0.5", "--repeats", "two")
    assert "--repeats" in capsys.readouterr().err


def test_compare_prints_the_minimum_detectable_difference_and_underpowered(world, capsys) -> None:  # noqa: F811
    _, _, db = world
    cli("compare", "a", "c", "--db", db)
    out = flat(capsys.readouterr().out)
    assert "minimum detectable difference (80% power, α = 0.05, 8 tasks x 1)" in out
    assert "underpowered" in out


def test_outcomes_separate_agent_user_and_infra_failures(tmp_path, capsys) -> None:
    db = str(tmp_path / "runs.db")
    rows = []
    for i in range(12):
        end, verdict, error = "user_stop", Verdict.ok(), None
        if i in (1, 2, 3):
            verdict = Verdict.fail(FailureKind.STATE_MISMATCH, "wrong order")
        if i in (4, 5):
            end, verdict = "user_error", Verdict.fail(FailureKind.MISSING_FACT, "user left")
        if i == 6:
            end, error, verdict = "error", "HTTP 503", Verdict.fail(FailureKind.INFRA_ERROR, "HTTP 503")
        rollout = Rollout(task_id=f"t{i}", messages=[Message(role="user", content="hi")], end_reason=end, error=error)
        rows.append((rollout, "retail", verdict))
    with Store(db) as store:
        run = store.open_run("mt", RunManifest(suite="retail", suite_version="x", model="m"))
        store.write(run.id, rows)
    cli("outcomes", "mt", "--db", db)
    out = flat(capsys.readouterr().out)
    assert "agent failure" in out and "user failure" in out and "infra error" in out
    # 12 rollouts: 6 passed, 3 agent failures, 2 user failures, 1 infra error
    assert "accuracy 11 54.5" in out  # 6 of 11: infra errors left out, user faults count
    assert "accuracy excluding user faults 9 66.7" in out  # 6 of 9


def test_outcomes_judge_moves_failures_it_blames_on_the_simulated_user(tmp_path, capsys) -> None:
    from toolgym.run import RunConfig, evaluate

    ids = ["retail-test-000", "retail-test-001"]
    agent = tmp_path / "agent.jsonl"  # an agent that does nothing: both episodes fail on the goal state
    agent.write_text("".join(json.dumps({"id": i, "content": "Sorry, I cannot help."}) + "\n" for i in ids))
    judge = tmp_path / "judge.jsonl"  # the judge blames the user of the first task only
    judge.write_text(json.dumps({"id": ids[0], "content": "USER_FAULT: it stopped before its request"}) + "\n"
                     + json.dumps({"id": ids[1], "content": "OK: the user followed its instruction"}) + "\n")
    db = str(tmp_path / "runs.db")
    evaluate(RunConfig(suite="retail", model=f"replay:{agent}", limit=2, db=db, run="mt"))
    cli("outcomes", "mt", "--db", db)
    assert "agent failure 2 100.0" in flat(capsys.readouterr().out)
    cli("outcomes", "mt", "--db", db, "--judge", f"replay:{judge}")
    out = flat(capsys.readouterr().out)
    assert "1 agent failures were the simulated user's fault" in out
    assert "agent failure 1 50.0" in out and "user failure 1 50.0" in out
    assert "accuracy excluding user faults 1 0.0" in out


def test_audit_and_plan_read_the_database_toolgym_db_names(world, capsys, monkeypatch) -> None:  # noqa: F811
    _, suite, db = world
    monkeypatch.setenv("TOOLGYM_DB", db)  # the shared --db option: no --db given, the variable names the store
    cli("audit", f"jsonl:{suite}", "--runs", "a,b,c")
    assert "1 probable label errors" in flat(capsys.readouterr().out)
    cli("plan", "--run", "a", "--run", "c", "--delta", "0.2")
    assert "runs a and c (8 shared tasks x 1 and 1)" in flat(capsys.readouterr().out)
