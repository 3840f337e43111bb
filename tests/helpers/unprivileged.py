"""Run a command as an unprivileged user (nobody), since root can write anywhere and read any file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOBODY = 65534


def as_nobody(args: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `python -m toolgym ARGS` as uid/gid 65534 (as the current user when not root)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip(reason="needs setpriv (util-linux) to drop root privileges")
        prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    env = {**os.environ, "PYTHONPATH": str(REPO), "HOME": str(cwd), "COLUMNS": "200"}
    return subprocess.run([*prefix, sys.executable, "-m", "toolgym", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def shared_dir() -> Path:
    """A fresh folder that nobody can read and enter but not write (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="toolgym-test-"))
    path.chmod(0o755)
    return path
