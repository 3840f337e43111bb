"""Build the retail suite: one freshly drawn world per task, a request, gold actions, a user.

Generation is a pure function of (seed, sizes): a `random.Random` per split, worlds drawn from
`"{seed}:{split}:{index}"`, categories dealt in shuffled rounds so each gets its share.
"""

from __future__ import annotations

import random

from ...envs import DOMAINS, Domain, StatefulEnv
from ...types import Expected, Message, Split, Task
from ..gold import call
from ..suite import Suite
from .policy import POLICY
from .tasks import GENERATORS, Draft, Scene
from .tools import TOOLS
from .world import build_world

__all__ = ["RETAIL", "build_retail", "retail"]

#: the retail domain: its tools, and worlds from `metadata["state_seed"]` for hand-written tasks
RETAIL = DOMAINS.register("retail")(Domain("retail", TOOLS, build_state=build_world))

#: the scripted user's one turn: thanks, and the stop marker of `toolgym.run.user.STOP_MARKER`
CLOSING = "Thank you, that's all. ###STOP###"


def _task(draft: Draft, scene: Scene, task_id: str, split: Split) -> Task:
    c = scene.customer
    first, last, email, zip_code = c["name"]["first"], c["name"]["last"], c["email"], c["address"]["zip"]
    if draft.auth == "name":
        auth_text, auth = f"I'm {first} {last}, zip code {zip_code}.", call(
            "find_customer_by_name_zip", first_name=first, last_name=last, zip=zip_code)
    else:
        auth_text, auth = f"My email is {email}.", call("find_customer_by_email", email=email)
    instruction = (f"You are {first} {last}; your email is {email} and your zip code is {zip_code}. {draft.goal} "
                   "You said so in your first message. If the agent refuses, accept it; ask for nothing else.")
    return Task(
        id=task_id,
        messages=[Message(role="system", content=POLICY),
                  Message(role="user", content=f"Hi! {auth_text} {draft.text}")],
        tools=RETAIL.schemas(),
        category=draft.category,
        split=split,
        expected=Expected(gold_actions=[auth, *draft.gold], facts=draft.facts),
        metadata={"domain": "retail", "initial_state": scene.db, "required_actions": [auth.name],
                  "user_instruction": instruction, "user_turns": [CLOSING]},
    )


def build_retail(seed: int = 0, n_train: int = 40, n_test: int = 40) -> Suite:
    """The retail suite with `n_train` + `n_test` tasks, the same for the same arguments."""
    tasks: list[Task] = []
    for split, n in (("test", n_test), ("train", n_train)):
        rng = random.Random(f"retail:{seed}:{split}")
        deck: list = []
        for i in range(n):
            if not deck:
                deck = list(GENERATORS)
                rng.shuffle(deck)
            auth_rng = rng.random() < 0.5
            scene = Scene(build_world(f"{seed}:{split}:{i}"), rng)
            draft = deck.pop()(scene)
            if draft.auth is None:
                draft.auth = "name" if auth_rng else "email"
            tasks.append(_task(draft, scene, f"retail-{split}-{i:03d}", split))
    return Suite(name="retail", env=StatefulEnv(domains=[RETAIL]), tasks=tasks)


def retail() -> Suite:
    """The bundled retail suite (seed 0, 40 test and 40 train tasks)."""
    return build_retail()
