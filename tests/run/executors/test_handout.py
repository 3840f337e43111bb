"""The hand-out without Ray: bounded, fair to lanes that wait, and a failed chunk is done by someone."""

from __future__ import annotations

import asyncio

from toolgym.run.executors.handout import HandOut
from toolgym.run.scheduler import Job
from toolgym.types import Message, Task


def jobs(n: int):
    for i in range(n):
        yield Job(Task(id=f"t{i}", messages=[Message(role="user", content="hi")], category="c"), 0)


def ids(chunk) -> list[str]:
    return [job.task.id for job in chunk]


def test_at_most_most_out_chunks_are_out_and_a_waiting_lane_is_served_first():
    async def go() -> list[str]:
        hand = HandOut(jobs(10), 2, most_out=2)
        a, b = await hand.take(), await hand.take()
        late = asyncio.ensure_future(hand.take())  # a lane of a worker that joined: waits for a slot
        await asyncio.sleep(0)
        assert not late.done(), "a third chunk went out past most_out"
        await hand.finish(a)
        again = asyncio.ensure_future(hand.take())  # the lane that just finished asks again at once
        await asyncio.sleep(0.01)
        assert late.done() and not again.done(), "the lane that waited first gets the free slot"
        await hand.finish(b)
        return ids(await late) + ids(await again)

    assert asyncio.run(go()) == ["t4", "t5", "t6", "t7"]


def test_a_failed_chunk_is_handed_out_again_before_new_work_and_the_end_waits_for_it():
    async def go() -> list[list[str]]:
        hand = HandOut(jobs(3), 2)
        first, second = await hand.take(), await hand.take()
        last = asyncio.ensure_future(hand.take())  # nothing new left: waits, a chunk may come back
        await asyncio.sleep(0)
        assert not last.done() and not hand.done
        await hand.finish(first, failed=True)
        retried = await last
        await hand.finish(second)
        await hand.finish(retried)
        assert hand.done and await hand.take() is None and hand.retried == 1
        return [ids(first), ids(second), ids(retried)]

    assert asyncio.run(go()) == [["t0", "t1"], ["t2"], ["t0", "t1"]]
