"""BFCL v4's memory categories (`memory_kv`, `memory_vector`, `memory_rec_sum`) as a Suite (env: `envs/bfcl_memory.py`).

BFCL's data: `BFCL_v4_memory.json` (155 questions, each of a scenario), its possible answers
(`ground_truth`: strings, any of which the final answer must hold: `metadata["possible_answers"]`), and per scenario the
prerequisite conversations (`memory_prereq_conversation/memory_<scenario>.json`: turns of user
messages). Each category gets its own copy with BFCL's ids (`memory` -> `memory_kv` in
`memory_3-customer-3` and `memory_prereq_0-customer-0`, as `process_memory_test_case` renames them),
its back-end's function docs (`multi_turn_func_doc/memory_kv.json`), and the answer-format system
message BFCL puts before every question (`ADDITIONAL_SYSTEM_PROMPT_FOR_AGENTIC_RESPONSE_FORMAT`, read
from bfcl-eval). The prerequisite conversations are tasks of the environment's chains, played before
the questions of their scenario (`Prerequisites`), never scored.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..envs import BfclMemoryEnv
from ..envs.bfcl_memory import MEMORY_BACKENDS, _bfcl
from ..errors import UserError
from ..types import Expected, Message, Task, Tool
from .suite import Suite

__all__ = ["MEMORY_LOADABLE", "load_bfcl_memory"]

#: memory categories this importer loads (memory_vector's back-end needs its packages: `envs/bfcl_memory_vector.py`)
MEMORY_LOADABLE = tuple(MEMORY_BACKENDS)


def _tools(data: Path, category: str) -> list[Tool]:
    from .bfcl import _convert_function, _Where
    from .bfcl_multi_turn import _read_lines_plain

    path = data / "multi_turn_func_doc" / f"{category}.json"
    return [_convert_function(doc, "function", _Where(path, n, doc["name"])) for n, doc in _read_lines_plain(path)]


def _user_turns(turns: Any, where: str) -> list[str]:
    """The text of each turn of one user message (BFCL's `question` of a prerequisite or a memory entry)."""
    ok = isinstance(turns, list) and turns and all(
        isinstance(t, list) and len(t) == 1 and isinstance(t[0], dict) and t[0].get("role") == "user"
        and isinstance(t[0].get("content"), str) for t in turns
    )
    if not ok:
        raise UserError(f"{where}: question: expected turns of one user message each, got {str(turns)[:120]}")
    return [t[0]["content"] for t in turns]


def _chain(data: Path, category: str, scenario: str, tools: list[Tool]) -> list[Task]:
    from .bfcl_multi_turn import _read_lines_plain

    path = data / "memory_prereq_conversation" / f"memory_{scenario}.json"
    chain = []
    for n, row in _read_lines_plain(path):
        turns = _user_turns(row.get("question"), f"{path}:{n}: conversation {row['id']!r}")
        chain.append(Task(
            id=row["id"].replace("memory", category),
            messages=[Message(role="user", content=turns[0])],
            tools=tools,
            category=f"{category}_prereq",
            metadata={"source": "bfcl", "bfcl_category": category, "scenario": scenario, "user_turns": turns[1:]},
        ))
    return chain


def load_bfcl_memory(data: Path, categories: list[str]) -> Suite:
    """Load BFCL's memory categories (kv, rec_sum) from a BFCL data folder, with their prerequisite conversations."""
    from .bfcl_multi_turn import _read_lines_plain

    path, answers_path = data / "BFCL_v4_memory.json", data / "possible_answer" / "BFCL_v4_memory.json"
    rows = _read_lines_plain(path)
    answers = {r["id"]: r.get("ground_truth") for _, r in _read_lines_plain(answers_path)}
    fmt = _bfcl("bfcl_eval.constants.default_prompts").ADDITIONAL_SYSTEM_PROMPT_FOR_AGENTIC_RESPONSE_FORMAT
    tasks: list[Task] = []
    chains: dict[str, list[Task]] = {}
    shas: dict[str, str] = {}
    for category in categories:
        if category not in MEMORY_LOADABLE:
            raise UserError(f"BFCL category {category!r}: not a memory category run here; use {list(MEMORY_LOADABLE)}")
        tools = _tools(data, category)
        for n, row in rows:
            where = f"{path}:{n}: task {row['id']!r}"
            scenario, truth = row.get("scenario"), answers.get(row["id"])
            if not isinstance(truth, list) or not truth or not all(isinstance(a, str) for a in truth):
                raise UserError(f"{where}: {answers_path} holds no ground_truth list of strings for it; add one")
            if not isinstance(scenario, str):
                raise UserError(f"{where}: scenario: expected a name (customer, student, ...), got {scenario!r}")
            key = f"{category}:{scenario}"
            if key not in chains:
                chains[key] = _chain(data, category, scenario, tools)
                dumped = json.dumps([t.model_dump(mode="json") for t in chains[key]], sort_keys=True)
                shas[key] = hashlib.sha256(dumped.encode()).hexdigest()[:12]  # in the suite's version
            question = _user_turns(row.get("question"), where)
            if len(question) != 1:
                raise UserError(f"{where}: question: a memory question is one user turn, got {len(question)}")
            tasks.append(Task(
                id=row["id"].replace("memory", category),
                messages=[Message(role="system", content=fmt), Message(role="user", content=question[0])],
                tools=tools,
                category=category,
                expected=Expected(reference=truth[0]),
                metadata={"source": "bfcl", "bfcl_category": category, "scenario": scenario, "prerequisites": key,
                          "prerequisites_sha": shas[key], "possible_answers": truth,
                          # (id, user turns) of each prerequisite conversation: what a reference answer needs
                          "prerequisite_turns": [[c.id, 1 + len(c.metadata["user_turns"])] for c in chains[key]]},
            ))
    return Suite(name="bfcl:" + ",".join(categories), env=BfclMemoryEnv(chains=chains), tasks=tasks)
