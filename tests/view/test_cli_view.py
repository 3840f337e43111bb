"""`toolgym view` as a user runs it: a real process serving a real SQLite file on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest

from toolgym.cli import main

from .conftest import _free_port


def wait_up(url: str, process: subprocess.Popen) -> httpx.Response:
    deadline = time.monotonic() + 60
    while True:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            assert process.poll() is None, process.communicate()[0]
            assert time.monotonic() < deadline, "toolgym view did not answer within 60 s"
            time.sleep(0.2)


def test_toolgym_view_serves_the_runs_of_db(view_db: str):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    process = subprocess.Popen([sys.executable, "-m", "toolgym", "view", "--db", view_db, "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        reply = wait_up(f"http://127.0.0.1:{port}/", process)
        assert reply.status_code == 200 and "weather-a" in reply.text
    finally:
        process.terminate()
        out = process.communicate(timeout=30)[0]
    assert f"http://localhost:{port}/" in out


def test_off_loopback_a_random_token_is_required_and_printed(view_db: str):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    process = subprocess.Popen(
        [sys.executable, "-m", "toolgym", "view", "--db", view_db, "--host", "0.0.0.0", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        assert wait_up(f"http://127.0.0.1:{port}/", process).status_code == 401
    finally:
        process.terminate()
        out = process.communicate(timeout=30)[0]
    token = out.split("?token=")[1].split()[0]
    assert len(token) >= 16


def test_a_short_token_is_a_clear_error(view_db: str, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["view", "--db", view_db, "--token", "short"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "--token" in err and "at least 16" in err and "Traceback" not in err


def test_as_another_user_a_read_only_database_is_browsed_and_votes_are_refused(view_db: str):
    import re
    import shutil as sh

    from tests.helpers.unprivileged import NOBODY, shared_dir

    shared = shared_dir()
    db = shared / "view.db"
    sh.copy(view_db, db)
    db.chmod(0o644)  # readable by the other user, who may write neither the file nor its folder
    prefix = []
    if os.geteuid() == 0:
        if sh.which("setpriv") is None:
            pytest.skip(reason="needs setpriv (util-linux) to drop root privileges")
        prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.getcwd(), "HOME": str(shared)}
    process = subprocess.Popen([*prefix, sys.executable, "-m", "toolgym", "view", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=shared)
    before = db.read_bytes()
    try:
        url = f"http://127.0.0.1:{port}"
        assert "weather-b" in wait_up(url + "/", process).text
        with httpx.Client(base_url=url) as client:
            html = client.get("/vote").text
            ballot = re.search(r'name="ballot" value="([^"]+)"', html).group(1)
            csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
            vote = client.post("/vote", data={"ballot": ballot, "choice": "a", "csrf": csrf})
            assert vote.status_code == 503 and "read-only" in vote.text
            assert client.get("/arena").status_code == 503
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert db.read_bytes() == before
    sh.rmtree(shared, ignore_errors=True)
