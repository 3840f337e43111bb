"""Shell-like tools over a virtual file system: pwd, ls, cd, cat, mkdir, touch, write_file, mv, cp, rm, grep, find.

The state is `{"cwd": "/home/user", "tree": {path: {"type": "dir"} | {"type": "file", "content": str}}}`:
a flat map from absolute path to node, every ancestor of a node present as a directory. Paths may be
absolute, relative to the working directory, or start with `~` (the home directory). Errors read
like the shell's, so a model that knows the shell knows what went wrong.
"""

from __future__ import annotations

import fnmatch
import posixpath
from typing import Any

from ...envs import state_tool
from ...errors import ToolError

__all__ = ["HOME", "TOOLS"]

FS = dict[str, Any]
HOME = "/home/user"


def _abs(fs: FS, path: str) -> str:
    p = path.strip()
    if not p:
        raise ToolError("empty path")
    if p == "~" or p.startswith("~/"):
        p = HOME + p[1:]
    if not p.startswith("/"):
        p = f"{fs['cwd'].rstrip('/')}/{p}"
    p = posixpath.normpath(p)
    return "/" + p.lstrip("/")


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _need(fs: FS, path: str) -> tuple[str, dict[str, Any]]:
    p = _abs(fs, path)
    node = fs["tree"].get(p)
    if node is None:
        raise ToolError(f"{path}: No such file or directory")
    return p, node


def _need_parent(fs: FS, p: str, shown: str) -> None:
    parent = fs["tree"].get(posixpath.dirname(p))
    if parent is None or parent["type"] != "dir":
        raise ToolError(f"{shown}: No such file or directory (its parent folder does not exist)")


def _children(fs: FS, p: str) -> list[str]:
    prefix = p.rstrip("/") + "/"
    return sorted(k[len(prefix):] for k in fs["tree"] if k.startswith(prefix) and "/" not in k[len(prefix):] and k != p)


def _subtree(fs: FS, p: str) -> list[str]:
    return sorted(k for k in fs["tree"] if _under(k, p))


def _target(fs: FS, src: str, destination: str) -> str:
    """Where `src` lands for mv/cp: inside `destination` when that is a directory."""
    dst = _abs(fs, destination)
    if fs["tree"].get(dst, {}).get("type") == "dir":
        dst = posixpath.join(dst, posixpath.basename(src))
    if dst == src:
        raise ToolError(f"{destination}: same file as the source")
    if _under(dst, src):
        raise ToolError(f"cannot put {src} inside itself ({dst})")
    _need_parent(fs, dst, destination)
    existing = fs["tree"].get(dst)
    if existing is not None and (existing["type"] == "dir" or fs["tree"][src]["type"] == "dir"):
        raise ToolError(f"{dst}: already exists")
    return dst


@state_tool
def pwd(fs: FS) -> str:
    """Print the current working directory.

    Args:
        fs: The file system, given by the environment.
    """
    return fs["cwd"]


@state_tool
def ls(fs: FS, path: str = ".") -> str:
    """List a directory (folders end with '/'), or show that a file exists.

    Args:
        fs: The file system, given by the environment.
        path: Directory or file to list; the working directory by default.
    """
    p, node = _need(fs, path)
    if node["type"] == "file":
        return posixpath.basename(p)
    names = [n + ("/" if fs["tree"][posixpath.join(p, n)]["type"] == "dir" else "") for n in _children(fs, p)]
    return "\n".join(names) or "(empty directory)"


@state_tool
def cd(fs: FS, path: str) -> str:
    """Change the working directory.

    Args:
        fs: The file system, given by the environment.
        path: Directory to go to (absolute, relative, `..` or `~`).
    """
    p, node = _need(fs, path)
    if node["type"] != "dir":
        raise ToolError(f"cd: {path}: Not a directory")
    fs["cwd"] = p
    return p


@state_tool
def cat(fs: FS, path: str) -> str:
    """Print the contents of a file.

    Args:
        fs: The file system, given by the environment.
        path: File to read.
    """
    _, node = _need(fs, path)
    if node["type"] != "file":
        raise ToolError(f"cat: {path}: Is a directory")
    return node["content"]


@state_tool
def mkdir(fs: FS, path: str, parents: bool = False) -> str:
    """Create a directory.

    Args:
        fs: The file system, given by the environment.
        path: Directory to create.
        parents: Also create missing parent directories, and accept an existing directory (like `mkdir -p`).
    """
    p = _abs(fs, path)
    existing = fs["tree"].get(p)
    if existing is not None:
        if parents and existing["type"] == "dir":
            return f"{p} already exists"
        raise ToolError(f"mkdir: {path}: File exists")
    if parents:
        parts = p.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            step = "/" + "/".join(parts[:i])
            if fs["tree"].get(step, {"type": "dir"})["type"] != "dir":
                raise ToolError(f"mkdir: {step}: Not a directory")
        for i in range(1, len(parts) + 1):
            fs["tree"].setdefault("/" + "/".join(parts[:i]), {"type": "dir"})
    else:
        _need_parent(fs, p, f"mkdir: {path}")
        fs["tree"][p] = {"type": "dir"}
    return f"created {p}"


@state_tool
def touch(fs: FS, path: str) -> str:
    """Create an empty file if it does not exist (an existing file or folder is left as it is).

    Args:
        fs: The file system, given by the environment.
        path: File to create.
    """
    p = _abs(fs, path)
    if p not in fs["tree"]:
        _need_parent(fs, p, f"touch: {path}")
        fs["tree"][p] = {"type": "file", "content": ""}
    return p


@state_tool
def write_file(fs: FS, path: str, content: str, append: bool = False) -> str:
    """Write text to a file, creating it or replacing its contents (like `echo text > file`).

    Args:
        fs: The file system, given by the environment.
        path: File to write.
        content: The text to write.
        append: Add the text at the end of the file instead of replacing its contents (like `>>`).
    """
    p = _abs(fs, path)
    node = fs["tree"].get(p)
    if node is not None and node["type"] == "dir":
        raise ToolError(f"{path}: Is a directory")
    if node is None:
        _need_parent(fs, p, path)
    before = node["content"] if node is not None and append else ""
    fs["tree"][p] = {"type": "file", "content": before + content}
    return f"wrote {len(content)} characters to {p}"


@state_tool
def mv(fs: FS, source: str, destination: str) -> str:
    """Move or rename a file or directory; into `destination` when it is an existing directory.

    Args:
        fs: The file system, given by the environment.
        source: File or directory to move.
        destination: New path, or an existing directory to move it into.
    """
    src, _ = _need(fs, source)
    dst = _target(fs, src, destination)
    for old in _subtree(fs, src):
        fs["tree"][dst + old[len(src):]] = fs["tree"].pop(old)
    if _under(fs["cwd"], src):
        fs["cwd"] = dst + fs["cwd"][len(src):]
    return f"moved {src} -> {dst}"


@state_tool
def cp(fs: FS, source: str, destination: str, recursive: bool = False) -> str:
    """Copy a file, or a directory with `recursive`; into `destination` when it is an existing directory.

    Args:
        fs: The file system, given by the environment.
        source: File or directory to copy.
        destination: Path of the copy, or an existing directory to copy into.
        recursive: Copy a directory and everything in it (like `cp -r`).
    """
    src, node = _need(fs, source)
    if node["type"] == "dir" and not recursive:
        raise ToolError(f"cp: -r not specified; omitting directory {source}")
    dst = _target(fs, src, destination)
    for old in _subtree(fs, src):
        fs["tree"][dst + old[len(src):]] = dict(fs["tree"][old])
    return f"copied {src} -> {dst}"


@state_tool
def rm(fs: FS, path: str, recursive: bool = False) -> str:
    """Remove a file, or a directory and everything in it with `recursive`.

    Args:
        fs: The file system, given by the environment.
        path: File or directory to remove.
        recursive: Remove a directory and its contents (like `rm -r`).
    """
    p, node = _need(fs, path)
    if node["type"] == "dir" and not recursive:
        raise ToolError(f"rm: cannot remove {path}: Is a directory")
    if _under(fs["cwd"], p):
        raise ToolError(f"rm: cannot remove {path}: it contains the working directory")
    for old in _subtree(fs, p):
        del fs["tree"][old]
    return f"removed {p}"


@state_tool
def grep(fs: FS, pattern: str, path: str, recursive: bool = False, ignore_case: bool = False) -> str:
    """Print the lines that contain a fixed string, as `file:line number:line`.

    Args:
        fs: The file system, given by the environment.
        pattern: Text to look for (a plain string, not a regular expression).
        path: File, or directory with `recursive`, to search.
        recursive: Search every file under a directory (like `grep -r`).
        ignore_case: Match regardless of upper or lower case (like `grep -i`).
    """
    p, node = _need(fs, path)
    if node["type"] == "dir" and not recursive:
        raise ToolError(f"grep: {path}: Is a directory")
    needle = pattern.lower() if ignore_case else pattern
    hits = []
    for name in _subtree(fs, p):
        if fs["tree"][name]["type"] != "file":
            continue
        for n, line in enumerate(fs["tree"][name]["content"].splitlines(), 1):
            if needle in (line.lower() if ignore_case else line):
                hits.append(f"{name}:{n}:{line}")
    return "\n".join(hits) or "(no match)"


@state_tool
def find(fs: FS, path: str = ".", name: str = "*") -> str:
    """List every file and directory under a directory whose name matches a shell pattern.

    Args:
        fs: The file system, given by the environment.
        path: Directory to search; the working directory by default.
        name: Shell pattern for the base name, e.g. "*.log".
    """
    p, _ = _need(fs, path)
    found = [k for k in _subtree(fs, p) if k != p and fnmatch.fnmatchcase(posixpath.basename(k), name)]
    return "\n".join(found) or "(nothing found)"


TOOLS = (pwd, ls, cd, cat, mkdir, touch, write_file, mv, cp, rm, grep, find)
