"""Post-training: training data from verified rollouts, verifier rewards, and TRL's SFT, DPO and GRPO trainers.

* Data: `build_sft_data` (rejection sampling: the best passed answers per train task) and
  `build_dpo_data` (passed against failed answers) write `datasets` directories in TRL's
  conversational format; `battle_pairs` turns judged battles into preference rows.
* Rewards: `EnvironmentReward` is an environment's verifier as a GRPO reward function;
  `environment_classes` + `StatefulReward` run multi-turn tool rollouts inside TRL.
* Trainers: `train_sft`, `train_dpo`, `train_grpo`, each with its config (`SFTRunConfig`...), save a
  model directory that `hf:OUT` evaluates. All three run through `run_method`; a new method is a
  `TrainMethod` subclass registered in `METHODS` (its dataset, TRL config and trainer).
* `run_loop`: evaluate, keep what passed, train, evaluate again, with paired comparisons.

Importing this package loads no torch, transformers, trl or datasets: the functions that need them
import them.
"""

from .chat import REFUSAL, answer_messages, chat_message, chat_tools, reference_answer
from .config import TrainConfig, TrainResult
from .data_dpo import Judgment, battle_pairs, build_dpo_data, dpo_rows, dpo_rows_from_suite
from .data_grpo import grpo_rows, grpo_tasks, render_prompt
from .data_sft import build_sft_data, sft_rows, sft_rows_from_suite
from .dataset_files import DataRecord, load_data_dir, read_data_record, rows_dataset, save_data
from .dpo import train_dpo
from .dpo_config import DPORunConfig
from .filters import RowFilter, balance_rows, filter_rollouts, filtered_rows
from .grpo import train_grpo
from .grpo_config import GRPORunConfig
from .loop import LoopConfig, LoopHooks, LoopResult, RoundResult, run_loop
from .rewards import EnvironmentReward, completion_messages
from .runner import METHODS, TrainMethod, method_runner, run_method
from .runtime import RESULT_FILE, LogFn, model_dir
from .sft import train_sft
from .sft_config import SFTRunConfig
from .sources import RolloutSource, ScoredRollout, read_rollouts
from .tool_environment import StatefulReward, environment_classes

__all__ = [
    "METHODS",
    "REFUSAL",
    "RESULT_FILE",
    "DPORunConfig",
    "DataRecord",
    "EnvironmentReward",
    "GRPORunConfig",
    "Judgment",
    "LogFn",
    "LoopConfig",
    "LoopHooks",
    "LoopResult",
    "RolloutSource",
    "RoundResult",
    "RowFilter",
    "SFTRunConfig",
    "ScoredRollout",
    "StatefulReward",
    "TrainConfig",
    "TrainMethod",
    "TrainResult",
    "answer_messages",
    "balance_rows",
    "battle_pairs",
    "build_dpo_data",
    "build_sft_data",
    "chat_message",
    "chat_tools",
    "completion_messages",
    "dpo_rows",
    "dpo_rows_from_suite",
    "environment_classes",
    "filter_rollouts",
    "filtered_rows",
    "grpo_rows",
    "grpo_tasks",
    "method_runner",
    "load_data_dir",
    "model_dir",
    "read_data_record",
    "read_rollouts",
    "reference_answer",
    "render_prompt",
    "rows_dataset",
    "run_loop",
    "run_method",
    "save_data",
    "sft_rows",
    "sft_rows_from_suite",
    "train_dpo",
    "train_grpo",
    "train_sft",
]
