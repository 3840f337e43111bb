"""Train the bundled tiny model from scratch on fc-core's train split (never its test split).

One command, seeded, CPU only (two threads)::

    python -m toolgym.models.tiny            # writes toolgym/models/tiny/ (figures in training.json)

Recipe:

1. Build fc-core with a large train split; each train task becomes a conversation ending in its
   reference calls as `<tool_call>` blocks, or a refusal in text for irrelevance tasks (`data.py`).
2. Train the byte-level BPE on those conversations as the chat template renders them (`tokenizer.py`).
3. A ~1M-parameter Qwen2 learns in two stages with TRL's SFTTrainer, loss on assistant tokens only.
   Stage 1 drops the tool schemas: short prompts make the model learn to copy argument values out of
   the request (in small models this skill appears suddenly, and long prompts delay it). Stage 2
   adds the schemas and the irrelevance tasks, so the model learns to read the tools it is offered.
4. Save in bfloat16 and report accuracy per category on the test split; the figures go to
   `training.json` beside the weights.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from datasets import Dataset
from transformers import GenerationConfig, PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM, set_seed
from trl import SFTConfig, SFTTrainer

from ...suites.fc_core import build_fc_core
from ...types import Task, ToolCall
from ..local import LocalModel
from ..model import ModelOptions
from . import TINY_MODEL_DIR
from .data import target_calls, task_conversation, with_new_names
from .evaluate import accuracy_by_category, verify_tasks
from .tokenizer import build_tokenizer

__all__ = ["Stage", "TrainConfig", "main", "model_config", "train"]

TEMPLATE = (TINY_MODEL_DIR / "chat_template.jinja").read_text()


@dataclass
class Stage:
    """One curriculum stage: which rows, how long, how fast."""

    name: str
    with_tools: bool
    steps: int
    learning_rate: float


@dataclass
class TrainConfig:
    """Everything that decides the trained weights; recorded in `training.json`."""

    seed: int = 0
    n_train: int = 16000
    n_test: int = 400
    renamed_share: float = 0.5
    vocab_size: int = 1024
    hidden_size: int = 128
    layers: int = 4
    heads: int = 4
    intermediate_size: int = 512
    max_length: int = 768
    batch_size: int = 16
    threads: int = 2
    stages: tuple[Stage, ...] = (
        Stage("copy", with_tools=False, steps=1000, learning_rate=2e-3),
        Stage("tools", with_tools=True, steps=2000, learning_rate=1e-3),
    )


def model_config(cfg: TrainConfig, tokenizer: PreTrainedTokenizerFast) -> Qwen2Config:
    """The Qwen2 architecture of the tiny model (tied embeddings, ~1M parameters)."""
    return Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=cfg.hidden_size,
        intermediate_size=cfg.intermediate_size,
        num_hidden_layers=cfg.layers,
        num_attention_heads=cfg.heads,
        num_key_value_heads=cfg.heads,
        max_position_embeddings=1024,
        tie_word_embeddings=True,
        bos_token_id=None,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )


def _examples(tasks: list[Task], cfg: TrainConfig) -> list[tuple[Task, list[ToolCall]]]:
    """Every train task with its target calls, plus a renamed copy of a share of them (`with_new_names`)."""
    rng = random.Random(f"tiny:{cfg.seed}")
    out = [(t, target_calls(t)) for t in tasks]
    for t in tasks:
        if rng.random() < cfg.renamed_share and (renamed := with_new_names(t, rng)) is not None:
            out.append(renamed)
    rng.shuffle(out)
    return out


def _rows(examples: list[tuple[Task, list[ToolCall]]], with_tools: bool) -> list[dict[str, Any]]:
    # without schemas the model cannot know a request is out of scope, so stage 1 skips irrelevance
    return [task_conversation(t, calls, with_tools) for t, calls in examples if with_tools or calls]


def _tokenizer(cfg: TrainConfig, rows: list[dict[str, Any]]) -> PreTrainedTokenizerFast:
    probe = build_tokenizer([""], vocab_size=300)
    probe.chat_template = TEMPLATE
    corpus = [probe.apply_chat_template(r["messages"], tools=json.loads(r["tools"]), tokenize=False) for r in rows]
    tokenizer = build_tokenizer(corpus, cfg.vocab_size)
    tokenizer.chat_template = TEMPLATE
    return tokenizer


def _lengths(tokenizer: PreTrainedTokenizerFast, rows: list[dict[str, Any]]) -> list[int]:
    texts = [tokenizer.apply_chat_template(r["messages"], tools=json.loads(r["tools"]), tokenize=False) for r in rows]
    return [len(ids) for ids in tokenizer(texts, add_special_tokens=False)["input_ids"]]


def _run_stage(model, tokenizer, stage: Stage, rows: list[dict], cfg: TrainConfig, work: Path) -> dict:
    args = SFTConfig(
        output_dir=str(work / stage.name),
        max_steps=stage.steps,
        per_device_train_batch_size=cfg.batch_size,
        learning_rate=stage.learning_rate,
        lr_scheduler_type="cosine",
        warmup_steps=min(100, stage.steps // 10),
        weight_decay=0.01,
        max_length=cfg.max_length,
        assistant_only_loss=True,
        train_sampling_strategy="group_by_length",
        logging_steps=50,
        save_strategy="no",
        report_to=[],
        activation_checkpointing=False,  # TRL turns it on; a 1M model has no memory to save
        gradient_checkpointing=False,
        seed=cfg.seed,
        use_cpu=True,
        bf16=False,
        disable_tqdm=True,
        dataloader_num_workers=0,
    )
    trainer = SFTTrainer(model=model, args=args, train_dataset=Dataset.from_list(rows), processing_class=tokenizer)
    start = time.perf_counter()
    result = trainer.train()
    return {
        "stage": stage.name,
        "steps": stage.steps,
        "rows": len(rows),
        "loss": round(result.training_loss, 4),
        "wall_s": round(time.perf_counter() - start, 1),
    }


def _save(model, tokenizer: PreTrainedTokenizerFast, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    model.generation_config = GenerationConfig(
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id, do_sample=False
    )
    model.to(torch.bfloat16).save_pretrained(out)
    tokenizer.save_pretrained(out)


def train(cfg: TrainConfig, out: Path, command: str = "python -m toolgym.models.tiny") -> dict[str, Any]:
    """Train, save into `out` and return the record (config, stage losses, wall time, test accuracy)."""
    start = time.perf_counter()
    torch.set_num_threads(cfg.threads)
    set_seed(cfg.seed)
    suite = build_fc_core(seed=cfg.seed, n_train=cfg.n_train, n_test=cfg.n_test)
    examples, test_tasks = _examples(suite.split("train"), cfg), suite.split("test")
    rows = {flag: _rows(examples, flag) for flag in {s.with_tools for s in cfg.stages}}
    tokenizer = _tokenizer(cfg, rows[True] if True in rows else rows[False])
    model = Qwen2ForCausalLM(model_config(cfg, tokenizer))
    stages = []
    with tempfile.TemporaryDirectory(prefix="tiny-train-") as work:
        for stage in cfg.stages:
            fit = [
                r
                for r, n in zip(rows[stage.with_tools], _lengths(tokenizer, rows[stage.with_tools]), strict=True)
                if n <= cfg.max_length
            ]  # a truncated row would lose its answer
            stages.append(_run_stage(model, tokenizer, stage, fit, cfg, Path(work)))
            print(json.dumps(stages[-1]), flush=True)
        _save(model, tokenizer, Path(work) / "model")
        train_s = time.perf_counter() - start
        local = LocalModel(Path(work) / "model", ModelOptions(device="cpu", batch_size=64))
        accuracy = accuracy_by_category(test_tasks, verify_tasks(local, test_tasks, max_tokens=256))
        out.mkdir(parents=True, exist_ok=True)
        for f in (Path(work) / "model").iterdir():
            shutil.copyfile(f, out / f.name)
    record = {
        "command": command,
        "config": asdict(cfg),
        "parameters": sum(p.numel() for p in model.parameters()),
        "suite_version": suite.version,
        "stages": stages,
        "rows": {"with_tools" if k else "without_tools": len(v) for k, v in rows.items()},
        "train_wall_s": round(train_s, 1),
        "total_wall_s": round(time.perf_counter() - start, 1),
        "test_accuracy": accuracy,
    }
    (out / "training.json").write_text(json.dumps(record, indent=2) + "\n")
    return record


def main() -> None:
    """Command line: `python -m toolgym.models.tiny [--out DIR] [--seed N] [--steps-scale X]`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TINY_MODEL_DIR, help="where the model files go")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-train", type=int, default=TrainConfig.n_train)
    parser.add_argument("--threads", type=int, default=TrainConfig.threads)
    parser.add_argument("--steps-scale", type=float, default=1.0, help="multiply every stage's steps (smoke runs)")
    args = parser.parse_args()
    base = TrainConfig()
    stages = tuple(
        Stage(s.name, s.with_tools, max(1, round(s.steps * args.steps_scale)), s.learning_rate) for s in base.stages
    )
    cfg = TrainConfig(seed=args.seed, n_train=args.n_train, threads=args.threads, stages=stages)
    record = train(cfg, args.out, " ".join(["python -m toolgym.models.tiny", *sys.argv[1:]]))
    print(json.dumps({k: record[k] for k in ("train_wall_s", "total_wall_s", "test_accuracy")}, indent=2))


if __name__ == "__main__":
    main()
