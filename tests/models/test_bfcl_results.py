"""Re-scoring BFCL's own result files: `toolgym score --suite bfcl --bfcl-results DIR`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolgym.check import reference_calls
from toolgym.cli import main
from toolgym.errors import UserError
from toolgym.models.bfcl_results import read_bfcl_results
from toolgym.suites import load_suite

from ..suites.bfcl_oracle import bfcl_checker

needs_package = pytest.mark.skipif(bfcl_checker() is None, reason="needs bfcl-eval: pip install --no-deps bfcl-eval")


def pythonic(calls) -> str:
    return "[" + ", ".join(f"{c.name}(" + ", ".join(f"{k}={v!r}" for k, v in c.arguments.items()) + ")"
                           for c in calls) + "]"


def write_results(folder: Path, spec: str, style: str) -> int:
    """BFCL-style result files of the reference answers: FC lists or prompting strings, one file a category."""
    by_file: dict[str, list[str]] = {}
    tasks = load_suite(spec).tasks
    for task in tasks:
        calls = reference_calls(task.expected.calls, task.tools)
        if task.category == "live_relevance":
            result: object = [{task.tools[0].name: "{}"}] if style == "fc" else f"[{task.tools[0].name}()]"
        elif style == "fc":
            result = [{c.name: json.dumps(c.arguments)} for c in calls]
        else:
            result = pythonic(calls) if calls else "I cannot help with that."
        name = f"BFCL_v4_{task.metadata['bfcl_category']}_result.json"
        line = {"id": task.id, "result": result, "input_token_count": 1, "latency": 0.1}
        by_file.setdefault(name, []).append(json.dumps(line))
    for name, lines in by_file.items():
        sub = folder / "my-model" / ("live" if "live" in name else "non_live")
        sub.mkdir(parents=True, exist_ok=True)
        (sub / name).write_text("\n".join(lines) + "\n")
    return len(tasks)


@needs_package
@pytest.mark.parametrize("style", ["fc", "prompting"])
def test_bfcl_result_files_are_rescored_with_bfcls_overall(style: str, tmp_path: Path, capsys) -> None:
    spec = "bfcl:simple_python,live_simple,live_relevance,live_irrelevance,parallel"
    n = write_results(tmp_path, spec, style)
    main(["score", "--suite", "bfcl", "--bfcl-results", str(tmp_path), "--mode", "bfcl", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out["tasks"] == n and out["errors"] == 0  # only the categories the folder answers
    cats = out["categories"]
    assert cats["simple"]["accuracy"] == 1.0 and cats["live_relevance"]["accuracy"] == 1.0
    assert cats["live_simple"]["accuracy"] == pytest.approx(256 / 258)  # two documented broken answers
    bfcl = out["bfcl"]
    assert set(bfcl["categories"]) == {"simple_python", "live_simple", "live_relevance", "live_irrelevance", "parallel"}
    live = 256 / 258 * 258 / (258 + 1053 + 16 + 24)
    non_live = (1 / 3 + 1) / 4
    assert bfcl["overall"] == pytest.approx((non_live * 10 + live * 10 + 0.5 * 10) / 100)


@needs_package
def test_missing_entry_is_that_tasks_error_not_an_abort(tmp_path: Path, capsys) -> None:
    write_results(tmp_path, "bfcl:live_parallel", "fc")
    path = next(tmp_path.rglob("*_result.json"))
    path.write_text("".join(path.read_text().splitlines(keepends=True)[1:]))
    main(["score", "--suite", "bfcl", "--bfcl-results", str(tmp_path), "--mode", "bfcl", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out["tasks"] == 16 and out["errors"] == 1 and out["scored"] == 15


def test_bad_result_files_name_file_line_and_fix(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no BFCL result files"):
        read_bfcl_results(tmp_path)
    bad = tmp_path / "BFCL_v4_simple_python_result.json"
    bad.write_text('{"id": "simple_python_0", "result": 3}\n')
    with pytest.raises(UserError, match=r"_result.json:1: field \"result\": expected a string or a list"):
        read_bfcl_results(tmp_path)
    bad.write_text('{"id": "simple_python_0", "answer": []}\n')
    with pytest.raises(UserError, match=r':1: expected \{"id": ..., "result": ...\}'):
        read_bfcl_results(tmp_path)
    bad.unlink()
    (tmp_path / "BFCL_v4_multi_turn_base_result.json").write_text('{"id": "multi_turn_base_0", "result": [[]]}\n')
    with pytest.raises(UserError, match="multi_turn_base results cannot be re-scored yet"):
        read_bfcl_results(tmp_path)


def test_score_needs_exactly_one_source(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["score", "--suite", "fc-core"])
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert "--responses FILE" in captured.out + captured.err
