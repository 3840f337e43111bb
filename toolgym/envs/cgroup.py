"""A kernel control group per sandboxed call: its memory and process limits hold for all its processes.

Resource limits (`setrlimit`) count per process, so eight processes of 256 MB each hold 2 GB. A
cgroup counts them together, and the kernel enforces it: past `memory_mb` it reclaims, then kills
a process of the group (the parent sees the `oom_kill` counter rise and ends the call); past the
process count `fork` fails. `CallGroup.create` makes one where this process may: cgroup v2 when
/sys/fs/cgroup is the unified hierarchy and this process's own cgroup delegates the `memory` and
`pids` controllers to its children (root, or a systemd `Delegate=yes` unit), else the v1 `memory` and
`pids` hierarchies (writable by root on hybrid systems, such as this project's CI machine). Where
neither is writable it returns None and the sandbox falls back to watching the total itself
(`proctree.py`). The project's CI machine is hybrid (its memory and pids controllers are bound to
v1 hierarchies that hold other processes' groups, so they cannot move to v2 there): `make test`
runs the v1 branch, and `.ci/cgroup2_vm.sh` runs the v2 branch's tests (`tests/envs/test_cgroup.py`,
the bwrap escape probes) in a VM booted with `cgroup_no_v1=all`.
"""

from __future__ import annotations

import itertools
import os
import signal
import time
from pathlib import Path

__all__ = ["CallGroup"]

_ROOT = Path("/sys/fs/cgroup")
_names = itertools.count()


class CallGroup:
    """One call's cgroup(s); `procs_files` are where the launcher writes its own pid before starting."""

    def __init__(self, dirs: list[Path], unified: bool) -> None:
        self.dirs = dirs
        self.unified = unified

    @property
    def procs_files(self) -> list[str]:
        """The `cgroup.procs` files a process writes `0` (itself) to, to join the group."""
        return [str(d / "cgroup.procs") for d in self.dirs]

    @classmethod
    def create(cls, memory_bytes: int, processes: int, *, top: bool = False) -> CallGroup | None:
        """A fresh group limited to `memory_bytes` (no swap) and `processes`; None where none can be made.

        `top` makes it at the top of every hierarchy, the same path in each (`path`), as a container
        engine's `--cgroup-parent` wants it (podman's own default, `/libpod_parent`, is there too):
        the engine makes the container's group inside it. Else it is made under this process's group.
        """
        name = f"toolgym-sandbox-{os.getpid()}-{next(_names)}"
        own = {} if top else _own_paths()
        if (_ROOT / "cgroup.controllers").exists():
            parent = _ROOT / own.get("", "/").lstrip("/")
            if {"memory", "pids"} <= set(_read(parent / "cgroup.subtree_control").split()):
                limits = {"memory.max": memory_bytes, "memory.swap.max": 0, "pids.max": processes}
                return cls._make([(parent / name, limits)], unified=True)
            return None
        memory, pids = (("/", "/") if top else (own.get("memory"), own.get("pids")))
        if memory is None or pids is None:
            return None
        wanted = [
            (_ROOT / "memory" / memory.lstrip("/") / name,
             {"memory.limit_in_bytes": memory_bytes, "memory.memsw.limit_in_bytes": memory_bytes}),
            (_ROOT / "pids" / pids.lstrip("/") / name, {"pids.max": processes}),
        ]  # fmt: skip
        return cls._make(wanted, unified=False)

    @classmethod
    def _make(cls, wanted: list[tuple[Path, dict[str, int]]], unified: bool) -> CallGroup | None:
        made: list[Path] = []
        try:
            for path, limits in wanted:
                path.mkdir()
                made.append(path)
                for file, value in limits.items():
                    if (path / file).exists():  # memsw exists only where swap accounting is on
                        (path / file).write_text(str(value))
        except OSError:
            cls(made, unified).close()
            return None
        return cls(made, unified)

    @property
    def path(self) -> str:
        """The group's path below the hierarchy's root (`/name` for a `top` group), as `--cgroup-parent` takes it."""
        return "/" + self.dirs[0].name if self.dirs else ""

    def members(self) -> list[int]:
        """The pids in the group now, those of its child groups (a container's) included."""
        return [int(p) for d in self.dirs[:1] for p in _procs(d)]

    def oom_kills(self) -> int:
        """How many processes the kernel killed for exceeding the memory limit so far."""
        file = "memory.events" if self.unified else "memory.oom_control"
        kills = 0
        for d in self.dirs:  # v1 counts a kill in the victim's own group: a container's, below this one
            for events in [d / file, *d.glob(f"*/{file}")]:
                for line in _read(events).splitlines():
                    key, _, value = line.partition(" ")
                    if key == "oom_kill":
                        kills = max(kills, int(value))
        return kills

    def close(self) -> None:
        """SIGKILL whatever is left in the group, then remove it (and, for a `top` group, its namesakes).

        A container engine given the group as `--cgroup-parent` makes a directory of that name in
        every other v1 hierarchy too (cpu, blkio, ...); those go as well once the container's are gone.
        """
        namesakes = [] if self.unified or not self.dirs or self.dirs[0].parent != _ROOT / "memory" else \
            [d for d in _ROOT.glob(f"*/{self.dirs[0].name}") if d not in self.dirs]  # fmt: skip
        for d in [*self.dirs, *namesakes]:
            if self.unified and (d / "cgroup.kill").exists():
                _write(d / "cgroup.kill", "1")
            deadline = time.monotonic() + 2
            while True:
                pids = [int(p) for p in _procs(d)]
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                try:
                    for child in [c for c in d.iterdir() if c.is_dir()]:
                        child.rmdir()  # a container's group, left by an engine killed with it
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break  # left for the kernel; an empty group costs nothing
                    time.sleep(0.005)


def _own_paths() -> dict[str, str]:
    """This process's cgroup path per controller ("" for the unified hierarchy), from /proc/self/cgroup."""
    found: dict[str, str] = {}
    for line in _read(Path("/proc/self/cgroup")).splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            found[controller] = path
    return found


def _procs(group: Path) -> list[str]:
    """The pids in `group` and in its child groups (one level: a container engine's)."""
    files = [group / "cgroup.procs", *group.glob("*/cgroup.procs")]
    return [p for f in files for p in _read(f).split()]


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text)
    except OSError:
        pass
