"""Helpers for CLI tests: the real `toolgym` command in a subprocess, on this checkout's code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.run.suite_factory import write_replay, write_suite

ROOT = Path(__file__).resolve().parents[2]


def toolgym_env(**extra: str) -> dict[str, str]:
    """The environment of a `toolgym` subprocess: this checkout first on the path, no TOOLGYM_DB."""
    env = {k: v for k, v in os.environ.items() if k != "TOOLGYM_DB"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    env.update(extra)
    return env


def toolgym_command(*args: str) -> list[str]:
    """The argv that runs `toolgym ARGS` with this interpreter (the console script's entry point)."""
    return [sys.executable, "-c", "from toolgym.cli import main; main()", *args]


def run_toolgym(*args: str, cwd: Path | None = None, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    """Run `toolgym ARGS` to completion; stdout and stderr captured as text."""
    return subprocess.run(toolgym_command(*args), capture_output=True, text=True, cwd=cwd, timeout=timeout,
                          env=toolgym_env(**env))


@pytest.fixture
def world(tmp_path):
    """A 24-task JSONL suite, its replay answers (16 right) and a database path, all under tmp_path."""
    suite = write_suite(tmp_path / "suite.jsonl", 24)
    replay = write_replay(tmp_path / "answers.jsonl", 24)
    return tmp_path, suite, replay, str(tmp_path / "runs.db")
