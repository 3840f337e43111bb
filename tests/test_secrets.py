"""Credentials in a base URL reach the server, and nothing else: not the database, manifests, reports,
exports, terminal or logs. Checked against a real loopback server that records what it received."""

from __future__ import annotations

import asyncio
import base64
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.openai_server import OpenAIServer, status
from tests.helpers.unprivileged import REPO
from tests.run.suite_factory import write_suite
from toolgym.models import ModelOptions
from toolgym.models.openai import OpenAIModel
from toolgym.models.retry import RetryPolicy
from toolgym.redact import redact_text, redact_url
from toolgym.run import RunConfig, evaluate_async

USER, PASSWORD, KEY = "alice", "pa55-w0rd-XYZ", "sk-SECRET-KEY-123"
SECRETS = (PASSWORD, KEY)


def secret_url(server: OpenAIServer) -> str:
    return f"http://{USER}:{PASSWORD}@127.0.0.1:{server.port}/v1?api_key={KEY}&org=team%201"


def assert_no_secret(where: str, data: str | bytes) -> None:
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked into {where}"


def toolgym(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "TOOLGYM_LOG": "INFO", "COLUMNS": "250"}
    env.pop("OPENAI_BASE_URL", None)
    return subprocess.run([sys.executable, "-m", "toolgym", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_requests_keep_the_query_string_and_credentials_and_nothing_else_shows_them(tmp_path: Path) -> None:
    suite = write_suite(tmp_path / "suite.jsonl", 3)
    db = tmp_path / "runs.db"
    with OpenAIServer() as server:
        done = toolgym("eval", f"jsonl:{suite}", "--model", "openai:m", "--base-url", secret_url(server),
                       "--split", "all", "--db", str(db), "--run", "r", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        posts = [r for r in server.requests if r.method == "POST"]
    assert len(posts) == 3
    for request in posts:  # what the server received: the exact query string, the password as Basic auth
        assert request.path == f"/v1/chat/completions?api_key={KEY}&org=team%201"
        assert request.headers["authorization"] == "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    assert "HTTP Request: POST http://***@127.0.0.1" in done.stderr  # the INFO log line, redacted
    assert_no_secret("the terminal and the logs", done.stdout + done.stderr)
    toolgym("export", "r", "--out", str(tmp_path / "r.jsonl"), "--db", str(db), cwd=tmp_path)
    toolgym("report", "r", "--out", str(tmp_path / "r.html"), "--db", str(db), cwd=tmp_path)
    for name in ("runs.db", "r.jsonl", "r.html"):
        assert (tmp_path / name).stat().st_size > 0
        assert_no_secret(name, (tmp_path / name).read_bytes())


def test_an_error_quoting_the_url_is_stored_and_reported_redacted(tmp_path: Path) -> None:
    suite = write_suite(tmp_path / "suite.jsonl", 2)
    db = tmp_path / "runs.db"
    with OpenAIServer() as server:
        server.script(status(503), status(503))
        model = OpenAIModel("m", ModelOptions(base_url=secret_url(server)), retry=RetryPolicy(max_attempts=1))
        config = RunConfig(suite=f"jsonl:{suite}", model="openai:m", split="all", db=str(db), run="r")
        asyncio.run(evaluate_async(config, model=model))
    with sqlite3.connect(db) as conn:
        errors = [e for (e,) in conn.execute("SELECT error FROM rollouts") if e]
        manifests = [m for (m,) in conn.execute("SELECT manifest FROM runs")]
    assert len(errors) == 2 and all("http://***@127.0.0.1" in e and "api_key=***" in e for e in errors)
    assert_no_secret("the manifest", "".join(manifests))
    del conn
    assert_no_secret("the database file", db.read_bytes())


def test_a_rejected_request_prints_the_url_redacted(tmp_path: Path) -> None:
    suite = write_suite(tmp_path / "suite.jsonl", 1)
    with OpenAIServer() as server:
        server.script(status(401, "bad key"))
        done = toolgym("eval", f"jsonl:{suite}", "--model", "openai:m", "--base-url", secret_url(server),
                       "--split", "all", "--db", str(tmp_path / "runs.db"), cwd=tmp_path)
    assert "401" in done.stdout + done.stderr
    assert_no_secret("the terminal", done.stdout + done.stderr)


def test_a_malformed_base_url_is_refused_without_echoing_its_password() -> None:
    from toolgym.errors import UserError

    with pytest.raises(UserError) as caught:
        OpenAIModel("m", ModelOptions(base_url=f"ftp://{USER}:{PASSWORD}@host/v1?api_key={KEY}"))
    assert "ftp://***@host/v1?api_key=***" in str(caught.value)
    assert_no_secret("the error", str(caught.value))


@pytest.mark.parametrize(("url", "shown"), [
    ("http://u:p@h:8000/v1?api_key=k&x=1", "http://***@h:8000/v1?api_key=***&x=***"),
    ("https://token@h/v1", "https://***@h/v1"),
    ("http://localhost:8000/v1", "http://localhost:8000/v1"),
    ("postgresql+psycopg://me:pw@db/x", "postgresql+psycopg://***@db/x"),
])
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_redact_text_finds_every_url_in_a_message() -> None:
    message = f"POST http://a:{PASSWORD}@h/v1/chat?api_key={KEY}: cannot connect; also 'https://x/?t={KEY}'"
    assert redact_text(message) == "POST http://***@h/v1/chat?api_key=***: cannot connect; also 'https://x/?t=***'"
