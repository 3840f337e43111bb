"""From a `--db` value to a configured SQLAlchemy Engine: SQLite by default, PostgreSQL by URL.

SQLite gets the settings that make it crash-safe and concurrent enough for a run: WAL journal
(readers never block the writer), `synchronous=NORMAL` (a committed batch survives a crash of the
process; only an OS crash can lose the last commits), a busy timeout, and write transactions that
take the write lock up front (`BEGIN IMMEDIATE`) so two writers wait for each other instead of
failing with "database is locked".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from ..errors import UserError

__all__ = ["BUSY_TIMEOUT_S", "WRITE", "database_files", "open_engine", "resolve_url"]

#: How long a SQLite writer waits for another one before giving up.
BUSY_TIMEOUT_S = 30.0

#: Execution option marking a connection whose transactions write (SQLite: BEGIN IMMEDIATE).
WRITE = "toolgym_write"

_FORMS = "a file path (runs.db), sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:PORT/DBNAME"


def resolve_url(url: str) -> URL:
    """Parse a `--db` value; a plain path means a SQLite file, `postgresql://` means psycopg 3."""
    if "://" not in url:
        return URL.create("sqlite", database=str(Path(url).expanduser().absolute()))
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
        raise UserError(f"cannot open database {_shown(parsed)}: {reason}") from None
    return engine


def _sqlite_engine(url: URL) -> Engine:
    path = Path(url.database or "")
    if not path.parent.is_dir():
        raise UserError(f"--db {path}: directory {path.parent} does not exist; create it or pick another")
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # take over transaction control from the sqlite3 module, so _sqlite_begin can choose the BEGIN
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


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
