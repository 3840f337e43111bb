"""BattleStore: the `arena_battles` table beside the runs, in the same database.

Every game is upserted on (source, prompt set, prompt, model A, model B, seq), so judging again
replaces a row instead of adding a duplicate, and re-importing a vote file is harmless. A batch of
games is one transaction: a judge killed at any moment loses at most the batch it was writing.
The engine comes from `toolgym.store` (same SQLite settings: WAL, busy timeout, BEGIN IMMEDIATE).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    case,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB

from ..redact import redact_text
from ..store.engine import WRITE, open_engine
from ..store.migrations import prepare_schema
from .battles import BattleRecord, GameKey

__all__ = ["BattleStore", "SourceInfo", "arena_battles"]

_KEY = ("source", "prompt_set", "prompt_id", "model_a", "model_b", "seq")
_Json = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
_YIELD_PER = 5000

_metadata = MetaData()

arena_battles = Table(
    "arena_battles",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("prompt_set", Text, nullable=False),
    Column("prompt_id", Text, nullable=False),
    Column("model_a", Text, nullable=False),
    Column("model_b", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("category", String(200), nullable=False),
    Column("verdict", String(40)),
    Column("outcome", String(4)),
    Column("strong", Boolean, nullable=False),
    Column("style_a", _Json),
    Column("style_b", _Json),
    Column("judgment", Text),
    Column("error", Text),
    Column("voter", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # also the index of the per-source scans (done_keys, records)
    UniqueConstraint(*_KEY, name="uq_arena_battles_key"),
)

_b = arena_battles.c
_FIELDS = BattleRecord._fields


class SourceInfo(NamedTuple):
    """The battles of one source, counted."""

    source: str
    games: int
    """Games stored, whatever their fate."""
    counted: int
    """Games with an outcome: what ratings use."""
    unparseable: int
    """Judge answers without a readable verdict: counted here, left out of ratings."""
    errors: int
    """Games the judge could not answer (infrastructure); retried by the next judge command."""


class BattleStore:
    """Judged games and human votes in the `arena_battles` table of a toolgym database.

    Examples:
        >>> with BattleStore("toolgym.db") as battles:
        ...     battles.write([BattleRecord("votes:v.jsonl", "", "q1", "x", "y", 1, outcome="a")])
        ...     [r.outcome for r in battles.records("votes:v.jsonl")]
        ['a']
    """

    def __init__(self, url: str = "toolgym.db") -> None:
        """Open the database at `url` (a SQLite path or an SQLAlchemy URL) and create the table if needed."""
        self._engine = open_engine(url)
        self.url = self._engine.url.render_as_string(hide_password=True)
        """Where the battles are, for messages (password hidden)."""
        insert = postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert
        stmt = insert(arena_battles)
        changed = {c.name: stmt.excluded[c.name] for c in arena_battles.columns if c.name not in (*_KEY, "id")}
        self._upsert = stmt.on_conflict_do_update(index_elements=list(_KEY), set_=changed)
        prepare_schema(self._engine, self.url)  # toolgym's database (or a new one), at this schema version
        with self._engine.connect() as conn:
            exists = inspect(conn).has_table(arena_battles.name)
        if not exists:  # nothing written when it exists: a read-only database can be read
            with self._writing() as conn:
                _metadata.create_all(conn)

    def close(self) -> None:
        """Close the pooled connections."""
        self._engine.dispose()

    def __enter__(self) -> BattleStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, records: Sequence[BattleRecord]) -> None:
        """Store games in one transaction, as upserts on their key (the last of a repeated key wins)."""
        if not records:
            return
        now = datetime.now(UTC)
        latest = {(r.source, r.prompt_set, *r.key): r for r in records}
        rows = [_row(r, now) for r in latest.values()]
        with self._writing() as conn:
            conn.execute(self._upsert, rows)

    def replace(self, source: str, records: Sequence[BattleRecord]) -> None:
        """Make `records` the only games of `source`, in one transaction (a re-imported vote file)."""
        now = datetime.now(UTC)
        rows = [_row(r, now) for r in records]
        with self._writing() as conn:
            conn.execute(delete(arena_battles).where(_b.source == source))
            if rows:
                conn.execute(self._upsert, rows)

    def add_vote(self, record: BattleRecord) -> BattleRecord:
        """Store one vote as the next game of its source (its `seq` is assigned here) and return it.

        The number is taken inside the write transaction, so two voters at once get two numbers.
        """
        now = datetime.now(UTC)
        with self._writing() as conn:
            last = conn.execute(select(func.max(_b.seq)).where(_b.source == record.source)).scalar()
            stored = record._replace(seq=(last or 0) + 1)
            conn.execute(self._upsert, [{**stored._asdict(), "created_at": now}])
        return stored

    def delete_games(self, source: str, seqs: Sequence[int]) -> int:
        """Delete the games of `source` numbered `seqs` (votes: their `seq`); returns how many went."""
        with self._writing() as conn:
            gone = conn.execute(delete(arena_battles).where(_b.source == source, _b.seq.in_(list(seqs))))
        return int(gone.rowcount or 0)

    def done_keys(self, source: str, prompt_set: str) -> set[GameKey]:
        """Games of `source` on `prompt_set` that need no new judgment: judged or unparseable, not failed."""
        query = select(_b.prompt_id, _b.model_a, _b.model_b, _b.seq).where(
            _b.source == source, _b.prompt_set == prompt_set, _b.error.is_(None)
        )
        with self._engine.connect() as conn:
            return {GameKey(*row) for row in conn.execution_options(yield_per=_YIELD_PER).execute(query)}

    def records(self, source: str, category: str | None = None) -> Iterator[BattleRecord]:
        """Stream the games of `source` (of one category, if given) in the order they were first stored."""
        query = select(*(_b[f] for f in _FIELDS)).where(_b.source == source).order_by(_b.id)
        if category is not None:
            query = query.where(_b.category == category)
        with self._engine.connect() as conn:
            for row in conn.execution_options(yield_per=_YIELD_PER).execute(query):
                yield BattleRecord(*row)

    def sources(self) -> list[SourceInfo]:
        """Every source with its counts, sorted by name."""

        def count(condition: Any) -> Any:
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        query = (
            select(
                _b.source,
                func.count(),
                count(_b.outcome.is_not(None) & _b.error.is_(None)),
                count(_b.outcome.is_(None) & _b.error.is_(None)),
                count(_b.error.is_not(None)),
            )
            .group_by(_b.source)
            .order_by(_b.source)
        )
        with self._engine.connect() as conn:
            return [SourceInfo(*row) for row in conn.execute(query)]

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn


def _row(record: BattleRecord, now: datetime) -> dict[str, Any]:
    # a judge's error may quote the server URL: its credentials never reach the database
    return {**record._asdict(), "created_at": now, "error": redact_text(record.error) if record.error else None}
