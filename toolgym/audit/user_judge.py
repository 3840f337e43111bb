"""A judge of the simulated user's turns: was a failed episode the user's fault?

A simulated user can break a multi-turn episode without a `user_error`: it contradicts its hidden
instruction, invents facts, or ends the conversation before its request is done. Given a judge model,
each failed rollout that has simulated-user turns is shown to it with the instruction, and a reply
containing `USER_FAULT` marks the failure as the user's (`stats.classify_outcome(user_faulted=True)`).
"""

from __future__ import annotations

from ..envs.task_metadata import UserMetadata
from ..models import Model
from ..run.user import USER_NAME
from ..types import Message, Rollout, SamplingConfig, Task

__all__ = ["JUDGE_PROMPT", "judge_user_turns"]

JUDGE_PROMPT = """You check a simulated customer in a support conversation. The customer was told:

{instruction}

Here is everything the customer said:

{turns}

Did the customer deviate from its instruction: contradict it, make up facts it does not give, or \
end the conversation before its request was handled? Answer USER_FAULT if it did, OK if it did not, \
then one sentence of reason."""


async def judge_user_turns(judge: Model, task: Task, rollout: Rollout) -> bool | None:
    """True when the judge blames the simulated user; None when there is nothing to judge.

    Only rollouts with simulated-user turns and a task with a `user_instruction` are judged.
    """
    instruction = UserMetadata.of(task).user_instruction
    turns = [m.text for m in rollout.messages if m.role == "user" and m.name == USER_NAME]
    if instruction is None or not turns:
        return None
    prompt = JUDGE_PROMPT.format(instruction=instruction, turns="\n".join(f"- {t}" for t in turns))
    completion = await judge.generate([Message(role="user", content=prompt)], [], SamplingConfig(temperature=0.0),
                                      task_id=task.id, sample=rollout.sample)
    return "USER_FAULT" in (completion.text or "").upper()
