"""The tables: runs, rollouts (one row per attempt, verdict included), transcripts, images.

An attempt is keyed by (run_id, task_id, sample), unique in `rollouts` and `transcripts`, so a
write is an upsert and a retried or replayed attempt replaces the old one instead of adding a
second. Both rows of an attempt are written in one transaction.

Why the verdict lives in `rollouts` and the transcript in its own table: every hot query (resume
planning, results, counts) then reads one table of small rows and never joins. A join of two
100,000-row tables filtered on a run the PostgreSQL planner has no statistics for yet (a new run,
just written) can get a nested loop that rescans the whole run per row: minutes instead of a second.
The transcript, large and only read one at a time, stays out of those scans.

Images in transcripts are kept once each in `images`, under the SHA-256 of their bytes; a stored
transcript's image part holds `toolgym-image:sha256:<hex>` instead of the bytes (`store/images.py`),
so a thousand rollouts of one image task store that image once.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = ["KEY", "SCHEMA_VERSION", "VERDICT", "images", "meta", "metadata", "rollouts", "runs", "transcripts"]

#: Bumped when a table changes shape or stored values must be rewritten; `migrations.py` brings an
#: older database up to date, and a database from a newer toolgym is refused, not misread.
#: 1: the first; 2: URL credentials redacted in stored errors and manifests; 3: arena_battles.voter;
#: 4: rollouts indexed by category and by failure kind (the web view's filters); 5: runs.cause;
#: 6: images, content-addressed (transcripts point at them); 7: runs.pid and runs.host (who runs it);
#: 8: rollouts.model_s (time in model calls, without queueing); 9: runs.heartbeat_at (`liveness.py`).
SCHEMA_VERSION = 9

#: The columns that identify one attempt within a run.
KEY = ("run_id", "task_id", "sample")

#: The verdict's columns in `rollouts`, named as the fields of `Verdict`.
VERDICT = ("reward", "passed", "failure", "explanation", "components", "flags")

# JSON, not JSONB, on PostgreSQL too: it keeps a "\u0000" that a model may emit, which JSONB
# refuses, and nothing queries inside these documents. none_as_null: None is SQL NULL (no verdict).
_Json = JSON(none_as_null=True)

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
    Column("pid", Integer),  # the process that last set it `running`, and its host: a killed one reads `stale`
    Column("host", String(255)),
    Column("heartbeat_at", DateTime(timezone=True)),  # renewed while it runs: a silent one reads `stale`
    # why a run ended `failed` (NULL otherwise); added in schema 5
    Column("cause", Text),
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
    Column("prompt_tokens", Integer, nullable=False),
    Column("completion_tokens", Integer, nullable=False),
    Column("latency_s", Float, nullable=False),
    Column("model_s", Float),  # NULL for rollouts stored before schema 8
    Column("error", Text),
    Column("end_reason", String(40), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # the verdict: all NULL when the attempt was not scored (the verifier raised)
    Column("reward", Float),
    Column("passed", Boolean),
    Column("failure", String(40)),
    Column("explanation", Text),
    Column("components", _Json),
    Column("flags", _Json),
    # also the index of every per-run lookup: done_keys, results (in key order), rollout
    UniqueConstraint(*KEY, name="uq_rollouts_key"),
    # the web view's filters, each in key order so that a page is one range scan (store/browse.py)
    Index("ix_rollouts_category", "run_id", "category", "task_id", "sample"),
    Index("ix_rollouts_failure", "run_id", "failure", "task_id", "sample"),
)

transcripts = Table(
    "transcripts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("task_id", String(300), nullable=False),
    Column("sample", Integer, nullable=False),
    Column("messages", _Json, nullable=False),
    UniqueConstraint(*KEY, name="uq_transcripts_key"),
)

images = Table(
    "images",
    metadata,
    Column("digest", String(64), primary_key=True),  # SHA-256 hex of `data`
    Column("mime", String(40), nullable=False),
    Column("data", LargeBinary, nullable=False),
)
