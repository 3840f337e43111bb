"""A task's reference answer: what the verifier accepts, for replay files, training targets and audits.

One place builds it for every caller: `toolgym suite reference` and `make run` write it as replay
lines (`reference_lines`), SFT/DPO and the tiny recipe train on the stated calls (`stated_calls`).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..check import reference_calls
from ..outputs import atomic_file, check_output
from ..types import Task, ToolCall
from .suite import STOP_MARKER

__all__ = ["reference_lines", "stated_calls", "write_reference_answers"]


def stated_calls(task: Task) -> list[ToolCall]:
    """The reference calls without the parameters the request leaves out (accepted values starting with "").

    Such an answer passes on what the request states and nothing else: the training target.
    """
    expected = task.expected.calls or []
    calls = []
    for call, exp in zip(reference_calls(expected), expected, strict=True):
        stated = {k: v for k, v in call.arguments.items() if exp.arguments.get(k, [None])[:1] != [""]}
        calls.append(ToolCall(name=call.name, arguments=stated))
    return calls


def reference_lines(task: Task) -> list[dict]:
    """A task's reference answer as replay lines.

    The expected calls; or the gold actions turn by turn, then an answer stating the required facts;
    or the reference code in a python block.
    """
    exp = task.expected
    if "gold_turns" in task.metadata:
        return _bfcl_multi_turn_lines(task)
    if "prerequisite_turns" in task.metadata:
        return _bfcl_memory_lines(task)
    if exp.gold_actions is not None:
        lines = [{"id": task.id, "turn": i, "tool_calls": [ToolCall(name=a.name, arguments=a.arguments,
                                                                    id=f"gold_{i}").to_openai()]}
                 for i, a in enumerate(exp.gold_actions)]
        lines.append({"id": task.id, "turn": len(lines), "content": " ".join(["Done.", *exp.facts])})
        # a scripted user may speak again after that answer: one short reply per remaining turn
        more = [t for t in task.metadata.get("user_turns", []) if STOP_MARKER not in t]
        return lines + [{"id": task.id, "turn": len(lines) + j, "content": "Noted."} for j in range(len(more))]
    if exp.calls is None and exp.reference is not None:
        return [{"id": task.id, "content": f"```python\n{exp.reference}\n```"}]
    calls = reference_calls(exp.calls or [], task.tools)
    if "relevance" in task.category and "irrelevance" not in task.category and task.tools:
        calls = [ToolCall(name=task.tools[0].name)]  # BFCL's live_relevance: any call to a fitting function
    if not calls:
        return [{"id": task.id, "content": "I can't help with that using the available tools."}]
    return [{"id": task.id, "tool_calls": [c.to_openai() for c in calls]}]


def _bfcl_multi_turn_lines(task: Task) -> list[dict]:
    """BFCL's gold calls, one assistant message a user turn, each turn closed by a short answer."""
    lines: list[dict] = []
    tools = [t.model_dump() for t in task.tools]
    tools += [t for later in task.metadata.get("later_tools", {}).values() for t in later]  # miss_func
    order = {t["name"]: list(t["parameters"].get("properties", {})) for t in tools}
    for calls in task.metadata["gold_turns"]:
        if calls:
            out = []
            for i, c in enumerate(calls):
                args = dict(zip(order.get(c["name"], []), c.get("positional", []), strict=False))
                args.update(c.get("arguments", {}))
                out.append(ToolCall(name=c["name"], arguments=args, id=f"gold_{len(lines)}_{i}").to_openai())
            lines.append({"id": task.id, "turn": len(lines), "tool_calls": out})
        lines.append({"id": task.id, "turn": len(lines), "content": "Done."})
    return lines


# BFCL's memory back-ends: a call that stores a note, and one that reads the memory back
_MEMORY_CALLS = {
    "memory_kv": (lambda key, note: ToolCall(name="archival_memory_add", arguments={"key": key, "value": note}),
                  ToolCall(name="archival_memory_list_keys")),
    "memory_vector": (lambda key, note: ToolCall(name="archival_memory_add", arguments={"text": f"{key}: {note}"}),
                      ToolCall(name="archival_memory_retrieve_all")),
    "memory_rec_sum": (lambda key, note: ToolCall(name="memory_append", arguments={"text": f"{key}: {note}. "}),
                       ToolCall(name="memory_retrieve")),
}


def _bfcl_memory_lines(task: Task) -> list[dict]:
    """BFCL memory: conversations store a note, the question reads memory and answers in BFCL's form.

    Each prerequisite conversation stores a note, then acknowledges every user turn; the question reads
    the memory back and answers with the first possible answer as `{'answer': ..., 'context': ...}`.
    The notes name their conversations, so the question's memory read shows the chain was handed on.
    Lines of a conversation shared by several questions repeat (`write_reference_answers` keeps one).
    """
    store, read = _MEMORY_CALLS[task.metadata["bfcl_category"]]
    lines: list[dict] = []
    for k, (conversation, turns) in enumerate(task.metadata["prerequisite_turns"]):
        note = store(f"{task.metadata['scenario']}_conversation_{k}", conversation).model_copy(update={"id": "gold_0"})
        lines.append({"id": conversation, "turn": 0, "tool_calls": [note.to_openai()]})
        lines += [{"id": conversation, "turn": t, "content": "Noted."} for t in range(1, turns + 1)]
    answer = {"answer": task.metadata["possible_answers"][0], "context": "recalled from memory"}
    lines.append({"id": task.id, "turn": 0, "tool_calls": [read.model_copy(update={"id": "gold_0"}).to_openai()]})
    return [*lines, {"id": task.id, "turn": 1, "content": repr(answer)}]


def write_reference_answers(tasks: list[Task], out: Path, *, force: bool = False) -> int:
    """Write the tasks' reference answers as a replay file; returns the number of tasks."""
    check_output(out, force=force)
    written: set[tuple[str, int]] = set()  # BFCL memory: questions share their prerequisite conversations
    with atomic_file(out) as f:
        for task in tasks:
            for line in reference_lines(task):
                key = (line["id"], line.get("turn", 0))
                if key not in written:
                    written.add(key)
                    f.write(json.dumps(line) + "\n")
    return len(tasks)
