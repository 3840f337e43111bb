"""Local vision-language models (`hf:PATH` whose config has a `vision_config`): processor, images and tools.

The same micro-batched backend as `LocalModel`, with the parts a VLM needs: the weights load with
`AutoModelForImageTextToText` and the inputs are made by the model's `AutoProcessor`
(`hf_model.load_vision_pretrained`). A conversation is rendered by the chat template with
`{"type": "image"}` placeholders and `tools=`, and its images (decoded from the messages' data URLs,
in order) go to the processor beside the text (`vision_messages.split_images`). Requests of one batch
are generated together when all of them have images or none has; a mixed batch is generated one
request at a time (processors take one image list per text, and not all of them take an empty one).
"""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

import torch
from jinja2 import TemplateError

from ..errors import UserError
from ..types import Completion, Message, Tool
from .conversions import openai_tools, template_message
from .hf_model import load_vision_pretrained
from .local import LocalModel, _Request
from .prompt_tools import prompt_messages
from .vision_messages import split_images

__all__ = ["LocalVisionModel"]


class LocalVisionModel(LocalModel):
    """A transformers vision-language model from a local directory, with its processor and chat template."""

    def _load(self, path: Path) -> tuple[Any, Any]:
        model, self.processor = load_vision_pretrained(path, str(self.device))
        return model, self.processor.tokenizer

    def describe(self) -> dict:
        """LocalModel's description, marked as a vision-language model."""
        return {**super().describe(), "vision": True}

    def render(self, messages: list[Message], tools: list[Tool]) -> str:
        """The prompt text for one conversation, an image placeholder where each image goes."""
        return self._rendered(messages, tools)[0]

    def _rendered(self, messages: list[Message], tools: list[Tool]) -> tuple[str, list[bytes]]:
        if self.options.tool_mode == "prompt":
            chat, offered = prompt_messages(messages, tools, self.parser), None
        else:
            chat, offered = [template_message(m) for m in messages], openai_tools(tools) or None
        try:
            chat, images = split_images(chat)
        except ValueError as e:
            raise UserError(f"{e}; a local model takes images as data URLs (suites read image files into them)") \
                from None
        try:
            text = self.tokenizer.apply_chat_template(
                chat, tools=offered, add_generation_prompt=True, tokenize=False, **self.template_kwargs)
        except TemplateError as e:
            raise UserError(f"the chat template of {str(self.path)!r} cannot render this conversation: {e}") from None
        return text, images

    @torch.inference_mode()
    def _generate(
        self, requests: list[_Request], prompts: list[str], stop: threading.Event | None = None
    ) -> list[Completion]:
        images = [_pictures(self._rendered(r.messages, r.tools)[1]) for r in requests]
        if len({bool(i) for i in images}) > 1:  # some with images, some without: one at a time
            return [c for r, p, i in zip(requests, prompts, images, strict=True)
                    for c in self._generate_with([r], [p], [i], stop)]
        return self._generate_with(requests, prompts, images, stop)

    def _generate_with(
        self, requests: list[_Request], prompts: list[str], images: list[list[Any]], stop: threading.Event | None
    ) -> list[Completion]:
        enc = self.processor(text=prompts, images=images if images[0] else None, return_tensors="pt", padding=True)
        enc = enc.to(self.device).to(self.model.dtype)  # pixel values in the weights' dtype (bfloat16 on CUDA)
        return self._generate_encoded(requests, enc, stop)


def _pictures(images: list[bytes]) -> list[Any]:
    from PIL import Image

    return [Image.open(io.BytesIO(data)).convert("RGB") for data in images]
