"""Exit codes that tell the truth: a run whose every rollout hit an infrastructure error fails (exit 1)
with the first error and the count; `--max-infra-errors` stops a run against a dead server early."""

from __future__ import annotations

import socket

from tests.cli.conftest import run_toolgym
from tests.helpers.openai_server import OpenAIServer, status
from toolgym.cli import main
from toolgym.store import Store


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_rollout_failing_exits_1_with_the_first_error_and_its_count(world, capsys):
    tmp, suite, _, db = world
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    done = run_toolgym("eval", f"jsonl:{suite}", "--model", "openai:m", "--base-url", url, "--split", "all",
                       "--limit", "2", "-c", "2", "--db", db, "--run", "dead", cwd=tmp)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    err = " ".join(done.stderr.split())
    assert "run failed: dead: every rollout of this invocation failed: 2 infrastructure errors; the first:" in err
    assert "cannot connect" in err
    with Store(db) as store:
        run = store.get_run("dead")
    assert run.status == "failed" and "cannot connect" in run.cause and run.infra_errors == 2
    main(["show", "dead", "--db", db])
    assert "failed: every rollout of this invocation failed" in " ".join(capsys.readouterr().out.split())
    main(["runs", "--db", db])
    assert "failed" in capsys.readouterr().out
    main(["report", "dead", "--db", db, "--out", str(tmp / "r.html")])
    assert "failed: every rollout" in (tmp / "r.html").read_text()


def test_max_infra_errors_stops_early_when_the_server_only_returns_500s(world):
    tmp, suite, _, db = world
    with OpenAIServer(lambda body: status(500, "the GPU fell off the bus")) as server:
        done = run_toolgym("eval", f"jsonl:{suite}", "--model", "openai:m", "--base-url", server.url,
                           "--split", "all", "-c", "2", "--max-infra-errors", "0.05", "--db", db, "--run", "s500",
                           cwd=tmp)
    assert done.returncode == 1, done.stderr
    err = " ".join(done.stderr.split())
    assert "stopped early: 2 infrastructure errors; the first: " in err
    assert "the GPU fell off the bus" in err and "--max-infra-errors 0.05" in err
    with Store(db) as store:
        run = store.get_run("s500")
    # 5% of 24 rollouts is 1.2: the second error stops it, long before the other 22 are tried
    assert run.status == "failed" and run.infra_errors == 2 and run.rollouts == 2


def test_a_count_limit_and_a_healthy_run_that_finishes(world):
    tmp, suite, replay, db = world
    main(["eval", f"jsonl:{suite}", "--model", f"replay:{replay}", "--split", "all", "--max-infra-errors", "3",
          "--db", db, "--run", "ok"])
    with Store(db) as store:
        assert store.get_run("ok").status == "finished"
