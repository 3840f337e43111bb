"""The view's pages over HTTP, against a real uvicorn server on loopback and a real SQLite store."""

from __future__ import annotations

import re

import httpx
import pytest

from toolgym.errors import UserError
from toolgym.store import Store
from toolgym.view import ViewConfig, create_app

from .conftest import PAYLOADS, Served, serve_in_thread


def run_id(served: Served, name: str) -> int:
    with Store(served.db) as store:
        return store.get_run(name).id


def test_runs_page_lists_runs_with_status_and_accuracy_interval(served: Served):
    html = served.client().get("/").text
    assert "weather-a" in html and "weather-b" in html and "answers-model-weak" in html
    row_b = re.search(r'<tr data-run="\d+" data-status="finished">\s*<td><a href="/runs/\d+">weather-b</a>.*?</tr>',
                      html, re.S).group(0)
    assert "50.0%" in row_b and re.search(r"\[\d+\.\d, \d+\.\d\]", row_b)  # accuracy with its CI


def test_runs_page_filters_by_model(served: Served):
    html = served.client().get("/", params={"model": "openai:model-a"}).text
    assert "weather-a" in html and "weather-b" not in html


def test_progress_api_reports_counts_and_status(served: Served):
    runs = {r["name"]: r for r in served.client().get("/api/runs").json()}
    assert (runs["weather-b"]["rollouts"], runs["weather-b"]["passed"], runs["weather-b"]["status"]) == (
        120, 60, "finished")


def test_run_page_shows_categories_failures_pass_k_latency_and_manifest(served: Served):
    html = served.client().get(f"/runs/{run_id(served, 'weather-b')}").text
    for category in ("simple", "multiple", "parallel"):
        assert f">{category}</a>" in html
    assert "wrong_value" in html and "wrong_function" not in html  # B fails odd tasks only, with wrong_value
    assert "pass^k" in html and "latency median" in html
    assert "&#34;suite&#34;: &#34;weather&#34;" in html  # the manifest, escaped JSON


def test_transcripts_filter_by_category_failure_and_passed(served: Served):
    rid = run_id(served, "weather-b")
    client = served.client()
    html = client.get(f"/runs/{rid}/transcripts", params={"category": "parallel", "passed": "no"}).text
    tasks = set(re.findall(r'<span class="task">(task-\d+)</span>', html))
    assert tasks and all(int(t[5:]) % 3 == 2 and int(t[5:]) % 2 == 1 for t in tasks)
    html = client.get(f"/runs/{rid}/transcripts", params={"failure": "wrong_value"}).text
    assert "rollouts 1–50 of 60" in html  # the 30 odd tasks, 2 samples each
    assert client.get(f"/runs/{rid}/transcripts", params={"failure": "wrong_function"}).text.count(
        '<details class="rollout"') == 0
    html = client.get(f"/runs/{rid}/transcripts", params={"passed": "yes"}).text
    assert "rollouts 1–50 of 60" in html


def test_transcripts_page_in_pages_and_search(served: Served):
    rid = run_id(served, "weather-b")
    client = served.client()
    first = client.get(f"/runs/{rid}/transcripts").text
    second = client.get(f"/runs/{rid}/transcripts", params={"page": 2}).text
    assert "rollouts 1–50 of 120" in first and "rollouts 51–100 of 120" in second
    assert re.findall(r'class="task">(task-\d+)', first)[0] == "task-000"
    found = client.get(f"/runs/{rid}/transcripts", params={"q": "answer 17)"}).text
    assert set(re.findall(r'<span class="task">(task-\d+)</span>', found)) == {"task-017"}
    by_id = client.get(f"/runs/{rid}/transcripts", params={"q": "TASK-04"}).text
    assert set(re.findall(r'<span class="task">(task-\d+)</span>', by_id)) == {f"task-04{i}" for i in range(10)}


def test_transcript_shows_tool_calls_results_and_verdict_components(served: Served):
    rid = run_id(served, "weather-b")
    html = served.client().get(f"/runs/{rid}/rollout", params={"task": "task-001", "sample": 1}).text
    assert 'class="call-name">get_weather<' in html
    assert "&#34;unit&#34;: &#34;celsius&#34;" in html  # arguments, pretty JSON
    assert "&#34;temperature&#34;: 18" in html  # the tool result, re-indented
    assert "<td>args</td><td>0.50</td>" in html and "expected &#39;celsius&#39; (task 1)" in html


def test_bad_filters_and_unknown_rollouts_are_clear_errors(served: Served):
    rid = run_id(served, "weather-b")
    client = served.client()
    bad = client.get(f"/runs/{rid}/transcripts", params={"failure": "nope"})
    assert bad.status_code == 400 and "unknown failure kind" in bad.text
    missing = client.get(f"/runs/{rid}/rollout", params={"task": "task-999"})
    assert missing.status_code == 404 and "task-999" in missing.text
    assert client.get("/runs/9999").status_code == 404


def test_compare_lists_flipped_tasks_first_with_the_paired_test(served: Served):
    a, b = run_id(served, "weather-a"), run_id(served, "weather-b")
    html = served.client().get("/compare", params={"a": a, "b": b}).text
    assert "sign_flip" in html  # two samples per task: the sign-flip test
    flips = re.findall(r'class="task" href="/compare/task\?[^"]*">(task-\d+)</a>', html)
    # A passes multiples of 3, B multiples of 2: tasks that are one but not the other flipped
    expected = {f"task-{i:03d}" for i in range(60) if (i % 3 == 0) != (i % 2 == 0)}
    assert set(flips) == expected
    side = served.client().get("/compare/task", params={"a": a, "b": b, "task": flips[0]}).text
    assert side.count('class="transcript"') == 4  # two samples, both runs


def test_only_voting_writes(served: Served):
    client = served.client()
    for path in ("/", "/runs/1", "/compare", "/arena", "/api/runs"):
        assert client.post(path).status_code == 405
        assert client.delete(path).status_code == 405


def test_every_response_carries_the_security_headers(served: Served):
    reply = served.client().get("/")
    assert "script-src 'self'" in reply.headers["content-security-policy"]
    assert reply.headers["x-frame-options"] == "DENY" and reply.headers["x-content-type-options"] == "nosniff"


def test_hostile_transcripts_are_escaped_in_the_page_source(served: Served):
    rid = run_id(served, "weather-a")
    html = served.client().get(f"/runs/{rid}/transcripts").text
    assert "&lt;/script&gt;&lt;script&gt;" in html and "&lt;img src=x onerror=" in html
    for payload in PAYLOADS[:2]:
        assert payload not in html
    assert 'href="javascript' not in html.lower() and "<script>" not in html


def test_loopback_view_refuses_other_host_headers(served: Served):
    reply = served.client(headers={"Host": "evil.example"}).get("/")
    assert reply.status_code == 400  # DNS rebinding: a page elsewhere cannot read the view


def test_a_view_off_loopback_needs_a_token(view_db: str):
    with pytest.raises(UserError, match="--token"):
        create_app(ViewConfig(db=view_db, host="0.0.0.0"))


def test_with_a_token_every_request_must_carry_it(view_db: str):
    config = ViewConfig(db=view_db, token="secret-token-0123456789")
    for url in serve_in_thread(config):
        with httpx.Client(base_url=url) as client:
            assert client.get("/").status_code == 401
            assert client.get("/", params={"token": "wrong-token-0123456789"}).status_code == 401
            traded = client.get("/", params={"token": "secret-token-0123456789", "model": "x"})
            assert traded.status_code == 303 and traded.headers["location"] == "/?model=x"
            assert "httponly" in traded.headers["set-cookie"].lower()
            assert client.get("/").status_code == 200  # the cookie now carries it
        with httpx.Client(base_url=url, headers={"Authorization": "Bearer secret-token-0123456789"}) as client:
            assert client.get("/api/runs").status_code == 200


def test_a_read_only_database_is_browsed_and_a_vote_is_refused_with_the_reason(tmp_path, monkeypatch):
    import os

    from toolgym.store import RunManifest
    from toolgym.types import Rollout, Verdict

    db = tmp_path / "ro.db"
    with Store(str(db)) as store:  # runs only: no arena table yet
        run = store.open_run("r", RunManifest(suite="s", suite_version="1", model="m"))
        store.write(run.id, [(Rollout(task_id="t1"), "c", Verdict.ok())])
    real_access = os.access
    # fault injection: this user may not write the file nor its folder (root may write anywhere)
    monkeypatch.setattr("toolgym.store.engine.os.access", lambda p, mode: mode != os.W_OK and real_access(p, mode))
    for url in serve_in_thread(ViewConfig(db=str(db))):
        with httpx.Client(base_url=url) as client:
            assert client.get("/").status_code == 200 and client.get(f"/runs/{run.id}").status_code == 200
            arena = client.get("/arena")
            assert arena.status_code == 503 and "read-only" in arena.text
            vote = client.get("/vote")
            assert vote.status_code == 200 and "Nothing to vote on" in vote.text


def test_the_view_reads_and_votes_on_postgresql():
    import os
    import uuid
    from urllib.parse import quote

    import pytest
    import sqlalchemy as sa

    from .conftest import _answer_run, _eval_run

    base = os.environ.get("TOOLGYM_TEST_PG_URL")
    if not base:
        pytest.skip(reason='needs a PostgreSQL server: set TOOLGYM_TEST_PG_URL (eval "$(.ci/postgres.sh start)")')
    schema = f"v_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = f"{base}{'&' if '?' in base else '?'}options={quote(f'-csearch_path={schema}')}"
    try:
        with Store(url) as store:
            _eval_run(store, "pg-run", "openai:model-a", passing={0, 3, 6}, hostile=True)
            _answer_run(store, "model-x", "thorough")
            _answer_run(store, "model-y", "terse")
            rid = store.get_run("pg-run").id
        for served in serve_in_thread(ViewConfig(db=url)):
            with httpx.Client(base_url=served) as client:
                assert "pg-run" in client.get("/").text and "Accuracy by category" in client.get(f"/runs/{rid}").text
                found = client.get(f"/runs/{rid}/transcripts", params={"q": "answer 17)", "category": "parallel"})
                assert set(re.findall(r'<span class="task">(task-\d+)</span>', found.text)) == {"task-017"}
                html = client.get("/vote").text
                ballot = re.search(r'name="ballot" value="([^"]+)"', html).group(1)
                csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
                assert client.post("/vote", data={"ballot": ballot, "choice": "tie", "csrf": csrf}).status_code == 303
                assert "votes:web (1 games)" in client.get("/arena").text
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()
