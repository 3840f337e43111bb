"""Persistence of runs, rollouts and verdicts: SQLite by default, PostgreSQL by URL.

`Store` is the API; `RunManifest` says what defines a run; `RunInfo` and `ResultRecord` are what
comes back. Layout: `schema.py` the tables, `engine.py` URL -> configured Engine, `migrations.py`
schema versions (which databases open, how older ones are updated), `store.py` the queries, `rows.py`
objects <-> rows, `manifest.py` the manifest and its diff, `records.py` the returned types,
`browse.py` paged and filtered reading for the web view, `liveness.py` the heartbeat that tells a
running run from a stale one.

`__all__` holds what users read and write runs with; engine set-up and schema migration
(`store.engine`, `store.migrations`) stay in their modules for the other layers that share a database.
"""

from .browse import RolloutFilter, RolloutPage, categories, rollout_page, rollouts_by_key
from .engine import database_files
from .manifest import RunManifest, diff_manifests
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
    "categories",
    "database_files",
    "diff_manifests",
    "rollout_page",
    "rollouts_by_key",
]
