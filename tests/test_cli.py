"""The CLI end to end on real files: eval -> runs -> show -> compare -> export, and user errors."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from tests.run.suite_factory import write_replay, write_suite
from toolgym.cli import main


def cli(*args: str) -> None:
    main(list(args))


@pytest.fixture
def world(tmp_path):
    suite = write_suite(tmp_path / "suite.jsonl", 24)
    replay = write_replay(tmp_path / "answers.jsonl", 24)
    return tmp_path, suite, replay, str(tmp_path / "runs.db")


def test_eval_then_runs_show_compare_export(world, capsys):
    tmp, suite, replay, db = world
    cli("eval", f"jsonl:{suite}", "--model", f"replay:{replay}", "--split", "all", "--db", db, "--run", "a")
    cli("eval", f"jsonl:{suite}", "--model", f"replay:{replay}", "--split", "all", "--db", db, "--run", "b",
        "--seed", "1")
    out = capsys.readouterr().out
    assert "overall" in out and "66.7" in out  # 16 of 24 right
    cli("runs", "--db", db)
    assert "a" in capsys.readouterr().out
    cli("compare", "a", "b", "--db", db)
    out = capsys.readouterr().out
    assert "+0.0" in out and "24 shared tasks" in out
    cli("export", "a", "--out", str(tmp / "a.jsonl"), "--db", db)
    rows = [json.loads(line) for line in (tmp / "a.jsonl").read_text().splitlines()]
    assert len(rows) == 24 and rows[0]["messages"][0]["role"] == "user"
    cli("export", "a", "--out", str(tmp / "a.parquet"), "--format", "parquet", "--db", db)
    assert pq.read_table(tmp / "a.parquet").num_rows == 24


def test_score_prints_bfcl_summary_in_bfcl_mode(world, capsys):
    tmp, suite, replay, db = world
    cli("score", "--suite", f"jsonl:{suite}", "--responses", str(replay), "--mode", "bfcl")
    out = capsys.readouterr().out
    assert "BFCL v4 overall" in out and "BFCL non-live" in out and "wrong_value" in out


def test_user_errors_exit_2_with_one_line_and_no_traceback(world, capsys):
    tmp, suite, replay, db = world
    with pytest.raises(SystemExit) as e:
        cli("eval", "no-such-suite", "--model", f"replay:{replay}", "--db", db)
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "unknown suite 'no-such-suite'" in err and "fc-core" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as e:
        cli("eval", f"jsonl:{suite}", "--model", "nope:x", "--db", db)
    assert e.value.code == 2 and "unknown model backend 'nope'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        cli("eval", f"jsonl:{suite}", "--model", f"replay:{replay}", "--repeats", "0", "--db", db)
    assert e.value.code == 2 and "--repeats" in capsys.readouterr().err


def test_config_file_sets_defaults_and_flags_override(world, capsys):
    tmp, suite, replay, db = world
    cfg = tmp / "run.yaml"
    cfg.write_text(f"suite: jsonl:{suite}\nmodel: replay:{replay}\nsplit: all\nlimit: 5\ndb: {db}\n")
    cli("eval", f"jsonl:{suite}", "--config", str(cfg), "--limit", "7", "--run", "c")
    cli("runs", "--db", db)
    assert "7" in capsys.readouterr().out
    bad = tmp / "bad.yaml"
    bad.write_text("temprature: 0.5\n")
    with pytest.raises(SystemExit):
        cli("eval", f"jsonl:{suite}", "--config", str(bad))
    err = capsys.readouterr().err
    assert "temprature" in err and "temperature" in err and "bad.yaml" in err


@pytest.mark.parametrize("suite", ["fc-core", "retail", "files", "code"])
def test_reference_answers_of_every_bundled_suite_score_100_percent(suite, tmp_path, capsys):
    ref = tmp_path / "ref.jsonl"
    cli("suite", "reference", suite, "--split", "test", "--out", str(ref))
    capsys.readouterr()
    cli("score", "--suite", suite, "--split", "test", "--responses", str(ref))
    overall = next(line for line in capsys.readouterr().out.splitlines() if "overall" in line)
    assert "100.0" in overall.split("│")[4]
