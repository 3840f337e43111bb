"""One kernel cgroup per sandboxed call (`envs/cgroup.py`): its limits and clean-up, on whichever hierarchy is here.

A host runs either branch: cgroup v2 where the unified hierarchy delegates `memory` and `pids` to
this process's group (systemd hosts, a VM booted with `cgroup_no_v1=all`), v1 where those
controllers are mounted as v1 hierarchies (this project's CI machine: hybrid, v2 holds only
hugetlb). Each test skips on the other kind of host and says which one it needs.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.envs.test_sandbox_escape import PROBES
from toolgym.envs import SandboxConfig, run_python
from toolgym.envs.cgroup import CallGroup

ROOT = Path("/sys/fs/cgroup")
UNIFIED = (ROOT / "cgroup.controllers").exists()
MB = 1024 * 1024
BWRAP = shutil.which("bwrap", path="/usr/local/bin:/usr/bin:/bin")
pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="making a cgroup needs root here (CI runs as root)")
TOGETHER = PROBES["memory_together"]  # six children of 150 MB: only a whole-call limit stops them


def _group() -> CallGroup:
    group = CallGroup.create(256 * MB, 11)
    if group is None:
        pytest.skip(f"no cgroup can be made here ({'v2' if UNIFIED else 'v1'}: memory and pids not delegated)")
    return group


@pytest.mark.skipif(not UNIFIED, reason="needs cgroup v2 (/sys/fs/cgroup is the unified hierarchy); this host is v1")
def test_v2_group_holds_memory_without_swap_and_processes() -> None:
    group = _group()
    try:
        assert group.unified and len(group.dirs) == 1
        d = group.dirs[0]
        assert (d / "memory.max").read_text().strip() == str(256 * MB)
        assert (d / "pids.max").read_text().strip() == "11"
        if (d / "memory.swap.max").exists():
            assert (d / "memory.swap.max").read_text().strip() == "0"
        assert group.members() == [] and group.oom_kills() == 0
    finally:
        group.close()
    assert not d.exists()


@pytest.mark.skipif(UNIFIED, reason="needs cgroup v1 memory and pids hierarchies; this host is v2")
def test_v1_groups_hold_memory_and_processes() -> None:
    group = _group()
    try:
        assert not group.unified
        memory, pids = group.dirs
        assert (memory / "memory.limit_in_bytes").read_text().strip() == str(256 * MB)
        assert (pids / "pids.max").read_text().strip() == "11"
    finally:
        group.close()
    assert not memory.exists() and not pids.exists()


@pytest.mark.skipif(BWRAP is None, reason="bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
def test_the_kernel_ends_a_call_whose_processes_together_pass_the_memory_limit() -> None:
    _group().close()  # skips where no group can be made: the parent's polled total is tested elsewhere
    result = run_python(TOGETHER, SandboxConfig(cpu_s=20, wall_s=120, memory_mb=256, processes=8))
    assert "HELD ALL" not in result.stdout and result.stopped_by == "memory", result


@pytest.mark.skipif(BWRAP is None, reason="bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
def test_a_call_leaves_no_group_behind() -> None:
    _group().close()
    mine = f"**/toolgym-sandbox-{os.getpid()}-*"  # other processes' calls may come and go meanwhile
    before = set(ROOT.glob(mine))
    result = run_python("import os\nif os.fork() == 0:\n    os.setsid()\n    import time; time.sleep(60)\nprint('ok')",
                        SandboxConfig(cpu_s=20, wall_s=120))  # fmt: skip
    assert result.stdout == "ok\n"
    assert set(ROOT.glob(mine)) == before
