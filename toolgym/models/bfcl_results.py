"""BFCL's own result files, read as recorded answers so toolgym can re-score what BFCL's CLI produced.

`bfcl generate` writes `BFCL_v4_<category>_result.json` files (JSON Lines) under
`result/<model>/...`, one `{"id": ..., "result": ...}` line per entry (plus token counts and
latency, which are ignored). For single-turn categories `result` is what the model returned:

* function-calling models: a list of `{function name: arguments}` (arguments a JSON string or an
  object), which BFCL's FC handlers decode as they are;
* prompting models: a string of Python-style calls, `[f(a=1), g(b='x')]`, decoded here with the
  pythonic parser (BFCL's `default_decode_ast_prompting` reads the same syntax with `ast`).

Each line becomes a replay record (`replay.py`). Multi-turn and agentic result lines (a list of turns)
are refused: toolgym does not score those categories yet.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import UserError
from .replay import ReplayRecord

__all__ = ["read_bfcl_results"]

_FILE = re.compile(r"BFCL_v\d+_(\w+)_result\.json")


def _record(task_id: str, result: Any, where: str) -> ReplayRecord:
    if isinstance(result, str):
        return ReplayRecord(id=task_id, text=result, parser="pythonic")
    if not isinstance(result, list) or not all(isinstance(c, dict) for c in result):
        raise UserError(
            f'{where}: field "result": expected a string or a list of {{function: arguments}}, got '
            f"{type(result).__name__}; BFCL writes one of these for single-turn categories"
        )
    calls = [{"function": {"name": name, "arguments": args}} for call in result for name, args in call.items()]
    if not calls:  # [] or [{}]: BFCL counts it as no call
        return ReplayRecord(id=task_id, content="")
    return ReplayRecord(id=task_id, tool_calls=calls)


def _read_file(path: Path, out: dict[str, ReplayRecord]) -> None:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            why = f"not valid JSON ({e.msg} at column {e.colno})"
            raise UserError(f"{where}: {why}; BFCL writes one object a line") from None
        if not isinstance(row, dict) or not isinstance(row.get("id"), str) or "result" not in row:
            raise UserError(f'{where}: expected {{"id": ..., "result": ...}} as BFCL writes it')
        if row["id"] in out:
            raise UserError(f"{where}: entry {row['id']!r} appears twice in the results; keep one")
        out[row["id"]] = _record(row["id"], row["result"], where)


def read_bfcl_results(directory: Path) -> tuple[dict[str, ReplayRecord], list[str]]:
    """The answers in a BFCL result folder (searched recursively) and the categories they cover.

    Raises:
        UserError: no result files, a malformed line (naming file:line), a repeated id, or a
            multi-turn/agentic result file.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise UserError(f"{directory}: no such folder; give the folder BFCL wrote (result/ or result/MODEL)")
    records: dict[str, ReplayRecord] = {}
    categories: list[str] = []
    for path in sorted(directory.rglob("BFCL_v*_result.json")):
        m = _FILE.fullmatch(path.name)
        if m is None:
            continue
        category = m.group(1)
        if category.startswith(("multi_turn", "memory", "web_search", "format_sensitivity")):
            raise UserError(
                f"{path}: {category} results cannot be re-scored yet (toolgym scores BFCL's single-turn "
                "categories); move the file out of the folder or point to the single-turn results"
            )
        if category not in categories:
            categories.append(category)
        _read_file(path, records)
    if not records:
        raise UserError(f"{directory}: no BFCL result files (BFCL_v4_<category>_result.json) found in it")
    return records, categories
