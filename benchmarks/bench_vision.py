"""What images cost: store size and eval time per 1,000 image tasks against the same tasks without images.

    python benchmarks/bench_vision.py                 # 1,000 vision-core tasks, 3 timed runs each
    python benchmarks/bench_vision.py --tasks 200 --repeats 1

The image tasks are vision-core's (drawn with Pillow: a picture in the prompt, and for zoom, crop and
render_chart a picture in a tool result). Their twins are the same tasks with the prompt's pictures
removed and the picture tools answering with their caption only, so the two runs differ only by the
images. Both are evaluated with the reference answers (`replay:`) into a fresh SQLite file; the
figures are the database size, the median wall time of `evaluate`, and their ratios. A second image
run with 4 samples per task shows that an image is stored once, not once per rollout. Last, the
replay throughput of the bundled vision-core suite (88 tasks, both splits).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from toolgym.cli.main_job import reference_lines
from toolgym.envs import DOMAINS, Domain
from toolgym.run import RunConfig, evaluate
from toolgym.suites import Suite, load_suite
from toolgym.suites.vision_core import VISION, build_vision_core
from toolgym.types import Message, Task, TextPart

PICTURE_TOOLS = ("zoom", "crop", "render_chart")


def _caption_only(tool):
    def run(state, **arguments):
        return [p for p in tool.fn(state, **arguments) if isinstance(p, TextPart)][0].text

    return tool.model_copy(update={"fn": run})


TEXT_DOMAIN = DOMAINS.register("vision-text")(
    Domain("vision-text", tuple(_caption_only(t) if t.name in PICTURE_TOOLS else t for t in VISION.tools)))


def text_twin(task: Task) -> Task:
    """The task without pictures: prompt text only, picture tools answering with their caption."""
    messages = [Message(role=m.role, content=m.text) if m.images else m for m in task.messages]
    return task.model_copy(update={"messages": messages, "metadata": {**task.metadata, "domain": "vision-text"}})


def timed_eval(suite: Suite, replay: Path, db: Path, run: str, repeats: int = 1) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one evaluation; CPU time is the steadier on a shared machine."""
    start, cpu = time.perf_counter(), time.process_time()
    evaluate(RunConfig(suite=suite.name, model=f"replay:{replay}", db=str(db), run=run, split="all",
                       repeats=repeats, concurrency=16), suite=suite)
    return time.perf_counter() - start, time.process_time() - cpu


def size_of(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per variant (median reported)")
    args = parser.parse_args()
    start = time.perf_counter()
    images = build_vision_core(n_train=0, n_test=args.tasks)
    print(f"generated {args.tasks} image tasks in {time.perf_counter() - start:.1f} s")
    text = Suite(name="vision-core-text", environment="stateful", tasks=[text_twin(t) for t in images.tasks])
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        replay = tmp / "ref.jsonl"
        replay.write_text("".join(json.dumps(line) + "\n" for t in images.tasks for line in reference_lines(t)))
        times: dict[str, list[tuple[float, float]]] = {"images": [], "text": []}
        sizes: dict[str, int] = {}
        for i in range(args.repeats):
            for name, suite in (("images", images), ("text", text)):
                db = tmp / f"{name}-{i}.db"
                times[name].append(timed_eval(suite, replay, db, name))
                sizes[name] = size_of(db)
        k4 = tmp / "images-k4.db"
        timed_eval(images, replay, k4, "k4", repeats=4)
        per = 1000 / args.tasks
        print(f"store size per 1,000 tasks: images {sizes['images'] * per / 2**20:.2f} MiB, "
              f"text {sizes['text'] * per / 2**20:.2f} MiB, ratio {sizes['images'] / sizes['text']:.2f}")
        print(f"store size per 1,000 tasks x 4 samples (images): {size_of(k4) * per / 2**20:.2f} MiB "
              f"({size_of(k4) / sizes['images']:.2f}x one sample: images are stored once)")
        extra = (size_of(k4) - sizes["images"]) / 3  # each sample after the first: transcript rows only
        print(f"each further sample of an image task: {extra * per / 2**20:.2f} MiB per 1,000 rollouts, "
              f"{extra / sizes['text']:.2f}x a text-only rollout")
        for i, what in enumerate(("wall", "CPU")):
            med = {k: statistics.median(t[i] for t in v) for k, v in times.items()}
            ratio = med["images"] / med["text"]
            print(f"eval (replay) per 1,000 tasks, {what} time, median of {args.repeats}: images "
                  f"{med['images'] * per:.2f} s, text {med['text'] * per:.2f} s, ratio {ratio:.2f}")
        bundled = load_suite("vision-core")
        bundled_replay = tmp / "bundled.jsonl"
        lines = [line for t in bundled.tasks for line in reference_lines(t)]
        bundled_replay.write_text("".join(json.dumps(line) + "\n" for line in lines))
        runs = [timed_eval(bundled, bundled_replay, tmp / f"bundled-{i}.db", "bundled") for i in range(args.repeats)]
        wall, cpu = (statistics.median(r[i] for r in runs) for i in (0, 1))
        print(f"vision-core replay throughput ({len(bundled.tasks)} tasks, median of {args.repeats}): "
              f"{len(bundled.tasks) / wall:.1f} rollouts/s wall, {len(bundled.tasks) / cpu:.1f} per CPU second")


if __name__ == "__main__":
    main()
