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
