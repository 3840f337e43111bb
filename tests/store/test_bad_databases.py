"""Every database a user can point --db at gets one located error or works: another application's,
an older or newer toolgym's, a damaged one, bad stored values, a read-only one, a path that is not one."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.unprivileged import as_nobody, shared_dir
from toolgym.arena import import_votes
from toolgym.cli import main
from toolgym.errors import UserError
from toolgym.store import RunManifest, Store
from toolgym.store.schema import SCHEMA_VERSION
from toolgym.types import FailureKind, Message, Rollout, SamplingConfig, Verdict


def write_run(db: Path, name: str = "r", error: str | None = None) -> None:
    with Store(str(db)) as store:
        run = store.open_run(name, RunManifest(suite="s", suite_version="v", model="m", split="test",
                                               sampling=SamplingConfig()))
        rollout = Rollout(task_id="t1", messages=[Message(role="user", content="hi")], error=error)
        verdict = Verdict.fail(FailureKind.INFRA_ERROR, "down") if error else Verdict.ok()
        store.write(run.id, [(rollout, "simple", verdict)])


def tables(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return sorted(n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))


def sql(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db)
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def cli_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return " ".join(err.split())


@pytest.fixture
def shared() -> Iterator[Path]:
    path = shared_dir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


# paths that are not a database


def test_db_under_an_unknown_users_home_names_the_user(capsys) -> None:
    err = cli_error(capsys, "runs", "--db", "~nosuchuser-toolgym/x.db")
    assert "~nosuchuser-toolgym names no user" in err and "~/toolgym.db" in err


def test_db_that_is_a_folder_names_the_fix(tmp_path: Path, capsys) -> None:
    err = cli_error(capsys, "runs", "--db", str(tmp_path))
    assert f"--db {tmp_path} is a folder" in err and "toolgym.db" in err


# another application's database


def test_another_applications_database_is_refused_and_left_untouched(tmp_path: Path, capsys) -> None:
    db = tmp_path / "app.db"
    sql(db, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)", "INSERT INTO users VALUES (1, 'a@b.c')")
    before = db.read_bytes()
    err = cli_error(capsys, "runs", "--db", str(db))
    assert f"{db} is not a toolgym database" in err and "(users)" in err and "toolgym leaves it untouched" in err
    votes = tmp_path / "votes.jsonl"
    votes.write_text('{"model_a": "x", "model_b": "y", "winner": "tie"}\n')
    with pytest.raises(UserError, match="not a toolgym database"):
        import_votes(votes, str(db))
    assert tables(db) == ["users"] and db.read_bytes() == before


def test_a_toolgym_database_may_hold_the_users_own_tables_too(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    write_run(db)
    sql(db, "CREATE TABLE notes (x TEXT)")
    with Store(str(db)) as store:
        assert store.get_run("r").done == 1


def test_arena_battles_stored_before_the_schema_marker_are_adopted(tmp_path: Path) -> None:
    db = tmp_path / "arena.db"
    votes = tmp_path / "votes.jsonl"
    votes.write_text('{"model_a": "x", "model_b": "y", "winner": "model_a"}\n')
    import_votes(votes, str(db))
    sql(db, "DROP TABLE toolgym_meta", "DROP TABLE transcripts", "DROP TABLE rollouts", "DROP TABLE runs")
    with Store(str(db)) as store:
        assert store.list_runs() == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM toolgym_meta").fetchall() == [(str(SCHEMA_VERSION),)]
        assert conn.execute("SELECT count(*) FROM arena_battles").fetchone() == (1,)


# schema versions


def test_an_older_schema_is_migrated_and_its_stored_credentials_scrubbed(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    write_run(db, error="cannot connect")
    leaked = "POST http://me:hunter2@host/v1/chat/completions?api_key=sk-123: cannot connect"
    sql(db, f"UPDATE rollouts SET error = '{leaked}'",  # as toolgym schema 1 stored it
        "UPDATE toolgym_meta SET value = '1' WHERE key = 'schema_version'")
    with Store(str(db)) as store:
        run = store.get_run("r")
        assert [r.error for r in store.results(run.id)] == [
            "POST http://***@host/v1/chat/completions?api_key=***: cannot connect"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM toolgym_meta").fetchall() == [(str(SCHEMA_VERSION),)]


def test_a_newer_schema_is_refused_naming_both_versions(tmp_path: Path, capsys) -> None:
    db = tmp_path / "new.db"
    write_run(db)
    sql(db, f"UPDATE toolgym_meta SET value = '{SCHEMA_VERSION + 1}' WHERE key = 'schema_version'")
    err = cli_error(capsys, "runs", "--db", str(db))
    assert f"newer toolgym (schema {SCHEMA_VERSION + 1}, this one reads {SCHEMA_VERSION})" in err
    assert "pip install -U toolgym" in err


def test_a_schema_version_that_is_not_a_number_is_named(tmp_path: Path, capsys) -> None:
    db = tmp_path / "odd.db"
    write_run(db)
    sql(db, "UPDATE toolgym_meta SET value = 'two' WHERE key = 'schema_version'")
    assert "schema_version 'two', not a number" in cli_error(capsys, "runs", "--db", str(db))


# damaged databases and bad stored values


def test_a_file_that_is_not_a_database_is_named(tmp_path: Path, capsys) -> None:
    db = tmp_path / "notes.db"
    db.write_text("these are my notes, not a database\n" * 200)
    err = cli_error(capsys, "runs", "--db", str(db))
    assert f"database {db} is not a SQLite database" in err
    assert db.read_text().startswith("these are my notes")


def test_a_truncated_database_is_named_as_damaged(tmp_path: Path, capsys) -> None:
    db = tmp_path / "cut.db"
    for i in range(30):
        write_run(db, f"run-{i}")
    sql(db, "PRAGMA wal_checkpoint(TRUNCATE)")
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    err = cli_error(capsys, "runs", "--db", str(db))
    assert f"database {db} is damaged" in err and "backup" in err


@pytest.mark.parametrize(("statement", "expected"), [
    ("UPDATE rollouts SET failure = 'bogus_kind'", "column failure holds 'bogus_kind', not a failure kind"),
    ("UPDATE rollouts SET reward = 7.5", "stored rollout of task 't1' sample 0: field 'reward'"),
    ("UPDATE transcripts SET messages = '[{\"role\": \"robot\"}]'",
     "task 't1' sample 0: transcript message 0: field 'role'"),
    ("UPDATE transcripts SET messages = '{\"not\": \"a list\"}'", "not a list of messages"),
    ("UPDATE transcripts SET messages = '[{oops'", "a stored value of run 1 cannot be read"),
])
def test_bad_stored_values_are_named_with_task_and_column(tmp_path: Path, capsys, statement: str,
                                                           expected: str) -> None:
    db = tmp_path / "bad.db"
    write_run(db)
    sql(db, statement)
    err = cli_error(capsys, "export", "r", "--db", str(db), "--out", str(tmp_path / "r.jsonl"))
    assert expected in err
    assert not (tmp_path / "r.jsonl").exists()


def test_a_manifest_that_is_not_json_is_named(tmp_path: Path, capsys) -> None:
    db = tmp_path / "bad.db"
    write_run(db)
    sql(db, "UPDATE runs SET manifest = '{broken'")
    assert "a stored value of runs cannot be read" in cli_error(capsys, "runs", "--db", str(db))


def test_a_manifest_of_another_shape_is_named(tmp_path: Path, capsys) -> None:
    db = tmp_path / "bad.db"
    write_run(db)
    sql(db, "UPDATE runs SET manifest = '[1, 2]'")
    assert "run 'r' in" in cli_error(capsys, "runs", "--db", str(db))


# read-only


def test_a_read_only_database_is_listed_and_read_by_another_user(shared: Path) -> None:
    db = shared / "runs.db"
    write_run(db)
    db.chmod(0o644)  # owned by this user; the other may read it, and may not write the file nor its folder
    out = shared / "out"
    out.mkdir()
    out.chmod(0o777)
    listed = as_nobody(["runs", "--db", str(db)], shared)
    assert listed.returncode == 0, listed.stderr
    assert "r" in listed.stdout and "Traceback" not in listed.stderr
    shown = as_nobody(["show", "r", "--db", str(db)], shared)
    assert shown.returncode == 0, shown.stderr
    exported = as_nobody(["export", "r", "--db", str(db), "--out", str(out / "r.jsonl")], shared)
    assert exported.returncode == 0, exported.stderr
    assert (out / "r.jsonl").read_text().count("\n") == 1
    suite = out / "suite.jsonl"
    suite.write_text('{"id": "t1", "messages": [{"role": "user", "content": "hi"}], "category": "c"}\n')
    answers = out / "answers.jsonl"
    answers.write_text('{"id": "t1", "content": "hello"}\n')
    evaluated = as_nobody(["eval", f"jsonl:{suite}", "--model", f"replay:{answers}", "--db", str(db)], shared)
    assert evaluated.returncode == 2 and "is read-only for this user" in evaluated.stderr
    assert "Traceback" not in evaluated.stderr
