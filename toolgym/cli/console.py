r"""The terminal is not an injection surface: what toolgym prints is shown as text, never interpreted.

Run names, task ids, categories, tool names and model output reach the terminal in tables and
messages. Two things could turn them into instructions: rich markup (`[/]` raises a MarkupError,
`[link=...]` makes a hyperlink) and control characters (ESC sequences move the cursor, retitle the
window or hide text; bidi overrides reorder what is shown). `SafeConsole` therefore never parses
markup, and turns every control character of a string it renders into a visible escape (`\x1b`).
Styling is given as `style=` or `Text` spans, never as markup in strings.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console
from rich.text import Text

__all__ = ["SafeConsole", "printable", "safe_text"]

# C0 controls except tab and newline, DEL, C1 controls, and the bidi embeddings/overrides/isolates
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(value: object) -> str:
    r"""`value` as a string whose control characters are shown as escapes (`\x1b`, `\u202e`)."""
    text = str(value)
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def safe_text(value: object, style: str = "") -> Text:
    """A rich Text of `value`, printable and unparsed (for places that take renderables, not strings)."""
    return Text(printable(value), style=style)


class SafeConsole(Console):
    """A rich Console that never parses markup and escapes control characters in every string it renders.

    Strings reach `render_str` from `print`, table cells, titles and captions alike, so escaping
    there covers all of them.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        """Render `text` as plain text (markup off whatever the caller asks) with control characters escaped."""
        kwargs["markup"] = False
        return super().render_str(printable(text), **kwargs)
