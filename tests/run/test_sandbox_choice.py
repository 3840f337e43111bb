"""`--sandbox`: the isolation of model-written code is chosen, printed and recorded in the run manifest."""

from __future__ import annotations

import shutil

import pytest

from toolgym.cli import main
from toolgym.store import Store
from toolgym.store.manifest import diff_manifests

pytestmark = pytest.mark.skipif(
    shutil.which("bwrap", path="/usr/local/bin:/usr/bin:/bin") is None,
    reason="bubblewrap (bwrap) is not installed: apt-get install bubblewrap",
)


@pytest.fixture
def reference(tmp_path, capsys):
    ref = tmp_path / "ref.jsonl"
    main(["suite", "reference", "code", "--split", "test", "--out", str(ref)])
    capsys.readouterr()
    return ref, str(tmp_path / "runs.db")


def eval_code(ref, db, *extra: str) -> None:
    main(["eval", "code", "--model", f"replay:{ref}", "--limit", "2", "--db", db, *extra])


def test_default_is_bwrap_printed_and_recorded(reference, capsys):
    ref, db = reference
    eval_code(ref, db, "--run", "strong")
    out = capsys.readouterr().out
    assert "model-written code runs in the bwrap sandbox" in out and "weak" not in out
    assert Store(db).get_run("strong").manifest.sandbox == "bwrap"


def test_a_weak_sandbox_runs_only_by_name_and_a_resume_must_name_it_again(reference, capsys):
    ref, db = reference
    eval_code(ref, db, "--run", "weak", "--sandbox", "process")
    assert "runs in the process sandbox (weak isolation, chosen by name)" in capsys.readouterr().out
    assert Store(db).get_run("weak").manifest.sandbox == "process"
    with pytest.raises(SystemExit) as e:
        eval_code(ref, db, "--run", "weak")  # the default is bwrap: not the same run
    assert e.value.code == 2 and 'sandbox: "process" -> "bwrap"' in capsys.readouterr().err


def test_unknown_sandbox_is_one_clear_error(reference, capsys):
    ref, db = reference
    with pytest.raises(SystemExit) as e:
        eval_code(ref, db, "--sandbox", "docker")
    err = capsys.readouterr().err
    assert e.value.code == 2 and "--sandbox" in err and "'bwrap'" in err and "Traceback" not in err


def test_suites_without_code_record_no_sandbox_and_older_runs_still_resume(tmp_path, capsys):
    db = str(tmp_path / "runs.db")
    main(["eval", "fc-core", "--model", "tiny", "--limit", "1", "--db", db, "--run", "fc"])
    capsys.readouterr()
    assert Store(db).get_run("fc").manifest.sandbox is None
    assert diff_manifests({"suite": "fc-core"}, {"suite": "fc-core", "sandbox": None}) == []
    assert diff_manifests({"suite": "code"}, {"suite": "code", "sandbox": "bwrap"}) == ['sandbox: (absent) -> "bwrap"']
