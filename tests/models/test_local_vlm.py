"""Local vision-language models: a tiny random Idefics3 built from a config, run through `hf:PATH` end to end."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.helpers.tiny_vlm import tiny_vlm_fixture
from tests.models.test_openai_images import zoom_transcript
from toolgym.images import decode_data_url
from toolgym.models import ModelOptions, load_model
from toolgym.types import SamplingConfig

pytest.importorskip("transformers", reason="needs transformers: pip install 'toolgym[local]'")
pytest.importorskip("PIL", reason="needs Pillow: pip install 'toolgym[vision]'")


tiny_vlm = pytest.fixture(scope="session", name="tiny_vlm")(tiny_vlm_fixture)


@pytest.mark.parametrize("mode", ["native", "prompt"])
def test_the_images_of_a_conversation_reach_the_model_with_the_tools(tiny_vlm: Path, mode: str) -> None:
    model = load_model(f"hf:{tiny_vlm}", ModelOptions(device="cpu", tool_mode=mode))
    assert type(model).__name__ == "LocalVisionModel" and model.describe()["vision"] is True
    messages, tools = zoom_transcript()
    text, images = model._rendered(messages, tools)
    assert images == [decode_data_url(p.image_url.url)[1] for m in messages for p in m.images]
    assert text.count("<image>") == 2 and ("record_expense(" in text or '"record_expense"' in text)
    enc = model.processor(text=[text], images=[[_rgb(b) for b in images]], return_tensors="pt")
    image_token = model.tokenizer.convert_tokens_to_ids("<image>")
    assert enc["pixel_values"].shape[:2] == (1, 2) and int((enc["input_ids"] == image_token).sum()) == 2 * 4

    async def go():
        try:
            return await model.generate(messages, tools, SamplingConfig(max_tokens=5))
        finally:
            await model.aclose()

    out = asyncio.run(go())
    assert out.usage.prompt_tokens == enc["input_ids"].shape[1] and 1 <= out.usage.completion_tokens <= 5


def test_eval_of_vision_core_runs_end_to_end(tiny_vlm: Path, tmp_path: Path) -> None:
    from toolgym.run import RunConfig, evaluate
    from toolgym.store import Store

    db = str(tmp_path / "runs.db")
    run = evaluate(RunConfig(suite="vision-core", model=f"hf:{tiny_vlm}", limit=11, max_tokens=4, max_turns=2,
                             db=db, concurrency=4))
    with Store(db) as store:
        records = list(store.results(run.id))
    assert len(records) == 11 and all(r.error is None and r.passed is not None for r in records)
    assert len({r.category for r in records}) == 11 and all(r.prompt_tokens > 0 for r in records)


def _rgb(data: bytes):
    import io

    from PIL import Image

    return Image.open(io.BytesIO(data)).convert("RGB")
