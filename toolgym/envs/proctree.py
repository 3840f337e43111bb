"""The processes of one sandboxed call, seen from the host's /proc: how much CPU and memory they use.

The sandbox's parent polls this while a call runs, to hold limits for all the call's processes
together where the kernel does not (CPU time always; memory where no cgroup could be made). A
process that exits is counted in its parent's `cutime`/`cstime` once reaped (by the code, or by the
namespace's init), so the CPU total only grows. Memory is the sum of resident memory that is not
file-backed (`statm` resident - shared): pages a fork shares with its parent count in both, which
errs on the strict side.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["TreeUsage", "tree_usage"]

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class TreeUsage:
    """Totals over a process and all its descendants."""

    cpu_s: float
    """CPU seconds (user + system) of the live processes and of the children they reaped."""
    memory_bytes: int
    """Resident anonymous memory of the live processes, summed."""
    processes: int
    """Live processes (threads not counted)."""


def tree_usage(root: int, members: list[int] | None = None) -> TreeUsage:
    """Usage of `root` and its descendants now (zeros when /proc is missing or `root` is gone).

    `members`, when known (a cgroup's `cgroup.procs`), are the processes to count, and the scan of
    every process of the machine for the tree is skipped.
    """
    stats: dict[int, list[bytes]] = {}
    children: dict[int, list[int]] = {}
    try:
        names = [int(n) for n in os.listdir("/proc") if n.isdigit()] if members is None else members
    except OSError:
        return TreeUsage(0.0, 0, 0)
    for pid in names:
        fields = _stat(pid)
        if fields is not None:
            stats[pid] = fields
            children.setdefault(int(fields[1]), []).append(pid)
    todo = [root] if members is None else list(stats)
    ticks, memory, count = 0, 0, 0
    while todo:
        pid = todo.pop()
        fields = stats.get(pid)
        if fields is None:
            continue
        count += 1
        ticks += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        memory += _anonymous(pid)
        if members is None:
            todo += children.get(pid, [])
    return TreeUsage(ticks / _TICK, memory, count)


def _stat(pid: int) -> list[bytes] | None:
    """The fields of /proc/PID/stat after the command name (state, ppid, ...)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _anonymous(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            _, resident, shared = (int(x) for x in f.read().split()[:3])
    except (OSError, ValueError):
        return 0
    return max(0, resident - shared) * _PAGE
