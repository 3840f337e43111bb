"""VLM training data: `toolgym data sft|dpo` on vision-core runs write TRL's conversational vision format."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from tests.helpers.tiny_vlm import tiny_vlm_fixture
from tests.suites.gold_replay import evaluate_replay, gold_lines
from toolgym.cli import main
from toolgym.images import decode_data_url
from toolgym.suites import load_suite

datasets = pytest.importorskip("datasets", reason="needs datasets: pip install 'toolgym[train]'")
tiny_vlm = pytest.fixture(scope="session", name="tiny_vlm")(tiny_vlm_fixture)


@pytest.fixture(scope="module")
def vision_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """Two runs of vision-core's train split: the reference answers, and answers that give up after one call."""
    tmp = tmp_path_factory.mktemp("vision-data")
    tasks = load_suite("vision-core").split("train")
    good, bad = tmp / "good.jsonl", tmp / "bad.jsonl"
    good.write_text("".join(json.dumps(line) + "\n" for t in tasks for line in gold_lines(t)))
    bad.write_text("".join(json.dumps(line) + "\n" for t in tasks for line in (
        [{"id": t.id, "tool_calls": [{"function": {"name": "navigate", "arguments": {"destination": "Nowhere"}}}]},
         {"id": t.id, "turn": 1, "content": "Done."}])))
    first, _ = evaluate_replay(tmp, "vision-core", good, split="train", run="good")
    second, _ = evaluate_replay(tmp, "vision-core", bad, split="train", run="bad")
    return tmp / "runs.db", first.name, second.name


def placeholders(messages: list[dict]) -> int:
    return sum(p == {"type": "image"} for m in messages for p in m["content"] if isinstance(m["content"], list))


def test_sft_rows_hold_image_placeholders_and_the_images_in_order(vision_runs, tmp_path: Path) -> None:
    db, good, _ = vision_runs
    out = tmp_path / "sft"
    main(["data", "sft", good, "--db", str(db), "--out", str(out), "--jsonl"])
    data = datasets.load_from_disk(str(out))
    assert len(data) == 44 and isinstance(data.features["images"].feature, datasets.Image)
    tasks = {t.id: t for t in load_suite("vision-core").split("train")}
    for row in data:
        assert placeholders(row["messages"]) == len(row["images"]) == (row["category"] != "render_log")
        assert all(isinstance(image, Image.Image) for image in row["images"])
        assert not any(p.get("type") == "image_url" for m in row["messages"] for p in m["content"])
    zoom = next(r for r in data if r["category"] == "zoom_expense")
    prompt = decode_data_url(tasks[zoom["task_id"]].messages[1].images[0].image_url.url)[1]
    assert [i.size for i in zoom["images"]] == [Image.open(io.BytesIO(prompt)).size]  # the thumbnail
    tool = next(m for m in zoom["messages"] if m["role"] == "tool")  # TRL fills no placeholder of a tool turn
    assert {"type": "text", "text": "[image]"} in tool["content"]
    line = json.loads((out / "data.jsonl").read_text().splitlines()[0])
    assert all(url.startswith("data:image/png;base64,") for url in line["images"])


def test_dpo_rows_put_the_prompt_images_in_the_images_column(vision_runs, tmp_path: Path) -> None:
    db, good, bad = vision_runs
    out = tmp_path / "dpo"
    main(["data", "dpo", good, bad, "--db", str(db), "--out", str(out)])
    data = datasets.load_from_disk(str(out))
    assert len(data) == 44
    for row in data:
        assert placeholders(row["prompt"]) == len(row["images"])
        assert all(isinstance(m["content"], str | None) for m in row["chosen"] + row["rejected"])
    render = next(r for r in data if r["category"] == "render_log")
    assert render["images"] == [] and "[image]" in json.dumps(render["chosen"])  # the chart came from a tool


def test_train_sft_runs_real_steps_on_a_tiny_vlm_and_the_result_evaluates(vision_runs, tiny_vlm, tmp_path) -> None:
    pytest.importorskip("trl", reason="needs trl: pip install 'toolgym[train]'")
    db, good, _ = vision_runs
    main(["data", "sft", good, "--db", str(db), "--out", str(tmp_path / "sft")])
    main(["train", "sft", "--model", f"hf:{tiny_vlm}", "--data", str(tmp_path / "sft"), "--out",
          str(tmp_path / "out"), "--max-steps", "2", "--batch-size", "2"])
    result = json.loads((tmp_path / "out" / "toolgym_train.json").read_text())
    assert result["steps"] == 2 and result["train_loss"] > 0
    from toolgym.run import RunConfig, evaluate
    from toolgym.store import Store

    run = evaluate(RunConfig(suite="vision-core", model=f"hf:{tmp_path / 'out'}", limit=2, max_tokens=3,
                             max_turns=1, db=str(tmp_path / "e.db")))
    with Store(str(tmp_path / "e.db")) as store:
        assert [r.error for r in store.results(run.id)] == [None, None]
