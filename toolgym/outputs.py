"""Output files: the one rule every command that writes a file or folder follows.

1. Check first, before any work: the folder exists and is writable, the path is not a folder where
   a file is meant (nor a file where a folder is meant), it does not exist unless `--force`, and it
   is never one of the files being read (the database: `export --out toolgym.db` must not destroy it).
2. Write to a temporary name in the same folder, then rename it over the target (`os.replace`,
   atomic on one file system). A kill -9 or Ctrl-C mid-write leaves the old file as it was; only
   a stray `.NAME.*.tmp` may remain beside it.

Examples:
    >>> path = check_output(Path("runs.jsonl"), force=False, reading=[Path("toolgym.db")])
    >>> with atomic_file(path) as f:
    ...     f.write("{}")
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import UserError

__all__ = ["atomic_dir", "atomic_file", "atomic_path", "check_output"]


def check_output(
    path: Path, *, force: bool, flag: str = "--out", reading: Iterable[Path] = (), folder: bool = False
) -> Path:
    """`path` checked as a place to write a file (or, with `folder`, a folder); UserError naming the fix.

    Args:
        path: where the output goes.
        force: whether an existing output may be replaced.
        flag: the option that named `path`, for messages.
        reading: files the command reads (the database and its side files); never written over.
        folder: the output is a folder (a dataset directory), not a file.
    """
    path = Path(path).expanduser()
    parent = path.absolute().parent
    if folder:
        _make_parents(parent, flag, path)
    if not parent.is_dir():
        raise UserError(f"{flag} {path}: folder {parent} does not exist; create it or choose another path")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f"{flag} {path}: folder {parent} is not writable by this user; choose another path")
    for source in reading:
        if _same_file(path, Path(source)):
            raise UserError(f"{flag} {path} is {source}, which this command reads; choose another path "
                            "(--force never writes over an input)")
    if path.is_dir() and not folder:
        raise UserError(f"{flag} {path} is a folder; give a file path inside it, e.g. {path / _example(flag)}")
    if path.exists() and folder and not path.is_dir():
        raise UserError(f"{flag} {path} is a file; give a folder path (it is created)")
    if path.exists() and not force:
        raise UserError(f"{flag} {path} already exists; pass --force to replace it, or choose another path")
    return path


def _make_parents(parent: Path, flag: str, path: Path) -> None:
    """A dataset folder's missing parents are made, as `mkdir -p` would (`--out data/sft` on a fresh clone)."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UserError(f"{flag} {path}: {parent} is a file, not a folder; choose another path") from None
    except PermissionError:
        raise UserError(f"{flag} {path}: cannot create folder {parent} (permission denied); choose another path") \
            from None


def _example(flag: str) -> str:
    return "out.html" if flag == "--html" else "out"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write to; renamed over `path` only when the block succeeds."""
    fd, tmp = tempfile.mkstemp(dir=path.absolute().parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _default_mode())
        os.replace(tmp, path)
    except BaseException:  # Ctrl-C too: never leave a half-written target, nor the temporary file
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_file(path: Path, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text file to write that replaces `path` when the block succeeds (flushed to disk first)."""
    with atomic_path(path) as tmp, tmp.open("w", encoding=encoding) as f:
        yield f
        f.flush()
        os.fsync(f.fileno())


@contextmanager
def atomic_dir(path: Path) -> Iterator[Path]:
    """A new folder beside `path` to fill; it takes `path`'s place (an old folder is removed) on success.

    Two renames: the old folder aside, the new one in. Between them (microseconds) `path` is
    absent, never half-written.
    """
    tmp = Path(tempfile.mkdtemp(dir=path.absolute().parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        if path.exists():
            old = tmp.with_name(tmp.name + ".old")
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _default_mode() -> int:
    # mkstemp creates 0600; an output file gets the permissions a plain open() would give it
    return 0o666 & ~_umask()
