"""Conversations in the shape chat templates and TRL train on, made from toolgym's messages and tools.

Tool-call arguments stay dicts (Qwen, Llama and the tiny model's templates all render a dict; Qwen
2.5's writes `arguments | tojson` and would quote a JSON string a second time). Datasets store each
message and each tool as one `datasets.Json` value, so Arrow never merges the keys of different
argument dicts or tool schemas into one struct (which would add `null` arguments to every call).
"""

from __future__ import annotations

import json

from ..models.conversions import openai_tools, template_message
from ..suites import stated_calls
from ..types import Message, Task

__all__ = ["REFUSAL", "answer_key", "answer_messages", "chat_message", "chat_tools", "reference_answer"]

#: What a reference answer says when no offered tool fits (irrelevance); the bundled tiny model's words.
REFUSAL = "None of the available tools can do that, so I cannot help with this request."


chat_message = template_message
"""One message as a chat template reads it (`models.conversions.template_message`, shared with the local backend)."""

chat_tools = openai_tools
"""The tools as an OpenAI `tools` list, what `apply_chat_template(tools=...)` takes."""


def answer_messages(task: Task, transcript: list[Message]) -> list[Message]:
    """The part of a transcript the model wrote: what follows the task's own messages.

    When the transcript does not start with the task's messages (a task edited since the run), the
    answer starts at the first assistant message.
    """
    n = len(task.messages)
    if transcript[:n] == task.messages:
        return transcript[n:]
    first = next((i for i, m in enumerate(transcript) if m.role == "assistant"), len(transcript))
    return transcript[first:]


def answer_key(messages: list[Message]) -> str:
    """A canonical string of an answer, equal for answers that render the same (call ids ignored)."""
    rows = [chat_message(m.model_copy(update={"tool_calls": [c.model_copy(update={"id": None})
                                                             for c in m.tool_calls]}))
            for m in messages]
    for row in rows:
        row.pop("tool_call_id", None)
    return json.dumps(rows, sort_keys=True, ensure_ascii=False)


def reference_answer(task: Task) -> Message:
    """The assistant message the verifier accepts: the reference calls, or a refusal when none is expected.

    A parameter that may be omitted (its accepted values start with `""`) is left out, so the answer
    passes what the request states and nothing else.
    """
    calls = stated_calls(task)
    if not calls:
        return Message(role="assistant", content=REFUSAL)
    return Message(role="assistant", content=None, tool_calls=calls)
