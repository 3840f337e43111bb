"""Readable output: plain progress lines off a terminal, tables folded at 80 columns, where the report
went, and a run extended by a larger --repeats or --limit instead of refused."""

from __future__ import annotations

import pytest

from tests.cli.conftest import run_toolgym
from toolgym.cli import main, main_job
from toolgym.store import Store


def test_progress_off_a_terminal_is_plain_lines(world):
    tmp, suite, replay, db = world
    done = run_toolgym("eval", f"jsonl:{suite}", "--model", f"replay:{replay}", "--split", "all", "--db", db,
                       "--run", "plain", cwd=tmp)
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stdout and "\x1b" not in done.stdout
    lines = done.stdout.splitlines()
    assert lines[0] == "plain: 24 rollouts to do, 0 of 24 stored before"
    assert any(line.startswith("plain: 24/24 done, ") and "/s" in line and "acc 66.7%" in line for line in lines)


def test_runs_table_folds_long_names_at_80_columns_instead_of_cutting_them(world, capsys):
    tmp, suite, replay, db = world
    name = "fc-core-tiny-test-with-a-long-descriptive-name-train"
    main(["eval", f"jsonl:{suite}", "--model", f"replay:{replay}", "--split", "all", "--db", db, "--run", name])
    capsys.readouterr()
    main(["runs", "--db", db])
    out = capsys.readouterr().out
    assert "…" not in out and max(len(line) for line in out.splitlines()) <= 80
    cells = "".join(line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│"))
    assert name in cells and "finished" in out


def test_a_larger_repeats_or_limit_extends_the_run_and_a_smaller_one_is_refused(world, capsys):
    tmp, suite, replay, db = world
    base = ["eval", f"jsonl:{suite}", "--model", f"replay:{replay}", "--split", "all", "--db", db, "--run", "grow"]
    main([*base, "--limit", "8"])
    main([*base, "--limit", "16"])
    main([*base, "--limit", "16", "-k", "2"])
    with Store(db) as store:
        run = store.get_run("grow")
    assert (run.done, run.manifest.limit, run.manifest.repeats, run.status) == (32, 16, 2, "finished")
    with pytest.raises(SystemExit) as e:
        main([*base, "--limit", "8", "-k", "2"])
    assert e.value.code == 2 and "limit: 16 -> 8" in capsys.readouterr().err
    main([*base, "-k", "2"])  # no limit: every task
    with Store(db) as store:
        assert store.get_run("grow").done == 48


def test_the_main_job_says_where_the_report_is(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(main_job, "tiny_available", lambda: False)  # the job's fallback: reference answers
    main(["run", "--limit", "5"])
    out = " ".join(capsys.readouterr().out.split())
    assert f"report: {tmp_path / 'report.html'}" in out and (tmp_path / "report.html").is_file()
