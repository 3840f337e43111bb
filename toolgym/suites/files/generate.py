"""Build the files suite: one freshly drawn home directory per task, a request and gold actions.

Generation is a pure function of (seed, sizes): a `random.Random` per split, file systems drawn
from `"{seed}:{split}:{index}"`, categories dealt in shuffled rounds so each gets its share.
"""

from __future__ import annotations

import random
from typing import Any

from ...envs import DOMAINS, Domain, StatefulEnv
from ...types import Expected, Message, Split, Task
from ..suite import Suite
from .tasks import GENERATORS, Draft, Scene
from .tools import HOME, TOOLS
from .world import build_fs

__all__ = ["FILES", "SYSTEM", "build_files", "files"]

SYSTEM = (f"You are a shell assistant working in a virtual file system. The home directory is {HOME}, which "
          "is also the working directory at the start. Use the tools to do what the user asks, then say what you "
          "did; answer questions with the exact values you found.")


def tree_view(state: dict[str, Any]) -> dict[str, Any]:
    """What the files domain compares: the tree (not the working directory), trailing whitespace ignored."""
    return {path: {**node, "content": node["content"].rstrip()} if node["type"] == "file" else node
            for path, node in state["tree"].items()}


#: the files domain: its tools, file systems from `metadata["state_seed"]`, and the tree as what counts
FILES = DOMAINS.register("files")(Domain("files", TOOLS, build_state=build_fs, view=tree_view))


def _task(draft: Draft, scene: Scene, task_id: str, split: Split) -> Task:
    return Task(
        id=task_id,
        messages=[Message(role="system", content=SYSTEM), Message(role="user", content=draft.text)],
        tools=FILES.schemas(),
        category=draft.category,
        split=split,
        expected=Expected(gold_actions=draft.gold, facts=draft.facts),
        metadata={"domain": "files", "initial_state": scene.fs},
    )


def build_files(seed: int = 0, n_train: int = 40, n_test: int = 40) -> Suite:
    """The files suite with `n_train` + `n_test` tasks, the same for the same arguments."""
    tasks: list[Task] = []
    for split, n in (("test", n_test), ("train", n_train)):
        rng = random.Random(f"files:{seed}:{split}")
        deck: list = []
        for i in range(n):
            if not deck:
                deck = list(GENERATORS)
                rng.shuffle(deck)
            scene = Scene(build_fs(f"{seed}:{split}:{i}"), rng)
            tasks.append(_task(deck.pop()(scene), scene, f"files-{split}-{i:03d}", split))
    return Suite(name="files", env=StatefulEnv(domains=[FILES]), tasks=tasks)


def files() -> Suite:
    """The bundled files suite (seed 0, 40 test and 40 train tasks)."""
    return build_files()
