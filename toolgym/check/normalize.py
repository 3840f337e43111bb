"""String normalisation before strings are compared with the accepted values.

BFCL removes spaces and `,./-_*^`, lowercases, and turns `'` into `"`, so that "April 1, 2024",
"April 1,2024" and "April 1 2024" compare equal. The removal also merges numbers: "5.5" equals "55",
"192.168.0.5" equals "192168.0.5", "-118.24" equals "118.24". `safe_standardize` keeps BFCL's rule
for text and keeps what makes numbers differ:

* a run of separators between two digits becomes a boundary mark: its `.-/*^` characters, or `|`
  when it has only spaces, commas and underscores ("1, 2024" and "1 2024" stay equal; "5.5" keeps
  its point; "1.000" and "1,000" differ);
* a `-` or `.` right before a digit, at the start or after a space or a non-alphanumeric
  character, is a sign or a leading decimal point and is kept ("-118.24", ".5"); after a letter it
  is a hyphen and goes ("COVID-19" equals "covid 19").
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["bfcl_standardize", "safe_standardize"]

_BFCL_CHARS = re.compile(r"[ ,./\-_*^]")
_RUN = re.compile(r"[ ,./\-_*^]+")
_DIGIT = re.compile(r"\d")
_MARKS = frozenset(".-/*^")


@lru_cache(maxsize=1 << 16)  # the same answers and outputs recur across checks
def bfcl_standardize(text: str) -> str:
    """BFCL's `standardize_string`: drop spaces and `,./-_*^`, lowercase, `'` -> `"`."""
    return _BFCL_CHARS.sub("", text).lower().replace("'", '"')


def _run_replacement(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    if end >= len(text) or not text[end].isdigit():
        return ""
    run = match.group()
    before = text[start - 1] if start else ""
    if before.isdigit():
        return "".join(c for c in run if c in _MARKS) or "|"
    if run[-1] in "-." and (not before or not before.isalnum() or len(run) > 1):
        return run[-1]
    return ""


@lru_cache(maxsize=1 << 16)
def safe_standardize(text: str) -> str:
    """BFCL's normalisation, except that it never makes different numbers or addresses equal."""
    if _DIGIT.search(text) is None:
        return bfcl_standardize(text)
    return _RUN.sub(_run_replacement, text).lower().replace("'", '"')
