"""The user side of a multi-turn episode: a simulated user (a second model) or a scripted one.

When the agent answers without a tool call and the task has a user, the user replies and the agent
goes on, until the user ends the conversation or a limit is hit. A task has a user when its metadata
holds one of:

* `user_instruction` (str): what a simulated user wants, hidden from the agent. A second model,
  any backend spec, plays that user when the run gives one (`SimulatedUser`);
* `user_turns` (list of str): fixed replies, said in order (`ScriptedUser`); deterministic, for tests
  and for runs without a user model. With both present, a simulated user wins when there is one.

Every user message the loop adds is tagged `name="user_sim"`, so transcripts show which turns came
from the simulation. A reply containing `STOP_MARKER` ends the episode with `user_stop`, and so does
a scripted user with no turns left; a simulated user that gives no usable text (empty, or tool
calls) ends it with `user_error`, a failure of the simulation rather than of the agent.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from ..envs.task_metadata import UserMetadata
from ..errors import InfraError, UserError
from ..models import Model
from ..suites.suite import STOP_MARKER
from ..types import Message, SamplingConfig, Task

__all__ = ["STOP_MARKER", "USER_NAME", "ScriptedUser", "SimulatedUser", "User", "UserReply", "user_for"]

#: `Message.name` of every message a simulated or scripted user adds
USER_NAME = "user_sim"

_PROMPT = """You are playing a customer talking to a support agent. Stay in character: write only what \
the customer says, in the first person, briefly. Here is what you want (the agent does not see this):

{instruction}

Give the agent information only when it is needed or asked for; do not make up facts the \
instruction does not give. When your request is done, or the agent cannot do more, end the \
conversation by writing {stop} on its own."""


@dataclass(frozen=True)
class UserReply:
    """The user's turn: a message to add, and the end reason when it ends the episode."""

    message: Message | None
    end_reason: str | None = None


class User(ABC):
    """The other side of the conversation."""

    @abstractmethod
    async def reply(self, task: Task, transcript: list[Message], *, sample: int = 0) -> UserReply:
        """The user's answer to the agent's last message."""


class ScriptedUser(User):
    """Says `metadata["user_turns"]` in order; ends the episode when they run out or one says stop."""

    async def reply(self, task: Task, transcript: list[Message], *, sample: int = 0) -> UserReply:
        """The next scripted turn, counted by the user messages already tagged `user_sim`."""
        turns = UserMetadata.of(task).user_turns
        if turns is None:
            raise UserError(f"task {task.id!r}: metadata.user_turns is missing; list the user's later messages")
        said = sum(m.role == "user" and m.name == USER_NAME for m in transcript)
        if said >= len(turns):
            return UserReply(None, "user_stop")
        return _reply(turns[said])


class SimulatedUser(User):
    """A model playing a user who knows `metadata["user_instruction"]`.

    The model sees the conversation from the user's side: its own earlier messages as `assistant`,
    the agent's text answers as `user`; tool calls and results stay hidden. Backends that answer by
    task id (replay) count turns in that view, so the first simulated reply is turn 1 (the task's
    opening user message is turn 0).

    Examples:
        >>> user = SimulatedUser(load_model("openai:gpt-4o-mini"))  # doctest: +SKIP
    """

    def __init__(self, model: Model, sampling: SamplingConfig | None = None) -> None:
        self.model = model
        self.sampling = sampling or SamplingConfig(temperature=0.0)

    async def reply(self, task: Task, transcript: list[Message], *, sample: int = 0) -> UserReply:
        """Ask the user model for the next user message."""
        instruction = UserMetadata.of(task).user_instruction
        if instruction is None:
            raise UserError(f"task {task.id!r}: metadata.user_instruction is missing; say what the simulated user "
                            "wants")
        prompt = Message(role="system", content=_PROMPT.format(instruction=instruction, stop=STOP_MARKER))
        try:
            completion = await self.model.generate(
                [prompt, *user_view(transcript)], [], self.sampling, task_id=task.id, sample=sample
            )
        except InfraError as e:
            raise InfraError(f"simulated user ({self.model.spec}): {e}") from e
        text = (completion.text or "").strip()
        if not text or completion.tool_calls:
            return UserReply(None, "user_error")
        return _reply(text)


def user_view(transcript: list[Message]) -> list[Message]:
    """The conversation as the simulated user sees it: roles swapped, system and tool traffic left out."""
    out = []
    for m in transcript:
        if m.role == "user" and m.content:
            out.append(Message(role="assistant", content=m.content))
        elif m.role == "assistant" and m.content and not m.tool_calls:
            out.append(Message(role="user", content=m.content))
    return out


def user_for(task: Task, simulator: SimulatedUser | None) -> User | None:
    """Who answers the agent in `task`: the simulator, a scripted user, or nobody."""
    meta = UserMetadata.of(task)
    if simulator is not None and meta.user_instruction is not None:
        return simulator
    if meta.user_turns is not None:
        return ScriptedUser()
    return None


def _reply(text: str) -> UserReply:
    message = Message(role="user", content=text, name=USER_NAME)
    return UserReply(message, "user_stop" if STOP_MARKER in text else None)
