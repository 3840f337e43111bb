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


def tree_usage(root: int) -> TreeUsage:
    """Usage of `root` and its descendants now (zeros when /proc is missing or `root` is gone)."""
    stats: dict[int, list[str]] = {}
    children: dict[int, list[int]] = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return TreeUsage(0.0, 0, 0)
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        pid = int(name)
        stats[pid] = [x.decode() for x in fields]
        children.setdefault(int(fields[1]), []).append(pid)
    ticks, memory, count, todo = 0, 0, 0, [root]
    while todo:
        pid = todo.pop()
        fields = stats.get(pid)
        if fields is None:
            continue
        count += 1
        ticks += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        memory += _anonymous(pid)
        todo += children.get(pid, [])
    return TreeUsage(ticks / _TICK, memory, count)


def _anonymous(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            _, resident, shared = (int(x) for x in f.read().split()[:3])
    except (OSError, ValueError):
        return 0
    return max(0, resident - shared) * _PAGE
