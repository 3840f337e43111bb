"""Import BFCL v3/v4 single-turn categories (question + possible_answer files) as a Suite.

A BFCL directory holds `BFCL_v4_<category>.json` files (JSON Lines despite the name) and a
`possible_answer/` folder with the same names; the `bfcl-eval` package ships one
(`bfcl_package.py`). Functions use Gorilla's type names; they become JSON Schema (`dict` ->
`object`, `float` -> `number`, `tuple` -> `array`, `any` -> no type) and keep the original name in
`x-bfcl-type`, which the bfcl-mode verifier reads. Dotted names stay as they are.

Java and JavaScript functions are offered as BFCL offers them: every parameter is a string holding
the value in that language's syntax, with a note in the description (BFCL's
`_func_doc_language_specific_pre_processing`); `x-bfcl-language` and `x-bfcl-type` keep the
language type the verifier converts the string to.

Categories keep BFCL's names, except `simple_python` (v3: `simple`), which is toolgym's `simple`.
`irrelevance`, `live_irrelevance` (whose function list may be empty) and `live_relevance` have no
possible answers: the first two are passed by making no call, the last by making one. The
multi-turn categories load on their own, through `bfcl_multi_turn.py`, and so do `memory_kv`,
`memory_vector` and `memory_rec_sum` (`bfcl_memory.py`); `web_search_*` is refused with the reason
(`NOT_RUN`), and so is `memory_vector` while the packages of its back-end are missing (`not_run`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..envs import FunctionCallingEnv
from ..errors import UserError, invalid_input
from ..inputs import parse_json, read_text
from ..types import Expected, ExpectedCall, Message, Task, Tool
from .bfcl_package import bfcl_package_data
from .suite import Suite

__all__ = [
    "BFCL_CATEGORIES",
    "NOT_RUN",
    "SINGLE_TURN",
    "not_run",
    "is_bfcl_category",
    "load_bfcl",
    "load_bfcl_package",
    "split_bfcl_spec",
]

#: BFCL's single-turn categories (its `SINGLE_TURN_CATEGORY`, in its order)
SINGLE_TURN = (
    "simple_python",
    "simple_java",
    "simple_javascript",
    "multiple",
    "parallel",
    "parallel_multiple",
    "irrelevance",
    "live_simple",
    "live_multiple",
    "live_parallel",
    "live_parallel_multiple",
    "live_irrelevance",
    "live_relevance",
)
#: BFCL's multi-turn and agentic categories, which this importer does not load
MULTI_TURN = ("multi_turn_base", "multi_turn_miss_func", "multi_turn_miss_param", "multi_turn_long_context")
AGENTIC = ("memory_kv", "memory_vector", "memory_rec_sum", "web_search_base", "web_search_no_snippet")
#: BFCL's agentic categories that run offline (`bfcl_memory.py`; memory_vector with its packages); web_search is
#: in `NOT_RUN`
MEMORY = ("memory_kv", "memory_vector", "memory_rec_sum")

#: BFCL category name -> toolgym category
BFCL_CATEGORIES: dict[str, str] = {"simple": "simple"} | {
    c: "simple" if c == "simple_python" else c for c in SINGLE_TURN
}
_ORDER = ["simple" if c == "simple_python" else c for c in SINGLE_TURN]
#: categories whose right answer has no possible-answer file
NO_ANSWER = ("irrelevance", "live_irrelevance", "live_relevance")
#: BFCL's category groups (`TEST_COLLECTION_MAPPING`) that this importer can load
GROUPS: dict[str, tuple[str, ...]] = {
    "single_turn": SINGLE_TURN,
    "non_live": SINGLE_TURN[:7],
    "live": SINGLE_TURN[7:],
    "python": tuple(c for c in SINGLE_TURN if c not in ("simple_java", "simple_javascript")),
    "non_python": ("simple_java", "simple_javascript"),
}
_LANGUAGES = {"simple_java": "java", "simple_javascript": "javascript"}
_FILE = re.compile(r"BFCL_v(\d+)_(\w+)\.json")

# Gorilla type -> JSON Schema type (None: no constraint)
_GORILLA_TYPES: dict[str, str | None] = {
    "string": "string",
    "integer": "integer",
    "float": "number",
    "boolean": "boolean",
    "array": "array",
    "tuple": "array",
    "dict": "object",
    "any": None,
}


class _Where:
    """A place in a BFCL file, for error messages: file, line, task id."""

    def __init__(self, path: Path, line: int, task_id: str | None = None) -> None:
        self.path, self.line, self.task_id = path, line, task_id

    def error(self, field: str, problem: str, fix: str) -> UserError:
        task = f" task {self.task_id!r}" if self.task_id else ""
        return UserError(f"{self.path}:{self.line}:{task} {field}: {problem}; {fix}")


def _read_lines(path: Path) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    seen: dict[str, int] = {}
    for n, text in enumerate(read_text(path, "BFCL file").splitlines(), start=1):
        if not text.strip():
            continue
        row = parse_json(text, f"{path}:{n}: line", "each line must be one JSON object")
        if not isinstance(row, dict):
            raise _Where(path, n).error(
                "line", f"got a JSON {type(row).__name__}", "write one JSON object a line"
            )
        task_id = row.get("id")
        if not isinstance(task_id, str) or not task_id:
            raise _Where(path, n).error("id", f"got {task_id!r}", 'give each line a string "id"')
        if task_id in seen:  # named as a duplicate here, not as "no possible answer" further on
            raise _Where(path, n, task_id).error("id", f"duplicate: already used on line {seen[task_id]}",
                                                 "give each line its own id")
        seen[task_id] = n
        rows.append((n, row))
    return rows


def _convert_type(schema: Any, field: str, where: _Where) -> dict[str, Any]:
    """One Gorilla-typed schema -> JSON Schema, rejecting what BFCL's checker would fail on."""
    if not isinstance(schema, dict):
        raise where.error(field, f"expected an object, got {schema!r}", "write a schema object")
    gorilla = schema.get("type")
    if gorilla not in _GORILLA_TYPES:
        raise where.error(
            f"{field}.type", f"unknown Gorilla type {gorilla!r}", f"use one of {sorted(_GORILLA_TYPES)}"
        )
    out = {k: v for k, v in schema.items() if k not in ("type", "items", "properties")}
    if _GORILLA_TYPES[gorilla] is not None:
        out["type"] = _GORILLA_TYPES[gorilla]
    if _GORILLA_TYPES[gorilla] != gorilla:
        out["x-bfcl-type"] = gorilla
    if gorilla in ("array", "tuple"):
        if not isinstance(schema.get("items"), dict) or "type" not in schema["items"]:
            raise where.error(
                f"{field}.items",
                f"a {gorilla} needs an items schema with a type",
                'add "items": {"type": ...}',
            )
        out["items"] = _convert_type(schema["items"], f"{field}.items", where)
    elif "items" in schema:
        out["items"] = schema["items"]
    if "properties" in schema:
        props = schema["properties"]
        if not isinstance(props, dict):
            raise where.error(
                f"{field}.properties", f"expected an object, got {props!r}", "map names to schemas"
            )
        out["properties"] = {k: _convert_type(v, f"{field}.properties.{k}", where) for k, v in props.items()}
    return out


# BFCL's `JAVA_TYPE_CONVERSION` / `JS_TYPE_CONVERSION` keys: the language types its checker converts
LANGUAGE_TYPES: dict[str, tuple[str, ...]] = {
    "java": ("byte", "short", "integer", "float", "double", "long", "boolean", "char", "Array", "ArrayList",
             "Set", "HashMap", "Hashtable", "Queue", "Stack", "String", "any"),
    "javascript": ("String", "integer", "float", "Bigint", "Boolean", "dict", "array", "any"),
}
_HINTS = {
    "python": " Note that the provided function is in Python 3 syntax.",
    "java": " Note that the provided function is in Java 8 SDK syntax.",
    "javascript": " Note that the provided function is in JavaScript syntax.",
}
_LIST_TYPES = ("Array", "ArrayList", "array")
_LANGUAGE_NAMES = {"java": "Java", "javascript": "JavaScript"}


def _language_param(schema: Any, language: str, field: str, where: _Where) -> dict[str, Any]:
    """A Java/JavaScript parameter as BFCL offers it: a string, the language type noted and kept."""
    if not isinstance(schema, dict):
        raise where.error(field, f"expected an object, got {schema!r}", "write a schema object")
    kind = schema.get("type")
    if kind not in LANGUAGE_TYPES[language]:
        raise where.error(
            f"{field}.type",
            f"{kind!r} is not a {language} type BFCL converts",
            f"use one of {LANGUAGE_TYPES[language]}",
        )
    lang = _LANGUAGE_NAMES[language]
    out = {k: v for k, v in schema.items() if k != "type"}
    desc = str(out.get("description", ""))
    if kind == "any":
        desc += f" This parameter can be of any type of {lang} object in string representation."
    else:
        desc += f" This is {lang} {kind} type parameter in string representation."
    if kind in _LIST_TYPES:
        items = schema.get("items")
        if not isinstance(items, dict) or items.get("type") not in LANGUAGE_TYPES[language]:
            raise where.error(f"{field}.items", f"a {kind} needs an items type", 'add "items": {"type": ...}')
        desc += f" The list elements are of type {items['type']}; they are not in string representation."
        out["x-bfcl-items"] = items["type"]
        del out["items"]
    if language == "javascript" and kind == "dict" and "properties" in out:
        desc += (
            " The dictionary entries have the following schema; they are not in string representation. "
            + json.dumps(out.pop("properties"))
        )
    out["description"] = desc
    return {"type": "string", **out, "x-bfcl-type": kind, "x-bfcl-language": language}


def _convert_function(fn: Any, field: str, where: _Where, language: str = "python") -> Tool:
    if not isinstance(fn, dict) or not isinstance(fn.get("name"), str) or not fn["name"]:
        raise where.error(f"{field}.name", "missing or not a string", "give each function a name")
    params = fn.get("parameters")
    pfield = f"{field}.parameters"
    if not isinstance(params, dict) or params.get("type") != "dict":
        got = params.get("type") if isinstance(params, dict) else params
        raise where.error(f"{pfield}.type", f'expected "dict", got {got!r}', 'write {"type": "dict", ...}')
    if not isinstance(params.get("properties"), dict):
        raise where.error(f"{pfield}.properties", "missing", 'add "properties": {...} (may be empty)')
    required = params.get("required")
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        raise where.error(
            f"{pfield}.required", f"expected a list of names, got {required!r}", 'add "required": []'
        )
    unknown = [r for r in required if r not in params["properties"]]
    if unknown:
        raise where.error(
            f"{pfield}.required", f"names {unknown} are not in properties", "declare them or drop them"
        )
    if language == "python":
        parameters = _convert_type(params, pfield, where)
    else:
        props = {
            k: _language_param(v, language, f"{pfield}.properties.{k}", where)
            for k, v in params["properties"].items()
        }
        parameters = {"type": "object", "properties": props, "required": required, "x-bfcl-type": "dict"}
    return Tool(
        name=fn["name"],
        description=str(fn.get("description", "")) + _HINTS[language],
        parameters=parameters,
    )


def _messages(question: Any, where: _Where) -> list[Message]:
    if not isinstance(question, list) or not question or not isinstance(question[0], list):
        raise where.error("question", "expected a list of turns, each a list of messages", "write [[{...}]]")
    if len(question) != 1:
        raise where.error(
            "question", f"{len(question)} turns", "only single-turn BFCL categories can be loaded"
        )
    try:
        return [Message(role=m.get("role"), content=m.get("content")) for m in question[0]]
    except AttributeError:
        raise where.error("question[0]", "a message is not an object", "give role and content") from None
    except ValidationError as e:
        raise where.error("question[0]", str(invalid_input(e)), "give role and content") from None


def _expected(truth: Any, tools: list[Tool], where: _Where) -> list[ExpectedCall]:
    if not isinstance(truth, list) or not truth:
        raise where.error(
            "ground_truth", f"expected a non-empty list, got {truth!r}", "list the expected calls"
        )
    names = [t.name for t in tools]
    calls = []
    for i, call in enumerate(truth):
        if not isinstance(call, dict) or len(call) != 1:
            raise where.error(
                f"ground_truth[{i}]", "expected one {function: {param: [values]}}", "one key a call"
            )
        ((name, args),) = call.items()
        if name not in names:
            raise where.error(
                f"ground_truth[{i}]", f"function {name!r} is not offered {names}", "fix the name"
            )
        if not isinstance(args, dict):
            raise where.error(f"ground_truth[{i}].{name}", f"expected an object, got {args!r}", "map params")
        for p, accepted in args.items():
            if not isinstance(accepted, list):
                raise where.error(
                    f"ground_truth[{i}].{name}.{p}",
                    f"expected a list of accepted values, got {accepted!r}",
                    "wrap the value in a list",
                )
        calls.append(ExpectedCall(name=name, arguments=args))
    return calls


def _category_files(directory: Path) -> dict[str, tuple[str, Path]]:
    """Toolgym category -> (BFCL category, question file), preferring the latest BFCL version."""
    found: dict[str, tuple[int, str, Path]] = {}
    for path in directory.glob("BFCL_v*_*.json"):
        m = _FILE.fullmatch(path.name)
        if m and m.group(2) in BFCL_CATEGORIES:
            cat = BFCL_CATEGORIES[m.group(2)]
            version = int(m.group(1))
            if cat not in found or version > found[cat][0]:
                found[cat] = (version, m.group(2), path)
    return {cat: (bfcl, path) for cat, (_, bfcl, path) in found.items()}


#: BFCL categories toolgym does not run, and why (BFCL's overall counts each as 0)
NOT_RUN: dict[str, str] = {
    "web_search_base": "needs the internet (SerpAPI search and page fetches); toolgym runs offline",
    "web_search_no_snippet": "needs the internet (SerpAPI search and page fetches); toolgym runs offline",
}


def not_run() -> dict[str, str]:
    """BFCL categories not run here, and why: `NOT_RUN`, and memory_vector while its packages are missing."""
    from ..envs.bfcl_memory_vector import VECTOR_INSTALL, missing_packages

    missing = missing_packages()
    if not missing:
        return dict(NOT_RUN)
    return NOT_RUN | {"memory_vector": f"its back-end needs {', '.join(missing)}, not installed: {VECTOR_INSTALL}"}


def _memory() -> tuple[str, ...]:
    """The memory categories the `memory` and `agentic` groups load: memory_vector only with its packages."""
    return tuple(c for c in MEMORY if c not in not_run())


def _refusal(name: str) -> str | None:
    """Why a BFCL category this importer knows of cannot be loaded, or None."""
    why = not_run().get(name)
    if why is not None:
        return f"BFCL category {name!r} is not run: {why}"
    if name == "web_search":
        return f"BFCL category {name!r} is not run: {NOT_RUN['web_search_base']}"
    if name == "format_sensitivity":
        return f"BFCL category {name!r}: BFCL does not score it (it re-runs other categories' prompts)"
    return None


def _kind(name: str) -> str:
    """Which suite a category or group name loads into: single_turn, multi_turn or memory."""
    if name == "multi_turn" or name in MULTI_TURN:
        return "multi_turn"
    if name in ("memory", "agentic") or name in MEMORY:
        return "memory"
    return "single_turn"


def _separate(categories: list[str] | None) -> tuple[str, list[str]] | None:
    """The multi-turn or memory categories asked for, with their kind; they load on their own (another environment)."""
    if not categories:
        return None
    kinds = {_kind(c) for c in categories}
    if len(kinds) > 1:
        raise UserError(
            f"BFCL categories {categories}: load single-turn, multi-turn and memory categories on their own "
            "(separate suites), e.g. bfcl:multi_turn_base,multi_turn_long_context; `toolgym eval` runs each kind "
            "as its own run"
        )
    (kind,) = kinds
    if kind == "single_turn":
        return None
    groups = {"multi_turn": MULTI_TURN, "memory": _memory(), "agentic": _memory()}
    names = [m for c in categories for m in groups.get(c, (c,))]
    for name in names:
        refusal = _refusal(name)
        if refusal is not None:
            raise UserError(refusal)
    return kind, list(dict.fromkeys(names))


def _expand(categories: list[str]) -> list[str]:
    """BFCL group names (`live`, `non_live`, `single_turn`, `python`, `all`, ...) -> categories."""
    out: list[str] = []
    for name in categories:
        if name in ("all", "all_scoring"):
            out += SINGLE_TURN
        else:
            out += GROUPS.get(name, (name,))
    return out


def _wanted(
    categories: list[str] | None, available: dict[str, tuple[str, Path]], directory: Path
) -> list[str]:
    if categories is None:
        if not available:
            raise UserError(
                f"{directory}: no BFCL question files (BFCL_v4_simple_python.json, ...) found; "
                "point to the folder that holds them and their possible_answer/ folder"
            )
        return [c for c in _ORDER if c in available]
    wanted = []
    for name in _expand(categories):
        refusal = _refusal(name)
        if refusal is not None:
            raise UserError(f"{refusal}; use the single-turn ones: {list(SINGLE_TURN)}, bfcl:multi_turn or bfcl:memory")
        cat = BFCL_CATEGORIES.get(name)
        if cat is None:
            groups = [*GROUPS, "all"]
            raise UserError(
                f"unknown BFCL category {name!r}; use one of {list(SINGLE_TURN)} (or simple), or a group {groups}"
            )
        if cat not in available:
            raise UserError(f"{directory}: no question file for category {name!r} (e.g. BFCL_v4_{name}.json)")
        if cat not in wanted:
            wanted.append(cat)
    return wanted


def _answers(path: Path) -> dict[str, tuple[int, Any]]:
    if not path.is_file():
        raise UserError(
            f"{path}: possible-answer file missing; put BFCL's possible_answer/ folder beside the questions"
        )
    out: dict[str, tuple[int, Any]] = {}
    for n, row in _read_lines(path):
        if "ground_truth" not in row:
            raise _Where(path, n, row["id"]).error("ground_truth", "missing", "give the expected calls")
        out[row["id"]] = (n, row["ground_truth"])
    return out


def _load_category(category: str, bfcl_category: str, path: Path) -> list[Task]:
    answers = None if bfcl_category in NO_ANSWER else _answers(path.parent / "possible_answer" / path.name)
    language = _LANGUAGES.get(bfcl_category, "python")
    tasks = []
    for n, row in _read_lines(path):
        where = _Where(path, n, row["id"])
        functions = row.get("function")
        # live_irrelevance holds a few questions with no function at all: the answer is still no call
        if not isinstance(functions, list) or (not functions and bfcl_category != "live_irrelevance"):
            raise where.error(
                "function", f"expected a non-empty list, got {functions!r}", "list the functions"
            )
        tools = [_convert_function(fn, f"function[{i}]", where, language) for i, fn in enumerate(functions)]
        calls: list[ExpectedCall] = []
        if answers is not None:
            if row["id"] not in answers:
                raise where.error(
                    "id",
                    f"no possible answer in {path.parent / 'possible_answer' / path.name}",
                    "add its ground_truth line or drop the question",
                )
            line, truth = answers.pop(row["id"])
            calls = _expected(
                truth, tools, _Where(path.parent / "possible_answer" / path.name, line, row["id"])
            )
        tasks.append(
            Task(
                id=row["id"],
                messages=_messages(row.get("question"), where),
                tools=tools,
                category=category,
                expected=Expected(calls=calls),
                metadata={"source": "bfcl", "bfcl_category": bfcl_category, "file": path.name, "line": n},
            )
        )
    if answers:
        task_id, (line, _) = next(iter(answers.items()))
        raise _Where(path.parent / "possible_answer" / path.name, line, task_id).error(
            "id", f"no question with this id in {path.name}", "drop the line or add the question"
        )
    return tasks


def load_bfcl(directory: Path, categories: list[str] | None = None) -> Suite:
    """Load BFCL's single-turn categories from `directory` as a function-calling Suite.

    Args:
        directory: Folder with `BFCL_v4_<category>.json` files and `possible_answer/`.
        categories: BFCL category names (`simple_python` or `simple`, `simple_java`, `live_simple`,
            ...) or BFCL groups (`live`, `non_live`, `python`, `non_python`, `single_turn`, `all`);
            all single-turn categories present when None.

    Returns:
        A suite named `bfcl:<directory>[:<categories>]` of test-split tasks, whose expected calls
        are BFCL's possible answers (`[]` for the (ir)relevance categories).

    Raises:
        UserError: a missing folder or file, a malformed line, an unknown category, a schema BFCL
            would reject, or a question without a possible answer; the message names the file,
            line and field, and the fix.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise UserError(f"{directory}: no such folder; point to the BFCL data folder (with possible_answer/)")
    separate = _separate(categories)
    if separate is not None:
        from .bfcl_memory import load_bfcl_memory
        from .bfcl_multi_turn import load_bfcl_multi_turn

        kind, names = separate
        suite = (load_bfcl_multi_turn if kind == "multi_turn" else load_bfcl_memory)(directory, names)
        return suite.model_copy(update={"name": f"bfcl:{directory}:{','.join(categories or [])}"})
    available = _category_files(directory)
    wanted = _wanted(categories, available, directory)
    tasks = [t for cat in wanted for t in _load_category(cat, *available[cat])]
    name = f"bfcl:{directory}" + (f":{','.join(categories)}" if categories else "")
    return Suite(name=name, env=FunctionCallingEnv(), tasks=tasks)


def load_bfcl_package(categories: list[str] | None = None) -> Suite:
    """BFCL v4's own data, read from the installed `bfcl-eval` package (see `bfcl_package.py`).

    Args:
        categories: as for `load_bfcl`; every single-turn category when None.

    Returns:
        A suite named `bfcl` or `bfcl:<categories>`.
    """
    suite = load_bfcl(bfcl_package_data(), categories)
    name = "bfcl" + (f":{','.join(categories)}" if categories else "")
    return suite.model_copy(update={"name": name})


def split_bfcl_spec(spec: str) -> dict[str, str] | None:
    """A `bfcl` spec naming categories of several kinds, as one spec per kind; else None.

    Kinds: `single_turn`, `multi_turn`, `memory`.
    The kinds load as separate suites (three environments), so `toolgym eval bfcl:single_turn,multi_turn`
    runs each as its own run and prints BFCL's overall over them. `bfcl` alone (BFCL's own data) is every
    category toolgym runs: all three kinds.
    """
    if spec == "bfcl":
        return {"single_turn": "bfcl:single_turn", "multi_turn": "bfcl:multi_turn", "memory": "bfcl:memory"}
    kind, sep, rest = spec.partition(":")
    if kind != "bfcl" or not sep:
        return None
    head, _, tail = rest.partition(":")
    if tail:
        prefix, names = f"bfcl:{head}:", tail
    elif is_bfcl_category(head.split(",")[0].strip()) and not Path(head).is_dir():
        prefix, names = "bfcl:", head
    else:
        return None
    by_kind: dict[str, list[str]] = {}
    for c in (c.strip() for c in names.split(",")):
        if c:
            by_kind.setdefault(_kind(c), []).append(c)
    if len(by_kind) < 2:
        return None
    return {k: prefix + ",".join(by_kind[k]) for k in ("single_turn", "multi_turn", "memory") if k in by_kind}


def is_bfcl_category(name: str) -> bool:
    """Whether `name` is a BFCL category or group name (as opposed to a folder) in a `bfcl:` spec."""
    return (
        name in BFCL_CATEGORIES or name in GROUPS or name in MULTI_TURN or name in MEMORY
        or name in ("all", "all_scoring", "multi_turn", "agentic", "memory")
        or _refusal(name) is not None
    )
