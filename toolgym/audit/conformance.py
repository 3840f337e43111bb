"""Serving conformance: one checkpoint under every tool-call parser x tool mode x chat-template option.

A model's score depends on how it is served: the wrong tool-call parser or chat template can halve it.
`configurations` lists what a backend offers (every registered parser; native tools through the
chat template or the API, and tools in the system prompt; each boolean variable the chat template
reads, on and off), `run_conformance` evaluates the same tasks under each into its own stored run,
and `conformance_report` compares every configuration with the best one by the paired test.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import UserError
from ..models import TOOL_PARSERS, ModelOptions
from ..run import RunConfig, evaluate_async
from ..stats import Difference, Estimate, Record, accuracy, compare
from ..store import Store

__all__ = [
    "ConfigResult",
    "Configuration",
    "ConformanceReport",
    "chat_template_variables",
    "configurations",
    "conformance_report",
    "run_conformance",
]

_FROZEN = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)
ToolMode = Literal["native", "prompt"]

# variables every chat template may read that are not serving options
_STANDARD = frozenset({
    "messages", "tools", "documents", "add_generation_prompt", "continue_final_message", "bos_token",
    "eos_token", "pad_token", "unk_token", "raise_exception", "strftime_now", "date_string", "custom_tools",
    "builtin_tools", "tool_choice", "loop", "namespace", "range", "dict", "true", "false", "none",
})


class Configuration(BaseModel):
    """One way of serving the checkpoint."""

    model_config = _FROZEN

    parser: str
    """Tool-call parser that reads calls from the model's text."""
    tool_mode: ToolMode
    """native: tools through the chat template or the API; prompt: tools in the system prompt."""
    template: dict[str, Any] = Field(default_factory=dict)
    """Chat-template variables set (`chat_template_kwargs`); empty for the template's defaults."""

    def label(self) -> str:
        """A short name, used in run names and tables: `hermes-native`, `hermes-prompt-enable_thinking=false`."""
        extra = "".join(f"-{k}={json.dumps(v)}" for k, v in sorted(self.template.items()))
        return f"{self.parser}-{self.tool_mode}{extra}"

    def options(self, base: ModelOptions) -> ModelOptions:
        """The backend options of this configuration on top of `base`."""
        body = dict(base.extra_body or {})
        if self.template:
            body["chat_template_kwargs"] = {**body.get("chat_template_kwargs", {}), **self.template}
        return base.model_copy(update={"parser": self.parser, "tool_mode": self.tool_mode,
                                       "extra_body": body or None})


def chat_template_variables(template: str) -> list[str]:
    """Variables a Jinja chat template reads beyond the standard ones: its serving options."""
    from jinja2 import meta
    from transformers.utils.chat_template_utils import _compile_jinja_template

    # transformers' own Jinja environment: it knows the `generation` tag and the loop controls
    env = _compile_jinja_template(template).environment
    return sorted(meta.find_undeclared_variables(env.parse(template)) - _STANDARD)


def configurations(
    parsers: Sequence[str] | None = None,
    tool_modes: Sequence[str] = ("native", "prompt"),
    template_variables: Sequence[str] = (),
) -> list[Configuration]:
    """Every parser x tool mode x template option (defaults, then each variable on, then off).

    Raises:
        UserError: an unknown parser or tool mode, listing the known ones.
    """
    names = list(parsers) if parsers else sorted(TOOL_PARSERS.names())
    for name in names:
        TOOL_PARSERS.get(name)
    for mode in tool_modes:
        if mode not in ("native", "prompt"):
            raise UserError(f"--tool-modes: {mode!r} is not one of native, prompt")
    templates: list[dict[str, Any]] = [{}] + [{v: flag} for v in template_variables for flag in (True, False)]
    return [Configuration(parser=p, tool_mode=m, template=t)  # type: ignore[arg-type]
            for p in names for m in tool_modes for t in templates]


class ConfigResult(BaseModel):
    """How one configuration scored."""

    model_config = _FROZEN

    configuration: Configuration
    """The configuration."""
    run: str
    """The stored run."""
    accuracy: Estimate | None
    """Accuracy with its task-clustered interval; None when no rollout could be scored."""
    parse_error_share: float = Field(ge=0.0, le=1.0)
    """Share of scored rollouts that failed because the output could not be parsed."""
    errors: int = Field(default=0, ge=0)
    """Rollouts ended by an error (timeout, a prompt the model cannot take): not scored."""
    error: str | None = None
    """One of those errors, to show why the configuration could not be scored."""
    versus_best: Difference | None
    """This configuration minus the best one (paired); None for the best itself."""


class ConformanceReport(BaseModel):
    """Every configuration's score against the best one (see `conformance_report`)."""

    model_config = _FROZEN

    model: str
    """The checkpoint's model spec."""
    suite: str
    """Suite evaluated."""
    results: list[ConfigResult]
    """One per configuration, best accuracy first."""
    recommended: Configuration
    """The configuration to use: the best accuracy, fewer parse errors breaking ties."""
    equivalent: list[str]
    """Labels of the other configurations not significantly worse than the best (p >= 0.05)."""


async def run_conformance(
    base: RunConfig,
    configs: Sequence[Configuration],
    options: ModelOptions,
    *,
    prefix: str,
    on_config: Callable[[Configuration, int], None] | None = None,
) -> list[tuple[Configuration, str]]:
    """Evaluate `base` (suite, model, split, limit...) once per configuration, each into run `PREFIX-LABEL`.

    Runs resume like any `toolgym eval`, so an interrupted conformance check picks up where it stopped.
    """
    done = []
    for i, config in enumerate(configs):
        if on_config:
            on_config(config, i)
        name = f"{prefix}-{config.label()}"
        await evaluate_async(base.model_copy(update={"run": name}), options=config.options(options))
        done.append((config, name))
    return done


def conformance_report(store: Store, runs: Sequence[tuple[Configuration, str]], seed: int = 0) -> ConformanceReport:
    """Accuracy, parse-error share and the paired difference from the best, per configuration."""
    scored: list[tuple[Configuration, str, list[Record], float]] = []
    broken: list[ConfigResult] = []
    for config, name in runs:
        info = store.get_run(name)
        rows = list(store.results(info.id))
        counted = [r for r in rows if r.counted]
        failed = [r for r in rows if not r.counted]
        if not counted:  # every rollout errored: report the configuration as unusable, with why
            broken.append(ConfigResult(configuration=config, run=name, accuracy=None, parse_error_share=0.0,
                                       versus_best=None, errors=len(failed),
                                       error=next((r.error for r in failed if r.error), None)))
            continue
        parse = sum(r.failure is not None and r.failure.value == "parse_error" for r in counted) / len(counted)
        scored.append((config, name, [Record(r.task_id, r.category, bool(r.passed)) for r in counted], parse))
    if not scored:
        raise UserError("conformance: no configuration produced a scored rollout; "
                        f"the first error: {broken[0].error if broken else 'none stored'}")
    acc = {name: accuracy(records, by_category=False, seed=seed).overall for _, name, records, _ in scored}
    scored.sort(key=lambda s: (-acc[s[1]].value, s[3], s[0].label()))
    best_config, best_name, best_records, _ = scored[0]
    results = []
    for config, name, records, parse in scored:
        diff = None if name == best_name else compare(best_records, records, seed=seed).overall
        results.append(ConfigResult(configuration=config, run=name, accuracy=acc[name], parse_error_share=parse,
                                    versus_best=diff))
    results += broken
    info = store.get_run(best_name)
    return ConformanceReport(
        model=info.manifest.model, suite=info.manifest.suite, results=results, recommended=best_config,
        equivalent=[r.configuration.label() for r in results[1:] if r.versus_best and r.versus_best.p_value >= 0.05],
    )
