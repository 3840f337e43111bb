"""A two-node Ray cluster on this machine for the executor tests: started once, stopped after.

Ray's object store is kept small and the dashboard off, so the cluster starts in seconds and takes
little memory next to other work on the machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

NODE = {"num_cpus": 1, "object_store_memory": 80_000_000}


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[Any]:
    """A head node and a worker node (1 CPU each), this process connected as the driver."""
    ray = pytest.importorskip("ray", reason="needs Ray: pip install 'toolgym[ray]'")
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={**NODE, "include_dashboard": False})
    cluster.add_node(**NODE)
    ray.init(address=cluster.address, log_to_driver=False)
    try:
        yield cluster
    finally:
        ray.shutdown()
        cluster.shutdown()
