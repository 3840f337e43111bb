"""Build the vision-core suite: a drawn scene per task, the request with its pictures, and gold actions.

Generation is a pure function of (seed, sizes): a `random.Random` per split, categories dealt in
shuffled rounds so each gets its share, pictures drawn with Pillow (`draw.py`) and put in the user
message as PNG data URLs. The scenes also go in the task's initial state, where `zoom`, `crop` and
`render_chart` draw them again.
"""

from __future__ import annotations

import random
from functools import cache
from typing import Any

from ...envs import DOMAINS, Domain
from ...types import ContentPart, Expected, ImagePart, Message, Split, Task, TextPart
from ..suite import Suite
from .draw import draw, png_url
from .tasks import GENERATORS, Draft, Draw
from .tools import TOOLS

__all__ = ["SYSTEM", "VISION", "build_vision_core", "vision_core"]

SYSTEM = ("You are an assistant that can see images. Images in the conversation are named (e.g. 'receipt'). Use "
          "the tools to do what the user asks, with values exactly as printed in the images; zoom, crop and "
          "render_chart show you images. When no tool fits, answer in text.")

#: the vision domain: its tools, and the whole state (expenses, log, forms, route) as what counts
VISION = DOMAINS.register("vision")(Domain("vision", TOOLS))


def _state(draft: Draft) -> dict[str, Any]:
    return {"images": draft.scenes, "series": draft.series, "expenses": [], "log": [], "forms": [], "route": None}


def _prompt(draft: Draft) -> list[ContentPart] | str:
    if not draft.shown:
        return draft.text
    parts: list[ContentPart] = [TextPart(text=draft.text)]
    for name, scale in draft.shown:
        parts += [TextPart(text=f"Image '{name}':"), ImagePart.of(png_url(draw(draft.scenes[name], scale)))]
    return parts


def _task(draft: Draft, task_id: str, split: Split) -> Task:
    return Task(
        id=task_id,
        messages=[Message(role="system", content=SYSTEM), Message(role="user", content=_prompt(draft))],
        tools=VISION.schemas(),
        category=draft.category,
        split=split,
        expected=Expected(gold_actions=draft.gold, facts=draft.facts),
        metadata={"domain": "vision", "initial_state": _state(draft),
                  **({"required_actions": draft.required} if draft.required else {})},
    )


def build_vision_core(seed: int = 0, n_train: int = 44, n_test: int = 44) -> Suite:
    """The vision-core suite with `n_train` + `n_test` tasks, the same for the same arguments."""
    tasks: list[Task] = []
    for split, n in (("test", n_test), ("train", n_train)):
        rng = random.Random(f"vision-core:{seed}:{split}")
        deck: list = []
        for i in range(n):
            if not deck:
                deck = list(GENERATORS)
                rng.shuffle(deck)
            tasks.append(_task(deck.pop()(Draw(rng, split)), f"vision-{split}-{i:03d}", split))
    return Suite(name="vision-core", environment="stateful", tasks=tasks)


@cache
def vision_core() -> Suite:
    """The bundled vision-core suite (seed 0, 44 test and 44 train tasks: 4 of each category per split)."""
    return build_vision_core()
