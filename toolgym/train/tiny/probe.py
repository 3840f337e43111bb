"""Where the tiny model's answer tokens go wrong: teacher-forced accuracy by the job each token does.

End-to-end accuracy says whether an answer passed; it does not say which skill failed. Here each
reference answer is fed to the model token by token (teacher forcing) and every answer token is
labelled by its job, so the per-kind accuracy points at the skill to work on:

| kind | the token ... | the skill |
| --- | --- | --- |
| `decision` | is the first of the answer (`<tool_call>` or the refusal's first word) | call or abstain |
| `name` | is part of the called tool's name | pick the tool |
| `key` | is part of an argument name | follow the schema |
| `value_start` | is the first token of a value and stands in the request | fill the slot |
| `value_continue` | continues a copy; the token before it occurs once in the request | copy on |
| `value_continue_ambiguous` | continues a copy; the token before it occurs several times there | keep one's place |
| `value_jump` | is a later token of a value, from elsewhere in the request (a date's reordered parts) | rearrange |
| `value_new` | is a value token the request does not contain (dates, codes, enum values) | transform |
| `syntax` | has no letter or digit (JSON punctuation, markup, spaces) | format |
| `text` | is a word of a text answer after its first token (the refusal) | say it |

Tokens are labelled from the decoded answer: a JSON string followed by `:` is a key, the string after
`"name":` a name, other strings and bare literals values; a token takes the label of its first letter
or digit, and the one holding a value's first letter or digit is its start.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import torch

from ...types import Task
from .data import encode_conversation, task_conversation
from .warmup import pad_rows

__all__ = ["KINDS", "answer_probe", "copy_probe", "request_ids", "teacher_forced"]

KINDS = (
    "decision", "name", "key", "value_start", "value_continue", "value_continue_ambiguous", "value_jump",
    "value_new", "syntax", "text",
)

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_LITERAL = re.compile(r"(?:(?<=[:\[,])|(?<=[:\[,] ))(-?\d[\d.eE+-]*|true|false|null)")
_CALL = re.compile(r"<tool_call>.*?(?:</tool_call>|$)", re.S)


@torch.no_grad()
def teacher_forced(
    model: Any, pad_id: int, rows: list[list[int]], batch_size: int = 32
) -> Iterator[tuple[list[int], list[int]]]:
    """`(ids, predicted)` per row, in order: `predicted[i]` is the model's argmax for `ids[i]` given `ids[:i]`."""
    model.eval()
    for b in range(0, len(rows), batch_size):
        chunk = rows[b : b + batch_size]
        x, _, attention = pad_rows([(ids, ids) for ids in chunk], pad_id)
        argmax = model(input_ids=x, attention_mask=attention).logits.argmax(-1)
        for r, ids in enumerate(chunk):
            yield ids, [-1] + argmax[r, : len(ids) - 1].tolist()


def request_ids(ids: list[int], mask: list[int], turn_start: int) -> list[int]:
    """The tokens of the turn before the answer (the request), or the whole prompt when it has one turn."""
    start = mask.index(1)
    turns = [i for i in range(start) if ids[i] == turn_start]
    return ids[turns[-2] : turns[-1]] if len(turns) >= 2 else ids[:start]


def _char_kinds(text: str) -> tuple[list[str], set[int]]:
    """Each character's kind and the positions where values begin (their first letter or digit).

    Text outside calls is `text`; inside a call a character is syntax, name, key or value.
    """
    kinds, starts = ["text"] * len(text), set()
    for call in _CALL.finditer(text):
        base, body = call.start(), call.group(0)
        kinds[base : call.end()] = ["syntax"] * len(body)
        for m in _STRING.finditer(body):
            if body[m.end() :].lstrip().startswith(":"):
                kind = "key"
            else:
                kind = "name" if body[: m.start()].rstrip().endswith('"name":') else "value"
            kinds[base + m.start() + 1 : base + m.end() - 1] = [kind] * (m.end() - m.start() - 2)
            if kind == "value":
                starts |= _first_alnum(body, base, m.start() + 1, m.end() - 1)
        for m in _LITERAL.finditer(body):
            kinds[base + m.start() : base + m.end()] = ["value"] * (m.end() - m.start())
            starts |= _first_alnum(body, base, m.start(), m.end())
    return kinds, starts


def _first_alnum(body: str, base: int, start: int, end: int) -> set[int]:
    first = next((i for i in range(start, end) if body[i].isalnum()), None)
    return set() if first is None else {base + first}


def _token_kinds(tokenizer: Any, ids: list[int], mask: list[int], turn_start: int) -> list[tuple[int, str]]:
    """`(position, kind)` of every answer token of one encoded conversation."""
    request = request_ids(ids, mask, turn_start)
    pairs, counts = set(zip(request, request[1:], strict=False)), Counter(request)
    positions = [i for i in range(mask.index(1), len(ids)) if mask[i]]
    pieces = [tokenizer.decode([ids[i]]) for i in positions]
    chars, starts = _char_kinds("".join(pieces))
    out, offset = [], 0
    for n, (i, piece) in enumerate(zip(positions, pieces, strict=True)):
        first = next((offset + k for k, c in enumerate(piece) if c.isalnum()), None)  # its first letter or digit
        offset += len(piece)
        kind = "decision" if n == 0 else "syntax" if first is None else chars[first]
        if kind == "value":
            if ids[i] not in counts:
                kind = "value_new"
            elif first in starts:
                kind = "value_start"
            elif (ids[i - 1], ids[i]) not in pairs:
                kind = "value_jump"
            else:
                kind = "value_continue" if counts[ids[i - 1]] == 1 else "value_continue_ambiguous"
        out.append((i, kind))
    return out


def answer_probe(model: Any, tokenizer: Any, tasks: list[Task], batch_size: int = 32) -> dict[str, dict[str, Any]]:
    """Teacher-forced accuracy of the reference answers' tokens, by kind (see the module docstring).

    Returns:
        `{kind: {"accuracy", "tokens", "errors"}}` for every kind in `KINDS` that occurs.
    """
    turn_start = tokenizer.convert_tokens_to_ids("<|im_start|>")
    encoded = [encode_conversation(tokenizer, task_conversation(t)) for t in tasks]
    rows = [ids for ids, _ in encoded]
    table = {k: [0, 0] for k in KINDS}
    for (ids, mask), (_, predicted) in zip(encoded, teacher_forced(model, tokenizer.pad_token_id, rows, batch_size),
                                           strict=True):
        for i, kind in _token_kinds(tokenizer, ids, mask, turn_start):
            table[kind][0] += int(predicted[i] == ids[i])
            table[kind][1] += 1
    return {
        k: {"accuracy": round(right / total, 4), "tokens": total, "errors": total - right}
        for k, (right, total) in table.items()
        if total
    }


def _answer_tokens(ids: list[int], mask: list[int], turn_start: int) -> list[tuple[int, str]]:
    """(position, kind) of each answer token that stands in the user turn.

    `continue` when it follows its predecessor there too (a copy going on), `start` when it stands
    there alone (a copy starting).
    """
    user = request_ids(ids, mask, turn_start)
    pairs, seen = set(zip(user, user[1:], strict=False)), set(user)
    return [
        (i, "continue" if (ids[i - 1], ids[i]) in pairs else "start")
        for i in range(mask.index(1), len(ids))
        if mask[i] and ids[i] in seen
    ]


def copy_probe(model: Any, tokenizer: Any, tasks: list[Task], batch_size: int = 32) -> dict[str, Any]:
    """Teacher-forced accuracy on the answer tokens that copy from the request, split by kind.

    A call's value is copied token by token: `start` tokens stand in the request but not after the
    token before them (finding the slot), `continue` tokens follow their predecessor there too
    (going on with a copy, what an induction head does). End-of-run accuracy says whether the model
    calls well; this says which half of copying it has learnt. Only tokens with a letter or digit
    count, so JSON punctuation does not dilute the figure. `probe.answer_probe` splits every answer
    token finer (names, keys, ambiguous continuations, values not in the request).
    """
    turn_start = tokenizer.convert_tokens_to_ids("<|im_start|>")
    encoded = []
    for task in tasks:
        if not task.expected.calls:
            continue
        ids, mask = encode_conversation(tokenizer, task_conversation(task))
        positions = _answer_tokens(ids, mask, turn_start)
        scored = [(i, kind) for i, kind in positions if any(c.isalnum() for c in tokenizer.decode([ids[i]]))]
        encoded.append((ids, scored))
    counts = {"start": [0, 0], "continue": [0, 0]}
    predictions = teacher_forced(model, tokenizer.pad_token_id, [ids for ids, _ in encoded], batch_size)
    for (ids, positions), (_, predicted) in zip(encoded, predictions, strict=True):
        for i, kind in positions:
            counts[kind][0] += int(predicted[i] == ids[i])
            counts[kind][1] += 1
    return {
        kind: {"accuracy": round(right / max(1, total), 4), "tokens": total} for kind, (right, total) in counts.items()
    }
