"""BFCL v4's multi-turn categories as a Suite: fixed user turns against BFCL's executable back-ends.

An entry holds its user turns (`question`, one list of messages a turn), the back-end classes it
involves (`involved_classes`: file system, maths, messaging, posting, tickets, trading, travel,
vehicle) with their starting state (`initial_config`), and functions it leaves out
(`excluded_function`). Its possible answer is the gold call sequence of each turn, as call strings
(`"cd(folder='document')"`), read here with `ast` into structured calls, never evaluated.

The first turn is the task's prompt; later turns are said by a scripted user (`user_turns`). The
function docs come from BFCL's `multi_turn_func_doc/` files and are converted like the single-turn
ones. In `multi_turn_miss_func`, the functions of `missed_function` (turn -> names) are left out of the
task's tools and kept in `metadata["later_tools"]` by turn: the episode offers them from that turn on
(`Episode.begin_turn`), whose user message is empty in BFCL's data and becomes the one BFCL says then.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..envs import BfclMultiTurnEnv
from ..errors import UserError, invalid_input
from ..types import Expected, Message, Task, Tool, ToolCall
from .suite import Suite

__all__ = ["MULTI_TURN_LOADABLE", "load_bfcl_multi_turn", "parse_gold_call"]

#: multi-turn categories this importer loads
MULTI_TURN_LOADABLE = (
    "multi_turn_base",
    "multi_turn_miss_func",
    "multi_turn_miss_param",
    "multi_turn_long_context",
)

# BFCL's DEFAULT_USER_PROMPT_FOR_ADDITIONAL_FUNCTION_FC (constants/default_prompts.py): what the user
# says at a turn that adds held-back functions (the turn's own message list is empty)
_MORE_FUNCTIONS = "I have updated some more functions you can choose from. What about now?"

# BFCL's MULTI_TURN_FUNC_DOC_FILE_MAPPING (constants/executable_backend_config.py)
_DOC_FILES = {
    "GorillaFileSystem": "gorilla_file_system.json",
    "MathAPI": "math_api.json",
    "MessageAPI": "message_api.json",
    "TwitterAPI": "posting_api.json",
    "TicketAPI": "ticket_api.json",
    "TradingBot": "trading_bot.json",
    "TravelAPI": "travel_booking.json",
    "VehicleControlAPI": "vehicle_control.json",
}


def parse_gold_call(text: str, where: str) -> ToolCall:
    """A gold call string (`"mv(source='a', destination='b')"`) as a structured call, by `ast` alone."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            raise ValueError("not a call of a function by name")
        positional = [ast.literal_eval(a) for a in node.args]
        arguments = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg is not None}
    except (SyntaxError, ValueError, TypeError, RecursionError, AttributeError) as e:
        raise UserError(f"{where}: gold call {text!r} cannot be read ({e}); write f(name=literal, ...)") from None
    return ToolCall(name=node.func.id, arguments=arguments, positional=positional)


def _tools(data: Path, classes: list[str], excluded: list[str], where: str) -> list[Tool]:
    from .bfcl import _convert_function, _Where  # one converter for both importers (bfcl.py imports this one)

    tools: list[Tool] = []
    for cls in classes:
        if cls not in _DOC_FILES:
            raise UserError(f"{where}: involved class {cls!r} is not a multi-turn back-end; use {sorted(_DOC_FILES)}")
        path = data / "multi_turn_func_doc" / _DOC_FILES[cls]
        for n, doc in _read_lines_plain(path):
            if doc["name"] not in excluded:
                tools.append(_convert_function(doc, "function", _Where(path, n, doc["name"])))
    return tools


def _read_lines_plain(path: Path) -> list[tuple[int, dict[str, Any]]]:
    if not path.is_file():
        raise UserError(f"{path}: file missing; point to BFCL's data folder (with multi_turn_func_doc/)")
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as e:
            raise UserError(f"{path}:{n}: not valid JSON ({e}); each line must be one JSON object") from None
        if not isinstance(row, dict) or not isinstance(row.get("id", row.get("name")), str):
            raise UserError(f'{path}:{n}: expected an object with an "id" (or a function "name")')
        rows.append((n, row))
    return rows


def _task(row: dict[str, Any], truth: Any, category: str, data: Path, where: str) -> Task:
    classes, config = row.get("involved_classes"), row.get("initial_config", {})
    if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes) or not isinstance(config, dict):
        raise UserError(f"{where}: involved_classes must list class names and initial_config be an object")
    turns = row.get("question")
    if not isinstance(turns, list) or not turns or not turns[0] or not all(
        isinstance(t, list) and all(isinstance(m, dict) for m in t) for t in turns
    ):
        raise UserError(f"{where}: question: expected a list of turns, each a list of messages, the first not empty")
    if not isinstance(truth, list) or len(truth) != len(turns):
        raise UserError(f"{where}: ground_truth: expected one list of calls per turn ({len(turns)} turns)")
    if not all(isinstance(calls, list) and all(isinstance(c, str) for c in calls) for calls in truth):
        raise UserError(f"{where}: ground_truth: each turn must be a list of call strings")
    gold = [[parse_gold_call(c, f"{where} turn {i}") for c in calls] for i, calls in enumerate(truth)]
    missed = _missed(row.get("missed_function"), len(turns), where)
    user_turns = []
    for i, turn in enumerate(turns[1:], 1):
        if not turn and i in missed:
            user_turns.append(_MORE_FUNCTIONS)
            continue
        if len(turn) != 1 or turn[0].get("role") != "user":
            why = "expected one user message (an empty turn only where missed_function adds functions)"
            raise UserError(f"{where}: turn {i} holds {len(turn)} messages; {why}")
        user_turns.append(str(turn[0]["content"]))
    try:
        messages = [Message(role=m.get("role"), content=m.get("content")) for m in turns[0]]
    except ValidationError as e:
        raise UserError(f"{where}: question[0]: {invalid_input(e)}; give role and content") from None
    tools = _tools(data, classes, [str(f) for f in row.get("excluded_function") or []], where)
    by_name = {t.name: t for t in tools}
    unknown = sorted({f for names in missed.values() for f in names} - set(by_name))
    if unknown:
        raise UserError(f"{where}: missed_function names {unknown}, which no involved class offers")
    held = {f for names in missed.values() for f in names}
    return Task(
        id=row["id"],
        messages=messages,
        tools=[t for t in tools if t.name not in held],
        category=category,
        expected=Expected(),
        metadata={
            "later_tools": {str(i): [by_name[f].model_dump() for f in names] for i, names in missed.items()},
            "source": "bfcl",
            "bfcl_category": category,
            "user_turns": user_turns,
            "involved_classes": classes,
            "initial_config": config,
            "long_context": "long_context" in category,
            "gold_turns": [[c.model_dump(exclude_defaults=True) for c in calls] for calls in gold],
        },
    )


def _missed(value: Any, n_turns: int, where: str) -> dict[int, list[str]]:
    """BFCL's `missed_function` ({"turn": [names]}) read and checked: turns after the first, names."""
    if value is None:
        return {}
    ok = isinstance(value, dict) and all(
        isinstance(k, str) and k.isdigit() and 0 < int(k) < n_turns and isinstance(v, list)
        and all(isinstance(f, str) for f in v)
        for k, v in value.items()
    )
    if not ok:
        raise UserError(
            f'{where}: missed_function: expected {{"turn": [function names]}} with turns 1..{n_turns - 1}, '
            f"got {value!r}"
        )
    return {int(k): list(v) for k, v in sorted(value.items(), key=lambda kv: int(kv[0]))}


def load_bfcl_multi_turn(data: Path, categories: list[str]) -> Suite:
    """Load BFCL's multi-turn categories (base, miss_func, miss_param, long_context) from a BFCL data folder."""
    tasks = []
    for category in categories:
        if category not in MULTI_TURN_LOADABLE:
            raise UserError(f"BFCL category {category!r}: not a multi-turn category; use {list(MULTI_TURN_LOADABLE)}")
        path = data / f"BFCL_v4_{category}.json"
        answers_path = data / "possible_answer" / path.name
        if not path.is_file() or not answers_path.is_file():
            raise UserError(f"{data}: no question or possible-answer file for {category!r} ({path.name})")
        answers = {r["id"]: r["ground_truth"] for _, r in _read_lines_plain(answers_path)}
        for n, row in _read_lines_plain(path):
            where = f"{path}:{n}: task {row.get('id')!r}"
            if row.get("id") not in answers:
                raise UserError(f"{where}: no possible answer in {answers_path}; add its ground_truth line")
            tasks.append(_task(row, answers[row["id"]], category, data, where))
    return Suite(name="bfcl:" + ",".join(categories), env=BfclMultiTurnEnv(), tasks=tasks)
