"""`toolgym train grpo`: TRL's GRPOTrainer rewarded by a suite's verifier, saved as a model directory `hf:OUT` loads.

Single-turn suites (function calling) sample `num_generations` answers per prompt and reward each
with `EnvironmentReward`. Multi-turn (stateful) suites let TRL play tool-using rollouts through
`environment_factory` (`tool_environment.py`) and reward them with `StatefulReward`; a remote
multi-turn suite (`remote:URL`) runs the same way, each tool call and verdict a request to the server.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ..envs import ENVIRONMENTS, Environment, RemoteEnvironment, StatefulEnv
from ..models import model_parser
from ..suites import Suite, head_by_category
from .config import TrainResult
from .data_grpo import grpo_rows, grpo_tasks
from .grpo_config import GRPORunConfig
from .rewards import EnvironmentReward
from .runtime import (
    LogFn,
    attach_logging,
    common_args,
    finish,
    load_for_training,
    lora_config,
    model_dir,
    prepare_out,
    resolve_device,
    run_trainer,
)
from .tool_environment import StatefulReward, environment_classes

__all__ = ["train_grpo"]


def train_grpo(
    config: GRPORunConfig,
    *,
    on_log: LogFn | None = None,
    suite: Suite | None = None,
    env: Environment | None = None,
) -> TrainResult:
    """Optimise `config.model` against the verifier of the suite's train tasks and save it into `config.out`.

    Args:
        config: What to train, on which prompts, how.
        on_log: Called at each logging step with (step, max_steps, metrics); None keeps TRL's progress bar.
        suite: The suite itself, instead of loading `config.suite` (a suite built in code).
        env: The environment that verifies, instead of the suite's registered kind (e.g. a
            `StatefulEnv` with its own domains).
    """
    from datasets import Dataset, Features, Json, List, Value
    from transformers import set_seed
    from trl import GRPOConfig, GRPOTrainer

    if suite is None:
        suite, tasks = grpo_tasks(config.suite, config.data, config.limit)
    else:
        tasks = head_by_category(suite.split("train"), config.limit)
    env = env or ENVIRONMENTS.get(suite.environment)(mode=config.mode)
    prepare_out(config)
    device = resolve_device(config.device)
    set_seed(config.seed)
    model, tokenizer = load_for_training(config.model, device)
    tokenizer.padding_side = "left"
    parser = model_parser(config.parser, model_dir(config.model), model, tokenizer)
    extra: dict[str, Any] = {}
    if isinstance(env, StatefulEnv | RemoteEnvironment) and not env.single_turn:
        rows = grpo_rows(tasks, None, environment=True)
        prompt_feature: Any = List(Json())
        extra["environment_factory"] = environment_classes(env, tasks)
        reward: Any = StatefulReward(env, parser)
        _set_response_template(tokenizer, parser)
    else:
        rows = grpo_rows(tasks, tokenizer)
        prompt_feature = Value("string")
        reward = EnvironmentReward(env, parser)
    columns = {"prompt": prompt_feature, "task_id": Value("string"), "category": Value("string"),
               "task": Value("string")}
    if "environment" in rows[0]:
        columns["environment"] = Value("string")
    dataset = Dataset.from_list(rows, features=Features(columns))
    with tempfile.TemporaryDirectory(prefix="toolgym-grpo-") as tmp:
        work = config.out / "checkpoints" if config.save_steps else Path(tmp)
        args = GRPOConfig(
            **common_args(config, device, work, on_log is not None),
            num_generations=config.num_generations, max_completion_length=config.max_completion_length,
            temperature=config.temperature, beta=config.beta, max_tool_calling_iterations=config.max_tool_calls,
        )
        trainer = GRPOTrainer(model=model, reward_funcs=[reward], args=args, train_dataset=dataset,
                              processing_class=tokenizer, peft_config=lora_config(config), **extra)
        attach_logging(trainer, on_log)
        steps, loss, wall = run_trainer(trainer)
    result = TrainResult(
        method="grpo", out=str(config.out), base_model=config.model, device=device, dtype=str(model.dtype),
        seed=config.seed, rows=len(dataset), steps=steps, train_loss=loss, wall_s=wall,
        config={**config.model_dump(mode="json"), "parser": parser, "suite": suite.name,
                "suite_version": suite.version, "verifier_errors": reward.errors},
    )
    return finish(trainer, tokenizer, result, config.out)


def _set_response_template(tokenizer: Any, parser: str) -> None:
    """Hermes-style models answer like Qwen 3: let TRL parse their tool calls with its Qwen 3 response template."""
    if getattr(tokenizer, "response_template", None) is not None or getattr(tokenizer, "response_schema", None):
        return
    from trl.chat_template_utils import add_response_schema

    try:
        add_response_schema(tokenizer)
    except ValueError:
        if parser != "hermes":
            raise
        from trl.chat_template_utils import qwen3_template

        tokenizer.response_template = qwen3_template
