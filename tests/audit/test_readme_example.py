"""README's label-error example runs offline from a clone (examples/audit/) and prints what the README shows."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def example_blocks() -> tuple[list[list[str]], str]:
    """The commands of the README's `examples/audit` block and the plain-text output block after it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"```bash\n((?:[^`]*?)examples/audit/(?:[^`]*?))```\s*```\n(.*?)```", readme, re.S)
    assert found, "README.md lost its examples/audit label-error example"
    commands = [shlex.split(line) for line in found[1].splitlines() if line.strip()]
    return commands, found[2]


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_label_error_example_finds_the_planted_error_and_prints_the_readme_output(tmp_path):
    commands, shown = example_blocks()
    assert [c[:2] for c in commands] == [["toolgym", "eval"], ["toolgym", "eval"], ["toolgym", "audit"]]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TOOLGYM_LOG": "ERROR", "COLUMNS": "200",
           "TOOLGYM_DB": str(tmp_path / "runs.db")}  # the clone stays clean: runs go to a temporary store
    for command in commands:
        done = subprocess.run([sys.executable, "-m", "toolgym", *command[1:]], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (command, done.stdout, done.stderr)
    table_rule = re.compile(r"^[┏┡└].*$|[┃│]", re.M)
    printed = words(table_rule.sub(" ", done.stdout))
    for line in filter(str.strip, shown.splitlines()):
        assert words(line) in printed, line
    assert "units-4" in printed and "accepted ['kelvin']" in printed and "units-5" not in printed
