"""`toolgym train grpo`: TRL's GRPOTrainer rewarded by a suite's verifier, saved as a model directory `hf:OUT` loads.

Single-turn suites (function calling) sample `num_generations` answers per prompt and reward each
with `EnvironmentReward`. Multi-turn (stateful) suites let TRL play tool-using rollouts through
`environment_factory` (`tool_environment.py`) and reward them with `StatefulReward`; a remote
multi-turn suite (`remote:URL`) runs the same way, each tool call and verdict a request to the server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..envs import CodeEnv, Environment, RemoteEnvironment, StatefulEnv
from ..errors import UserError
from ..models.hf_model import model_parser
from ..run.evaluate import sandbox_level
from ..suites import Suite, head_by_category, load_suite
from .config import TrainResult
from .data_grpo import grpo_rows, grpo_tasks
from .dataset_files import read_data_record
from .grpo_config import GRPORunConfig
from .rewards import EnvironmentReward
from .runner import TrainMethod, run_method
from .runtime import LogFn, model_dir
from .tool_environment import StatefulReward, environment_classes

if TYPE_CHECKING:
    from datasets import Dataset

__all__ = ["GRPOMethod", "grpo_sandbox", "train_grpo"]


class GRPOMethod(TrainMethod[GRPORunConfig], name="grpo", config=GRPORunConfig, trl=("GRPOConfig", "GRPOTrainer")):
    """Reinforcement learning (TRL GRPOTrainer) on a --suite's train prompts, rewarded by its verifier; saves a model directory hf:OUT loads."""  # noqa: E501

    def __init__(self, config: GRPORunConfig, suite: Suite | None = None) -> None:
        """See `train_grpo` for `suite`."""
        super().__init__(config)
        self.suite = suite

    def prepare(self) -> None:
        """The train tasks (first --limit per category) and the environment that verifies them."""
        config = self.config
        if self.suite is None:
            self.suite, self.tasks = grpo_tasks(config.suite, config.data, config.limit)
        else:
            self.tasks = head_by_category(self.suite.split("train"), config.limit)
        self.env = self.suite.env.with_mode(config.mode)
        self.sandbox = sandbox_level(self.suite, config.sandbox)  # refused here, before the model loads
        if isinstance(self.env, CodeEnv):
            self.env = self.env.with_sandbox(config.sandbox)
        if config.tool_mode == "prompt" and _multi_turn(self.env):
            raise UserError(f"--tool-mode prompt: suite {self.suite.name!r} is multi-turn, and TRL renders its tools "
                            "with the chat template; use --tool-mode native")

    def dataset(self, model: Any, tokenizer: Any) -> Dataset:
        """Prompts rendered with the tokenizer (one turn) or conversations with their domain (tool rollouts)."""
        from datasets import Dataset, Features, Json, List, Value

        config, env, tasks = self.config, self.env, self.tasks
        tokenizer.padding_side = "left"
        self.parser = parser = model_parser(config.parser, model_dir(config.model), model, tokenizer)
        self.extra: dict[str, Any] = {}
        if _multi_turn(env):
            rows = grpo_rows(tasks, None, environment=True)
            prompt_feature: Any = List(Json())
            self.extra["environment_factory"] = environment_classes(env, tasks)
            self.reward: Any = StatefulReward(env, parser)
            _set_response_template(tokenizer, parser)
        else:
            rows = grpo_rows(tasks, tokenizer, tool_mode=config.tool_mode, parser=parser)
            prompt_feature = Value("string")
            self.reward = EnvironmentReward(env, parser)
        columns = {"prompt": prompt_feature, "task_id": Value("string"), "category": Value("string"),
                   "task": Value("string")}
        if "environment" in rows[0]:
            columns["environment"] = Value("string")
        return Dataset.from_list(rows, features=Features(columns))

    def arguments(self, tokenizer: Any) -> dict[str, Any]:
        """Group size, completion length, temperature, KL beta and tool rounds."""
        config = self.config
        return {"num_generations": config.num_generations, "max_completion_length": config.max_completion_length,
                "temperature": config.temperature, "beta": config.beta,
                "max_tool_calling_iterations": config.max_tool_calls}

    def trainer_arguments(self) -> dict[str, Any]:
        """The verifier as the one reward function; tool rollouts' environment factory."""
        return {"reward_funcs": [self.reward], **self.extra}

    def record(self) -> dict[str, Any]:
        """The parser and tool mode, the suite and its version, and how many verifier calls failed."""
        assert self.suite is not None
        return {"parser": self.parser, "tool_mode": self.config.tool_mode, "suite": self.suite.name,
                "suite_version": self.suite.version, "verifier_errors": self.reward.errors,
                "sandbox": self.sandbox}


def train_grpo(
    config: GRPORunConfig,
    *,
    on_log: LogFn | None = None,
    suite: Suite | None = None,
) -> TrainResult:
    """Optimise `config.model` against the verifier of the suite's train tasks and save it into `config.out`.

    Args:
        config: What to train, on which prompts, how.
        on_log: Called at each logging step with (step, max_steps, metrics); None keeps TRL's progress bar.
        suite: The suite itself, instead of loading `config.suite` (a suite built in code); its
            environment (`suite.env`) verifies.
    """
    return run_method(GRPOMethod(config, suite), on_log=on_log)


def grpo_sandbox(config: GRPORunConfig) -> str | None:
    """The isolation the reward's model-written code will get (None: the suite runs none), before training.

    Raises:
        UserError: as `GRPOMethod.prepare`: the suite runs code and `config.sandbox` does not work here.
    """
    spec = config.suite if config.data is None else read_data_record(config.data).suite
    return sandbox_level(load_suite(spec), config.sandbox) if spec else None


def _multi_turn(env: Environment) -> bool:
    """Tool-using rollouts inside TRL (a stateful or remote multi-turn suite), not one rendered prompt."""
    return isinstance(env, StatefulEnv | RemoteEnvironment) and not env.single_turn


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
