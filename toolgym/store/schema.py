"""The tables: runs, rollouts, verdicts (SQLAlchemy Core; SQLite and PostgreSQL alike).

A rollout and its verdict are keyed by (run_id, task_id, sample), unique in both tables, so a write
is an upsert and a retried or replayed row replaces the old one instead of adding a second.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

__all__ = ["KEY", "SCHEMA_VERSION", "meta", "metadata", "rollouts", "runs", "verdicts"]

#: Bumped when a table changes shape; a database from a newer toolgym is refused, not misread.
SCHEMA_VERSION = 1

#: The columns that identify one attempt within a run.
KEY = ("run_id", "task_id", "sample")

_Json = JSON().with_variant(JSONB(), "postgresql")

metadata = MetaData()

meta = Table(
    "toolgym_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("manifest", _Json, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
)

rollouts = Table(
    "rollouts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("task_id", String(300), nullable=False),
    Column("sample", Integer, nullable=False),
    Column("seed", Integer),
    Column("category", String(200), nullable=False),
    Column("transcript", _Json, nullable=False),
    Column("prompt_tokens", Integer, nullable=False),
    Column("completion_tokens", Integer, nullable=False),
    Column("latency_s", Float, nullable=False),
    Column("error", Text),
    Column("end_reason", String(40), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # also the index of every per-run lookup: done_keys, results (in key order), rollout
    UniqueConstraint(*KEY, name="uq_rollouts_key"),
)

verdicts = Table(
    "verdicts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("task_id", String(300), nullable=False),
    Column("sample", Integer, nullable=False),
    Column("reward", Float, nullable=False),
    Column("passed", Boolean, nullable=False),
    Column("failure", String(40)),
    Column("explanation", Text, nullable=False),
    Column("components", _Json, nullable=False),
    Column("flags", _Json, nullable=False),
    UniqueConstraint(*KEY, name="uq_verdicts_key"),
)
