"""README's Python example runs offline as written (against the bundled tiny model), so it cannot rot."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_python_block(heading: str) -> str:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split(heading, 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_from_python_example_evaluates_the_tiny_model(tmp_path):
    code = readme_python_block("## From Python")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TOOLGYM_LOG": "ERROR"}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    found = re.fullmatch(r"(\S+): (\d+) of (\d+) passed\n", done.stdout)
    assert found, done.stdout
    assert int(found[3]) == 10 and 0 <= int(found[2]) <= 10
    assert (tmp_path / "runs.db").stat().st_size > 0
