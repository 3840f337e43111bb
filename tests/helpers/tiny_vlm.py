"""A tiny, randomly initialised vision-language model built from a config: Idefics3 (SmolVLM's architecture).

No hub access: the tokenizer is the bundled tiny model's plus Idefics3's image tokens, the image
processor is constructed in code (one 32x32 tile per image, no splitting: 4 image tokens after the
pixel shuffle), and the chat template is the tiny model's with image parts written as `<image>`.
The model is real transformers code at toy sizes (2 text layers, 1 vision layer, hidden size 32),
so the whole path runs: `AutoProcessor`, `AutoModelForImageTextToText`, the chat template with
images and tools, generation and TRL training. Its answers are random.
"""

from __future__ import annotations

from pathlib import Path

from toolgym.models.tiny import TINY_MODEL_DIR

IMAGE_PARTS = """{%- macro content_text(content) -%}
{%- if content is string -%}{{- content -}}
{%- elif content -%}{%- for p in content -%}{{- '<image>' if p.type == 'image' else p.text -}}{%- endfor -%}
{%- endif -%}
{%- endmacro -%}
"""


def chat_template() -> str:
    """The tiny model's template, reading content that is text or a list of text and image parts."""
    text = (TINY_MODEL_DIR / "chat_template.jinja").read_text()
    text = text.replace("messages[0].content ~", "content_text(messages[0].content) ~")
    text = text.replace("{{- m.content or '' -}}", "{{- content_text(m.content) -}}")
    text = text.replace("~ (m.content or '') ~", "~ content_text(m.content) ~")
    return IMAGE_PARTS + text


def build_tiny_vlm(out: Path, seed: int = 0) -> Path:
    """Write a random tiny Idefics3 model with its processor to `out` (loadable with `hf:OUT`)."""
    import torch
    from transformers import (
        AutoTokenizer,
        Idefics3Config,
        Idefics3ForConditionalGeneration,
        Idefics3ImageProcessor,
        Idefics3Processor,
    )

    tokenizer = AutoTokenizer.from_pretrained(TINY_MODEL_DIR, local_files_only=True)
    tokenizer.add_special_tokens({"additional_special_tokens": ["<fake_token_around_image>", "<image>",
                                                                "<end_of_utterance>", "<global-img>"]})
    processor = Idefics3Processor(
        Idefics3ImageProcessor(do_image_splitting=False, size={"longest_edge": 32},
                               max_image_size={"longest_edge": 32}),
        tokenizer, image_seq_len=4, chat_template=chat_template(),
    )
    config = Idefics3Config(
        text_config={"model_type": "llama", "vocab_size": len(tokenizer), "hidden_size": 32, "intermediate_size": 64,
                     "num_hidden_layers": 2, "num_attention_heads": 2, "num_key_value_heads": 1,
                     "max_position_embeddings": 4096, "pad_token_id": tokenizer.pad_token_id,
                     "eos_token_id": tokenizer.eos_token_id},
        vision_config={"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1, "num_attention_heads": 2,
                       "image_size": 32, "patch_size": 8},
        scale_factor=2, image_token_id=tokenizer.convert_tokens_to_ids("<image>"),
        pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(seed)
    model = Idefics3ForConditionalGeneration(config)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out


def tiny_vlm_fixture(tmp_path_factory) -> Path:
    """Session fixture body: one tiny VLM for all the tests that need it (import as `tiny_vlm`)."""
    return build_tiny_vlm(tmp_path_factory.mktemp("vlm") / "tiny-idefics3")
