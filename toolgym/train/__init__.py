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

`__all__` holds what users call or extend; the row builders, chat rendering, data-directory files and
runtime helpers the trainers share stay in their modules (`train.chat`, `train.data_sft`, ...), which
the other layers import directly.

Importing this package loads no torch, transformers, trl or datasets: the functions that need them
import them.
"""

# The trainers register their methods as they are imported, and `toolgym train` lists them in that
# order: the pipeline's (SFT, then preference pairs, then RL). Methods registered later come after.
from .sft import train_sft  # isort: skip
from .dpo import train_dpo  # isort: skip
from .grpo import train_grpo  # isort: skip
from .config import TrainConfig, TrainResult
from .data_dpo import Judgment, battle_pairs, build_dpo_data
from .data_sft import build_sft_data
from .dpo_config import DPORunConfig
from .filters import RowFilter
from .grpo_config import GRPORunConfig
from .loop import LoopConfig, LoopHooks, LoopResult, RoundResult, run_loop
from .rewards import EnvironmentReward
from .runner import METHODS, TrainMethod, run_method
from .sft_config import SFTRunConfig
from .sources import ScoredRollout, read_rollouts
from .tool_environment import StatefulReward, environment_classes

__all__ = [
    "METHODS",
    "DPORunConfig",
    "EnvironmentReward",
    "GRPORunConfig",
    "Judgment",
    "LoopConfig",
    "LoopHooks",
    "LoopResult",
    "RoundResult",
    "RowFilter",
    "SFTRunConfig",
    "ScoredRollout",
    "StatefulReward",
    "TrainConfig",
    "TrainMethod",
    "TrainResult",
    "battle_pairs",
    "build_dpo_data",
    "build_sft_data",
    "environment_classes",
    "read_rollouts",
    "run_loop",
    "run_method",
    "train_dpo",
    "train_grpo",
    "train_sft",
]
