"""From a `--db` value to a configured SQLAlchemy Engine: SQLite by default, PostgreSQL by URL.

SQLite gets the settings that make it crash-safe and concurrent enough for a run: WAL journal
(readers never block the writer), `synchronous=NORMAL` (a committed batch survives a crash of the
process; only an OS crash can lose the last commits), a busy timeout, and write transactions that
take the write lock up front (`BEGIN IMMEDIATE`) so two writers wait for each other instead of
failing with "database is locked".

A SQLite file this user cannot write (or whose folder it cannot write: the journal lives there) is
opened read-only (`mode=ro`, and `immutable` when its WAL index cannot be created): runs can be
listed and read, and a write is a UserError saying why. SQLite faults that mean "not a usable
database" (not a database, damaged, read-only) become one UserError naming the file, wherever
the query that met them was.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from ..errors import UserError

__all__ = ["BUSY_TIMEOUT_S", "WRITE", "database_files", "is_read_only", "open_engine", "resolve_url"]

#: How long a SQLite writer waits for another one before giving up.
BUSY_TIMEOUT_S = 30.0

#: Execution option marking a connection whose transactions write (SQLite: BEGIN IMMEDIATE).
WRITE = "toolgym_write"

#: Engine execution option set on a SQLite database opened read-only.
READ_ONLY = "toolgym_read_only"

#: SQLite messages that mean the file is not usable as it is -> what to tell the user.
_SQLITE_FAULTS = {
    "file is not a database": "is not a SQLite database (or its header is damaged); give another --db "
    "(a new path creates a new database)",
    "database disk image is malformed": "is damaged (database disk image is malformed); restore it from a "
    "backup, or recover its rows with `sqlite3 FILE .recover`, or give another --db",
    "readonly database": "is read-only for this user: its runs can be listed and read but not written; "
    "copy it to a writable place to add runs",
    "unable to open database file": "cannot be opened; check the permissions of the file and its folder",
}

_FORMS = "a file path (runs.db), sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:PORT/DBNAME"


def resolve_url(url: str) -> URL:
    """Parse a `--db` value; a plain path means a SQLite file, `postgresql://` means psycopg 3."""
    if "://" not in url:
        try:
            path = Path(url).expanduser()
        except RuntimeError:  # ~nouser/x.db: no such user, or no home directory
            user = url.split("/", 1)[0]
            raise UserError(f"--db {url}: {user} names no user with a home directory on this machine; "
                            "give a path such as ~/toolgym.db or /data/toolgym.db") from None
        return URL.create("sqlite", database=str(path.absolute()))
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UserError(f"--db {url!r} is not a database URL; give {_FORMS}") from None
    if parsed.drivername == "postgresql":  # SQLAlchemy picks psycopg2; toolgym[postgres] installs psycopg 3
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise UserError(f"--db {_shown(parsed)}: toolgym stores runs in SQLite or PostgreSQL; give {_FORMS}")
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise UserError(f"--db {url!r}: an in-memory SQLite database is lost at exit; give a file path")
    return parsed


def database_files(url: str) -> list[Path]:
    """The files of a SQLite `--db` (the database, its WAL, shared memory and journal); [] for a server.

    Commands that write files refuse these paths: an export must never overwrite the database it reads.
    """
    parsed = resolve_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return []
    path = Path(parsed.database)
    return [path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))]


def open_engine(url: str) -> Engine:
    """A configured Engine for `url`; UserError when the driver is missing or the database unreachable."""
    parsed = resolve_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed)
    else:
        engine = _server_engine(parsed)
    try:
        with engine.connect():
            pass
    except DBAPIError as e:  # cannot reach or open the database: one line naming the URL
        engine.dispose()
        reason = (str(e.orig).strip() or type(e.orig).__name__).splitlines()[0]
        fault = next((why for needle, why in _SQLITE_FAULTS.items() if needle in reason), None)
        if fault and parsed.get_backend_name() == "sqlite":
            raise UserError(f"database {parsed.database} {fault}") from None
        raise UserError(f"cannot open database {_shown(parsed)}: {reason}") from None
    return engine


def is_read_only(engine: Engine) -> bool:
    """Whether `engine` was opened read-only (a SQLite file this user cannot write)."""
    return bool(engine.get_execution_options().get(READ_ONLY))


def _sqlite_engine(url: URL) -> Engine:
    path = Path(url.database or "")
    if not path.parent.is_dir():
        raise UserError(f"--db {path}: directory {path.parent} does not exist; create it or pick another")
    if path.is_dir():
        raise UserError(f"--db {path} is a folder; give a database file, e.g. {path / 'toolgym.db'}")
    writable = os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))
    if writable:
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
    else:
        engine = create_engine(url, creator=_read_only_connector(path))
    event.listen(engine, "connect", _sqlite_connect if writable else _sqlite_connect_read_only)
    event.listen(engine, "begin", _sqlite_begin)
    event.listen(engine, "handle_error", _sqlite_fault(path))
    return engine if writable else engine.execution_options(**{READ_ONLY: True})


def _read_only_connector(path: Path) -> Any:
    # a WAL database needs its -shm index; where it is missing and cannot be created, read it immutable
    shm = path.with_name(path.name + "-shm")
    options = "mode=ro" + ("" if os.access(path.parent, os.W_OK) or shm.exists() else "&immutable=1")
    uri = f"file:{quote(str(path))}?{options}"
    return lambda: sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)


def _sqlite_connect_read_only(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    dbapi_connection.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")


def _sqlite_fault(path: Path) -> Any:
    def handle(context: Any) -> None:
        reason = str(context.original_exception)
        for needle, why in _SQLITE_FAULTS.items():
            if needle in reason:
                raise UserError(f"database {path} {why}") from None

    return handle


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # take over transaction control from the sqlite3 module, so _sqlite_begin can choose the BEGIN
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL is a setting stored in the file: made only in toolgym's (or a new) database, never in another's
    ours = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT IN ('toolgym_meta', 'arena_battles')"
    if cursor.execute(ours).fetchone()[0] == 0 or _has_marker(cursor):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _has_marker(cursor: Any) -> bool:
    return cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'toolgym_meta'").fetchone() is not None


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


def _server_engine(url: URL) -> Engine:
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ImportError, NoSuchModuleError) as e:
        missing = getattr(e, "name", None) or url.get_driver_name()
        raise UserError(
            f"--db {_shown(url)} needs the {missing} driver: pip install 'toolgym[postgres]'"
        ) from None


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)
