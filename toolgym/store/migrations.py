"""Schema versions: which databases toolgym opens, and how an older toolgym's database is brought up to date.

The version is the `schema_version` row of `toolgym_meta`. Opening a database:

* empty (a new file): the tables are created at `SCHEMA_VERSION`;
* tables but no `toolgym_meta`, and some of them not toolgym's: another application's database.
  Refused, and nothing is created in it;
* toolgym's tables without `toolgym_meta` (arena battles stored before the marker existed): version 1;
* an older version: each step of `STEPS` from there on runs, in one write transaction, then any new
  table is created and the version recorded;
* a newer version: refused, naming both versions.

Nothing is written when the database is already current, so a read-only one opens for reading.

To change the schema: change `schema.py`, bump `SCHEMA_VERSION` there, and add `STEPS[N]`, a function
that turns a version N-1 database into version N (`ALTER TABLE runs ADD COLUMN ...`, or rewriting
rows). A step meets the database as version N-1 left it, and a table it changes may not exist yet
(`create_all` makes missing tables at the newest shape after the steps).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, column, inspect, select, table, update
from sqlalchemy.dialects import postgresql, sqlite

from ..errors import UserError
from ..redact import redact_json, redact_text
from .engine import WRITE, is_read_only
from .schema import SCHEMA_VERSION, images, meta, metadata, rollouts, runs

__all__ = ["STEPS", "TOOLGYM_TABLES", "prepare_schema"]

#: Every table toolgym creates, in any layer (`arena_battles` is the arena's, in the same database).
TOOLGYM_TABLES = frozenset({*metadata.tables, "arena_battles"})

_VERSION_KEY = "schema_version"


def _scrub_credentials(conn: Connection) -> None:
    """Version 2: URL credentials quoted in stored errors and manifests are redacted (`toolgym.redact`)."""
    names = set(inspect(conn).get_table_names())
    battles = table("arena_battles", column("id"), column("error"))
    for tbl, text_columns in ((rollouts, ("error", "explanation")), (battles, ("error",))):
        if tbl.name not in names:
            continue
        for name in text_columns:
            col = tbl.c[name]
            for key, value in conn.execute(select(tbl.c.id, col).where(col.like("%://%"))).all():
                conn.execute(update(tbl).where(tbl.c.id == key).values({name: redact_text(value)}))
    if runs.name in names:
        for key, manifest in conn.execute(select(runs.c.id, runs.c.manifest)).all():
            if redact_json(manifest) != manifest:
                conn.execute(update(runs).where(runs.c.id == key).values(manifest=redact_json(manifest)))


def _add_battle_voter(conn: Connection) -> None:
    """Version 3: arena battles (votes) carry the voter's session hash."""
    if inspect(conn).has_table("arena_battles"):
        if "voter" not in {c["name"] for c in inspect(conn).get_columns("arena_battles")}:
            conn.exec_driver_sql("ALTER TABLE arena_battles ADD COLUMN voter TEXT")


def _index_view_filters(conn: Connection) -> None:
    """Version 4: rollouts are indexed by category and by failure kind (the web view's filters)."""
    if inspect(conn).has_table(rollouts.name):
        for index in rollouts.indexes:
            index.create(conn, checkfirst=True)


def _add_run_cause(conn: Connection) -> None:
    """Version 5: a run records why it ended `failed` (runs.cause); the status gained `failed`."""
    if inspect(conn).has_table(runs.name):
        if "cause" not in {c["name"] for c in inspect(conn).get_columns(runs.name)}:
            conn.exec_driver_sql("ALTER TABLE runs ADD COLUMN cause TEXT")


def _add_images(conn: Connection) -> None:
    """Version 6: images are stored once each (`images`); transcripts of older versions hold none."""
    images.create(conn, checkfirst=True)


def _add_run_owner(conn: Connection) -> None:
    """Version 7: a run records the process (pid, host) working on it, so a killed one is told from a live one."""
    if inspect(conn).has_table(runs.name):
        have = {c["name"] for c in inspect(conn).get_columns(runs.name)}
        for name, kind in (("pid", "INTEGER"), ("host", "VARCHAR(255)")):
            if name not in have:
                conn.exec_driver_sql(f"ALTER TABLE runs ADD COLUMN {name} {kind}")


def _add_model_time(conn: Connection) -> None:
    """Version 8: a rollout records its time in model calls without queueing (rollouts.model_s; NULL before)."""
    if inspect(conn).has_table(rollouts.name):
        if "model_s" not in {c["name"] for c in inspect(conn).get_columns(rollouts.name)}:
            conn.exec_driver_sql("ALTER TABLE rollouts ADD COLUMN model_s FLOAT")


def _add_heartbeat(conn: Connection) -> None:
    """Version 9: a running run's process renews runs.heartbeat_at, so one on another host can go `stale`."""
    if inspect(conn).has_table(runs.name):
        if "heartbeat_at" not in {c["name"] for c in inspect(conn).get_columns(runs.name)}:
            kind = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "DATETIME"
            conn.exec_driver_sql(f"ALTER TABLE runs ADD COLUMN heartbeat_at {kind}")


#: version N -> the step that turns a version N-1 database into version N.
STEPS: dict[int, Callable[[Connection], None]] = {
    2: _scrub_credentials, 3: _add_battle_voter, 4: _index_view_filters, 5: _add_run_cause, 6: _add_images,
    7: _add_run_owner, 8: _add_model_time, 9: _add_heartbeat,
}


def prepare_schema(engine: Engine, shown: str) -> None:
    """Check that the database at `engine` is toolgym's (or empty) and at this toolgym's schema version.

    Args:
        engine: the open database.
        shown: how to name it in messages (password hidden).

    Raises:
        UserError: another application's database, a newer toolgym's, or an older one that is read-only.
    """
    with engine.connect() as conn:
        version = _stored_version(conn, shown)
        missing = set(metadata.tables) - set(inspect(conn).get_table_names())
    if version == SCHEMA_VERSION and not missing:
        return  # current: nothing to write, so a read-only database opens too
    if is_read_only(engine):
        raise UserError(f"{shown} is read-only for this user and needs "
                        + (f"migrating from toolgym schema {version} to {SCHEMA_VERSION}" if version else "its tables")
                        + "; copy it to a writable place, or open it as a user who can write it")
    with engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            version = _stored_version(conn, shown)  # again, inside the lock: another process may have migrated
            for step in range(version + 1 if version else SCHEMA_VERSION + 1, SCHEMA_VERSION + 1):
                STEPS[step](conn)
            metadata.create_all(conn)
            _record_version(conn)


def _stored_version(conn: Connection, shown: str) -> int | None:
    """The schema version of the database; None for an empty one (UserError when it is not toolgym's)."""
    names = {n for n in inspect(conn).get_table_names() if not n.startswith("sqlite_")}
    if meta.name not in names:
        foreign = sorted(names - TOOLGYM_TABLES)
        if foreign:
            listed = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
            raise UserError(
                f"{shown} is not a toolgym database: it holds other tables ({listed}) and no toolgym_meta; "
                "toolgym leaves it untouched. Give another --db (a new path creates a new database)"
            )
        return 1 if names else None
    value = conn.execute(select(meta.c.value).where(meta.c.key == _VERSION_KEY)).scalar()
    try:
        version = int(value) if value is not None else 1
    except ValueError:
        raise UserError(f"{shown}: toolgym_meta holds schema_version {value!r}, not a number; the database "
                        "was edited by hand: restore it from a backup or give another --db") from None
    if version > SCHEMA_VERSION:
        raise UserError(
            f"{shown} was written by a newer toolgym (schema {version}, this one reads {SCHEMA_VERSION}); "
            "upgrade toolgym (pip install -U toolgym) or choose another --db"
        )
    return version


def _record_version(conn: Connection) -> None:
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(meta).values(key=_VERSION_KEY, value=str(SCHEMA_VERSION))
    conn.execute(stmt.on_conflict_do_update(index_elements=[meta.c.key], set_={"value": str(SCHEMA_VERSION)}))
