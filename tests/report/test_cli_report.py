"""`toolgym report` and `write_report` (toolgym/cli/report.py) on a real SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolgym.cli import main
from toolgym.cli.report import write_report
from toolgym.errors import UserError


def test_report_command_writes_one_self_contained_file(report_db: str, tmp_path: Path, capsys) -> None:
    out = tmp_path / "report.html"
    main(["report", "alpha", "beta", "--db", report_db, "--out", str(out)])
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert ">alpha</h2>" in page and ">beta</h2>" in page
    assert "wrote the report of alpha, beta" in capsys.readouterr().out


def test_max_transcripts_caps_the_listing(report_db: str, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    main(["report", "alpha", "--db", report_db, "--out", str(out), "--max-transcripts", "1"])
    assert "Showing the first 1 of 5 rollouts" in out.read_text(encoding="utf-8")


def test_unknown_run_is_one_clear_error(report_db: str, tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "alpah", "--db", report_db, "--out", str(tmp_path / "r.html")])
    assert exit_info.value.code == 2
    err = " ".join(capsys.readouterr().err.split())  # rich wraps long lines
    assert "no run named 'alpah'" in err and "did you mean 'alpha'" in err
    assert not (tmp_path / "r.html").exists()


def test_missing_output_folder_names_the_path(report_db: str, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"--out .*nowhere.*does not exist"):
        write_report(report_db, ["alpha"], tmp_path / "nowhere" / "r.html")
