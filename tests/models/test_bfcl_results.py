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
from toolgym.types import ToolCall

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
    multi = tmp_path / "BFCL_v4_multi_turn_base_result.json"
    multi.write_text('{"id": "multi_turn_base_0", "result": "[ls()]"}\n')
    with pytest.raises(UserError, match=r":1: field \"result\": expected a list of turns, each a list of steps"):
        read_bfcl_results(tmp_path)
    multi.unlink()
    (tmp_path / "BFCL_v4_memory_kv_result.json").write_text('{"id": "memory_kv_0", "result": [[]]}\n')
    with pytest.raises(UserError, match="memory_kv results cannot be re-scored"):
        read_bfcl_results(tmp_path)


def test_score_needs_exactly_one_source(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["score", "--suite", "fc-core"])
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert "--responses FILE" in captured.out + captured.err


def _language_call(call) -> str:
    """A call in BFCL's Java/JavaScript prompting syntax: `f(a=value, b="text")` (values as written)."""
    def value(v: str) -> str:
        plain = v.replace("_", "").replace(".", "").isalnum() or v.startswith(("new ", "[", "{", '"'))
        return v if plain else json.dumps(v)

    return f"{call.name}(" + ", ".join(f"{k}={value(v)}" for k, v in call.arguments.items()) + ")"


@needs_package
def test_java_and_javascript_prompting_results_are_decoded_with_bfcls_own_parsers(tmp_path: Path) -> None:
    """Per task, toolgym's verdict on a Java/JS prompting string equals BFCL's: its decoder, then its checker."""
    import asyncio

    pytest.importorskip("tree_sitter", reason="needs BFCL's parsers' tree-sitter: pip install 'toolgym[bfcl]'")

    from bfcl_eval.model_handler.parser.java_parser import parse_java_function_call
    from bfcl_eval.model_handler.parser.js_parser import parse_javascript_function_call

    from toolgym.run import score_responses
    from toolgym.suites.bfcl_package import bfcl_package_data
    from toolgym.types import ToolCall

    from ..suites.bfcl_oracle import bfcl_verdict, raw_entries

    raw = raw_entries(bfcl_package_data())
    parse = {"simple_java": parse_java_function_call, "simple_javascript": parse_javascript_function_call}
    expected: dict[str, bool] = {}
    for category in parse:
        lines = []
        for task in load_suite(f"bfcl:{category}").tasks:
            calls = reference_calls(task.expected.calls, task.tools)
            text = "[" + ", ".join(_language_call(c) for c in calls) + "]"
            if task.id.endswith("_3"):
                text = "[" + text  # BFCL's decoder refuses it: the answer's parse error
            lines.append(json.dumps({"id": task.id, "result": text}))
            try:
                decoded = [ToolCall(name=n, arguments=a) for d in parse[category](text[1:-1]) for n, a in d.items()]
                expected[task.id] = bfcl_verdict(category, *raw[task.id], decoded)
            except Exception:  # BFCL: "Invalid syntax. Failed to decode AST."
                expected[task.id] = False
        (tmp_path / f"BFCL_v4_{category}_result.json").write_text("\n".join(lines) + "\n")
    records, categories = read_bfcl_results(tmp_path)
    assert records["simple_java_3", 0].parse_error and "java decoder" in records["simple_java_3", 0].parse_error
    replay = tmp_path / "replay.jsonl"
    from toolgym.models.replay import write_replay

    write_replay(replay, records.values())
    rows = asyncio.run(score_responses("bfcl", replay, "bfcl", "all", None, categories))
    ours = {r.task_id: bool(r.passed) for r in rows}
    assert ours == expected
    assert sum(expected.values()) > 100 and not expected["simple_java_3"] and not expected["simple_javascript_3"]


def _multi_turn_result(task, style: str) -> list:
    """A BFCL multi-turn result of the gold calls: per turn one step with the calls, then a text step."""
    turns = []
    for calls in task.metadata["gold_turns"]:
        calls = [ToolCall.model_validate(c) for c in calls]
        steps: list = []
        if calls:
            if style == "fc":
                steps.append([{c.name: json.dumps(_keywords(c, task))} for c in calls])
            else:
                steps.append(pythonic([c.model_copy(update={"arguments": _keywords(c, task), "positional": []})
                                       for c in calls]))
        steps.append("Done.")
        turns.append(steps)
    return turns


def _keywords(call, task) -> dict:
    tools = [t.model_dump() for t in task.tools]
    tools += [t for later in task.metadata.get("later_tools", {}).values() for t in later]
    order = {t["name"]: list(t["parameters"]["properties"]) for t in tools}
    return dict(zip(order[call.name], call.positional, strict=False)) | call.arguments


@needs_package
@pytest.mark.parametrize("style", ["fc", "prompting"])
def test_multi_turn_result_files_are_replayed_turn_by_turn(style: str, tmp_path: Path, capsys) -> None:
    """Gold episodes written as BFCL writes them score 100%; with a single-turn file, one BFCL overall."""
    tasks = [t for t in load_suite("bfcl:multi_turn").tasks if t.id.rsplit("_", 1)[1] in ("0", "1", "2")]
    by_file: dict[str, list[str]] = {}
    for task in tasks:
        line = json.dumps({"id": task.id, "result": _multi_turn_result(task, style)})
        by_file.setdefault(f"BFCL_v4_{task.category}_result.json", []).append(line)
    for name, lines in by_file.items():
        (tmp_path / name).write_text("\n".join(lines) + "\n")
    write_results(tmp_path, "bfcl:simple_python", style)
    main(["score", "--suite", "bfcl", "--bfcl-results", str(tmp_path), "--mode", "bfcl", "--json"])
    out = json.loads(capsys.readouterr().out)
    cats = out["categories"]
    assert {c: cats[c]["accuracy"] for c in cats if c.startswith("multi")} == {
        "multi_turn_base": 1.0, "multi_turn_miss_func": 1.0, "multi_turn_miss_param": 1.0,
        "multi_turn_long_context": 1.0}
    assert all(cats[c]["tasks"] == 3 for c in cats if c.startswith("multi")) and cats["simple"]["accuracy"] == 1.0
    assert out["errors"] == 800 - 12 and out["bfcl"]["multi_turn"] == 1.0  # entries left out: their tasks' errors
    assert out["bfcl"]["overall"] == pytest.approx((1 / 3 / 4 * 10 + 30) / 100)  # non-live: simple_python alone
