"""A task played locally with given actions: what the adapter tests compare a trainer's rollout with."""

from __future__ import annotations

from toolgym.errors import ToolError
from toolgym.types import Message, ToolCall

CLOSING = "Done: all requested changes are made."


def played_locally(env, task, actions: list[ToolCall], call_id: str = "call_{i}") -> tuple[list[Message], list[str]]:
    """The transcript and tool outputs of playing `actions` on a local episode, then a closing text.

    `call_id` formats each call's id from its position `i`, as the trainer under test numbers them.
    """
    episode, messages, outputs = env.reset(task), list(task.messages), []
    for i, action in enumerate(actions):
        call = action.model_copy(update={"id": call_id.format(i=i)})
        try:
            content = episode.call(call)
        except ToolError as e:
            content = f"Error: {e}"
        outputs.append(content)
        messages += [Message(role="assistant", tool_calls=[call]),
                     Message(role="tool", content=content, tool_call_id=call.id, name=call.name)]
    episode.close()
    return [*messages, Message(role="assistant", content=CLOSING)], outputs
