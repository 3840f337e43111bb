"""BFCL import: files to tasks, Gorilla types to JSON Schema, clear errors, and the real v4 data."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from toolgym.check import PERTURBATION_KINDS, check_calls, perturb, reference_calls
from toolgym.errors import UserError
from toolgym.suites.bfcl import load_bfcl

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "bfcl-v4"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="needs the BFCL v4 data in ../shared/data/bfcl-v4")

# BFCL ground truths whose answer names a parameter the function's schema lacks: any call that
# passes the answer's value is an unexpected parameter, so their reference answers cannot pass.
INCONSISTENT = {
    "parallel_multiple_12": "'permeability'",  # belongs to calculate_magnetic_field, answered for the other
    "parallel_multiple_26": "'type'",  # a key of the transactions items, answered as a top-level parameter
}

FUNCTION = {
    "name": "geo.distance",
    "description": "Distance between two points.",
    "parameters": {
        "type": "dict",
        "properties": {
            "points": {"type": "tuple", "items": {"type": "float"}, "description": "x, y"},
            "unit": {"type": "string", "default": "km"},
            "opts": {"type": "dict", "properties": {"fast": {"type": "boolean"}}},
            "extra": {"type": "any"},
        },
        "required": ["points"],
    },
}


def write(folder: Path, name: str, rows: list[dict | str]) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def question(task_id: str, function: dict = FUNCTION) -> dict:
    return {"id": task_id, "question": [[{"role": "user", "content": "How far?"}]], "function": [function]}


def answer(task_id: str, name: str = "geo.distance") -> dict:
    return {"id": task_id, "ground_truth": [{name: {"points": [[1.0, 2.0]], "unit": ["", "km"]}}]}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write(tmp_path, "BFCL_v4_simple_python.json", [question("simple_python_0")])
    write(tmp_path, "possible_answer/BFCL_v4_simple_python.json", [answer("simple_python_0")])
    write(tmp_path, "BFCL_v4_irrelevance.json", [question("irrelevance_0")])
    return tmp_path


def test_loads_tasks_with_json_schema_tools(folder: Path) -> None:
    suite = load_bfcl(folder)
    assert suite.environment == "function_calling" and suite.name == f"bfcl:{folder}"
    simple, irrelevant = suite.tasks
    assert (simple.id, simple.category, simple.split) == ("simple_python_0", "simple", "test")
    assert simple.metadata == {
        "source": "bfcl",
        "bfcl_category": "simple_python",
        "file": "BFCL_v4_simple_python.json",
        "line": 1,
    }
    assert simple.messages[0].content == "How far?"
    tool = simple.tools[0]
    assert tool.name == "geo.distance"
    params = tool.parameters
    assert params["type"] == "object" and params["x-bfcl-type"] == "dict" and params["required"] == ["points"]
    props = params["properties"]
    assert props["points"] == {
        "type": "array",
        "x-bfcl-type": "tuple",
        "description": "x, y",
        "items": {"type": "number", "x-bfcl-type": "float"},
    }
    assert props["unit"] == {"type": "string", "default": "km"}
    assert props["opts"]["type"] == "object" and props["opts"]["properties"]["fast"] == {"type": "boolean"}
    assert props["extra"] == {"x-bfcl-type": "any"}
    assert simple.expected.calls[0].arguments["points"] == [[1.0, 2.0]]
    assert irrelevant.category == "irrelevance" and irrelevant.expected.calls == []


def test_categories_by_toolgym_or_bfcl_name(folder: Path) -> None:
    assert [t.category for t in load_bfcl(folder, ["irrelevance"]).tasks] == ["irrelevance"]
    assert load_bfcl(folder, ["simple_python"]).tasks[0].category == "simple"
    suite = load_bfcl(folder, ["simple"])
    assert suite.name == f"bfcl:{folder}:simple" and len(suite.tasks) == 1


def test_v3_file_names_load_and_v4_wins(tmp_path: Path) -> None:
    write(tmp_path, "BFCL_v3_simple.json", [question("simple_0")])
    write(tmp_path, "possible_answer/BFCL_v3_simple.json", [answer("simple_0")])
    assert [t.id for t in load_bfcl(tmp_path).tasks] == ["simple_0"]
    write(tmp_path, "BFCL_v4_simple_python.json", [question("simple_python_0")])
    write(tmp_path, "possible_answer/BFCL_v4_simple_python.json", [answer("simple_python_0")])
    assert [t.id for t in load_bfcl(tmp_path).tasks] == ["simple_python_0"]


def test_reference_answer_of_an_imported_task_passes(folder: Path) -> None:
    task = load_bfcl(folder).tasks[0]
    for mode in ("bfcl", "toolgym"):
        v = check_calls(
            reference_calls(task.expected.calls), task.expected.calls, task.tools, task.category, mode=mode
        )
        assert v.passed, v


# ---------------------------------------------------------------- errors: file, line, field, fix


def load_error(folder: Path, categories: list[str] | None = None) -> str:
    with pytest.raises(UserError) as info:
        load_bfcl(folder, categories)
    return str(info.value)


def test_malformed_line_names_file_and_line(folder: Path) -> None:
    write(folder, "BFCL_v4_irrelevance.json", [question("irrelevance_0"), '{"id": "irrelevance_1", oops'])
    msg = load_error(folder)
    assert "BFCL_v4_irrelevance.json:2:" in msg and "not valid JSON" in msg and "one JSON object" in msg


def test_unknown_and_later_categories(folder: Path) -> None:
    msg = load_error(folder, ["simpel"])
    assert "unknown BFCL category 'simpel'" in msg and "parallel_multiple" in msg
    missing = "no question or possible-answer file for 'multi_turn_miss_func'"
    assert missing in load_error(folder, ["multi_turn_miss_func"])
    assert "is not run: needs the internet" in load_error(folder, ["web_search_base"])
    assert "no question file for category 'parallel'" in load_error(folder, ["parallel"])


@pytest.mark.parametrize(
    ("change", "field", "fix"),
    [
        (
            lambda p: p["properties"]["unit"].update(type="str"),
            "parameters.properties.unit.type",
            "use one of",
        ),
        (
            lambda p: p["properties"]["points"].pop("items"),
            "parameters.properties.points.items",
            'add "items"',
        ),
        (lambda p: p.pop("required"), "parameters.required", 'add "required": []'),
        (lambda p: p.update(required=["nope"]), "parameters.required", "declare them"),
        (lambda p: p.update(type="object"), "parameters.type", 'write {"type": "dict"'),
    ],
)
def test_schema_bfcl_would_reject_names_the_field(folder: Path, change, field: str, fix: str) -> None:
    function = json.loads(json.dumps(FUNCTION))
    change(function["parameters"])
    write(folder, "BFCL_v4_irrelevance.json", [question("irrelevance_0", function)])
    msg = load_error(folder)
    assert "BFCL_v4_irrelevance.json:1: task 'irrelevance_0'" in msg
    assert f"function[0].{field}" in msg and fix in msg


def test_question_without_possible_answer(folder: Path) -> None:
    write(folder, "BFCL_v4_simple_python.json", [question("simple_python_0"), question("simple_python_1")])
    msg = load_error(folder)
    assert "BFCL_v4_simple_python.json:2: task 'simple_python_1' id: no possible answer" in msg
    assert "add its ground_truth line" in msg


def test_answer_without_question_and_missing_answer_file(folder: Path) -> None:
    write(
        folder,
        "possible_answer/BFCL_v4_simple_python.json",
        [answer("simple_python_0"), answer("simple_python_9")],
    )
    msg = load_error(folder)
    assert (
        "possible_answer/BFCL_v4_simple_python.json:2: task 'simple_python_9'" in msg
        and "drop the line" in msg
    )
    (folder / "possible_answer" / "BFCL_v4_simple_python.json").unlink()
    assert "possible-answer file missing" in load_error(folder)


def test_bad_ground_truth_names_the_field(folder: Path) -> None:
    write(folder, "possible_answer/BFCL_v4_simple_python.json", [answer("simple_python_0", "geo_distance")])
    msg = load_error(folder)
    assert "ground_truth[0]: function 'geo_distance' is not offered" in msg
    bad = {"id": "simple_python_0", "ground_truth": [{"geo.distance": {"points": [1.0, 2.0], "unit": "km"}}]}
    write(folder, "possible_answer/BFCL_v4_simple_python.json", [bad])
    assert "ground_truth[0].geo.distance.unit: expected a list of accepted values" in load_error(folder)


def test_missing_folder_or_files(tmp_path: Path) -> None:
    assert "no such folder" in load_error(tmp_path / "nope")
    assert "no BFCL question files" in load_error(tmp_path)


# ---------------------------------------------------------------- the real BFCL v4 data


@pytest.fixture(scope="module")
def bfcl_suite():
    return load_bfcl(DATA)


@needs_data
def test_real_data_loads_every_python_category(bfcl_suite) -> None:
    counts = {c: sum(t.category == c for t in bfcl_suite.tasks) for c in bfcl_suite.categories()}
    assert counts == {
        "simple": 400,
        "multiple": 200,
        "parallel": 200,
        "parallel_multiple": 200,
        "irrelevance": 240,
    }


@needs_data
@pytest.mark.parametrize("mode", ["bfcl", "toolgym"])
def test_every_reference_answer_scores_100_percent(bfcl_suite, mode: str) -> None:
    failed = {}
    for task in bfcl_suite.tasks:
        calls = reference_calls(task.expected.calls)
        v = check_calls(calls, task.expected.calls, task.tools, task.category, mode=mode)  # type: ignore[arg-type]
        if not v.passed:
            failed[task.id] = v
    assert sorted(failed) == sorted(INCONSISTENT)
    for task_id, param in INCONSISTENT.items():
        assert failed[task_id].failure.value == "unexpected_param" and param in failed[task_id].explanation


@needs_data
@pytest.mark.parametrize("mode", ["bfcl", "toolgym"])
def test_every_perturbation_scores_as_its_kind(bfcl_suite, mode: str) -> None:
    wrong, made = [], 0
    for n, task in enumerate(bfcl_suite.tasks):
        if task.id in INCONSISTENT:
            continue
        ref = reference_calls(task.expected.calls)
        for kind in PERTURBATION_KINDS:
            bad = perturb(ref, task.tools, kind, random.Random(n))
            if bad is None:
                continue
            made += 1
            v = check_calls(bad, task.expected.calls, task.tools, task.category, mode=mode)  # type: ignore[arg-type]
            if v.failure is not kind:
                wrong.append((task.id, kind.value, v.explanation))
    assert not wrong, wrong[:5]
    assert made >= 5 * 990  # every non-irrelevance task, nearly every kind
