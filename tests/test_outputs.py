"""Never lose a file: every output command checks first, refuses to replace without --force, never
writes over the database it reads, and writes through a temporary file renamed into place."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.helpers.signals import sigint_default
from tests.helpers.unprivileged import REPO, as_nobody, shared_dir
from toolgym.cli import main
from toolgym.errors import UserError
from toolgym.outputs import atomic_dir, atomic_file, check_output
from toolgym.store import RunManifest, Store
from toolgym.types import Message, Rollout, SamplingConfig, Verdict

OLD = "the old file, which must survive\n"


def write_run(db: Path, n: int, name: str = "r", words: int = 20) -> None:
    """A real SQLite store with one run of `n` passed rollouts, each message `words` words long."""
    with Store(str(db)) as store:
        run = store.open_run(name, RunManifest(suite="s", suite_version="v", model="m", split="test",
                                               sampling=SamplingConfig()))
        store.write(run.id, [
            (Rollout(task_id=f"t{i:06d}", messages=[Message(role="user", content=f"question {i} " * words),
                                                     Message(role="assistant", content=f"answer {i} " * words)]),
             "simple", Verdict.ok())
            for i in range(n)
        ])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "toolgym.db"
    write_run(path, 5)
    return path


@pytest.fixture
def shared() -> Iterator[Path]:
    path = shared_dir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


def run_cli(*args: str) -> None:
    main(list(args))


def error_of(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        run_cli(*args)
    assert exit_info.value.code == 2
    return " ".join(capsys.readouterr().err.split())


# export


def test_export_refuses_an_existing_file_without_force(db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "r.jsonl"
    out.write_text(OLD)
    err = error_of(capsys, "export", "r", "--out", str(out), "--db", str(db))
    assert "already exists" in err and "--force" in err
    assert out.read_text() == OLD
    run_cli("export", "r", "--out", str(out), "--db", str(db), "--force")
    assert len(out.read_text().splitlines()) == 5
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("side", ["", "-wal", "-shm"])
def test_export_never_writes_over_the_database_it_reads(db: Path, capsys, side: str) -> None:
    target = db.with_name(db.name + side)
    if not target.exists():  # the WAL files exist while a connection is open; make them as a writer would
        target.write_bytes(b"")
    before = db.read_bytes()
    err = error_of(capsys, "export", "r", "--out", str(target), "--db", str(db), "--force")
    assert "which this command reads" in err and "--force never writes over an input" in err
    assert db.read_bytes() == before
    with Store(str(db)) as store:
        assert store.get_run("r").done == 5


def test_export_infers_parquet_from_the_suffix(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.parquet"
    run_cli("export", "r", "--out", str(out), "--db", str(db))
    table = pq.read_table(out)
    assert table.num_rows == 5 and json.loads(table.column("messages")[0].as_py())[0]["role"] == "user"
    plain = tmp_path / "r.out"
    run_cli("export", "r", "--out", str(plain), "--db", str(db))  # unknown suffix: JSON Lines, as before
    assert json.loads(plain.read_text().splitlines()[0])["run"] == "r"


def test_export_to_a_folder_or_a_missing_folder_names_the_fix(db: Path, tmp_path: Path, capsys) -> None:
    err = error_of(capsys, "export", "r", "--out", str(tmp_path), "--db", str(db))
    assert f"--out {tmp_path} is a folder" in err and "give a file path inside it" in err
    err = error_of(capsys, "export", "r", "--out", str(tmp_path / "nowhere" / "r.jsonl"), "--db", str(db))
    assert "nowhere does not exist" in err and "create it" in err


def test_export_to_an_unwritable_folder_as_an_unprivileged_user(shared: Path) -> None:
    write_run(shared / "runs.db", 3)
    locked = shared / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    (shared / "runs.db").chmod(0o644)
    done = as_nobody(["export", "r", "--db", str(shared / "runs.db"), "--out", str(locked / "r.jsonl")], shared)
    assert done.returncode == 2, done.stderr
    assert "is not writable by this user" in done.stderr and "Traceback" not in done.stderr
    assert not (locked / "r.jsonl").exists()


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run whose export is ~100 MB: writing it takes long enough to be interrupted."""
    db = tmp_path_factory.mktemp("big") / "big.db"
    write_run(db, 2000, words=2500)
    return db


def _kill_mid_write(db: Path, tmp_path: Path, sig: signal.Signals) -> tuple[Path, int]:
    """Export a large run over an old file and send `sig` once the temporary file is being written."""
    out = tmp_path / "big.jsonl"
    out.write_text(OLD)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "toolgym", "export", "r", "--out", str(out), "--db", str(db),
                             "--force"], env=env, preexec_fn=sigint_default,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            partial = [p for p in tmp_path.glob(".big.jsonl.*.tmp") if p.stat().st_size > 0]
            if partial:
                proc.send_signal(sig)
                break
            time.sleep(0.001)
        else:
            pytest.fail("the export finished before its temporary file was seen; make the run larger")
        return out, proc.wait(timeout=30)
    finally:
        proc.kill()


def test_kill_9_mid_export_leaves_the_old_file_intact(big_db: Path, tmp_path: Path) -> None:
    out, code = _kill_mid_write(big_db, tmp_path, signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert out.read_text() == OLD


def test_ctrl_c_mid_export_leaves_the_old_file_and_no_temporary_file(big_db: Path, tmp_path: Path) -> None:
    out, _ = _kill_mid_write(big_db, tmp_path, signal.SIGINT)  # the exit code of Ctrl-C is the CLI's (130)
    assert out.read_text() == OLD
    assert list(tmp_path.glob(".big.jsonl.*.tmp")) == []


# the other output commands


def test_report_refuses_an_existing_file_and_the_database(db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "report.html"
    out.write_text(OLD)
    assert "already exists" in error_of(capsys, "report", "r", "--out", str(out), "--db", str(db))
    assert out.read_text() == OLD
    assert "which this command reads" in error_of(capsys, "report", "r", "--out", str(db), "--db", str(db),
                                                  "--force")
    run_cli("report", "r", "--out", str(out), "--db", str(db), "--force")
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_suite_reference_refuses_an_existing_file(tmp_path: Path, capsys) -> None:
    out = tmp_path / "ref.jsonl"
    out.write_text(OLD)
    assert "already exists" in error_of(capsys, "suite", "reference", "fc-core", "--out", str(out))
    assert out.read_text() == OLD
    run_cli("suite", "reference", "fc-core", "--out", str(out), "--force")
    assert json.loads(out.read_text().splitlines()[0])["id"]


def test_leaderboard_html_refuses_an_existing_file_before_any_work(tmp_path: Path, capsys) -> None:
    votes = tmp_path / "votes.jsonl"
    votes.write_text("".join(json.dumps({"model_a": a, "model_b": b, "winner": w}) + "\n"
                             for a, b, w in [("x", "y", "model_a"), ("y", "x", "model_a"), ("x", "y", "tie")]))
    db = str(tmp_path / "arena.db")
    run_cli("arena", "import-votes", str(votes), "--db", db)
    html = tmp_path / "board.html"
    html.write_text(OLD)
    err = error_of(capsys, "arena", "leaderboard", "--db", db, "--html", str(html), "--n-boot", "10")
    assert f"--html {html} already exists" in err
    assert html.read_text() == OLD
    run_cli("arena", "leaderboard", "--db", db, "--html", str(html), "--n-boot", "10", "--force")
    assert "<html" in html.read_text()


def test_data_sft_refuses_an_existing_folder_before_reading_runs(db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "sft"
    out.mkdir()
    (out / "keep.txt").write_text(OLD)
    err = error_of(capsys, "data", "sft", "no-such-run", "--out", str(out), "--db", str(db))
    assert "already exists" in err and "--force" in err
    assert (out / "keep.txt").read_text() == OLD
    err = error_of(capsys, "data", "dpo", "r", "--out", str(db), "--db", str(db), "--force")
    assert "which this command reads" in err


# the module itself


def test_atomic_file_keeps_the_old_file_when_the_block_fails(tmp_path: Path) -> None:
    out = tmp_path / "a.txt"
    out.write_text(OLD)
    with pytest.raises(RuntimeError), atomic_file(out) as f:
        f.write("half")
        raise RuntimeError("stopped mid-write")
    assert out.read_text() == OLD and list(tmp_path.iterdir()) == [out]


def test_atomic_file_gives_the_permissions_of_a_plain_open(tmp_path: Path) -> None:
    plain, atomic = tmp_path / "plain.txt", tmp_path / "atomic.txt"
    plain.write_text("x")
    with atomic_file(atomic) as f:
        f.write("x")
    assert atomic.stat().st_mode == plain.stat().st_mode


def test_atomic_dir_replaces_a_folder_whole_or_not_at_all(tmp_path: Path) -> None:
    out = tmp_path / "data"
    out.mkdir()
    (out / "old.txt").write_text(OLD)
    with pytest.raises(KeyboardInterrupt), atomic_dir(out) as tmp:
        (tmp / "new.txt").write_text("new")
        raise KeyboardInterrupt
    assert [p.name for p in out.iterdir()] == ["old.txt"] and list(tmp_path.iterdir()) == [out]
    with atomic_dir(out) as tmp:
        (tmp / "new.txt").write_text("new")
    assert [p.name for p in out.iterdir()] == ["new.txt"] and list(tmp_path.iterdir()) == [out]


def test_a_folder_output_gets_its_parents_a_file_output_does_not(tmp_path: Path) -> None:
    assert check_output(tmp_path / "data" / "sft", force=False, folder=True) == tmp_path / "data" / "sft"
    assert (tmp_path / "data").is_dir() and not (tmp_path / "data" / "sft").exists()
    with pytest.raises(UserError, match="does not exist"):
        check_output(tmp_path / "nowhere" / "r.jsonl", force=False)


def test_check_output_wants_a_folder_for_folder_outputs(tmp_path: Path) -> None:
    file = tmp_path / "f"
    file.write_text("x")
    with pytest.raises(UserError, match="is a file; give a folder path"):
        check_output(file, force=True, folder=True)


def test_folder_outputs_get_their_missing_parents_made(tmp_path: Path) -> None:
    out = check_output(tmp_path / "data" / "sft", force=False, folder=True)
    assert (tmp_path / "data").is_dir() and not out.exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(UserError, match="is a file, not a folder"):
        check_output(tmp_path / "file" / "sft", force=False, folder=True)
