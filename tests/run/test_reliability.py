"""Reliability over real sockets and real processes: faults are retried or recorded, kills lose nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.openai_server import FaultMix, OpenAIServer
from tests.run.reliability_helpers import run_against
from tests.run.suite_factory import expected_passes, responder, write_suite
from toolgym.store import Store

ROOT = Path(__file__).resolve().parents[2]


def outcomes(db, run_name):
    with Store(str(db)) as store:
        run = store.get_run(run_name)
        return sorted((r.task_id, r.sample, r.passed, r.failure) for r in store.results(run.id))


def test_fault_mix_is_retried_and_accuracy_equals_the_clean_run(tmp_path):
    n = 40
    suite = write_suite(tmp_path / "s.jsonl", n)
    with OpenAIServer(responder()) as clean:
        run_against(clean, suite, str(tmp_path / "clean.db"))
    mix = FaultMix(seed=7, rate=0.5, kinds=("500", "429", "reset", "truncate", "not_json", "hang"),
                   max_per_request=2, hang_s=1.0)
    with OpenAIServer(responder(), fault_mix=mix) as faulty:
        run = run_against(faulty, suite, str(tmp_path / "faulty.db"), timeout_s=0.3)
        injected = sum(faulty.injected.values())
    assert injected >= 10, "the fault mix should have injected faults"
    assert run.done == n and run.infra_errors == 0 and run.passed == expected_passes(n)
    assert outcomes(tmp_path / "faulty.db", "r") == outcomes(tmp_path / "clean.db", "r")


def test_persistent_faults_become_infra_errors_and_a_rerun_retries_exactly_those(tmp_path):
    n = 30
    suite = write_suite(tmp_path / "s.jsonl", n)
    db = str(tmp_path / "runs.db")
    mix = FaultMix(seed=3, rate=0.4, kinds=("500",), max_per_request=10)
    with OpenAIServer(responder(), fault_mix=mix) as faulty:
        first = run_against(faulty, suite, db, attempts=2)
    assert 0 < first.infra_errors < n
    assert first.done == n - first.infra_errors
    # infra errors stay out of accuracy
    with Store(db) as store:
        counted = [r for r in store.results(first.id) if r.counted]
    assert len(counted) == first.done
    with OpenAIServer(responder()) as clean:
        second = run_against(clean, suite, db)
        assert len(clean.bodies) == first.infra_errors  # only the failed rollouts were asked again
    assert second.done == n and second.infra_errors == 0 and second.passed == expected_passes(n)


@pytest.mark.slow
def test_sigkill_at_random_moments_then_resume_matches_an_uninterrupted_run(tmp_path):
    n = 400
    suite = write_suite(tmp_path / "s.jsonl", n)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with OpenAIServer(responder(delay_s=0.01)) as server:
        def command(db):
            return [sys.executable, "-m", "toolgym", "eval", f"jsonl:{suite}", "--model", "openai:m",
                    "--base-url", server.url, "--db", db, "--split", "all", "-c", "2", "--run", "r"]

        subprocess.run(command(str(tmp_path / "clean.db")), env=env, check=True, capture_output=True)
        rng = random.Random(1234)
        killed = 0
        db = str(tmp_path / "killed.db")
        for _ in range(30):
            proc = subprocess.Popen(command(db), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.5, 1.5))  # start-up included: some kills land before any write
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                killed += 1
            else:
                break
            if killed >= 10:
                break
        subprocess.run(command(db), env=env, check=True, capture_output=True)
    assert killed >= 10, f"only {killed} kills landed mid-run; slow the server down"
    final = outcomes(db, "r")
    assert len(final) == n and len({(t, s) for t, s, *_ in final}) == n  # every row once, no duplicates
    assert final == outcomes(tmp_path / "clean.db", "r")
