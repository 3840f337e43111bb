"""The post-training loop: sample on train, keep what the verifier passed, fine-tune, measure on test; repeat.

Round 0 evaluates the starting model on the test split (greedy), stored as run `NAME-r0-test`.
Each round r >= 1 then

1. samples k answers per train task at temperature > 0 from the current model (run `NAME-r{r-1}-train`);
2. builds SFT data from the passed answers (best of k per task; with `accumulate`, of every round
   so far) and, with `dpo`, preference pairs of passed against failed answers; with `grpo`, instead,
   the prompts whose sampled answers both passed and failed (the only ones whose group of GRPO
   answers has an advantage to learn from);
3. fine-tunes the current model on them (SFT, then DPO; or GRPO with the verifier's reward) into
   `OUT/r{r}/model`;
4. evaluates the new model on the test split (run `NAME-r{r}-test`) and compares it with round 0,
   task by task (`toolgym.stats.compare`: paired difference, its interval and p-value).

Every step is stored as it finishes, so running the same loop again resumes: finished runs are
read back, and a round whose model directory holds a model trained with the same settings is not
trained again. `OUT/loop.json` holds the figures of every round.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .._version import __version__
from ..envs.sandbox import IsolationChoice
from ..errors import UserError
from ..models import ModelOptions
from ..run import RunConfig, evaluate
from ..run.executors import check_executor
from ..stats import Difference, Estimate, Record, accuracy, compare
from ..store import Store
from .config import TrainConfig, TrainResult
from .data_dpo import dpo_rows
from .data_sft import sft_rows
from .dataset_files import save_data
from .dpo import train_dpo
from .dpo_config import DPORunConfig
from .filters import RowFilter, filtered_rows
from .grpo import train_grpo
from .grpo_config import GRPORunConfig
from .runtime import RESULT_FILE, LogFn
from .sft import train_sft
from .sft_config import SFTRunConfig
from .sources import RolloutSource, read_rollouts

__all__ = ["LoopConfig", "LoopHooks", "LoopResult", "RoundResult", "run_loop"]


class LoopConfig(BaseModel):
    """One post-training loop: model, suite, rounds, sampling, training and where results go."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    model: str = "tiny"
    """Starting model: tiny or hf:PATH."""
    suite: str = "fc-core"
    """Suite whose train split is sampled and whose test split measures each round."""
    rounds: int = Field(default=1, ge=1)
    """Rounds of sample -> train -> evaluate."""
    samples: int = Field(default=4, ge=1)
    """Answers sampled per train task each round (k)."""
    temperature: float = Field(default=1.0, gt=0)
    """Sampling temperature on the train split (the test split is always greedy)."""
    top_p: float = Field(default=1.0, gt=0, le=1)
    """Nucleus mass when sampling on the train split."""
    max_tokens: int = Field(default=256, gt=0)
    """Most tokens generated per answer."""
    per_task: int = Field(default=1, ge=1)
    """Distinct passed answers kept per train task for SFT."""
    skip_solved: bool = False
    """Leave out train tasks every sampled answer of which passed (the model already solves them)."""
    per_category: int | None = Field(default=None, ge=1)
    """At most N SFT rows (and DPO pairs) per category, e.g. to keep refusals from dominating."""
    accumulate: bool = True
    """Train each round on the passed answers of every round so far, not only the latest."""
    dpo: bool = False
    """After SFT, also train DPO on passed-versus-failed pairs of the same tasks."""
    beta: float = Field(default=0.1, gt=0)
    """DPO beta."""
    grpo: bool = False
    """Instead of SFT, GRPO (the verifier's reward) on the train tasks whose samples both passed and failed."""
    generations: int = Field(default=8, ge=2)
    """GRPO: answers sampled per prompt in each step."""
    epochs: float = Field(default=2.0, gt=0)
    """Passes over each round's data."""
    max_steps: int | None = Field(default=None, ge=1)
    """Optimizer steps per round; overrides --epochs."""
    batch_size: int = Field(default=16, ge=1)
    """Rows per training step."""
    learning_rate: float | None = Field(default=None, gt=0)
    """Peak learning rate; default as for `toolgym train`."""
    lora: bool = False
    """Train LoRA adapters (merged into each round's model)."""
    train_limit: int | None = Field(default=None, ge=1)
    """Sample N train tasks, the first of each category in proportion to its size."""
    test_limit: int | None = Field(default=None, ge=1)
    """Evaluate N test tasks, the first of each category in proportion to its size."""
    concurrency: int = Field(default=64, ge=1)
    """Rollouts in flight (local models generate them in batches)."""
    executor: str = "local"
    """Where the sampling and evaluation rollouts run: local, ray or ray:ADDRESS (as for eval)."""
    device: Literal["auto", "cpu", "cuda"] = "auto"
    """auto, cpu or cuda, for training and evaluation."""
    threads: int | None = Field(default=None, ge=1)
    """CPU threads for torch."""
    db: str = "toolgym.db"
    """Store of the runs (SQLite path or SQLAlchemy URL)."""
    out: Path = Path("loop")
    """Directory of each round's data and model, and loop.json."""
    name: str = "loop"
    """Prefix of the stored runs: NAME-r0-test, NAME-r0-train, NAME-r1-test..."""
    seed: int = 0
    """Seed of sampling and training; round r samples with seed + r."""
    sandbox: IsolationChoice = "auto"
    """Isolation of model-written code (code suites) in every evaluation and GRPO reward, as for eval."""

    @field_validator("executor")
    @classmethod
    def _known_executor(cls, value: str) -> str:
        return check_executor(value)


class RoundResult(BaseModel):
    """One round's model, data and test figures."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    round: int
    """0 is the starting model."""
    model: str
    """Model spec evaluated this round."""
    test_run: str
    """Stored run of the test evaluation."""
    accuracy: Estimate
    """Test accuracy with its task-clustered interval."""
    by_category: dict[str, Estimate] = Field(default_factory=dict)
    """Test accuracy per category."""
    versus_start: Difference | None = None
    """Paired difference against round 0 (None in round 0)."""
    train_run: str | None = None
    """Stored run of the train-split sampling that made this round's data."""
    sft_rows: int = 0
    """SFT rows trained on."""
    dpo_rows: int = 0
    """DPO pairs trained on."""
    grpo_prompts: int = 0
    """GRPO prompts (train tasks) trained on."""
    training: list[TrainResult] = Field(default_factory=list)
    """The trainers run this round (SFT, then DPO)."""
    wall_s: float = 0.0
    """Wall time of the round, in seconds."""


class LoopResult(BaseModel):
    """Every round of a loop; saved as OUT/loop.json."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    config: LoopConfig
    """The loop's settings."""
    rounds: list[RoundResult] = Field(default_factory=list)
    """Round 0 (the start) and each trained round."""
    wall_s: float = 0.0
    """Wall time of the whole loop, in seconds."""
    toolgym_version: str = __version__
    """Version of toolgym that ran the loop."""


@dataclass
class LoopHooks:
    """How a caller watches the loop (the CLI draws progress with these)."""

    evaluate: Callable[[RunConfig, ModelOptions], str] | None = None
    """Runs one evaluation and returns the run name; default `toolgym.run.evaluate` without progress."""
    on_train_log: LogFn | None = None
    """Trainer metrics at each logging step; None keeps TRL's progress bar."""
    on_stage: Callable[[str], None] | None = None
    """A line saying what starts now."""
    on_round: Callable[[RoundResult], None] | None = None
    """Each round's figures, as soon as they are known."""


def run_loop(config: LoopConfig, hooks: LoopHooks | None = None) -> LoopResult:
    """Run (or resume) the loop and return every round's figures."""
    hooks = hooks or LoopHooks()
    start = time.perf_counter()
    config.out.mkdir(parents=True, exist_ok=True)
    result = LoopResult(config=config)
    current, fresh = config.model, False
    train_runs: list[str] = []
    for r in range(config.rounds + 1):
        round_start = time.perf_counter()
        row: dict[str, Any] = {"round": r}
        if r > 0:
            train_run = _run_name(config, r - 1, "train")
            _say(hooks, f"round {r}: sampling {config.samples} answers per train task from {current}")
            _evaluate(config, hooks, _train_eval(config, current, train_run, r), fresh)
            train_runs.append(train_run)
            current, fresh, trained = _train_round(config, hooks, r, train_runs)
            counts = {t.method: t.rows for t in trained}
            row.update(train_run=train_run, training=trained, sft_rows=counts.get("sft", 0),
                       dpo_rows=counts.get("dpo", 0), grpo_prompts=counts.get("grpo", 0))
        test_run = _run_name(config, r, "test")
        _say(hooks, f"round {r}: evaluating {current} on the test split")
        _evaluate(config, hooks, _test_eval(config, current, test_run), fresh)
        records = _records(config.db, test_run)
        report = accuracy(records)
        versus = compare(_records(config.db, result.rounds[0].test_run), records).overall if r else None
        done = RoundResult(model=current, test_run=test_run, accuracy=report.overall, by_category=report.by_category,
                           versus_start=versus, wall_s=round(time.perf_counter() - round_start, 1), **row)
        result.rounds.append(done)
        result.wall_s = round(time.perf_counter() - start, 1)
        (config.out / "loop.json").write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
        if hooks.on_round:
            hooks.on_round(done)
    return result


def _run_name(config: LoopConfig, r: int, split: str) -> str:
    return f"{config.name}-r{r}-{split}"


def _say(hooks: LoopHooks, line: str) -> None:
    if hooks.on_stage:
        hooks.on_stage(line)


def _train_eval(config: LoopConfig, model: str, run: str, r: int) -> RunConfig:
    return RunConfig(suite=config.suite, model=model, split="train", repeats=config.samples,
                     temperature=config.temperature, top_p=config.top_p, max_tokens=config.max_tokens,
                     seed=config.seed + r, concurrency=config.concurrency, limit=config.train_limit, db=config.db,
                     run=run, executor=config.executor, sandbox=config.sandbox)


def _test_eval(config: LoopConfig, model: str, run: str) -> RunConfig:
    return RunConfig(suite=config.suite, model=model, split="test", max_tokens=config.max_tokens, seed=config.seed,
                     concurrency=config.concurrency, limit=config.test_limit, db=config.db, run=run,
                     executor=config.executor, sandbox=config.sandbox)


def _evaluate(config: LoopConfig, hooks: LoopHooks, run: RunConfig, fresh_model: bool) -> None:
    """Evaluate (or resume); a model trained just now must not resume a run an earlier loop left."""
    assert run.run is not None
    if fresh_model:
        with Store(config.db) as store:
            if any(info.name == run.run for info in store.list_runs()):
                raise UserError(
                    f"run {run.run!r} already exists in {store.url} from an earlier loop, but {run.model} was "
                    f"trained again just now; pass --name NEW (or another --db) so its results are not mixed"
                )
    options = ModelOptions(device=None if config.device == "auto" else config.device, batch_size=config.concurrency)
    if hooks.evaluate:
        hooks.evaluate(run, options)
    else:
        evaluate(run, options=options)


def _records(db: str, run: str) -> list[Record]:
    with Store(db) as store:
        info = store.get_run(run)
        return [Record(r.task_id, r.category, bool(r.passed)) for r in store.results(info.id) if r.counted]


def _train_round(
    config: LoopConfig, hooks: LoopHooks, r: int, train_runs: list[str]
) -> tuple[str, bool, list[TrainResult]]:
    """Build the round's data and train; returns (new model spec, trained just now, results)."""
    sources = read_rollouts(config.db, train_runs if config.accumulate else train_runs[-1:])
    keep = RowFilter(skip_solved=config.skip_solved, per_category=config.per_category)
    base = config.model if r == 1 else f"hf:{config.out / f'r{r - 1}' / 'model'}"
    folder = config.out / f"r{r}"
    if config.grpo:
        return _grpo_round(config, hooks, r, sources, keep, base)
    rows, record = filtered_rows(sources, keep, sft_rows, config.per_task)
    _say(hooks, f"round {r}: SFT on {record.rows} passed answers of {record.tasks_with_rows}/{record.tasks} "
                "train tasks")
    data = _fresh_dir(folder / "sft-data")
    save_data(rows, record, data)
    sft = SFTRunConfig(model=base, data=data, out=folder / "sft-model" if config.dpo else folder / "model",
                       **_shared(config))
    fresh, results = False, []
    trained, just_now = _train_once(sft, train_sft, hooks)
    results.append(trained)
    fresh |= just_now
    if config.dpo:
        pairs, pair_record = filtered_rows(sources, keep, dpo_rows)
        _say(hooks, f"round {r}: DPO on {pair_record.rows} passed/failed pairs")
        pair_data = _fresh_dir(folder / "dpo-data")
        save_data(pairs, pair_record, pair_data)
        dpo = DPORunConfig(model=f"hf:{sft.out}", data=pair_data, out=folder / "model", beta=config.beta,
                           **_shared(config))
        trained, just_now = _train_once(dpo, train_dpo, hooks)
        results.append(trained)
        fresh |= just_now
    return f"hf:{folder / 'model'}", fresh, results


def _grpo_round(
    config: LoopConfig, hooks: LoopHooks, r: int, sources: RolloutSource, keep: RowFilter, base: str
) -> tuple[str, bool, list[TrainResult]]:
    """GRPO on the tasks with both passed and failed samples (their task ids, saved as a dataset, are the prompts)."""
    folder = config.out / f"r{r}"
    rows, record = filtered_rows(sources, keep.model_copy(update={"skip_solved": True}), sft_rows, 1)
    _say(hooks, f"round {r}: GRPO on the {record.tasks_with_rows} train tasks whose samples both passed "
                "and failed")
    data = _fresh_dir(folder / "grpo-prompts")
    save_data(rows, record, data)
    grpo = GRPORunConfig(model=base, data=data, out=folder / "model", num_generations=config.generations,
                         max_completion_length=config.max_tokens, temperature=config.temperature,
                         sandbox=config.sandbox, **_shared(config))
    trained, just_now = _train_once(grpo, train_grpo, hooks)
    return f"hf:{folder / 'model'}", just_now, [trained]


def _shared(config: LoopConfig) -> dict[str, Any]:
    return dict(epochs=config.epochs, max_steps=config.max_steps, batch_size=config.batch_size,
                learning_rate=config.learning_rate, lora=config.lora, device=config.device, threads=config.threads,
                seed=config.seed, logging_steps=5)


def _train_once(
    config: TrainConfig, train: Callable[..., TrainResult], hooks: LoopHooks
) -> tuple[TrainResult, bool]:
    """Train, unless `config.out` already holds a model trained with these settings (then reuse it)."""
    saved = config.out / RESULT_FILE
    if saved.is_file():
        previous = TrainResult.model_validate_json(saved.read_text(encoding="utf-8"))
        wanted = config.model_dump(mode="json")
        changed = sorted(k for k in wanted if previous.config.get(k, wanted[k]) != wanted[k] and k != "overwrite")
        data_same = previous.data is not None and previous.data.rows == _rows_in(config)
        if not changed and data_same:
            return previous, False
        raise UserError(
            f"{config.out} holds a model trained with other settings or data ({', '.join(changed) or 'data'}); "
            "use another --out and --name for a new loop, or delete that directory"
        )
    return train(config.model_copy(update={"overwrite": True}), on_log=hooks.on_train_log), True


def _rows_in(config: TrainConfig) -> int | None:
    from .dataset_files import read_data_record

    return read_data_record(config.data).rows if config.data is not None else None


def _fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
