"""The README is a user's guide that works on a fresh clone: its tour runs, and it points at nothing outside."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

# A tour command is skipped only when it needs something a fresh machine does not have: a model
# server, the user's own files, or a long-running server of ours. Everything else runs, in order.
NEEDS_OUTSIDE = ("openai:", "--base-url", "questions.jsonl", "votes.jsonl", "--bfcl-results")
SHELL_ONLY = ("source", "export")
LONG_RUNNING = ("view", "serve-env", "serve-mcp")


def tour_block() -> str:
    section = README.split("## A 5-minute tour", 1)[1]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def tour_commands() -> list[list[str]]:
    """The tour's commands, continuation lines joined, comments dropped, `a && b` split in two."""
    text = tour_block().replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        words = shlex.split(line, comments=True)
        while words:
            cut = words.index("&&") if "&&" in words else len(words)
            commands.append(words[:cut])
            words = words[cut + 1:]
    return commands


def runs_offline(words: list[str]) -> bool:
    line = " ".join(words)
    if words[0] in SHELL_ONLY or any(marker in line for marker in NEEDS_OUTSIDE):
        return False
    return not (words[0] == "toolgym" and words[1] in LONG_RUNNING)


def test_readme_points_at_nothing_outside_the_clone():
    assert "../shared" not in README
    assert "ARCHITECTURE.md" in README and (ROOT / "ARCHITECTURE.md").is_file()


def test_every_tour_command_is_a_toolgym_command_or_a_shell_step():
    for words in tour_commands():
        assert words[0] in ("toolgym", *SHELL_ONLY), words


def test_tour_skips_only_what_needs_an_outside_server_or_file():
    skipped = [" ".join(w) for w in tour_commands() if not runs_offline(w)]
    ran = [w for w in tour_commands() if runs_offline(w)]
    assert len(ran) >= 12, "most of the tour must run offline"
    assert all(w[0] in SHELL_ONLY or any(m in " ".join(w) for m in NEEDS_OUTSIDE) or w[1] in LONG_RUNNING
               for w in map(str.split, skipped))


@pytest.mark.slow
def test_tour_runs_in_order_on_a_fresh_directory(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TOOLGYM_LOG": "ERROR"}
    env.pop("TOOLGYM_DB", None)
    for words in filter(runs_offline, tour_commands()):
        argv = [sys.executable, "-m", "toolgym", *words[1:]]
        done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        shown = f"`{' '.join(words)}` exited {done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        assert done.returncode == 0, shown
        assert "Traceback" not in done.stderr, done.stderr
    assert (tmp_path / "report.html").stat().st_size > 1000
    assert any((tmp_path / "ckpt" / "sft").iterdir())
