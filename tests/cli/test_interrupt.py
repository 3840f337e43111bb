"""Ctrl-C for real: a `toolgym eval` subprocess gets SIGINT, stops fast, keeps its results, resumes."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from contextlib import closing

import pytest

from tests.cli.conftest import toolgym_command, toolgym_env
from tests.helpers.openai_server import OpenAIServer
from tests.helpers.signals import sigint_default
from tests.run.suite_factory import expected_passes, responder
from toolgym.cli import main
from toolgym.store import Store

STOP_S = 2.0
"""How soon after Ctrl-C the process must be gone."""


def _stored(db: str) -> int:
    """Rollout rows stored so far (plain sqlite3: polling must not load the CPU the run needs)."""
    try:
        with closing(sqlite3.connect(db, timeout=5)) as conn:
            return conn.execute("SELECT count(*) FROM rollouts").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def _interrupt_when(proc: subprocess.Popen, ready, deadline_s: float = 90) -> float:
    """Send SIGINT once `ready()` holds; returns the seconds from the signal to the process's exit."""
    end = time.monotonic() + deadline_s
    while not ready():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < end, "the run never got going"
        time.sleep(0.1)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    return time.monotonic() - sent


def test_ctrl_c_stores_what_finished_exits_130_and_the_same_command_resumes(world, capsys):
    tmp, suite, _, db = world
    with OpenAIServer(responder(delay_s=0.25)) as server:
        args = ["eval", f"jsonl:{suite}", "--model", "openai:m", "--base-url", server.url, "--split", "all",
                "--db", db, "--run", "r", "-c", "2"]
        proc = subprocess.Popen(toolgym_command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                preexec_fn=sigint_default,
                                env=toolgym_env(), cwd=tmp)
        took = _interrupt_when(proc, lambda: _stored(db) >= 4)
        _, err = proc.communicate()
        assert proc.returncode == 130, err
        assert took < STOP_S, f"took {took:.1f} s to stop"
        assert "Traceback" not in err
        with Store(db) as store:
            run = store.get_run("r")
        assert run.status == "interrupted" and 4 <= run.done < 24
        assert f"interrupted: {run.done} of 24 stored; run the same command to resume" in err
        main(args)  # the same command
    with Store(db) as store:
        run = store.get_run("r")
    assert run.status == "finished" and run.done == 24 and run.passed == expected_passes(24)
    assert "66.7" in capsys.readouterr().out


@pytest.mark.skipif(not __import__("toolgym.cli.main_job", fromlist=["x"]).tiny_available(),
                    reason="needs the bundled tiny model's weights")
def test_ctrl_c_stops_the_local_generation_thread(tmp_path):
    """Batches of long, hot generations must not hold Ctrl-C up.

    400 rollouts in batches of 8 keep the model generating for a minute or more, on an idle machine too
    (one batch of 8 finished in under 6 s on an idle CI machine), so the signal lands mid-batch.
    """
    db = str(tmp_path / "runs.db")
    args = ["eval", "fc-core", "--model", "tiny", "--temperature", "5", "--max-tokens", "400", "-c", "8",
            "--limit", "400", "--db", db, "--run", "hot"]
    proc = subprocess.Popen(toolgym_command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                preexec_fn=sigint_default,
                            env=toolgym_env(), cwd=tmp_path)
    # the first progress line comes once the model is loaded and the run open; then let it generate
    assert proc.stdout is not None and "hot: 400 rollouts to do" in proc.stdout.readline()
    time.sleep(6.0)
    took = _interrupt_when(proc, lambda: True)
    _, err = proc.communicate()
    assert proc.returncode == 130, err
    assert took < STOP_S, f"took {took:.1f} s to stop"
    with Store(db) as store:
        run = store.get_run("hot")
    assert run.status == "interrupted" and run.done < 400
    assert f"interrupted: {run.done} of 400 stored; run the same command to resume" in err
