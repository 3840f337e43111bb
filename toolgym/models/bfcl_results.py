"""BFCL's own result files, read as recorded answers so toolgym can re-score what BFCL's CLI produced.

`bfcl generate` writes `BFCL_v4_<category>_result.json` files (JSON Lines) under
`result/<model>/...`, one `{"id": ..., "result": ...}` line per entry (plus token counts and
latency, which are ignored). For single-turn categories `result` is what the model returned:

* function-calling models: a list of `{function name: arguments}` (arguments a JSON string or an
  object), which BFCL's FC handlers decode as they are;
* prompting models: a string of calls, `[f(a=1), g(b='x')]`: Python-style, decoded here with the
  pythonic parser (BFCL's `default_decode_ast_prompting` reads the same syntax with `ast`); for
  `simple_java` and `simple_javascript` in that language's syntax, decoded with BFCL's own Java and
  JavaScript parsers (tree-sitter: `pip install 'toolgym[bfcl]'`), as BFCL decodes them. What BFCL's
  decoder refuses is the answer's parse error.

For multi-turn categories `result` is a list of turns, each a list of steps (one model response a
step: a list of `{function: arguments}`, or text). Each step becomes one recorded assistant turn, in
order, so the agent loop replays the episode against BFCL's back-ends: a step with calls is executed
and the next step answers its results; a step without calls ends the user turn. An entry BFCL stopped
at its step limit stops here at the same step. Agentic result files are refused (toolgym does not run
those categories).
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path
from typing import Any

from ..errors import UserError
from .replay import ReplayRecord

__all__ = ["read_bfcl_results"]

_FILE = re.compile(r"BFCL_v\d+_(\w+)_result\.json")


# BFCL categories whose prompting answers are written in another language, and its parser's module
_LANGUAGES = {"simple_java": "java", "simple_javascript": "javascript"}
_PARSERS = {
    "java": ("java_parser", "parse_java_function_call"),
    "javascript": ("js_parser", "parse_javascript_function_call"),
}


def _record(task_id: str, result: Any, where: str, language: str | None = None, turn: int = 0) -> ReplayRecord:
    if isinstance(result, str):
        if language is not None:
            return _decoded(task_id, result, language, turn)
        return ReplayRecord(id=task_id, turn=turn, text=result, parser="pythonic")
    if not isinstance(result, list) or not all(isinstance(c, dict) for c in result):
        raise UserError(
            f'{where}: field "result": expected a string or a list of {{function: arguments}}, got '
            f"{type(result).__name__}; BFCL writes one of these for single-turn categories"
        )
    calls = [{"function": {"name": name, "arguments": args}} for call in result for name, args in call.items()]
    if not calls:  # [] or [{}]: BFCL counts it as no call
        return ReplayRecord(id=task_id, turn=turn, content="")
    return ReplayRecord(id=task_id, turn=turn, tool_calls=calls)


def _decoded(task_id: str, text: str, language: str, turn: int) -> ReplayRecord:
    """A Java/JavaScript prompting answer decoded as BFCL does (`default_decode_ast_prompting`)."""
    parse = _language_parser(language)
    source = text.strip("`\n ")
    source = ("" if source.startswith("[") else "[") + source + ("" if source.endswith("]") else "]")
    try:
        decoded = parse(source[1:-1])
        calls = [{"function": {"name": n, "arguments": a}} for call in decoded for n, a in call.items()]
    except Exception as e:  # any failure of BFCL's decoder is the answer's parse error, as in BFCL
        why = f"BFCL's {language} decoder: {type(e).__name__}: {e}"
        return ReplayRecord(id=task_id, turn=turn, content=text, parse_error=why)
    if not calls:
        return ReplayRecord(id=task_id, turn=turn, content=text)
    return ReplayRecord(id=task_id, turn=turn, tool_calls=calls)


def _language_parser(language: str) -> Any:
    module, function = _PARSERS[language]
    try:
        parsers = importlib.import_module(f"bfcl_eval.model_handler.parser.{module}")
    except ImportError as e:
        raise UserError(
            f"BFCL's {language} results are decoded with BFCL's own parser, which needs {e.name}: "
            "pip install 'toolgym[bfcl]' (and bfcl-eval with --no-deps)"
        ) from None
    return getattr(parsers, function)


def _multi_turn_records(task_id: str, result: Any, where: str) -> list[ReplayRecord]:
    """One record per step of a multi-turn result (turns of steps), numbered across the episode."""
    if not isinstance(result, list) or not all(isinstance(turn, list) for turn in result):
        raise UserError(
            f'{where}: field "result": expected a list of turns, each a list of steps, got '
            f"{type(result).__name__}; BFCL writes this for multi-turn categories"
        )
    steps = [step for turn in result for step in turn]
    return [_record(task_id, step, f"{where} step {n}", turn=n) for n, step in enumerate(steps)]


def _read_file(path: Path, category: str, out: dict[tuple[str, int], ReplayRecord]) -> None:
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
        if (row["id"], 0) in out:
            raise UserError(f"{where}: entry {row['id']!r} appears twice in the results; keep one")
        if category.startswith("multi_turn"):
            records = _multi_turn_records(row["id"], row["result"], where)
        else:
            records = [_record(row["id"], row["result"], where, _LANGUAGES.get(category))]
        for record in records:
            out[record.id, record.turn] = record
        if not records:  # no step at all: BFCL's entry has no turn, which fails it
            out[row["id"], 0] = ReplayRecord(id=row["id"], content="")


def read_bfcl_results(directory: Path) -> tuple[dict[tuple[str, int], ReplayRecord], list[str]]:
    """The answers in a BFCL result folder (searched recursively), by (entry id, turn), and the categories.

    Raises:
        UserError: no result files, a malformed line (naming file:line), a repeated id, or an agentic
            result file.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise UserError(f"{directory}: no such folder; give the folder BFCL wrote (result/ or result/MODEL)")
    records: dict[tuple[str, int], ReplayRecord] = {}
    categories: list[str] = []
    for path in sorted(directory.rglob("BFCL_v*_result.json")):
        m = _FILE.fullmatch(path.name)
        if m is None:
            continue
        category = m.group(1)
        if category.startswith(("memory", "web_search", "format_sensitivity")):
            raise UserError(
                f"{path}: {category} results cannot be re-scored (toolgym does not run BFCL's agentic "
                "categories); move the file out of the folder or point to the other results"
            )
        if category not in categories:
            categories.append(category)
        _read_file(path, category, records)
    if not records:
        raise UserError(f"{directory}: no BFCL result files (BFCL_v4_<category>_result.json) found in it")
    return records, categories
