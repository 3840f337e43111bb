"""Persistence of runs, rollouts and verdicts: SQLite by default, PostgreSQL by URL.

`Store` is the API; `RunManifest` says what defines a run; `RunInfo` and `ResultRecord` are what
comes back. Layout: `schema.py` the tables, `engine.py` URL -> configured Engine, `migrations.py`
schema versions (which databases open, how older ones are updated), `store.py` the queries, `rows.py`
objects <-> rows, `manifest.py` the manifest and its diff, `records.py` the returned types,
`browse.py` paged and filtered reading for the web view, `liveness.py` the heartbeat that tells a
running run from a stale one.
"""

from .browse import RolloutFilter, RolloutPage, categories, rollout_page, rollouts_by_key, run_without_counts
from .engine import WRITE, database_files, is_read_only, open_engine
from .manifest import RunManifest, diff_manifests
from .migrations import prepare_schema
from .records import ResultRecord, RunInfo, RunStatus
from .store import Store

__all__ = [
    "ResultRecord",
    "RolloutFilter",
    "RolloutPage",
    "RunInfo",
    "RunManifest",
    "RunStatus",
    "Store",
    "WRITE",
    "categories",
    "database_files",
    "diff_manifests",
    "is_read_only",
    "open_engine",
    "prepare_schema",
    "rollout_page",
    "rollouts_by_key",
    "run_without_counts",
]
