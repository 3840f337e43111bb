from __future__ import annotations

import socket

import pytest

from toolgym.errors import UserError
from toolgym.store import Store
from toolgym.store.engine import open_engine, resolve_url


def test_a_plain_path_is_a_sqlite_file(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = resolve_url("runs.db")
    assert (url.get_backend_name(), url.database) == ("sqlite", str(tmp_path / "runs.db"))


def test_postgresql_without_driver_means_psycopg_3() -> None:
    assert resolve_url("postgresql://u:p@db.example:5432/evals").drivername == "postgresql+psycopg"
    assert resolve_url("postgresql+psycopg://u@h/d").drivername == "postgresql+psycopg"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("mysql://u:secret@h/db", r"--db mysql://u:\*\*\*@h/db: toolgym stores runs in SQLite or PostgreSQL"),
        ("sqlite://", r"in-memory SQLite database is lost at exit; give a file path"),
        ("::not a url://", r"is not a database URL; give a file path \(runs.db\), sqlite:///PATH or"),
    ],
)
def test_bad_urls_say_which_forms_work(value: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        resolve_url(value)


def test_a_missing_directory_is_named(tmp_path) -> None:
    with pytest.raises(UserError, match=r"directory .*/nope does not exist"):
        open_engine(str(tmp_path / "nope" / "runs.db"))


def test_sqlite_is_opened_in_wal_mode_with_normal_sync(tmp_path) -> None:
    engine = open_engine(str(tmp_path / "runs.db"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_unreachable_postgres_is_one_line_without_the_password() -> None:
    pytest.importorskip("psycopg", reason="needs psycopg: pip install 'toolgym[postgres]'")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(UserError) as e:
        Store(f"postgresql://ada:hunter2@127.0.0.1:{port}/evals")
    message = str(e.value)
    assert message.startswith(f"cannot open database postgresql+psycopg://ada:***@127.0.0.1:{port}/evals: ")
    assert "hunter2" not in message and "\n" not in message
