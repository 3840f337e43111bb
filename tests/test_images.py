"""Content parts and image files: the OpenAI shape, text flattening, and one located error per bad image."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from toolgym.errors import UserError
from toolgym.images import MAX_IMAGE_BYTES, decode_data_url
from toolgym.suites import load_suite
from toolgym.types import ImagePart, Message, TextPart, text_of


def write_png(path: Path, size: tuple[int, int] = (40, 30), mode: str = "RGB", fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format=fmt)
    path.write_bytes(out.getvalue())
    return out.getvalue()


def suite_file(tmp_path: Path, image: str) -> Path:
    task = {
        "id": "receipt-1", "category": "simple",
        "messages": [{"role": "user", "content": [{"type": "text", "text": "Convert this total to EUR."},
                                                  {"type": "image_url", "image_url": {"url": image}}]}],
        "tools": [{"name": "convert", "parameters": {"type": "object", "properties": {"amount": {"type": "number"}}}}],
        "expected": {"calls": [{"name": "convert", "arguments": {"amount": [12.5]}}]},
    }
    path = tmp_path / "suite.jsonl"
    path.write_text(json.dumps({"id": "plain", "category": "simple", "messages": [{"role": "user", "content": "hi"}],
                                "expected": {"calls": []}}) + "\n" + json.dumps(task) + "\n")
    return path


def test_content_parts_take_the_openai_shape_and_flatten_to_text_in_one_place() -> None:
    m = Message(role="user", content=[{"type": "text", "text": "Total?"}, {"type": "image_url", "image_url":
                                      {"url": "https://example.com/r.png"}}, TextPart(text="In EUR.")])
    assert m.to_openai() == {"role": "user", "content": [
        {"type": "text", "text": "Total?"}, {"type": "image_url", "image_url": {"url": "https://example.com/r.png"}},
        {"type": "text", "text": "In EUR."}]}
    assert m.text == "Total?\nIn EUR." and text_of(m.content, "[image]") == "Total?\n[image]\nIn EUR."
    assert [p.image_url.url for p in m.images] == ["https://example.com/r.png"]
    assert Message(role="user", content="plain").text == "plain" and Message(role="assistant").text == ""
    with pytest.raises(ValueError):
        Message(role="user", content=[{"type": "audio", "audio": "x"}])


def test_a_suite_image_path_is_read_relative_to_the_suite_file(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    data = write_png(tmp_path / "img" / "r.png")
    task = next(t for t in load_suite(f"jsonl:{suite_file(tmp_path, 'img/r.png')}").tasks if t.id == "receipt-1")
    [part] = task.messages[0].images
    assert decode_data_url(part.image_url.url) == ("image/png", data)


@pytest.mark.parametrize(("make", "needle"), [
    (lambda p: None, "does not exist"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n this is not a picture"), "cannot be read as an image"),
    (lambda p: write_png(p, fmt="BMP"), "is a BMP image; toolgym takes PNG, JPEG, GIF, WEBP"),
    (lambda p: write_png(p, size=(8000, 5000), mode="1"), "8000x5000 pixels, over the limit"),
    (lambda p: p.open("wb").truncate(MAX_IMAGE_BYTES + 1), "MiB, over the limit of 20 MiB"),
])
def test_a_bad_image_is_one_error_naming_the_task_and_the_file(tmp_path: Path, make, needle: str) -> None:
    make(tmp_path / "r.png")
    path = suite_file(tmp_path, "r.png")
    with pytest.raises(UserError) as info:
        load_suite(f"jsonl:{path}")
    message = str(info.value)
    assert f"{path}:2: task 'receipt-1'" in message and str(tmp_path / "r.png") in message and needle in message


def test_a_bad_data_url_is_located_and_a_url_is_kept(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"suite.jsonl:2: task 'receipt-1': messages\[0\].content\[1\]: not a base64"):
        load_suite(f"jsonl:{suite_file(tmp_path, 'data:image/png,raw')}")
    task = load_suite(f"jsonl:{suite_file(tmp_path, 'https://example.com/r.png')}").tasks
    assert [t.messages[0].images for t in task][1] == [ImagePart.of("https://example.com/r.png")]
