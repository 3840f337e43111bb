"""Executor specs and what `--executor` says when it cannot be used (no Ray needed for these)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from toolgym.errors import UserError
from toolgym.run import RunConfig, executor_for
from toolgym.run.executors import LocalExecutor, parse_executor
from toolgym.train.loop import LoopConfig

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(("spec", "parsed"), [
    ("local", ("local", None)), ("ray", ("ray", None)), ("ray:auto", ("ray", "auto")),
    ("ray:10.0.0.5:6379", ("ray", "10.0.0.5:6379")), ("ray://head:10001", ("ray", "//head:10001")),
])
def test_executor_specs_parse(spec, parsed):
    assert parse_executor(spec) == parsed


@pytest.mark.parametrize("spec", ["dask", "ray:", "local:x", ""])
def test_a_bad_executor_spec_names_the_forms(spec):
    with pytest.raises(UserError, match=rf"executor {spec!r} is not one of: local, ray .* ray:ADDRESS"):
        parse_executor(spec)
    with pytest.raises(ValueError, match="is not one of"):
        RunConfig(executor=spec)
    with pytest.raises(ValueError, match="is not one of"):
        LoopConfig(executor=spec)


def test_local_is_the_default():
    assert RunConfig().executor == "local"
    assert isinstance(executor_for(RunConfig().executor), LocalExecutor)


NO_RAY = """
import sys
sys.modules["ray"] = None  # as if Ray were not installed
from toolgym.cli import main
sys.argv = ["toolgym", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("command", [
    ["eval", "fc-core", "--executor", "ray"],
    ["arena", "answer", "--prompts", "fc-core", "--model", "tiny", "--executor", "ray:auto"],
    ["arena", "judge", "--judge", "tiny", "--executor", "ray"],
])
def test_without_ray_the_executor_says_how_to_install_it(tmp_path, command):
    out = subprocess.run([sys.executable, "-c", NO_RAY, *command, "--db", str(tmp_path / "x.db")], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 2, out.stderr
    lines = [line for line in (out.stdout + out.stderr).splitlines() if line.strip()]
    assert lines == ["error: --executor ray needs Ray, which is not installed: pip install 'toolgym[ray]'"]
    assert not (tmp_path / "x.db").exists(), "nothing was started or stored"


@pytest.mark.parametrize("command", [
    ["eval", "fc-core", "--model", "tiny"],
    ["arena", "answer", "--prompts", "fc-core", "--model", "tiny"],
])
def test_gpus_per_model_without_ray_says_it_needs_the_ray_executor(tmp_path, capsys, command):
    from toolgym.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--gpus-per-model", "1", "--db", str(tmp_path / "x.db")])
    assert exit_info.value.code == 2
    assert ("--gpus-per-model 1 places a local model's servers on a Ray cluster; add --executor ray (or "
            "ray:ADDRESS), or leave it out") in " ".join(capsys.readouterr().err.split())
    assert not (tmp_path / "x.db").exists(), "nothing was stored"
