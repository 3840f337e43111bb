"""What two runs must agree on: each rollout's outcome, the run's manifest and its counts."""

from __future__ import annotations

from toolgym.store import Store


def outcomes(db: str, run: str) -> dict[tuple[str, int], tuple]:
    """(task, sample) -> (category, passed, reward, failure, error) of every stored rollout."""
    with Store(db) as store:
        info = store.get_run(run)
        rows = list(store.results(info.id))
    out = {(r.task_id, r.sample): (r.category, r.passed, r.reward, r.failure, r.error) for r in rows}
    assert len(out) == len(rows), "a rollout was stored twice"
    return out


def manifest(db: str, run: str) -> dict:
    """The run's manifest without the fields every run has its own value of."""
    with Store(db) as store:
        return store.get_run(run).manifest.model_dump()
