"""Usage errors: one line naming what is wrong and the closest valid choice, exit 2, no traceback."""

from __future__ import annotations

import pytest

from tests.cli.conftest import run_toolgym
from toolgym.cli import main

CASES = [
    ([], "toolgym: missing command; choose one of eval, score"),
    (["arena"], "toolgym arena: missing command; choose one of answer, judge, import-votes, leaderboard"),
    (["data"], "toolgym data: missing command; choose one of sft, dpo"),
    (["train"], "toolgym train: missing command; choose one of sft, dpo, grpo"),
    (["suite"], "toolgym suite: missing command; choose one of reference, list, info"),
    (["evl"], "toolgym: unknown command 'evl'; did you mean 'eval'?"),
    (["arena", "leaderbord"], "toolgym arena: unknown command 'leaderbord'; did you mean 'leaderboard'?"),
    (["suite", "inf"], "toolgym suite: unknown command 'inf'; did you mean 'info'?"),
    (["eval"], "toolgym eval: missing argument SUITE; usage: toolgym eval [OPTIONS] SUITE"),
    (["suite", "info"], "toolgym suite info: missing argument SUITE"),
    (["export", "r"], "toolgym export: missing option --out"),
    (["eval", "fc-core", "--modle", "tiny"], "toolgym eval: unknown option --modle; did you mean --model?"),
    (["runs", "--dbb", "x.db"], "toolgym runs: unknown option --dbb; did you mean --db?"),
    (["runs", "--bogus"], "toolgym runs: unknown option --bogus; options are --db"),
    (["eval", "fc-core", "--repeats", "x"], "toolgym eval: --repeats: 'x':"),
    (["export", "r", "--out", "x", "--format", "jsonn"], "--format: 'jsonn' is not one of jsonl, parquet; did you "
                                                         "mean 'jsonl'?"),
    (["eval", "fc-core", "--mode", "bfc"], "--mode: Input should be 'toolgym' or 'bfcl' (got 'bfc'); did you mean "
                                           "'bfcl'?"),
    (["arena", "leaderboard", "--method", "elo2"], "--method:"),
]


@pytest.mark.parametrize(("argv", "expected"), CASES, ids=[" ".join(a) or "bare" for a, _ in CASES])
def test_usage_error_is_one_line_with_the_closest_choice(argv, expected, capsys):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert expected in lines[0]
    assert "Traceback" not in captured.err and captured.out == ""


def test_the_console_script_prints_no_traceback_and_exits_2(tmp_path):
    for argv in ([], ["eval", "fc-core", "--modle", "tiny"], ["arena"]):
        done = run_toolgym(*argv, cwd=tmp_path, timeout=60)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_help_still_exits_0(capsys):
    main(["--help"])
    assert "eval" in capsys.readouterr().out
