"""Training datasets on disk: Hugging Face `datasets` directories with a record of where the rows came from.

`toolgym data sft|dpo` write one directory each: `save_to_disk`'s files (load them with
`datasets.load_from_disk`), `toolgym_data.json` (the `DataRecord`: kind, suite, runs, counts) and, on
request, `data.jsonl` with the same rows. Messages and tools are `datasets.Json` values (see
`chat.py`), so the columns load as plain lists of dicts that TRL's trainers take unchanged. Rows
with images have an `images` column of `datasets.Image` values (PIL images when read; rows without
images get an empty list), and `data.jsonl` writes them as data URLs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .._version import __version__
from ..errors import UserError
from ..images import data_url, sniff_mime
from ..outputs import atomic_dir

if TYPE_CHECKING:
    from datasets import Dataset

__all__ = ["RECORD_FILE", "DataKind", "DataRecord", "load_data_dir", "read_data_record", "rows_dataset", "save_data"]

DataKind = Literal["sft", "dpo", "grpo"]
RECORD_FILE = "toolgym_data.json"
JSONL_FILE = "data.jsonl"

_CONVERSATION = {"sft": ("messages",), "dpo": ("prompt", "chosen", "rejected"), "grpo": ()}
_STRINGS = ("task_id", "category", "source")


class DataRecord(BaseModel):
    """Where a dataset came from and what was kept; saved beside it as `toolgym_data.json`."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    kind: DataKind
    """sft (messages), dpo (prompt, chosen, rejected) or grpo (prompts with their tasks)."""
    suite: str
    """Suite spec of the tasks (`fc-core`); GRPO rebuilds its tasks and verifier from it."""
    suite_version: str
    """Content hash of that suite."""
    sources: list[str] = Field(default_factory=list)
    """Runs the rows come from, or `suite:SPEC` for rows made from reference answers."""
    rows: int = 0
    """Rows written."""
    tasks: int = 0
    """Train tasks seen in the sources."""
    tasks_with_rows: int = 0
    """Tasks that gave at least one row."""
    skipped: dict[str, int] = Field(default_factory=dict)
    """Reason -> rollouts or tasks left out."""
    settings: dict[str, Any] = Field(default_factory=dict)
    """The selection settings (per_task, pairs_per_task, seed...)."""
    toolgym_version: str = __version__
    """Version of toolgym that wrote the data."""


def rows_dataset(rows: list[dict[str, Any]], kind: DataKind) -> Dataset:
    """A `datasets.Dataset` of SFT or DPO `rows` with conversation and tool columns as `Json` values."""
    from datasets import Dataset, Features, Image, Json, List, Value

    if kind == "grpo":
        raise ValueError("GRPO rows carry rendered prompts; train_grpo builds their dataset")
    columns: dict[str, Any] = {name: List(Json()) for name in _CONVERSATION[kind]}
    columns["tools"] = List(Json())
    columns.update({name: Value("string") for name in _STRINGS})
    columns["reward"] = Value("float32")
    features = Features({k: v for k, v in columns.items() if not rows or k in rows[0]})
    if any("images" in row for row in rows):  # TRL's vision format: the images of each row, in order
        features["images"] = List(Image())
        rows = [{**row, "images": [{"bytes": b, "path": None} for b in row.get("images", [])]} for row in rows]
    return Dataset.from_list(rows, features=features)


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    if "images" not in row:
        return row
    return {**row, "images": [data_url(b, sniff_mime(b))
                              for b in row["images"]]}


def save_data(rows: list[dict[str, Any]], record: DataRecord, out: Path, *, jsonl: bool = False) -> Path:
    """Write `rows` as a dataset directory `out` (plus `data.jsonl` when asked); returns `out`.

    The directory is filled under a temporary name and then takes `out`'s place (replacing what was
    there; callers check with `toolgym.outputs.check_output` first), so an interrupted write leaves
    the old dataset whole.

    Raises:
        UserError: no rows (the message gives the counts of what was left out), or `out` is a file.
    """
    if not rows:
        why = ", ".join(f"{k}: {v}" for k, v in sorted(record.skipped.items())) or "nothing to skip"
        raise UserError(
            f"no {record.kind} rows from {', '.join(record.sources)} ({record.tasks} train tasks; left out: {why}); "
            + ("no answer passed: sample more answers per task (at temperature > 0) so that some pass"
               if record.kind == "sft" else "a pair needs a passed and a failed rollout of one task: sample more")
        )
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: is a file; give a directory")
    with atomic_dir(out) as tmp:
        rows_dataset(rows, record.kind).save_to_disk(str(tmp))
        (tmp / RECORD_FILE).write_text(record.model_dump_json(indent=2) + "\n", encoding="utf-8")
        if jsonl:
            with (tmp / JSONL_FILE).open("w", encoding="utf-8") as f:
                for row in rows:
                    f.write(json.dumps(_jsonable(row), ensure_ascii=False) + "\n")
    return out


def read_data_record(path: Path) -> DataRecord:
    """The `DataRecord` of a dataset directory.

    Raises:
        UserError: the directory or its record is missing or unreadable.
    """
    file = path / RECORD_FILE
    if not file.is_file():
        raise UserError(
            f"--data {path}: {file.name} is missing, so this is not a directory written by `toolgym data sft|dpo`; "
            "write one with `toolgym data sft RUN --out DIR`"
        )
    try:
        return DataRecord.model_validate_json(file.read_text(encoding="utf-8"))
    except ValueError as e:
        raise UserError(f"{file}: not a toolgym data record: {e}") from None


def load_data_dir(path: Path, kind: DataKind | None) -> Dataset:
    """Load a dataset directory of the given kind (any kind when None).

    Raises:
        UserError: the directory is not a toolgym dataset, or holds another kind (`dpo` given to SFT).
    """
    from datasets import load_from_disk

    record = read_data_record(path)
    if kind is not None and record.kind != kind:
        raise UserError(
            f"--data {path} holds {record.kind} data, but this trainer needs {kind} data; "
            f"write it with `toolgym data {kind} RUN --out DIR`"
        )
    return load_from_disk(str(path))
