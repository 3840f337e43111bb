"""Store: crash-safe persistence of runs, rollouts and verdicts.

Every batch of results is one transaction, and a rollout and its verdict are upserted on
(run, task, sample): a process killed at any moment loses at most the batch it was writing, and
writing a row again (a retry, a replay) replaces it instead of adding a duplicate. The API is
synchronous and thread-safe (one Engine, a pooled connection per call); the scheduler calls it from
a thread (`asyncio.to_thread`), never on the event loop.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from ..errors import UserError
from ..types import FailureKind, Message, Rollout, Usage, Verdict
from .engine import WRITE, open_engine
from .manifest import RunManifest, diff_manifests
from .records import ResultRecord, RunInfo, RunStatus
from .schema import KEY, SCHEMA_VERSION, VERDICT, meta, metadata, rollouts, runs, transcripts

__all__ = ["Store"]

_r = rollouts.c
_INFRA = FailureKind.INFRA_ERROR.value
#: Finished and scored: what a resume skips. Infra errors and unscored rollouts are retried.
_DONE = and_(_r.passed.is_not(None), _r.error.is_(None), or_(_r.failure.is_(None), _r.failure != _INFRA))
_YIELD_PER = 2000


class Store:
    """Runs, their rollouts and verdicts in SQLite (default) or PostgreSQL.

    Examples:
        >>> store = Store("toolgym.db")  # or "postgresql+psycopg://user:pw@host/db"
        >>> run = store.open_run(None, manifest)  # creates it, or resumes an equal one
        >>> todo = [job for job in jobs if (job.task_id, job.sample) not in store.done_keys(run.id)]
        >>> store.write(run.id, [(rollout, "simple", verdict)])
    """

    def __init__(self, url: str = "toolgym.db") -> None:
        """Open (and create if needed) the database at `url`: a file path, `sqlite:///` or `postgresql://`."""
        self._engine = open_engine(url)
        self.url = self._engine.url.render_as_string(hide_password=True)
        """Where the runs are, for messages (password hidden)."""
        self._insert = postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert
        self._upsert_rollout, self._upsert_transcript = self._upsert(rollouts), self._upsert(transcripts)
        self._create_tables()

    def close(self) -> None:
        """Close the pooled connections."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # runs

    def open_run(self, name: str | None, manifest: RunManifest) -> RunInfo:
        """Create the run `name`, or resume it when it exists with an equal manifest.

        `name` None means `manifest.default_run_name()` (suite, model and split), so the same command
        run twice resumes. A stored run with a different manifest is a UserError naming each field.
        """
        name = _checked_name(name or manifest.default_run_name())
        wanted = manifest.model_dump(mode="json")
        if self._find(name) is None:
            try:
                with self._writing() as conn:
                    row = {"name": name, "manifest": wanted, "created_at": _now(), "status": "running"}
                    conn.execute(insert(runs).values(**row))
            except IntegrityError:
                pass  # another process created it meanwhile: compare with theirs below
        found = self._find(name)
        assert found is not None
        run_id, stored = found
        differences = diff_manifests(stored, wanted)
        if differences:
            raise UserError(
                f"run {name!r} in {self.url} was started with other settings (stored -> now):\n  "
                + "\n  ".join(differences)
                + f"\nTo resume it, use its settings; to start a new run, pass --run NEW_NAME "
                f"(e.g. --run {name}-2)."
            )
        self.set_status(run_id, "running")
        return self._run_infos(runs.c.id == run_id)[0]

    def set_status(self, run_id: int, status: RunStatus) -> None:
        """Record a run's state (`finished` at the end, `interrupted` on Ctrl-C)."""
        with self._writing() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(status=status))

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
        now = _now()
        rollout_rows = [_rollout_row(run_id, r, category, v, now) for r, category, v in latest.values()]
        transcript_rows = [
            {"run_id": run_id, "task_id": r.task_id, "sample": r.sample,
             "messages": [m.model_dump(mode="json", exclude_defaults=True) for m in r.messages]}
            for r, _, _ in latest.values()
        ]
        with self._writing() as conn:
            conn.execute(self._upsert_rollout, rollout_rows)
            conn.execute(self._upsert_transcript, transcript_rows)

    def done_keys(self, run_id: int) -> set[tuple[str, int]]:
        """(task_id, sample) of rollouts finished and scored; infra errors and unscored ones are retried."""
        query = select(_r.task_id, _r.sample).where(_r.run_id == run_id, _DONE)
        keys: set[tuple[str, int]] = set()
        task_ids: dict[str, str] = {}  # one str object per task, shared by its samples
        with self._engine.connect() as conn:
            for task_id, sample in conn.execution_options(yield_per=_YIELD_PER).execute(query):
                keys.add((task_ids.setdefault(task_id, task_id), sample))
        return keys

    def results(self, run_id: int) -> Iterator[ResultRecord]:
        """Stream one record per rollout (no transcript), ordered by task and sample.

        Rows are fetched in chunks (a server-side cursor on PostgreSQL), so memory stays flat for
        any run size. Exhaust or close the iterator to release its connection.
        """
        query = (
            select(
                _r.task_id, _r.category, _r.sample, _r.passed, _r.reward, _r.failure, _r.explanation,
                _r.latency_s, _r.prompt_tokens, _r.completion_tokens, _r.error,
            )
            .where(_r.run_id == run_id)
            .order_by(_r.task_id, _r.sample)
        )
        with self._engine.connect() as conn:
            for row in conn.execution_options(yield_per=_YIELD_PER).execute(query):
                (task_id, category, sample, passed, reward, failure, explanation,
                 latency_s, prompt_tokens, completion_tokens, error) = row
                yield ResultRecord(
                    task_id, category, sample, passed, reward, FailureKind(failure) if failure else None,
                    explanation or "", latency_s, prompt_tokens, completion_tokens, error,
                )

    def rollout(self, run_id: int, task_id: str, sample: int = 0) -> Rollout:
        """One rollout with its transcript; a UserError when the run has none for that task and sample."""
        key = (_r.run_id == run_id, _r.task_id == task_id, _r.sample == sample)
        t = transcripts.c
        with self._engine.connect() as conn:
            row = conn.execute(select(rollouts).where(*key)).mappings().first()
            messages = conn.execute(
                select(t.messages).where(t.run_id == run_id, t.task_id == task_id, t.sample == sample)
            ).scalar()
        if row is None or messages is None:
            raise UserError(f"run {run_id} in {self.url} has no rollout of task {task_id!r} sample {sample}")
        return Rollout(
            task_id=row["task_id"], sample=row["sample"], seed=row["seed"],
            messages=[Message.model_validate(m) for m in messages],
            usage=Usage(prompt_tokens=row["prompt_tokens"], completion_tokens=row["completion_tokens"]),
            latency_s=row["latency_s"], error=row["error"], end_reason=row["end_reason"],
        )

    def verdict(self, run_id: int, task_id: str, sample: int = 0) -> Verdict | None:
        """The verdict of one rollout; None when it has none (unscored, or not run)."""
        query = select(*(_r[f] for f in VERDICT)).where(
            _r.run_id == run_id, _r.task_id == task_id, _r.sample == sample
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None or row["passed"] is None:
            return None
        return Verdict.model_validate(dict(row))

    # internals

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn

    def _upsert(self, table: Any) -> Any:
        stmt = self._insert(table)
        changed = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in (*KEY, "id")}
        return stmt.on_conflict_do_update(index_elements=list(KEY), set_=changed)

    def _create_tables(self) -> None:
        with self._writing() as conn:
            metadata.create_all(conn)
            conn.execute(self._insert(meta).values(key="schema_version", value=str(SCHEMA_VERSION))
                         .on_conflict_do_nothing())
            version = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar_one()
        stored = int(version)
        if stored > SCHEMA_VERSION:
            raise UserError(
                f"{self.url} was written by a newer toolgym (schema {stored}, this one reads "
                f"{SCHEMA_VERSION}); "
                "upgrade toolgym (pip install -U toolgym) or choose another --db"
            )

    def _find(self, name: str) -> tuple[int, dict[str, Any]] | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(runs.c.id, runs.c.manifest).where(runs.c.name == name)).first()
        return None if row is None else (row.id, row.manifest)

    def _run_infos(self, where: Any) -> list[RunInfo]:
        def count(condition: Any) -> Any:
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        # aggregate rollouts per run first, then join the few runs: linear whatever the plan
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
        query = (
            select(runs, *(func.coalesce(sub.c[k], 0).label(k) for k in _COUNTS))
            .select_from(runs.outerjoin(sub, sub.c.run_id == runs.c.id))
            .order_by(runs.c.created_at, runs.c.id)
        )
        if where is not None:
            query = query.where(where)
        with self._engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [_run_info(row, self.url) for row in rows]

    def _unknown_run_message(self, name: str) -> str:
        with self._engine.connect() as conn:
            names = list(conn.execute(select(runs.c.name).order_by(runs.c.created_at, runs.c.id)).scalars())
        if not names:
            return f"no run named {name!r} in {self.url}: it holds no runs yet (toolgym eval creates one)"
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
        recent = ", ".join(names[-10:])
        return f"no run named {name!r} in {self.url}{hint} Runs there (newest last): {recent}"


_COUNTS = ("rollouts", "done", "passed", "infra_errors", "unscored")


def _checked_name(name: str) -> str:
    if not name.strip() or len(name) > 200:
        raise UserError(f"run name {name!r} must be 1 to 200 characters; pass --run NAME")
    return name


def _now() -> datetime:
    return datetime.now(UTC)


def _rollout_row(run_id: int, r: Rollout, category: str, v: Verdict | None, now: datetime) -> dict[str, Any]:
    row = {
        "run_id": run_id, "task_id": r.task_id, "sample": r.sample, "seed": r.seed, "category": category,
        "prompt_tokens": r.usage.prompt_tokens, "completion_tokens": r.usage.completion_tokens,
        "latency_s": r.latency_s, "error": r.error, "end_reason": r.end_reason, "created_at": now,
    }
    verdict = v.model_dump(mode="json") if v else {}
    row.update({k: verdict.get(k) for k in VERDICT})
    return row


def _run_info(row: Any, url: str) -> RunInfo:
    try:
        manifest = RunManifest.model_validate(row["manifest"])
    except ValueError as e:
        raise UserError(
            f"run {row['name']!r} in {url} has a manifest this toolgym cannot read "
            f"(written by toolgym {row['manifest'].get('toolgym_version', '?')}): {e}"
        ) from None
    created = row["created_at"]
    return RunInfo(
        id=row["id"], name=row["name"], manifest=manifest,
        created_at=created.astimezone(UTC) if created.tzinfo else created.replace(tzinfo=UTC),
        status=row["status"],
        rollouts=row["rollouts"], done=row["done"], passed=row["passed"],
        infra_errors=row["infra_errors"], unscored=row["unscored"],
    )
