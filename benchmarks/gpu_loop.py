"""SFT then GRPO of a model on fc-core train, with fc-core test accuracy before and after (paired).

The python entry point of `benchmarks/gpu_loop.sh` (which sets the GPU sizes). Every stage is the
`toolgym` command a user would type, run in a fresh directory, so the recipe is also documentation:

    1. toolgym eval fc-core --model BASE                   -> run `before`
    2. toolgym train sft  --model BASE --suite fc-core     -> OUT/sft  (reference answers of train)
    3. toolgym train grpo --model hf:OUT/sft --suite fc-core -> OUT/grpo (the verifier's reward)
    4. toolgym eval fc-core --model hf:OUT/grpo            -> run `after`
    5. toolgym compare before after                        -> paired difference, CI, p-value

On CUDA the trainers and the local backend use bfloat16 (`models/hf_model.py`). CPU toy sizes:

    python benchmarks/gpu_loop.py --model tiny --tool-mode native --eval-limit 4 --sft-steps 1 \\
        --grpo-steps 1 --train-limit 4 --max-tokens 32 --out /tmp/gl

Prints each stage's wall time, then one JSON document: accuracy before and after with 95% intervals,
the paired difference with its interval and p-value, and the total wall time (target on one H100 for
smollm2 at the defaults: under 600 s).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

GOAL_S = 600.0


def toolgym(*args: str, capture: bool = False) -> str:
    """Run one `toolgym` command with this interpreter; stop the recipe when it fails."""
    cmd = [sys.executable, "-m", "toolgym", *args]
    done = subprocess.run(cmd, check=False, text=True, stdout=subprocess.PIPE if capture else None)
    if done.returncode != 0:
        raise SystemExit(f"stage failed ({done.returncode}): {' '.join(cmd)}")
    return done.stdout or ""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="smollm2", help="base model spec: smollm2, tiny or hf:PATH")
    parser.add_argument("--out", type=Path, required=True, help="fresh directory for the store and the models")
    parser.add_argument("--device", default="auto", help="trainers: auto, cuda or cpu (evaluation: CUDA when present)")
    parser.add_argument("--tool-mode", default="prompt", help="tool mode of the evaluations (native or prompt)")
    parser.add_argument("--parser", default="hermes", help="tool-call parser of the evaluations and the reward")
    parser.add_argument("--eval-limit", type=int, default=None, help="test tasks (default: the whole split)")
    parser.add_argument("--train-limit", type=int, default=None, help="train tasks (default: the whole split)")
    parser.add_argument("--max-tokens", type=int, default=256, help="most tokens per evaluation turn")
    parser.add_argument("--concurrency", type=int, default=64, help="evaluation batch size")
    parser.add_argument("--sft-steps", type=int, default=150)
    parser.add_argument("--sft-lr", type=float, default=1e-4)
    parser.add_argument("--grpo-steps", type=int, default=60)
    parser.add_argument("--grpo-lr", type=float, default=5e-6)
    parser.add_argument("--num-generations", type=int, default=8)
    parser.add_argument("--completion-tokens", type=int, default=128, help="GRPO's most tokens per completion")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lora", action="store_true", help="LoRA adapters instead of full fine-tuning")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads for torch (CPU runs)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    db = str(out / "runs.db")
    evaluation = ["--db", db, "--tool-mode", args.tool_mode, "--parser", args.parser,
                  "--max-tokens", str(args.max_tokens), "--concurrency", str(args.concurrency)]
    if args.eval_limit:
        evaluation += ["--limit", str(args.eval_limit)]
    training = ["--suite", "fc-core", "--device", args.device, "--batch-size", str(args.batch_size),
                "--overwrite", "--logging-steps", "10"]
    if args.train_limit:
        training += ["--limit", str(args.train_limit)]
    if args.lora:
        training += ["--lora"]
    if args.threads:
        training += ["--threads", str(args.threads)]
    start = time.perf_counter()
    stages: dict[str, float] = {}

    def stage(name: str, *command: str) -> None:
        t = time.perf_counter()
        toolgym(*command)
        stages[name] = round(time.perf_counter() - t, 1)
        print(f"[{time.perf_counter() - start:6.0f} s] {name} done in {stages[name]} s", flush=True)

    stage("eval before", "eval", "fc-core", "--model", args.model, "--run", "before", *evaluation)
    stage("sft", "train", "sft", "--model", args.model, "--out", str(out / "sft"), *training,
          "--max-steps", str(args.sft_steps), "--learning-rate", str(args.sft_lr))
    stage("grpo", "train", "grpo", "--model", f"hf:{out / 'sft'}", "--out", str(out / "grpo"), *training,
          "--max-steps", str(args.grpo_steps), "--learning-rate", str(args.grpo_lr), "--parser", args.parser,
          "--num-generations", str(args.num_generations), "--max-completion-length", str(args.completion_tokens))
    stage("eval after", "eval", "fc-core", "--model", f"hf:{out / 'grpo'}", "--run", "after", *evaluation)
    result = report(db, args.model, stages, round(time.perf_counter() - start, 1))
    print(json.dumps(result, indent=2))
    return result


def report(db: str, model: str, stages: dict[str, float], wall: float) -> dict:
    """Accuracy before and after with 95% intervals and the paired difference, from the store."""
    comparison = json.loads(toolgym("compare", "before", "after", "--db", db, "--json", capture=True))["comparison"]
    summary = json.loads(toolgym("show", "before", "after", "--db", db, "--json", capture=True))
    d = comparison["overall"]
    return {
        "model": model,
        "accuracy": _accuracies(summary),
        "after_minus_before": {"diff": [round(d["value"], 4), round(d["low"], 4), round(d["high"], 4)],
                               "p": d["p_value"], "test": d["test"], "tasks": d["n_tasks"]},
        "stages_s": stages,
        "wall_s": wall,
        "goal_s": GOAL_S,
    }


def _accuracies(summary: list[dict]) -> dict[str, list[float]]:
    """`{run: [accuracy, low, high]}` from `toolgym show --json`."""
    return {s["run"]["name"]: [round(s["accuracy"]["overall"][k], 4) for k in ("value", "low", "high")]
            for s in summary}


if __name__ == "__main__":
    main()
