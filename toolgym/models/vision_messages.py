"""Chat-template messages for vision-language models: image parts as placeholders, the images beside them.

A VLM's chat template (Idefics3/SmolVLM, Qwen2-VL, LLaVA) and its processor take the conversation with
`{"type": "image"}` placeholders where the images go, and the images as a separate list in the same
order; TRL's vision trainers read datasets in that shape too (`messages` plus an `images` column).
`split_images` turns the chat-template dicts of `Message.to_openai` (image parts as `image_url` data
URLs) into that shape, for the local VLM backend and for training data alike.
"""

from __future__ import annotations

from typing import Any

from ..images import decode_data_url

__all__ = ["split_images", "text_parts"]


def split_images(
    messages: list[dict[str, Any]], tool_images: bool = True
) -> tuple[list[dict[str, Any]], list[bytes]]:
    """`messages` with each `image_url` part replaced by `{"type": "image"}`, and the images' bytes in order.

    Every message's content becomes a list of parts (templates of VLMs iterate over it); messages
    are copied, not changed. With `tool_images` False, the images of tool messages are written as
    `[image]` text instead: TRL's vision collator (TRL 1.16) fills placeholders of system, user and
    assistant messages only, so training data keeps those.

    Raises:
        ValueError: an image is an http(s) URL (fetching is left to servers) or a malformed data URL.
    """
    out, images = [], []
    for message in messages:
        content = message.get("content")
        parts: list[dict[str, Any]] = []
        if isinstance(content, str):
            parts.append({"type": "text", "text": content})
        for part in map(_as_dict, content if isinstance(content, list) else ()):
            if part.get("type") == "image_url" and not tool_images and message.get("role") == "tool":
                parts.append({"type": "text", "text": "[image]"})
            elif part.get("type") == "image_url":
                images.append(decode_data_url(part["image_url"]["url"])[1])
                parts.append({"type": "image"})
            else:
                parts.append({"type": "text", "text": part.get("text", "")})
        out.append({**message, "content": parts})
    return out, images


def text_parts(messages: list[dict[str, Any]], marker: str = "[image]") -> list[dict[str, Any]]:
    """`messages` with each image part written as `marker` text (where a trainer takes no images there)."""
    out = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, list):
            pieces = [p.get("text", "") if p.get("type") == "text" else marker for p in map(_as_dict, content)]
            message = {**message, "content": "\n".join(x for x in pieces if x)}
        out.append(message)
    return out


def _as_dict(part: Any) -> dict[str, Any]:
    """A content part as its OpenAI dict (parts may still be `TextPart`/`ImagePart` objects)."""
    return part.model_dump(exclude_none=True) if hasattr(part, "model_dump") else part
