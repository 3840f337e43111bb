"""Each subpackage's `__all__` holds what users call, and code imports anything else from its module.

`from toolgym.run import X` is the public way in; the scheduler's jobs, the batched writer, the shared
conversions and the like are imported from their modules (`toolgym.run.scheduler`), so a subpackage's
`__init__` never grows a name only another layer needs.
"""

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Pinned on purpose: adding a name to a subpackage's public API is a decision, made here as well.
PUBLIC = {
    "arena": [
        "ARENA_MODE", "Answer", "AnswerConfig", "ArenaEnvironment", "BattleRecord", "BattleStore",
        "DEFAULT_TEMPLATE", "JudgeConfig", "JudgeSummary", "LABELS", "Label", "Leaderboard", "LeaderboardConfig",
        "Outcome", "PromptRecord", "Vote", "VoteImport", "WINNERS", "answer", "answer_async", "build_leaderboard",
        "import_votes", "judge", "judge_async", "load_prompts", "load_template", "parse_verdict", "read_answers",
        "read_votes",
    ],
    "audit": [
        "AuditReport", "ConfigResult", "Configuration", "ConformanceReport", "GoldFailure", "JUDGE_PROMPT",
        "LabelSuspect", "RescoreSummary", "UnsolvedTask", "VerdictChange", "answer_of", "audit_suite",
        "chat_template_variables", "configurations", "conformance_report", "gold_transcripts", "judge_user_turns",
        "regrade", "replay_gold", "rescore_run", "run_conformance", "verdict_changes",
    ],
    "check": [
        "CallVerdict", "Mode", "PERTURBATION_KINDS", "agentic_answer_found", "agentic_standardize", "bfcl_standardize",
        "check_calls", "perturb", "reference_calls", "safe_standardize", "same",
    ],
    "cli": ["app", "main"],
    "envs": [
        "BfclMemoryEnv", "BfclMultiTurnEnv", "CodeEnv", "CodeMetadata", "DOMAINS", "Domain", "ENVIRONMENTS",
        "Environment", "Episode", "FunctionCallingEnv", "MCPEnv", "MCPMetadata", "ModeMixin", "PYTHON_TOOL",
        "Prerequisites", "RemoteEnvironment",
        "SandboxConfig", "StatefulEnv", "StatefulEpisode", "StatefulMetadata", "UserMetadata", "check_mode",
        "executed_calls", "explain_diff", "extract_code", "isolation_level", "list_server_tools", "run_python",
        "state_diff", "state_hash", "state_tool",
    ],
    "models": [
        "BACKENDS", "Model", "ModelOptions", "OpenAIModel", "ParseResult", "ReplayModel", "RetryPolicy",
        "TOOL_PARSERS", "ToolParser", "load_model", "parse_tool_calls",
    ],
    "report": [
        "BfclScores", "ELO_NOTE", "Figures", "RunSection", "Transcript", "accuracy_table", "bfcl_not_run",
        "bfcl_over_runs", "bfcl_runs_combined", "bfcl_scores", "bfcl_summary", "bfcl_table", "category_chart",
        "combined_bfcl_scores", "combined_bfcl_summary", "comparison_table", "failure_table", "leaderboard_html",
        "leaderboard_table", "pct", "quality_table", "rating_chart", "render_html", "run_section", "style_table",
        "transcripts_to_show",
    ],
    "run": [
        "EpisodeLimits", "Executor", "Progress", "Result", "RunConfig", "evaluate", "evaluate_async",
        "executor_for", "load_config_file", "run_episode", "score_responses",
    ],
    "serve": [
        "EpisodeTable", "TooManyEpisodes", "check_exposure", "create_env_app", "is_loopback", "listening_socket",
        "serve_app",
    ],
    "stats": [
        "AccuracyReport", "Agreement", "Battles", "Comparison", "DEFAULT_STYLE_FEATURES", "Detectable",
        "Difference", "ELO_PER_LOGIT", "Estimate", "IntervalMethod", "ModelRating", "Outcome", "OutcomeRecord",
        "OutcomeReport", "PassKReport", "PlanRow", "PowerPlan", "RatingConfig", "Ratings", "Record",
        "STYLE_FEATURES", "StyleCoefficient", "TaskCounts", "VarianceComponents", "accuracy", "agreement",
        "assumed_variance", "bootstrap_means", "bradley_terry", "classify_outcome", "compare", "components",
        "fit_pooled", "minimum_detectable_difference", "online_elo", "outcome_breakdown", "pass_at_k",
        "pass_at_k_per_task", "pass_hat_k", "pass_hat_k_per_task", "pass_rate_upper_bound", "percentile_interval",
        "plan_power", "power_of", "resample_counts", "separability", "sign_flip_p_value", "style_covariates",
        "style_features", "variance_from_runs", "wilson_interval",
    ],
    "store": [
        "ResultRecord", "RolloutFilter", "RolloutPage", "RunInfo", "RunManifest", "RunStatus", "Store",
        "categories", "database_files", "diff_manifests", "rollout_page", "rollouts_by_key",
    ],
    "suites": [
        "CompactTasks", "ENTRY_POINT_GROUP", "NOT_RUN", "STOP_MARKER", "SUITES", "Suite", "head_by_category",
        "load_bfcl", "load_bfcl_package", "load_jsonl_suite", "load_python_suite", "load_suite", "not_run",
        "reference_lines", "split_bfcl_spec", "stated_calls", "suite", "write_reference_answers",
    ],
    "train": [
        "DPORunConfig", "EnvironmentReward", "GRPORunConfig", "Judgment", "LoopConfig", "LoopHooks", "LoopResult",
        "METHODS", "RoundResult", "RowFilter", "SFTRunConfig", "ScoredRollout", "StatefulReward", "TrainConfig",
        "TrainMethod", "TrainResult", "battle_pairs", "build_dpo_data", "build_sft_data", "environment_classes",
        "read_rollouts", "run_loop", "run_method", "train_dpo", "train_grpo", "train_sft",
    ],
    "view": ["ViewConfig", "create_app", "is_loopback", "serve"],
}

# Internals that used to be re-exported: each stays importable from its module.
MOVED = {
    "run": {"Job": "scheduler", "plan_jobs": "scheduler", "run_jobs": "scheduler", "run_job": "scheduler",
            "sample_seed": "scheduler", "BatchWriter": "writer", "SimulatedUser": "user", "USER_NAME": "user",
            "label_limit": "limits", "LocalExecutor": "executors"},
    "models": {"calls_from_openai": "conversions", "template_message": "conversions", "load_pretrained": "hf_model",
               "ReplicaPool": "replicas", "write_replay": "replay", "split_images": "vision_messages"},
    "train": {"reference_answer": "chat", "sft_rows": "data_sft", "save_data": "dataset_files",
              "method_runner": "runner", "RESULT_FILE": "runtime", "filtered_rows": "filters"},
    "store": {"open_engine": "engine", "prepare_schema": "migrations", "run_without_counts": "browse"},
}


def subpackages() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "toolgym").glob("*/__init__.py"))


def test_every_subpackage_is_pinned():
    assert sorted(PUBLIC) == subpackages(), "a new subpackage: pin its public names in PUBLIC"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_names_are_pinned_and_resolve(name):
    package = importlib.import_module(f"toolgym.{name}")
    assert sorted(package.__all__) == sorted(PUBLIC[name]), f"toolgym.{name}.__all__ changed: update PUBLIC"
    assert len(set(package.__all__)) == len(package.__all__)
    for public in package.__all__:
        assert getattr(package, public) is not None, f"toolgym.{name}.{public}"


@pytest.mark.parametrize(("name", "internal", "module"),
                         [(p, n, m) for p, moved in sorted(MOVED.items()) for n, m in sorted(moved.items())])
def test_internals_live_in_their_modules_not_in_the_package(name, internal, module):
    assert internal not in PUBLIC[name]
    assert getattr(importlib.import_module(f"toolgym.{name}.{module}"), internal) is not None
    with pytest.raises(ImportError, match=internal):
        exec(f"from toolgym.{name} import {internal}", {})


def _package_imports(path: Path, source: str) -> list[tuple[str, str, int]]:
    """(package, name, line) of each `from toolgym.PACKAGE import name` in a file, relative imports resolved."""
    here = list(path.parts[:-1])  # the package this file is in (an __init__'s own package too)
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = here[:len(here) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        if target.count(".") == 1 and target.startswith("toolgym.") and ".".join(here) != target:
            found += [(target.split(".")[1], alias.name, node.lineno) for alias in node.names]
    return found


def test_code_imports_from_a_subpackage_only_its_public_names():
    files = [p for d in ("toolgym", "tests", "benchmarks") for p in sorted((ROOT / d).rglob("*.py"))]
    wrong = []
    for path in files:
        for package, name, line in _package_imports(path.relative_to(ROOT), path.read_text()):
            if package in PUBLIC and name not in PUBLIC[package] and not _is_module(package, name):
                wrong.append(f"{path.relative_to(ROOT)}:{line}: from toolgym.{package} import {name} "
                             f"(not public: import it from its module, toolgym.{package}.<module>)")
    assert wrong == []


def _is_module(package: str, name: str) -> bool:
    folder = ROOT / "toolgym" / package
    return (folder / f"{name}.py").exists() or (folder / name / "__init__.py").exists()


def test_the_checker_resolves_relative_imports_and_passes_over_module_imports():
    source = ("from ..run import Job\nfrom ..run.scheduler import plan_jobs\nfrom . import prompts\n"
              "from toolgym.models import load_model\n")
    found = _package_imports(Path("toolgym/arena/answers.py"), source)
    assert found == [("run", "Job", 1), ("models", "load_model", 4)]
    assert _package_imports(Path("toolgym/run/__init__.py"), "from .scheduler import Job\nfrom . import loop\n") == []


def test_importing_the_pruned_subpackages_stays_light():
    code = ("import json, sys, toolgym.run, toolgym.train, toolgym.models, toolgym.store; "
            "print(json.dumps([m for m in ('torch', 'transformers', 'trl', 'datasets') if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
