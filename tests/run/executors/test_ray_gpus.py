"""Model servers on GPUs (`--gpus-per-model`), on a cluster whose node declares a GPU this machine lacks.

Ray schedules by declared resources, so a node started with `num_gpus=1` hands its GPU to a server
actor (the id and CUDA_VISIBLE_DEVICES are set there) while torch, seeing no CUDA, runs the model on
the CPU: the placement path is real, the arithmetic is the CPU's.
"""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from tests.run.executors.conftest import NODE
from tests.run.executors.test_ray_executor import both, wait_for
from tests.train.crafted import needs_tiny
from toolgym.cli import main
from toolgym.models import ModelOptions
from toolgym.run import RunConfig, executor_for

ray = pytest.importorskip("ray", reason="needs Ray: pip install 'toolgym[ray]'")
pytestmark = [pytest.mark.slow, needs_tiny]  # a Ray cluster, a node added to it, the tiny model served

CPU_ONLY = "runs on the CPU"


def gpus_free() -> float:
    return ray.available_resources().get("GPU", 0.0)


def test_model_servers_hold_their_gpu_share_and_run_on_the_cpu_where_torch_sees_no_cuda(
        tmp_path, ray_cluster, caplog):
    caplog.set_level(logging.WARNING, logger="toolgym.run.executors.ray_models")
    node = ray_cluster.add_node(**{**NODE, "num_cpus": 2}, num_gpus=1)  # a CPU for each server beside the GPU
    try:
        assert wait_for(lambda: ray.cluster_resources().get("GPU") == 1, 60), "the GPU node joined"
        executor = executor_for(f"ray:{ray_cluster.address}")
        model = executor.load_model("tiny", ModelOptions(gpus_per_model=0.5))  # two servers share the GPU
        try:
            where = ray.get([server.placement.remote() for server in model.servers])
            assert wait_for(lambda: gpus_free() == 0, 10), "the two servers hold the whole GPU"
        finally:
            asyncio.run(executor.aclose())
        assert where == [{"gpus": ["0"], "cuda_visible_devices": "0", "device": "cpu"}] * 2
        assert f"holds GPU 0 but torch there sees no CUDA, so it {CPU_ONLY}" in caplog.text
        assert wait_for(lambda: gpus_free() == 1, 10), "stopping the servers gave the GPU back"

        caplog.clear()  # by default, a cluster with a GPU serves the model on it, one server per GPU
        cfg = RunConfig(suite="fc-core", model="tiny", limit=2, concurrency=2, max_tokens=16)
        local, on_ray = both(tmp_path, cfg, ray_cluster.address)
        assert on_ray == local and len(on_ray) == 2
        assert caplog.text.count(CPU_ONLY) == 1, "the run's one model server was given the GPU"
    finally:
        ray_cluster.remove_node(node)


def test_more_gpus_per_model_than_a_node_has_is_one_error_not_a_wait(tmp_path, ray_cluster, capsys):
    db = tmp_path / "x.db"
    started = time.monotonic()
    with pytest.raises(SystemExit) as exit_info:  # the session's cluster has no GPU
        main(["eval", "fc-core", "--model", "tiny", "--limit", "1", "--executor", f"ray:{ray_cluster.address}",
              "--gpus-per-model", "1", "--db", str(db)])
    assert exit_info.value.code == 2 and time.monotonic() - started < 60
    err = " ".join(capsys.readouterr().err.split())
    assert ("--gpus-per-model 1: no node of the Ray cluster has 1 GPU for a model server (it has none); "
            "use --gpus-per-model 0 to serve the model on a CPU, or add GPU nodes") in err
    assert not db.exists(), "nothing was started or stored"
    assert wait_for(lambda: ray.available_resources().get("CPU") == ray.cluster_resources().get("CPU"), 30), \
        "no model server was started (or left waiting for a GPU)"
