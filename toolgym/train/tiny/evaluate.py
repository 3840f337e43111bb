"""The test accuracy a retrain reports: `toolgym.run.evaluate` on the saved model, per category.

The freshly saved directory is evaluated like any `hf:PATH` model (greedy, 256 tokens, the suite's
verifier in toolgym mode) into a throw-away SQLite store, so `training.json` holds the figures
`toolgym eval` would give, not those of a second evaluator.
"""

from __future__ import annotations

from pathlib import Path

from ...models import ModelOptions
from ...run import RunConfig, evaluate
from ...store import Store
from ...suites import Suite

__all__ = ["accuracy_on_test"]


def accuracy_on_test(model_dir: Path, suite: Suite, db: Path, batch_size: int = 64) -> dict[str, dict[str, float]]:
    """`{category: {"passed", "total", "accuracy"}}` plus an `all` entry, on the suite's test split."""
    config = RunConfig(suite=suite.name, model=f"hf:{model_dir}", split="test", max_tokens=256,
                       concurrency=batch_size, db=str(db), run="tiny-test")
    info = evaluate(config, options=ModelOptions(device="cpu", batch_size=batch_size), suite=suite)
    table: dict[str, dict[str, float]] = {}
    with Store(str(db)) as store:
        for result in store.results(info.id):
            for key in (result.category, "all"):
                row = table.setdefault(key, {"passed": 0, "total": 0, "accuracy": 0.0})
                row["passed"] += int(bool(result.passed))
                row["total"] += 1
    for row in table.values():
        row["accuracy"] = round(row["passed"] / row["total"], 4)
    return table
