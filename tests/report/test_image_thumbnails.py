"""Images in transcripts are shown as inline thumbnails: the HTML report and `toolgym view`'s rollout page."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.suites.gold_replay import evaluate_replay, gold_lines
from toolgym.cli import main
from toolgym.suites import load_suite


@pytest.fixture(scope="module")
def vision_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A vision-core run whose zoom tasks fail after the zoom (no expense filed): their transcripts hold images."""
    tmp = tmp_path_factory.mktemp("vision")
    lines = []
    for task in load_suite("vision-core").split("test"):
        gold = gold_lines(task)
        if task.category == "zoom_expense":
            gold = [gold[0], {"id": task.id, "turn": 1, "content": "I cannot read it."}]
        lines += gold
    replay = tmp / "ref.jsonl"
    replay.write_text("".join(json.dumps(line) + "\n" for line in lines))
    run, _ = evaluate_replay(tmp, "vision-core", replay)
    return str(tmp / "runs.db"), run.name


def thumbnails(page: str) -> list[tuple[int, int]]:
    found = re.findall(r'<img class="thumb" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    return [Image.open(io.BytesIO(base64.b64decode(b))).size for b in found]


def test_the_report_shows_prompt_and_tool_result_images_as_small_thumbnails(vision_db, tmp_path: Path) -> None:
    db, run = vision_db
    out = tmp_path / "report.html"
    main(["report", run, "--db", db, "--out", str(out)])
    sizes = thumbnails(out.read_text(encoding="utf-8"))
    assert len(sizes) == 8  # 4 failed zoom tasks: the thumbnail in the prompt and the zoomed receipt each
    assert all(max(s) <= 240 for s in sizes) and max(w for w, _ in sizes) == 240  # the zoomed one was shrunk


def test_the_view_shows_the_images_of_a_rollout(vision_db, tmp_path: Path) -> None:
    pytest.importorskip("uvicorn", reason="toolgym view needs uvicorn: pip install 'toolgym[view]'")
    from tests.view.conftest import serve_in_thread
    from toolgym.store import Store
    from toolgym.view import ViewConfig

    db, run = vision_db
    with Store(db) as store:
        info = store.get_run(run)
        task = next(r.task_id for r in store.results(info.id) if not r.passed)
    for url in serve_in_thread(ViewConfig(db=db, admin_token="admin-token-0123456789")):
        import httpx

        page = httpx.get(f"{url}/runs/{info.id}/rollout", params={"task": task, "sample": 0}).text
        assert len(thumbnails(page)) == 2 and "I cannot read it." in page


def test_export_keeps_the_images_jsonl_as_data_urls_parquet_as_bytes_with_the_image_feature(vision_db, tmp_path):
    db, run = vision_db
    main(["export", run, "--db", db, "--out", str(tmp_path / "r.jsonl")])
    rows = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    zoom = next(r for r in rows if r["category"] == "zoom_expense")
    urls = [p["image_url"]["url"] for m in zoom["messages"] if isinstance(m.get("content"), list)
            for p in m["content"] if p["type"] == "image_url"]
    assert len(urls) == 2 and all(u.startswith("data:image/png;base64,") for u in urls)

    import pyarrow.parquet as pq

    main(["export", run, "--db", db, "--out", str(tmp_path / "r.parquet")])
    table = pq.read_table(tmp_path / "r.parquet").to_pylist()
    row = next(r for r in table if r["task_id"] == zoom["task_id"])
    assert [i["bytes"] for i in row["images"]] == [base64.b64decode(u.split(",", 1)[1]) for u in urls]
    assert json.loads(row["messages"])[1]["content"][-1] == {"type": "image"}
    datasets = pytest.importorskip("datasets", reason="needs datasets: pip install 'toolgym[train]'")
    loaded = datasets.load_dataset("parquet", data_files=str(tmp_path / "r.parquet"), split="train",
                                   cache_dir=str(tmp_path / "cache"))
    assert isinstance(loaded.features["images"].feature, datasets.Image)
    assert loaded[[r["task_id"] for r in table].index(zoom["task_id"])]["images"][1].size[0] > 240
