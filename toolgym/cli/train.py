"""`toolgym data sft|dpo`, `toolgym train sft|dpo|grpo` and `toolgym loop`: post-training from the command line.

The options of `train` and `loop` are made from the fields of their config classes (`SFTRunConfig`,
`LoopConfig`...): one `--field-name` per field, the field's docstring as its help, so the help text
is written once. Precedence: defaults < `--config FILE` < flags.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from pydantic import BaseModel, ConfigDict
from rich.table import Table

from ..run.evaluate import sandbox_level
from ..suites import load_suite
from ..train import (
    METHODS,
    LoopConfig,
    LoopHooks,
    RoundResult,
    RowFilter,
    TrainResult,
    build_dpo_data,
    build_sft_data,
    run_loop,
)
from ..train.grpo import grpo_sandbox
from ..train.grpo_config import GRPORunConfig
from ..train.runner import method_runner
from .app import app, console
from .evaluate import run_eval, sandbox_line
from .flags import ModelFlags, config_command

__all__ = ["data_app", "train_app"]

data_app = typer.Typer(help="Build training data from stored runs.", no_args_is_help=True)
train_app = typer.Typer(help="Fine-tune a local model with TRL (SFT, DPO, GRPO).", no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(train_app, name="train")

class _DataFlags(BaseModel):
    """What every `toolgym data` command reads and writes; the row filters come from `RowFilter`."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    runs: list[str]
    """Stored runs to read (names from `toolgym runs`)."""
    out: Path
    """Dataset directory to write (load it with datasets.load_from_disk)."""
    db: str = "toolgym.db"
    """Where the runs are: a SQLite file path or an SQLAlchemy URL."""
    jsonl: bool = False
    """Also write the rows as data.jsonl."""
    force: bool = False
    """Replace --out when it exists (it is replaced whole, only once the new data is written)."""


class _SFTData(_DataFlags):
    per_task: int = 1
    """Distinct passed answers kept per train task (best first)."""


class _DPOData(_DataFlags):
    pairs_per_task: int = 1
    """Most (passed, failed) pairs per train task."""


# `--category`/`--failure` (repeatable) fill RowFilter's `categories`/`failures`
_DATA_FLAGS = {"out": ("--out", "-o"), "categories": ("--category",), "failures": ("--failure",)}


def _data_sft(flags: _SFTData, keep: RowFilter) -> None:
    record = build_sft_data(flags.db, flags.runs, flags.out, per_task=flags.per_task, keep=keep, jsonl=flags.jsonl,
                            force=flags.force)
    _print_data(record, flags.out)


def _data_dpo(flags: _DPOData, keep: RowFilter) -> None:
    record = build_dpo_data(flags.db, flags.runs, flags.out, pairs_per_task=flags.pairs_per_task, keep=keep,
                            jsonl=flags.jsonl, force=flags.force)
    _print_data(record, flags.out)


data_app.command("sft")(config_command(
    _SFTData, _data_sft, "Rejection sampling: the passed rollouts of train tasks as an SFT dataset (messages + tools).",
    extra=(RowFilter,), arguments=("runs",), flags=_DATA_FLAGS))
data_app.command("dpo")(config_command(
    _DPOData, _data_dpo, "Preference pairs: a passed against a failed rollout of the same train task (prompt, chosen, "
    "rejected).", extra=(RowFilter,), arguments=("runs",), flags=_DATA_FLAGS))


def _print_data(record: Any, out: Path) -> None:
    skipped = ", ".join(f"{k} {v}" for k, v in sorted(record.skipped.items()))
    console.print(f"wrote {record.rows} {record.kind} rows from {record.tasks_with_rows}/{record.tasks} train tasks "
                  f"to {out}" + (f" (left out: {skipped})" if skipped else ""))


def _train_log(step: int, max_steps: int, metrics: dict[str, float]) -> None:
    if "train_runtime" in metrics:
        return
    shown = " · ".join(f"{k} {v:.4g}" for k, v in metrics.items() if k in _SHOWN)
    console.print(f"  step {step}/{max_steps}  {shown}")


_SHOWN = ("loss", "learning_rate", "grad_norm", "mean_token_accuracy", "reward", "rewards/verifier/mean",
          "rewards/chosen", "rewards/rejected", "rewards/accuracies", "epoch")


def _print_trained(result: TrainResult) -> None:
    loss = f"{result.train_loss:.4f}" if result.train_loss is not None else "n/a"
    console.print(f"{result.method}: {result.steps} steps on {result.rows} rows in {result.wall_s:.0f} s "
                  f"({result.device}, {result.dtype}, seed {result.seed}), mean loss {loss}; "
                  f"saved to {result.out} — evaluate it with --model hf:{result.out}")


def _trainer(train: Callable[..., TrainResult]) -> Callable[[Any], None]:
    def handler(config: Any) -> None:
        console.print(f"training {config.model} -> {config.out}")
        if isinstance(config, GRPORunConfig) and (level := grpo_sandbox(config)):  # its reward runs the code
            console.print(sandbox_line(level))
        _print_trained(train(config, on_log=_train_log))

    return handler


for _name in METHODS.names():
    # one command per training method in the order they registered (the pipeline's), flags from its config class
    _method = METHODS.get(_name)
    _command = config_command(_method.config_class, _trainer(method_runner(_name)), _method.__doc__ or "")
    train_app.command(_name)(_command)


def _loop(config: LoopConfig, model: ModelFlags) -> None:
    flags = model.options()  # the same model flags as eval's; the loop sets device and batch size
    if level := sandbox_level(load_suite(config.suite), config.sandbox):  # each evaluation prints and records it
        console.print(sandbox_line(level))

    def evaluate(run: Any, options: Any) -> str:
        return run_eval(run, flags.model_copy(update={"device": options.device, "batch_size": options.batch_size}))

    hooks = LoopHooks(
        evaluate=evaluate,
        on_train_log=_train_log,
        on_stage=lambda line: console.print(line, style="bold cyan"),
        on_round=_print_round,
    )
    result = run_loop(config, hooks)
    console.print(_rounds_table(result.rounds))
    console.print(f"loop finished in {result.wall_s:.0f} s; figures in {config.out / 'loop.json'}")


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _print_round(done: RoundResult) -> None:
    a = done.accuracy
    line = f"round {done.round}: {done.test_run} accuracy {_pct(a.value)}% [{_pct(a.low)}, {_pct(a.high)}]"
    if done.versus_start is not None:
        d = done.versus_start
        line += (f"; versus round 0: {d.value * 100:+.1f} points [{d.low * 100:+.1f}, {d.high * 100:+.1f}], "
                 f"p = {d.p_value:.2g} ({d.test})")
    console.print(line, style="bold green")


def _rounds_table(rounds: list[RoundResult]) -> Table:
    table = Table(title="post-training loop: test accuracy per round", title_justify="left")
    for name in ("round", "model", "test run", "accuracy % [95% CI]", "Δ vs round 0 [95% CI]", "p", "SFT rows"):
        table.add_column(name, justify="left" if name in ("model", "test run") else "right")
    for r in rounds:
        a, d = r.accuracy, r.versus_start
        diff = f"{d.value * 100:+.1f} [{d.low * 100:+.1f}, {d.high * 100:+.1f}]" if d else ""
        table.add_row(str(r.round), r.model, r.test_run, f"{_pct(a.value)} [{_pct(a.low)}, {_pct(a.high)}]",
                      diff, f"{d.p_value:.2g}" if d else "", str(r.sft_rows) if r.round else "")
    return table


app.command("loop")(config_command(
    LoopConfig, _loop, "Post-training loop: sample the train split, fine-tune on what passed, evaluate the test "
    "split; every round stored and compared with the start (paired test).", extra=(ModelFlags,)))
