"""The judge's prompt and the reading of its verdict.

The judge sees one question and two answers, A and B, and ends with one of five labels:
`[[A>>B]]` (A much better), `[[A>B]]`, `[[A=B]]`, `[[B>A]]`, `[[B>>A]]` (B much better).
Reading is strict about *what* counts and lenient about *how* it is written: spaces inside the
brackets, lower case and the mirrored forms (`[[B<A]]`, `[[B=A]]`) are understood; when the text holds
several labels (a judge that reconsiders), the last one wins; a text without any label has no verdict,
and it is never guessed.

A template is any text with the placeholders `{question}`, `{answer_a}` and `{answer_b}`; other
braces are left alone, so a template may show JSON.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Literal

from ..errors import UserError
from .battles import Outcome

__all__ = [
    "DEFAULT_TEMPLATE",
    "LABELS",
    "Label",
    "label_outcome",
    "load_template",
    "parse_verdict",
    "render_prompt",
    "template_hash",
]

Label = Literal["A>>B", "A>B", "A=B", "B>A", "B>>A"]
"""A judge's verdict, from A much better to B much better."""

LABELS: tuple[Label, ...] = ("A>>B", "A>B", "A=B", "B>A", "B>>A")
"""The verdict labels, A's best first."""

PLACEHOLDERS = ("question", "answer_a", "answer_b")
"""What a template must contain, each once or more, in braces."""

DEFAULT_TEMPLATE = """\
Please act as an impartial judge. Below are a user's question and two answers written by two \
AI assistants, A and B. Decide which answer serves the user better.

Judge what matters to the user: whether the answer is correct, whether it does what was asked, \
whether it is complete without padding, and whether it is clear. If the question has one right \
answer, work it out yourself first and check both answers against it; a wrong answer loses to a \
right one, however well it is written. Do not let the order of the answers, their length or their \
formatting sway you, and do not favour either assistant by name.

<question>
{question}
</question>

<answer_a>
{answer_a}
</answer_a>

<answer_b>
{answer_b}
</answer_b>

First explain your reasoning in a few sentences. Then end with your final verdict, exactly one of \
these labels:
[[A>>B]] answer A is much better
[[A>B]] answer A is slightly better
[[A=B]] the answers are about equally good
[[B>A]] answer B is slightly better
[[B>>A]] answer B is much better
"""
"""toolgym's judge prompt; replace it with `--template FILE`."""

_VERDICT = re.compile(r"\[\[\s*([AB])\s*(>>|<<|>|<|=)\s*([AB])\s*\]\]", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{(question|answer_a|answer_b)\}")
_OUTCOMES: dict[Label, tuple[Outcome, bool]] = {
    "A>>B": ("a", True),
    "A>B": ("a", False),
    "A=B": ("tie", False),
    "B>A": ("b", False),
    "B>>A": ("b", True),
}


def parse_verdict(text: str | None) -> Label | None:
    """The last verdict label in a judge's output; None when it holds no readable label.

    Examples:
        >>> parse_verdict("At first [[A>B]], but on reflection B is right: [[ b >> a ]]")
        'B>>A'
        >>> parse_verdict("Both are fine.") is None
        True
    """
    for match in reversed(list(_VERDICT.finditer(text or ""))):
        left, op, right = match.group(1).upper(), match.group(2), match.group(3).upper()
        if left == right:
            continue  # [[A>A]] compares nothing
        if op == "=":
            return "A=B"
        if op.startswith("<"):  # B<A means A>B
            left, right, op = right, left, op.replace("<", ">")
        return f"{left}{op}{right}"  # type: ignore[return-value]
    return None


def label_outcome(label: Label) -> tuple[Outcome, bool]:
    """Who wins under `label` (a, b or tie), and whether the win is strong."""
    return _OUTCOMES[label]


def render_prompt(template: str, question: str, answer_a: str, answer_b: str) -> str:
    """The template with its placeholders filled in one pass (an answer quoting `{answer_b}` stays as is)."""
    values = {"question": question, "answer_a": answer_a, "answer_b": answer_b}
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def load_template(path: Path) -> str:
    """Read a judge template; it must contain `{question}`, `{answer_a}` and `{answer_b}`.

    Raises:
        UserError: the file is missing or unreadable, or lacks a placeholder (named).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"judge template {path} does not exist; give a text file with the placeholders "
                        "{question}, {answer_a} and {answer_b}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"judge template {path} cannot be read: {e}") from None
    missing = [f"{{{name}}}" for name in PLACEHOLDERS if f"{{{name}}}" not in text]
    if missing:
        raise UserError(
            f"judge template {path} lacks {', '.join(missing)}; the judge must see the question and both "
            "answers: add the placeholders where they belong"
        )
    return text


def template_hash(template: str) -> str:
    """8 hex digits identifying a template; judgments under another template are other battles."""
    return hashlib.sha256(template.encode()).hexdigest()[:8]
