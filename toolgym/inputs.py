"""Input files: reading what a user points toolgym at, with one located error for anything unreadable.

Every loader (suites, replay files, votes, prompts, configs) reads through these, so a missing file,
a folder where a file is expected, a file this user may not read, bytes that are not UTF-8 and JSON
nested deeper than Python can parse all end as a `UserError` that names the file (and line), never
as an `OSError`, `UnicodeDecodeError` or `RecursionError` with a traceback.

Examples:
    >>> for number, line in read_lines(Path("suite.jsonl"), "suite file"):
    ...     row = parse_json(line, f"suite.jsonl:{number}", "write one JSON object per line")
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import UserError

__all__ = ["check_file", "parse_json", "read_lines", "read_text"]


def check_file(path: Path, what: str) -> Path:
    """`path`, checked to be a readable file; `what` names it in messages ("suite file", "config file")."""
    if path.is_dir():
        raise UserError(f"{what} {path} is a folder; give the file inside it")
    if not path.exists():
        raise UserError(f"{what} {path} does not exist; check the path")
    return path


def read_text(path: Path, what: str) -> str:
    """The whole file as UTF-8 text."""
    data = _read_bytes(check_file(path, what), what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise _not_utf8(f"{path}:{line}", data[e.start], column) from None


def read_lines(path: Path, what: str) -> Iterator[tuple[int, str]]:
    """(line number, text without its newline) of each line, streamed: a large file is never held whole."""
    check_file(path, what)
    try:
        f = path.open("rb")
    except OSError as e:
        raise _unreadable(path, what, e) from None
    with f:
        for number, raw in enumerate(f, start=1):
            try:
                yield number, raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as e:
                raise _not_utf8(f"{path}:{number}", raw[e.start], e.start + 1) from None


def parse_json(text: str, where: str, fix: str) -> Any:
    """`text` parsed as JSON; a UserError at `where` (file:line) with `fix` when it is not."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise UserError(f"{where}: not valid JSON ({e.msg} at column {e.colno}); {fix}") from None
    except RecursionError:
        raise UserError(f"{where}: JSON nested too deeply to read (over ~1,000 levels); {fix}") from None


def _read_bytes(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise _unreadable(path, what, e) from None


def _unreadable(path: Path, what: str, error: OSError) -> UserError:
    if isinstance(error, PermissionError):
        return UserError(f"{what} {path} cannot be read by this user (permission denied); check its permissions")
    return UserError(f"{what} {path} cannot be read: {error.strerror or error}")


def _not_utf8(where: str, byte: int, column: int) -> UserError:
    return UserError(f"{where}: not UTF-8 text (byte 0x{byte:02x} at column {column}); save the file as UTF-8")
