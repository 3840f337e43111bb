"""Store: crash-safe persistence of runs, rollouts and verdicts.

Every batch of results is one transaction, and an attempt is upserted on (run, task, sample): a
process killed at any moment loses at most the batch it was writing, and writing an attempt again
(a retry, a replay) replaces it instead of adding a duplicate. The API is synchronous and
thread-safe (one Engine, a pooled connection per call); the scheduler calls it from a thread
(`asyncio.to_thread`), never on the event loop.
"""

from __future__ import annotations

import difflib
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, case, delete, func, insert, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from ..errors import UserError
from ..redact import redact_json, redact_text
from ..types import FailureKind, Rollout, Verdict
from . import rows
from .engine import WRITE, is_read_only, open_engine
from .images import Blob, fetch_images, put_images, referenced
from .liveness import Heartbeat
from .manifest import RunManifest, diff_manifests
from .migrations import prepare_schema
from .records import ResultRecord, RunInfo, RunStatus
from .schema import KEY, VERDICT, images, rollouts, runs, transcripts

__all__ = ["Store"]

_r, _t = rollouts.c, transcripts.c
_INFRA = FailureKind.INFRA_ERROR.value
#: Finished and scored: what a resume skips. Infra errors and unscored rollouts are retried.
_DONE = and_(_r.passed.is_not(None), _r.error.is_(None), or_(_r.failure.is_(None), _r.failure != _INFRA))
_YIELD_PER = 2000


class Store:
    """Runs, their rollouts and verdicts in SQLite (default) or PostgreSQL.

    Examples:
        >>> store = Store("toolgym.db")  # or "postgresql+psycopg://user:pw@host/db"
        >>> run = store.open_run(None, manifest)  # creates it, or resumes an equal one
        >>> todo = [j for j in jobs if (j.task_id, j.sample) not in store.done_keys(run.id)]
        >>> store.write(run.id, [(rollout, "simple", verdict)])
    """

    def __init__(self, url: str = "toolgym.db") -> None:
        """Open (and create if needed) the database at `url`: a file path, `sqlite:///` or `postgresql://`."""
        self._engine = open_engine(url)
        self.url = self._engine.url.render_as_string(hide_password=True)
        """Where the runs are, for messages (password hidden)."""
        self._insert = postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert
        self._upsert_rollout, self._upsert_transcript = self._upsert(rollouts), self._upsert(transcripts)
        prepare_schema(self._engine, self.url)
        self._heartbeat = Heartbeat(self._beat)

    def close(self) -> None:
        """Stop renewing this process's running runs' heartbeats and close the pooled connections."""
        self._heartbeat.stop()
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # runs

    def open_run(self, name: str | None, manifest: RunManifest) -> RunInfo:
        """Create the run `name`, or resume it when it exists with an equal manifest.

        `name` None means `manifest.default_run_name()` (suite, model and split), so the same command
        run twice resumes. A higher `repeats` or `limit` extends the stored run. A stored run with
        another different manifest is a UserError naming each field.
        """
        name = _checked_name(name or manifest.default_run_name())
        wanted = redact_json(manifest.model_dump(mode="json"))  # no credentials in the database
        if self._find(name) is None:
            try:
                with self._writing() as conn:
                    row = {"name": name, "manifest": wanted, "created_at": datetime.now(UTC), "status": "running"}
                    conn.execute(insert(runs).values(**row))
            except IntegrityError:
                pass  # another process created it meanwhile: compare with theirs below
        found = self._find(name)
        assert found is not None
        run_id, stored = found
        differences = diff_manifests(stored, wanted)
        if differences and _grows(stored, wanted):  # more samples or more tasks: extend the run
            with self._writing() as conn:
                conn.execute(update(runs).where(runs.c.id == run_id).values(manifest=wanted))
            differences = []
        if differences:
            raise UserError(
                f"run {name!r} in {self.url} was started with other settings (stored -> now):\n  "
                + "\n  ".join(differences)
                + f"\nTo resume it, use its settings; to start a new run, pass --run NEW_NAME "
                f"(e.g. --run {name}-2)."
            )
        self.set_status(run_id, "running")
        return self._run_infos(runs.c.id == run_id)[0]

    def set_status(self, run_id: int, status: RunStatus, cause: str | None = None) -> None:
        """Record a run's state (`finished` at the end, `interrupted` on Ctrl-C, `failed` with its cause).

        `running` makes this process the run's owner: its pid and host are stored and its heartbeat
        renewed until another status is set or the store is closed (`liveness.py`).
        """
        if cause is not None and status != "failed":
            raise ValueError(f"only a failed run has a cause (status {status!r}, cause {cause!r})")
        owner = {}
        if status == "running":
            owner = {"pid": os.getpid(), "host": socket.gethostname(), "heartbeat_at": datetime.now(UTC)}
        with self._writing() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(status=status, cause=_cause(cause), **owner))
        if status == "running":
            self._heartbeat.add(run_id)
        else:
            self._heartbeat.discard(run_id)

    def delete_run(self, run_id: int) -> None:
        """Remove a run with its rollouts and transcripts, in one transaction."""
        self._heartbeat.discard(run_id)
        with self._writing() as conn:
            conn.execute(delete(transcripts).where(_t.run_id == run_id))
            conn.execute(delete(rollouts).where(_r.run_id == run_id))
            conn.execute(delete(runs).where(runs.c.id == run_id))

    def list_runs(self) -> list[RunInfo]:
        """All runs, oldest first, with their counts."""
        return self._run_infos(None)

    def get_run(self, name_or_id: str | int) -> RunInfo:
        """The run with this name (or id); a UserError listing close names when there is none."""
        if isinstance(name_or_id, int):
            found = self._run_infos(runs.c.id == name_or_id)
        else:
            found = self._run_infos(runs.c.name == name_or_id)
            if not found and name_or_id.isdigit():
                found = self._run_infos(runs.c.id == int(name_or_id))
        if found:
            return found[0]
        raise UserError(self._unknown_run_message(str(name_or_id)))

    # rollouts and verdicts

    def write(self, run_id: int, results: Sequence[tuple[Rollout, str, Verdict | None]]) -> None:
        """Store (rollout, category, verdict) triples in one transaction, as upserts: repeating is harmless.

        A verdict of None (the verifier raised) stores the rollout unscored, replacing any verdict
        of an earlier attempt, so a rollout and its verdict always come from the same attempt.
        """
        latest = {(r.task_id, r.sample): (r, category, v) for r, category, v in results}  # last write wins
        if not latest:
            return
        now = datetime.now(UTC)
        blobs: dict[str, Blob] = {}
        transcript_rows = [rows.transcript_row(run_id, r, blobs) for r, _, _ in latest.values()]
        with self._writing() as conn:
            if blobs:  # each image once: a digest already stored is left as it is
                values = [{"digest": d, "mime": mime, "data": data} for d, (mime, data) in blobs.items()]
                conn.execute(self._insert(images).on_conflict_do_nothing(index_elements=["digest"]), values)
            conn.execute(self._upsert_rollout, [rows.rollout_row(run_id, *t, now) for t in latest.values()])
            conn.execute(self._upsert_transcript, transcript_rows)

    def done_keys(self, run_id: int) -> set[tuple[str, int]]:
        """(task_id, sample) of rollouts finished and scored; infra errors and unscored ones are retried."""
        query = select(_r.task_id, _r.sample).where(_r.run_id == run_id, _DONE)
        keys: set[tuple[str, int]] = set()
        task_ids: dict[str, str] = {}  # one str object per task, shared by its samples
        with self._reading(f"run {run_id}") as conn:
            for task_id, sample in conn.execution_options(yield_per=_YIELD_PER).execute(query):
                keys.add((task_ids.setdefault(task_id, task_id), sample))
        return keys

    def results(self, run_id: int) -> Iterator[ResultRecord]:
        """Stream one record per rollout (no transcript), ordered by task and sample.

        Rows are fetched in chunks (a server-side cursor on PostgreSQL), so memory stays flat for
        any run size. Exhaust or close the iterator to release its connection.
        """
        columns = [_r[c] for c in rows.RECORD_COLUMNS]
        query = select(*columns).where(_r.run_id == run_id).order_by(_r.task_id, _r.sample)
        with self._reading(f"run {run_id}") as conn:
            for row in conn.execution_options(yield_per=_YIELD_PER).execute(query):
                yield rows.record(row)

    def rollouts(self, run_id: int, chunk: int = 500) -> Iterator[tuple[ResultRecord, Rollout, Verdict | None]]:
        """Stream every rollout with its transcript and verdict, ordered by task and sample.

        For exports and training data: one query per `chunk` rollouts, memory flat for any run size.
        """
        query = select(rollouts).where(_r.run_id == run_id).order_by(_r.task_id, _r.sample)
        with self._reading(f"run {run_id}") as conn:
            for part in conn.execution_options(yield_per=chunk).execute(query).mappings().partitions():
                # the chunk's transcripts are one range of the (run, task, sample) index
                first, last = (part[0]["task_id"], part[0]["sample"]), (part[-1]["task_id"], part[-1]["sample"])
                key = tuple_(_t.task_id, _t.sample)
                found = conn.execute(
                    select(_t.task_id, _t.sample, _t.messages).where(_t.run_id == run_id, key >= first, key <= last)
                )
                messages = {(task_id, sample): m for task_id, sample, m in found}
                blobs = fetch_images(conn, referenced(messages.values()))
                for row in part:
                    stored = messages.get((row["task_id"], row["sample"]), [])
                    rollout = rows.rollout(row, put_images(stored, blobs, _shown(row)))
                    yield rows.record([row[c] for c in rows.RECORD_COLUMNS]), rollout, rows.verdict(row)

    def rollout(self, run_id: int, task_id: str, sample: int = 0) -> Rollout:
        """One rollout with its transcript; a UserError when the run has none for that task and sample."""
        with self._reading(f"run {run_id}") as conn:
            row = conn.execute(select(rollouts).where(*_key(_r, run_id, task_id, sample))).mappings().first()
            messages = conn.execute(select(_t.messages).where(*_key(_t, run_id, task_id, sample))).scalar()
            blobs = fetch_images(conn, referenced([messages]))
        if row is None or messages is None:
            raise UserError(f"run {run_id} in {self.url} has no rollout of task {task_id!r} sample {sample}")
        return rows.rollout(row, put_images(messages, blobs, _shown(row)))

    def verdict(self, run_id: int, task_id: str, sample: int = 0) -> Verdict | None:
        """The verdict of one rollout; None when it has none (unscored, or not run)."""
        query = select(_r.task_id, _r.sample, *(_r[f] for f in VERDICT)).where(*_key(_r, run_id, task_id, sample))
        with self._reading(f"run {run_id}") as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else rows.verdict(row)

    # internals

    def _beat(self, run_ids: set[int]) -> None:
        """Renew the heartbeat of those runs while they are `running` in this process (called by `Heartbeat`)."""
        mine = and_(runs.c.id.in_(run_ids), runs.c.status == "running", runs.c.pid == os.getpid(),
                    runs.c.host == socket.gethostname())
        with self._writing() as conn:
            conn.execute(update(runs).where(mine).values(heartbeat_at=datetime.now(UTC)))

    @contextmanager
    def _reading(self, what: str) -> Iterator[Connection]:
        """A connection whose rows are decoded by SQLAlchemy: a value it cannot decode is a UserError."""
        try:
            with self._engine.connect() as conn:
                yield conn
        except (ValueError, TypeError) as e:  # JSON that does not parse, a date that is not one
            raise UserError(
                f"{self.url}: a stored value of {what} cannot be read ({type(e).__name__}: {e}); the database "
                "was edited by hand or damaged: delete that run or restore the database from a backup"
            ) from None

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        if is_read_only(self._engine):
            raise UserError(f"{self.url} is read-only for this user: its runs can be listed and read but not "
                            "written; copy it to a writable place to add or change runs")
        with self._engine.connect() as conn:
            conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn

    def _upsert(self, table: Any) -> Any:
        stmt = self._insert(table)
        changed = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in (*KEY, "id")}
        return stmt.on_conflict_do_update(index_elements=list(KEY), set_=changed)

    def _find(self, name: str) -> tuple[int, dict[str, Any]] | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(runs.c.id, runs.c.manifest).where(runs.c.name == name)).first()
        return None if row is None else (row.id, row.manifest)

    def _run_infos(self, where: Any) -> list[RunInfo]:
        def count(condition: Any) -> Any:
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        # count per run first, then join the few runs: linear whatever plan the database picks
        counts = select(
            _r.run_id,
            func.count().label("rollouts"),
            count(_DONE).label("done"),
            count(and_(_DONE, _r.passed)).label("passed"),
            count(_r.failure == _INFRA).label("infra_errors"),
            count(_r.passed.is_(None)).label("unscored"),
        ).group_by(_r.run_id)
        if where is not None:
            counts = counts.where(_r.run_id.in_(select(runs.c.id).where(where).scalar_subquery()))
        sub = counts.subquery()
        names = ("rollouts", "done", "passed", "infra_errors", "unscored")
        query = (
            select(runs, *(func.coalesce(sub.c[k], 0).label(k) for k in names))
            .select_from(runs.outerjoin(sub, sub.c.run_id == runs.c.id))
            .order_by(runs.c.created_at, runs.c.id)
        )
        if where is not None:
            query = query.where(where)
        with self._reading("runs") as conn:
            found = conn.execute(query).mappings().all()
        return [rows.run_info(row, self.url) for row in found]

    def _unknown_run_message(self, name: str) -> str:
        with self._engine.connect() as conn:
            names = list(conn.execute(select(runs.c.name).order_by(runs.c.created_at, runs.c.id)).scalars())
        if not names:
            return f"no run named {name!r} in {self.url}: it holds no runs yet (toolgym eval creates one)"
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
        return f"no run named {name!r} in {self.url}{hint} Runs there (newest last): {', '.join(names[-10:])}"


def _shown(row: Any) -> str:
    return f"stored rollout of task {row['task_id']!r} sample {row['sample']}"


def _key(columns: Any, run_id: int, task_id: str, sample: int) -> tuple[Any, ...]:
    return columns.run_id == run_id, columns.task_id == task_id, columns.sample == sample


def _grows(stored: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """Whether `wanted` only asks for more of the same run: higher `repeats`, a higher or no `limit`.

    The rollouts already stored stay valid (same tasks, same per-sample seeds), so the run is
    extended instead of refused; a smaller `repeats` or `limit` still needs another run name.
    """
    same = {k: v for k, v in stored.items() if k not in ("repeats", "limit")}
    if same != {k: v for k, v in wanted.items() if k not in ("repeats", "limit")}:
        return False
    more_samples = wanted.get("repeats", 1) >= stored.get("repeats", 1)
    old_limit, new_limit = stored.get("limit"), wanted.get("limit")
    more_tasks = new_limit is None if old_limit is None else (new_limit is None or new_limit >= old_limit)
    return more_samples and more_tasks


def _cause(value: str | None) -> str | None:
    # a cause may quote a server's reply: PostgreSQL text cannot hold NUL, and URLs may carry credentials
    return redact_text(value.replace("\x00", "\ufffd"))[:2000] if value else value


def _checked_name(name: str) -> str:
    if not name.strip() or len(name) > 200:
        raise UserError(f"run name {name!r} must be 1 to 200 characters; pass --run NAME")
    return name
