"""Sandbox cost: per-call start-up time and code-suite verification throughput, bwrap against before (and podman).

    python benchmarks/bench_sandbox.py                  # 3 rounds, 20 start-ups per level per round
    python benchmarks/bench_sandbox.py --rounds 5 --calls 40
    python benchmarks/bench_sandbox.py --no-podman      # leave the container level out

The baseline is today's sandbox as it was before bubblewrap (issue 16): `toolgym/envs/sandbox.py`
from the parent of the commit that added `toolgym/envs/bwrap.py`, loaded from git history; as root
it picks its `namespaces` level, as elsewhere `process`. Where git history is missing, the baseline
is the current code's `namespaces` level (else `process`) and the report says so. The current
weak `process` level is measured too, and the `podman` level (a container per call, `envs/container.py`)
where podman is installed and this runs as root. Levels alternate within each round, so load on a
shared machine hits them alike.

Figures: the median wall time of a whole `run_python("pass")` call (start-up, from the caller's
side, cgroup set-up and clean-up included), and code-suite verification throughput (the 42
reference solutions verified one after another, tasks/s; each must pass). Goal: bwrap <= 1.5x the
baseline's per-call cost. The podman level's cost is also given against bwrap's (no goal: it is the
optional, heavier backend).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import toolgym.envs.code as code_module
from toolgym.envs import CodeEnv, SandboxConfig, container, isolation_level, run_python
from toolgym.suites.code import code_suite
from toolgym.types import Message

REPO = Path(__file__).resolve().parents[1]
GOAL = 1.5


def baseline_module() -> ModuleType | None:
    """`toolgym/envs/sandbox.py` as it was before bwrap, from git history; None without it."""
    git = ["git", "-C", str(REPO)]
    try:
        added = subprocess.run([*git, "log", "-1", "--format=%H", "--diff-filter=A", "--", "toolgym/envs/bwrap.py"],
                               capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
        source = subprocess.run([*git, "show", f"{added}~1:toolgym/envs/sandbox.py"],
                                capture_output=True, text=True, check=True).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return None
    if not added:
        return None
    spec = importlib.util.spec_from_loader("toolgym.envs.sandbox_before_bwrap", loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "toolgym.envs"  # its relative imports (..errors) resolve as they did
    sys.modules[spec.name] = module
    exec(compile(source, f"{added[:10]}~1:toolgym/envs/sandbox.py", "exec"), module.__dict__)  # noqa: S102 (our own history)
    return module


class Level:
    """One sandbox to measure: how to run code, and how to verify a code task under it."""

    def __init__(self, name: str, run: Callable, config) -> None:
        self.name, self.run, self.config = name, run, config
        self.startups: list[float] = []
        self.rates: list[float] = []

    @contextlib.contextmanager
    def as_code_env(self) -> Iterator[CodeEnv]:
        """A CodeEnv whose verification goes through this level's `run_python`."""
        original = code_module.run_python
        code_module.run_python = self.run
        try:
            yield CodeEnv(sandbox=self.config)
        finally:
            code_module.run_python = original


def podman_level() -> Level | None:
    """The podman level, where it runs here (podman installed, root); its image is built outside the timing."""
    if container.podman_path() is None or os.geteuid() != 0:
        return None
    config = SandboxConfig(isolation="podman")
    isolation_level(config)
    return Level("podman (container, by name)", run_python, config)


def levels() -> tuple[list[Level], str]:
    """bwrap, the baseline, and the weak `process` level of the current code; and where the baseline came from."""
    old = baseline_module()
    now = [Level("bwrap (new default)", run_python, SandboxConfig(isolation="bwrap")),
           Level("process (weak, by name)", run_python, SandboxConfig(isolation="process"))]  # fmt: skip
    if old is not None:
        config = old.SandboxConfig()
        level = old.isolation_level(config)
        return [now[0], Level(f"before: {level}", old.run_python, config), now[1]], "git history (before bwrap)"
    try:
        config = SandboxConfig(isolation="namespaces")
        isolation_level(config)
    except Exception:  # noqa: BLE001 (not root: the baseline is `process`, measured already)
        return now, "no git history: the baseline is the current process level"
    return [now[0], Level("namespaces (current code)", run_python, config), now[1]], "no git history"


def verify_all(level: Level, tasks) -> float:
    """Verify every reference solution under `level`; tasks per second."""
    with level.as_code_env() as env:
        start = time.perf_counter()
        for task in tasks:
            answer = Message(role="assistant", content=f"```python\n{task.expected.reference}```")
            verdict = env.verify(task, [*task.messages, answer])
            assert verdict.passed, f"{level.name}: {task.id} failed: {verdict.explanation}"
        return len(tasks) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--calls", type=int, default=20, help="start-ups per level per round")
    parser.add_argument("--no-podman", action="store_true", help="leave the podman level out")
    args = parser.parse_args()
    measured, source = levels()
    podman = None if args.no_podman else podman_level()
    if podman is not None:
        measured.append(podman)
    tasks = code_suite().tasks
    for level in measured:
        level.run("pass", level.config)  # probe and warm up outside the timing
    for _ in range(args.rounds):
        for _ in range(args.calls):
            for level in measured:
                start = time.perf_counter()
                level.run("pass", level.config)
                level.startups.append(time.perf_counter() - start)
        for level in measured:
            level.rates.append(verify_all(level, tasks))
    base = measured[1]
    print(f"sandbox cost, {args.rounds} rounds x {args.calls} calls; baseline from {source}; "
          f"{len(tasks)} code tasks verified per round, all passed")  # fmt: skip
    head = ("level", "start-up ms (median)", "x baseline", "verify tasks/s (median)", "x baseline")
    print(f"{head[0]:28} {head[1]:>21} {head[2]:>11} {head[3]:>24} {head[4]:>11}")
    for level in measured:
        ms = statistics.median(level.startups) * 1000
        rate = statistics.median(level.rates)
        ratio_ms = ms / (statistics.median(base.startups) * 1000)
        ratio_rate = rate / statistics.median(base.rates)
        print(f"{level.name:28} {ms:21.1f} {ratio_ms:11.2f} {rate:24.2f} {ratio_rate:11.2f}")
    cost = statistics.median(measured[0].startups) / statistics.median(base.startups)
    print(f"bwrap per-call cost {cost:.2f}x the baseline (goal <= {GOAL}x): {'met' if cost <= GOAL else 'NOT met'}")
    if podman is not None:
        bwrap = measured[0]
        print(f"podman per-call cost {statistics.median(podman.startups) / statistics.median(bwrap.startups):.2f}x "
              f"bwrap's; verification {statistics.median(podman.rates) / statistics.median(bwrap.rates):.2f}x "
              "bwrap's throughput")  # fmt: skip
    else:
        print("podman level not measured: " + ("--no-podman" if args.no_podman else "needs podman and root"))


if __name__ == "__main__":
    main()
