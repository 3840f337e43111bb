"""`data` filters on scored rollouts in a real SQLite store: category, failure kind, best of n, per-category caps."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.train.crafted import write_run, wrong_answer
from tests.train.test_cli_train import run
from toolgym.errors import UserError
from toolgym.train import RowFilter, build_dpo_data, build_sft_data, read_rollouts
from toolgym.train.chat import reference_answer
from toolgym.train.data_dpo import dpo_rows
from toolgym.train.data_sft import sft_rows
from toolgym.train.dataset_files import read_data_record
from toolgym.train.filters import filtered_rows


@pytest.fixture
def mixed_db(tmp_path, fc_core):
    """Run `mixed`: 4 samples of 12 train tasks (3 per category of four) with known verdicts.

    Per task, sample 0 is wrong (a wrong value, or a call where a refusal is wanted), sample 1 wrong
    again, sample 2 right, sample 3 right in other words (a short text before the calls).
    """
    tasks = []
    for category in ("simple", "multiple", "parallel", "irrelevance"):
        tasks += [t for t in fc_core.split("train") if t.category == category][:3]
    answers = {}
    for task in tasks:
        good = reference_answer(task)
        answers[(task.id, 0)] = wrong_answer(task)
        answers[(task.id, 1)] = wrong_answer(task, seed=1)
        answers[(task.id, 2)] = good
        answers[(task.id, 3)] = good.model_copy(update={"content": (good.content or "") + " Done."})
    db = tmp_path / "runs.db"
    write_run(db, "mixed", fc_core, answers)
    return db, tasks


def _rows(db, keep, build=sft_rows, *args):
    return filtered_rows(read_rollouts(str(db), ["mixed"]), keep, build, *args)


def test_the_store_holds_the_verdicts_the_filters_select_on(mixed_db):
    db, tasks = mixed_db
    source = read_rollouts(str(db), ["mixed"])
    passed = Counter((s.task.category, s.rollout.sample) for s in source.rollouts if s.verdict.passed)
    assert passed[("simple", 2)] == 3 and passed[("simple", 0)] == 0 and passed[("irrelevance", 3)] == 3
    kinds = Counter(s.verdict.failure.value for s in source.rollouts if not s.verdict.passed)
    assert kinds["wrong_value"] > 0 and kinds["should_abstain"] == 6


def test_category_filter_keeps_only_those_tasks_and_counts_the_rest(mixed_db):
    db, _ = mixed_db
    rows, record = _rows(db, RowFilter(categories=("simple", "parallel")))
    assert Counter(r["category"] for r in rows) == {"simple": 3, "parallel": 3}
    assert record.skipped["other_category"] == 24 and record.settings["categories"] == ["simple", "parallel"]


def test_an_unknown_category_names_the_suites_categories(mixed_db):
    db, _ = mixed_db
    with pytest.raises(UserError, match="no category simpel in suite fc-core; its categories: .*simple"):
        _rows(db, RowFilter(categories=("simpel",)))


def test_failure_filter_keeps_tasks_that_failed_that_way(mixed_db):
    db, _ = mixed_db
    rows, record = _rows(db, RowFilter(failures=("should_abstain",)))
    assert {r["category"] for r in rows} == {"irrelevance"} and len(rows) == 3
    assert record.skipped["other_failure"] == 36
    pairs, _ = _rows(db, RowFilter(failures=("should_abstain",)), dpo_rows, 1)
    assert len(pairs) == 3 and all(p["rejected"][-1].get("tool_calls") for p in pairs)  # the rejected: a call


def test_an_unknown_failure_kind_lists_the_kinds():
    with pytest.raises(UserError, match="unknown failure kind wrong_valu; use one of: .*wrong_value"):
        RowFilter(failures=("wrong_valu",))


def test_best_of_counts_only_the_first_n_samples(mixed_db):
    db, tasks = mixed_db
    none, record = _rows(db, RowFilter(best_of=2))  # samples 0 and 1 are both wrong
    assert none == [] and record.skipped["beyond_best_of"] == 2 * len(tasks)
    rows, _ = _rows(db, RowFilter(best_of=3), sft_rows, 2)
    assert len(rows) == len(tasks)  # only sample 2 passes among the first three
    rows4, _ = _rows(db, RowFilter(best_of=4), sft_rows, 2)
    assert len(rows4) == 2 * len(tasks)


def test_balanced_and_per_category_caps(tmp_path, fc_core):
    tasks = {c: [t for t in fc_core.split("train") if t.category == c][:n]
             for c, n in (("simple", 5), ("multiple", 2), ("irrelevance", 3))}
    answers = {(t.id, 0): reference_answer(t) for ts in tasks.values() for t in ts}
    answers[(tasks["simple"][4].id, 0)] = wrong_answer(tasks["simple"][4])
    db = tmp_path / "runs.db"
    write_run(db, "uneven", fc_core, answers)
    source = read_rollouts(str(db), ["uneven"])
    rows, record = filtered_rows(source, RowFilter(balanced=True), sft_rows, 1)
    assert Counter(r["category"] for r in rows) == {"simple": 2, "multiple": 2, "irrelevance": 2}
    assert record.skipped["category_cap"] == 3 and record.rows == 6
    assert [r["task_id"] for r in rows if r["category"] == "simple"] == [t.id for t in tasks["simple"][:2]]
    rows, _ = filtered_rows(source, RowFilter(per_category=3), sft_rows, 1)
    assert Counter(r["category"] for r in rows) == {"simple": 3, "multiple": 2, "irrelevance": 3}


def test_filters_on_a_saved_dataset_are_recorded(mixed_db, tmp_path):
    pytest.importorskip("datasets", reason="needs datasets: pip install 'toolgym[train]'")
    db, _ = mixed_db
    keep = RowFilter(categories=("simple", "multiple"), best_of=3, balanced=True)
    record = build_sft_data(str(db), ["mixed"], tmp_path / "sft", keep=keep)
    assert record.rows == 6 and read_data_record(tmp_path / "sft").settings == {
        "per_task": 1, "categories": ["simple", "multiple"], "best_of": 3, "balanced": True}
    pairs = build_dpo_data(str(db), ["mixed"], tmp_path / "dpo", keep=RowFilter(failures=("wrong_value",)))
    assert pairs.rows > 0 and pairs.settings["failures"] == ["wrong_value"]


def test_data_cli_flags(mixed_db, tmp_path, capsys):
    db, _ = mixed_db
    code, out = run(["data", "sft", "mixed", "--db", str(db), "--out", str(tmp_path / "d"), "--category", "simple",
                     "--category", "irrelevance", "--best-of", "3", "--per-category", "2"], capsys)
    assert code == 0 and "wrote 4 sft rows from 4/" in " ".join(out.split())
    code, out = run(["data", "dpo", "mixed", "--db", str(db), "--out", str(tmp_path / "p"), "--failure",
                     "should_abstain", "--balanced"], capsys)
    assert code == 0 and "wrote 3 dpo rows" in " ".join(out.split())
    code, out = run(["data", "sft", "mixed", "--db", str(db), "--out", str(tmp_path / "e"), "--failure", "nope"],
                    capsys)
    assert code == 2 and "unknown failure kind nope" in out



def test_skip_solved_leaves_out_tasks_every_sample_of_which_passed(tmp_path, fc_core, capsys):
    solved, mixed = [t for t in fc_core.split("train") if t.category == "simple"][:2]
    answers = {(solved.id, 0): reference_answer(solved), (solved.id, 1): reference_answer(solved),
               (mixed.id, 0): wrong_answer(mixed), (mixed.id, 1): reference_answer(mixed)}
    db = tmp_path / "runs.db"
    write_run(db, "r", fc_core, answers)
    rows, record = filtered_rows(read_rollouts(str(db), ["r"]), RowFilter(skip_solved=True), sft_rows, 1)
    assert [r["task_id"] for r in rows] == [mixed.id] and record.skipped["solved"] == 2
    code, out = run(["data", "sft", "r", "--db", str(db), "--out", str(tmp_path / "d"), "--skip-solved"], capsys)
    assert code == 0 and "wrote 1 sft rows from 1/1 train tasks" in " ".join(out.split())


@pytest.mark.parametrize("command", ["sft", "dpo"])
def test_the_data_commands_take_their_filter_flags_from_row_filter(command):
    import typer

    from toolgym.cli.train import data_app

    click_command = typer.main.get_command(data_app).commands[command]
    options = {p.name: p for p in click_command.params}
    flags = {"categories": "--category", "failures": "--failure", "best_of": "--best-of",
             "skip_solved": "--skip-solved", "per_category": "--per-category", "balanced": "--balanced"}
    assert set(flags) == set(RowFilter.model_fields)
    for field, flag in flags.items():
        assert flag in options[field].opts and options[field].help == RowFilter.model_fields[field].description
    assert options["categories"].multiple and options["failures"].multiple


def test_the_data_filters_also_come_from_a_config_file(mixed_db, tmp_path, capsys):
    db, _ = mixed_db
    config = tmp_path / "data.yaml"
    config.write_text("categories: [simple, irrelevance]\nbest_of: 3\nper_category: 2\n")
    code, out = run(["data", "sft", "mixed", "--db", str(db), "--out", str(tmp_path / "d"), "--config", str(config)],
                    capsys)
    assert code == 0 and "wrote 4 sft rows from 4/" in " ".join(out.split())
    assert read_data_record(tmp_path / "d").settings["categories"] == ["simple", "irrelevance"]
    config.write_text("best_of: 0\n")
    code, out = run(["data", "dpo", "mixed", "--db", str(db), "--out", str(tmp_path / "p"), "--config", str(config)],
                    capsys)
    assert code == 2 and "--best-of must be at least 1, got 0" in out
