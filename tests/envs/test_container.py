"""The podman sandbox level (`envs/container.py`), real containers: its image, its clean-up, the code suite.

The escape probes run under it in `test_sandbox_escape.py`; these check what is podman's own.
"""

from __future__ import annotations

import glob
import os
import subprocess
from pathlib import Path

import pytest

from toolgym.envs import CodeEnv, SandboxConfig, container, run_python
from toolgym.envs.sandbox import _plan
from toolgym.errors import InfraError
from toolgym.suites.code import code_suite
from toolgym.types import Message

PODMAN = container.podman_path()
pytestmark = [
    pytest.mark.skipif(PODMAN is None, reason="podman is not installed: apt-get install podman"),
    pytest.mark.skipif(os.geteuid() != 0, reason="the podman level runs as root (rootless podman is not set up)"),
]
PODMAN_CONFIG = SandboxConfig(isolation="podman", cpu_s=2, wall_s=30, memory_mb=256, processes=8)


def test_the_image_is_imported_once_and_tagged_by_its_contents(tmp_path: Path) -> None:
    python = _plan("podman", None)[1]
    tag = container.image(python)
    assert tag.startswith("localhost/toolgym-sandbox:") and len(tag.rsplit(":", 1)[1]) == 16
    assert subprocess.run([PODMAN, "image", "exists", tag], check=False).returncode == 0
    container.image.cache_clear()  # a new process: the same files give the same tag, no new import
    assert container.image(python) == tag
    (tmp_path / "lib.py").write_text("x = 1\n")
    before = container._content_hash((str(tmp_path),))
    (tmp_path / "lib.py").write_text("x = 2\n")  # one changed byte: another image
    assert container._content_hash((str(tmp_path),)) != before


def test_a_call_killed_at_the_wall_clock_leaves_no_container_and_no_cgroup() -> None:
    result = run_python("import time\nprint('started', flush=True)\ntime.sleep(60)",
                        PODMAN_CONFIG.model_copy(update={"wall_s": 8}))  # fmt: skip
    assert result.stopped_by == "wall" and result.isolation == "podman", result
    mine = f"name=toolgym-sandbox-{os.getpid()}-"
    left = subprocess.run([PODMAN, "ps", "--all", "--format", "{{.Names}}", "--filter", mine],
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert left.stdout.strip() == ""
    assert glob.glob(f"/sys/fs/cgroup/*/toolgym-sandbox-{os.getpid()}-*") == []


def test_the_code_suites_reference_solutions_pass_under_podman() -> None:
    env = CodeEnv(sandbox=PODMAN_CONFIG)
    tasks = code_suite().tasks[:4]
    for task in tasks:
        answer = Message(role="assistant", content=f"```python\n{task.expected.reference}```")
        verdict = env.verify(task, [*task.messages, answer])
        assert verdict.passed, (task.id, verdict.explanation)


def test_without_podmans_seccomp_profile_the_level_does_not_start(monkeypatch: pytest.MonkeyPatch,
                                                                   tmp_path: Path) -> None:  # fmt: skip
    monkeypatch.setattr(container, "_DEFAULT_SECCOMP", tmp_path / "missing.json")
    container.seccomp_profile.cache_clear()
    try:
        with pytest.raises(InfraError, match="podman's seccomp profile .*missing.json"):
            container.seccomp_profile()
    finally:
        container.seccomp_profile.cache_clear()
