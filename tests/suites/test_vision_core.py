"""vision-core: pictures drawn here, values read from them, tools that answer with pictures, 100% for the reference."""

from __future__ import annotations

import io
import json
import sqlite3
from collections import Counter
from contextlib import closing

import pytest
from PIL import Image

from tests.suites.gold_replay import evaluate_replay, write_gold_replay
from toolgym.envs import StatefulEnv
from toolgym.images import decode_data_url
from toolgym.suites import load_suite
from toolgym.suites.vision_core import build_vision_core
from toolgym.suites.vision_core.tasks import TEMPLATES
from toolgym.types import FailureKind, ImagePart, Message, ToolCall

READ_FROM_IMAGE = ("receipt_convert", "receipt_expense", "bar_log", "line_peak", "table_expense", "form_submit",
                   "sign_navigate")


@pytest.fixture(scope="module")
def suite():
    return load_suite("vision-core")


def pixels(part: ImagePart) -> tuple[int, int]:
    mime, data = decode_data_url(part.image_url.url)
    assert mime == "image/png"
    return Image.open(io.BytesIO(data)).size


def test_generation_is_deterministic_and_every_category_has_both_splits(suite):
    assert build_vision_core().version == suite.version
    counts = Counter((t.category, t.split) for t in suite.tasks)
    assert len(counts) == 22 and set(counts.values()) == {4}


def test_splits_are_disjoint_in_templates_and_in_the_values_to_read(suite):
    for category, by_split in TEMPLATES.items():
        assert not set(by_split["train"]) & set(by_split["test"]), category
    values = {split: set() for split in ("train", "test")}
    requests = {split: set() for split in ("train", "test")}
    for t in suite.tasks:
        requests[t.split].add(t.messages[1].text)
        for action in t.expected.gold_actions or []:
            values[t.split].update(json.dumps(v) for k, v in action.arguments.items()
                                   if k in ("amount", "value", "merchant", "destination", "name"))
        values[t.split].update(t.expected.facts)
    assert values["train"] and values["test"] and not values["train"] & values["test"]
    assert not requests["train"] & requests["test"]


def test_the_value_a_call_needs_is_only_in_the_picture(suite):
    for t in suite.tasks:
        if t.category not in READ_FROM_IMAGE:
            continue
        assert t.messages[1].images, t.id
        shown = t.messages[1].text
        for action in t.expected.gold_actions or []:
            for key in ("amount", "value", "destination", "name"):
                if key in action.arguments:
                    assert str(action.arguments[key]) not in shown, (t.id, key)


def test_the_reference_scores_100_percent_and_stores_each_image_once(tmp_path, suite):
    replay = write_gold_replay(tmp_path / "ref.jsonl", suite.split("test"))
    run, rows = evaluate_replay(tmp_path, "vision-core", replay)
    assert len(rows) == 44 and all(v is not None and v.passed for _, _, v in rows)
    zoomed = next(r for _, r, _ in rows if r.task_id == next(t.id for t in suite.tasks
                                                                if t.category == "zoom_expense" and t.split == "test"))
    thumbnail, answer = zoomed.messages[1].images[0], next(m for m in zoomed.messages if m.role == "tool")
    assert answer.name == "zoom" and pixels(answer.images[0])[0] > 4 * pixels(thumbnail)[0]
    distinct = {p.image_url.url for _, r, _ in rows for m in r.messages for p in m.images}
    with closing(sqlite3.connect(tmp_path / "runs.db")) as conn:
        assert conn.execute("SELECT count(*) FROM images").fetchone()[0] == len(distinct)


def _verdict(task, *turns):
    """The verdict of an agent that made `turns` (lists of calls), each answered by the domain."""
    env = StatefulEnv()
    episode, transcript = env.reset(task), list(task.messages)
    for i, calls in enumerate(turns):
        calls = [c.model_copy(update={"id": f"c{i}{j}"}) for j, c in enumerate(calls)]
        transcript.append(Message(role="assistant", tool_calls=calls))
        transcript += [Message(role="tool", content=episode.call(c), tool_call_id=c.id, name=c.name) for c in calls]
    return env.verify(task, [*transcript, Message(role="assistant", content="Done.")])


def test_wrong_values_skipped_pictures_and_needless_calls_fail(suite):
    def first(category):
        return next(t for t in suite.tasks if t.category == category)

    expense = first("receipt_expense")
    wrong = expense.expected.gold_actions[0].model_copy(deep=True)
    wrong.arguments["amount"] = round(wrong.arguments["amount"] + 1, 2)
    assert _verdict(expense, [wrong]).failure == FailureKind.STATE_MISMATCH
    zoom = first("zoom_expense")
    assert _verdict(zoom, [zoom.expected.gold_actions[1]]).failure == FailureKind.MISSING_ACTION
    assert _verdict(zoom, *[[a] for a in zoom.expected.gold_actions]).passed
    sign = first("irrelevance")
    assert _verdict(sign, [ToolCall(name="navigate", arguments={"destination": "x"})]).failure == \
        FailureKind.STATE_MISMATCH


def test_tools_answer_with_pictures_and_name_unknown_images(suite):
    task = next(t for t in suite.tasks if t.category == "crop_expense")
    episode = StatefulEnv().reset(task)
    content = episode.call(ToolCall(name="crop", arguments={"image": "prices", "part": "bottom"}))
    assert isinstance(content, list) and pixels(content[0]) == (2 * 330, 2 * (60 + 24 * 7) // 2)
    with pytest.raises(Exception, match="no image named 'chart'; the images are: prices"):
        episode.call(ToolCall(name="zoom", arguments={"image": "chart"}))
    render = next(t for t in suite.tasks if t.category == "render_log")
    series = render.expected.gold_actions[0].arguments["series"]
    chart = StatefulEnv().reset(render).call(ToolCall(name="render_chart", arguments={"series": series}))
    assert pixels(chart[0]) == (360, 240) and chart[1].text == f"bar chart of {series}"
