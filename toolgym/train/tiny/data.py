"""Training conversations for the tiny model, made from suite tasks and their expected calls.

Each task becomes one conversation: its messages, then the assistant turn the verifier wants: the
calls as Hermes `<tool_call>` blocks, or a short refusal in text when no call is expected
(irrelevance). A call passes what the request states and leaves out what it does not (an optional
parameter whose accepted values start with `""`), which is the simplest rule a small model can learn.

`with_new_names` rewrites a task so that the names and words copied from the request into the call
become invented ones ("Lisbon" -> "Tavomeru"), identically in the request and in the call. The test
split draws its names from pool entries train never shows, so a model that only memorised the train
names would fail there; invented names teach it to copy whatever stands in the slot.

Messages are the dicts the local backend gives the chat template (`toolgym.models.conversions.template_message`),
so a training prompt is the prompt of inference. Tools are stored as a JSON string, because Arrow
would otherwise merge the keys of every tool schema into one struct type.
"""

from __future__ import annotations

import json
import random
import re
from typing import Any

from ...models.conversions import openai_tools, template_message
from ...suites import stated_calls
from ...types import Message, Task, ToolCall
from ..chat import REFUSAL

__all__ = [
    "REFUSAL", "echo_conversation", "echo_pieces", "encode_conversation", "letter_pieces", "plain_token_ids",
    "target_calls", "task_conversation", "with_new_names",
]

_CONSONANTS = "bcdfghklmnprstvz"
_VOWELS = "aeiou"
_LETTERS = re.compile(r"[A-Za-z]+")


def target_calls(task: Task) -> list[ToolCall]:
    """The calls to train on: the reference calls without the parameters the request does not state."""
    return stated_calls(task)


def task_conversation(task: Task, calls: list[ToolCall] | None = None, with_tools: bool = True) -> dict[str, Any]:
    """One SFT row (`messages`, `tools`) whose last turn is the answer the verifier accepts.

    Args:
        task: A function-calling task with `expected.calls` set.
        calls: The answer's calls; `target_calls(task)` when None.
        with_tools: False drops the tool schemas (the first curriculum stage: short prompts).
    """
    if task.expected.calls is None:
        raise ValueError(f"task {task.id!r} has no expected calls; the tiny model trains on function calling")
    calls = target_calls(task) if calls is None else calls
    answer = Message(role="assistant", tool_calls=calls) if calls else Message(role="assistant", content=REFUSAL)
    # the dicts `LocalModel.render` gives the template, so training prompts are the prompts of inference
    messages = [template_message(m) for m in [*task.messages, answer]]
    tools = openai_tools(task.tools) if with_tools else None
    return {"messages": messages, "tools": json.dumps(tools, ensure_ascii=False)}


def _invent(word: str, rng: random.Random, pieces: list[str] | None = None) -> str:
    """An invented word shaped like `word`: same case pattern, about the same length.

    With `pieces` (lowercase letter tokens of the vocabulary) a longer word becomes one to three
    random pieces: distinct, distinctive tokens, like the strings of the copying warm-up. Without,
    it is consonant-vowel syllables, whose look-alike tokens ("bo me bo") make a small model lose
    its place while copying.
    """
    if len(word) < 3 or word.isupper():
        letters = [rng.choice(_CONSONANTS + _VOWELS) for _ in word]
        return "".join(c.upper() if w.isupper() else c for c, w in zip(letters, word, strict=True))
    if pieces:
        out = "".join(rng.choice(pieces) for _ in range(rng.randint(1, min(3, 1 + len(word) // 4))))
    else:
        n = max(1, round(len(word) / 2 + rng.uniform(-1, 1)))
        out = "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(n))
        if rng.random() < 0.3:
            out += rng.choice(_CONSONANTS)
    return out.capitalize() if word[0].isupper() else out


def letter_pieces(tokenizer: Any) -> list[str]:
    """The vocabulary's tokens of two or more lowercase letters: the pieces invented names are made of."""
    return sorted(t for t in tokenizer.get_vocab() if len(t) >= 2 and t.isascii() and t.isalpha() and t.islower())


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


def _replace(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [_replace(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, names) for k, v in value.items()}
    return value


def with_new_names(
    task: Task, rng: random.Random, pieces: list[str] | None = None
) -> tuple[Task, list[ToolCall]] | None:
    """The task and its target calls with every copied open value renamed; None when nothing is copied.

    A value is renamed when it is a string the request contains word for word and not one of the
    tool's enum values (those are the schema's vocabulary). Letters change, digits and punctuation stay.
    """
    calls = target_calls(task)
    text = "\n".join(m.content or "" for m in task.messages if m.role in ("user", "system"))
    closed = {e for t in task.tools for p in t.parameters.get("properties", {}).values() for e in p.get("enum", [])}
    found = {
        s
        for c in calls
        for s in _strings(c.arguments)
        if len(s) >= 3 and s not in closed and re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)
    }
    if not found:
        return None
    names = {s: _LETTERS.sub(lambda m: _invent(m.group(0), rng, pieces), s) for s in sorted(found)}
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(s)}(?!\w)" for s in sorted(found, key=len, reverse=True)))

    def rename(m: Message) -> Message:
        if m.role not in ("user", "system") or not m.content:
            return m
        return m.model_copy(update={"content": pattern.sub(lambda x: names[x.group(0)], m.content)})

    new_task = task.model_copy(update={"messages": [rename(m) for m in task.messages]})
    return new_task, [c.model_copy(update={"arguments": _replace(c.arguments, names)}) for c in calls]


def encode_conversation(tokenizer: Any, row: dict[str, Any]) -> tuple[list[int], list[int]]:
    """A row (`task_conversation`, `echo_conversation`) as the chat template renders it: ids and assistant mask."""
    enc = tokenizer.apply_chat_template(
        row["messages"], tools=json.loads(row["tools"]), tokenize=True, return_dict=True,
        return_assistant_tokens_mask=True,
    )
    return enc["input_ids"], enc["assistant_masks"]


def plain_token_ids(tokenizer: Any) -> list[int]:
    """The ids of every vocabulary entry that is not a special or added token (those are markup)."""
    markup = set(tokenizer.all_special_ids) | set(tokenizer.get_added_vocab().values())
    return [i for i in range(len(tokenizer)) if i not in markup]


def echo_pieces(tokenizer: Any) -> list[str]:
    """The printable ASCII tokens of `tokenizer`, decoded: the alphabet of `echo_conversation`."""
    texts = (tokenizer.decode([i]) for i in plain_token_ids(tokenizer))
    return [t for t in texts if t.strip() and t.isascii() and t.isprintable()]


def echo_conversation(pieces: list[str], rng: random.Random) -> dict[str, Any]:
    """A row whose answer repeats a random string from the request: every answer token is a copy.

    The string is 4 to 24 vocabulary pieces drawn uniformly, so nothing but copying lowers the loss.
    A small model learns to repeat it in a few hundred steps, but by position (the answer's i-th
    token is the request's i-th), not with the previous-token and induction heads a call's values
    need: see `warmup.py` for the measurements. These rows keep that skill in use during SFT.
    """
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(4, 24))).strip()
    return {
        "messages": [
            {"role": "user", "content": text, "tool_calls": None},
            {"role": "assistant", "content": text, "tool_calls": None},
        ],
        "tools": "null",
    }
