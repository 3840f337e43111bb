"""Arena answers: each model answers every prompt once, stored as a resumable run (mode `arena`).

`answer_async` is `evaluate_async` for arena prompts: the same scheduler, batched writer and store,
so answering is resumable exactly like `toolgym eval` (a second call answers only the prompts still
missing). The run's manifest names the prompt set (`arena:FILE_NAME` and its content hash) and has
mode `arena`, which is how `judging` finds the answers to compare.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .._version import __version__
from ..errors import ToolgymError, UserError
from ..models import Model, ModelOptions
from ..run import EpisodeLimits, Progress, Result
from ..run.evaluate import ending
from ..run.executors import check_executor
from ..run.opened import opened
from ..run.scheduler import plan_jobs
from ..run.writer import BatchWriter
from ..store import RunInfo, RunManifest, RunStatus, Store
from ..suites import head_by_category
from ..types import Message, Rollout, SamplingConfig
from .prompts import load_prompts, prompt_set_name, question_text

__all__ = [
    "ARENA_MODE",
    "Answer",
    "AnswerConfig",
    "answer",
    "answer_async",
    "answer_runs",
    "answer_text",
    "read_answers",
]

ARENA_MODE = "arena"
"""`RunManifest.mode` of an answer run."""

_TRANSPORT_KEYS = frozenset({"url", "base_url", "spec"})


class AnswerConfig(BaseModel):
    """One model answering one prompt set; CLI flags map one-to-one onto these fields."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    prompts: str
    """Prompts: a JSONL file (id, prompt or messages, optional category) or a suite spec."""
    model: str
    """Model spec of the answering model: openai:NAME, hf:PATH, tiny, replay:FILE."""
    temperature: float = Field(default=0.0, ge=0.0)
    """Sampling temperature; 0 is greedy."""
    top_p: float = Field(default=1.0, gt=0.0, le=1.0)
    """Nucleus sampling mass."""
    max_tokens: int = Field(default=1024, gt=0)
    """Most tokens generated per answer."""
    seed: int = 0
    """Sampling seed; each prompt gets a seed derived from it."""
    concurrency: int = Field(default=8, ge=1)
    """Answers in flight at once."""
    limit: int | None = Field(default=None, ge=1)
    """Answer N prompts: the first of each category, in proportion to its size."""
    db: str = "toolgym.db"
    """Where runs are stored: a SQLite file path or an SQLAlchemy URL."""
    run: str | None = None
    """Run name; the same name resumes. Default: derived from the prompts and the model."""
    timeout_s: float = Field(default=300.0, gt=0)
    """Wall-clock limit of one answer, in seconds."""
    executor: str = "local"
    """Where the answers are generated: local, ray or ray:ADDRESS (as for eval); this process stores them."""

    @field_validator("executor")
    @classmethod
    def _known_executor(cls, value: str) -> str:
        return check_executor(value)

    def sampling(self) -> SamplingConfig:
        """The sampling settings of this run."""
        return SamplingConfig(
            temperature=self.temperature, top_p=self.top_p, max_tokens=self.max_tokens, seed=self.seed
        )


@dataclass(frozen=True, slots=True)
class Answer:
    """One stored answer with the question it answers."""

    prompt_id: str
    category: str
    question: str
    text: str


async def answer_async(
    config: AnswerConfig,
    *,
    options: ModelOptions | None = None,
    model: Model | None = None,
    on_start: Callable[[RunInfo, Progress], None] | None = None,
    on_result: Callable[[Result, Progress], None] | None = None,
) -> RunInfo:
    """Answer (or finish answering) every prompt with one model, storing each answer as it arrives.

    A `model` passed in stays open for the caller to reuse, as with `evaluate_async`.
    """
    suite = load_prompts(config.prompts)
    tasks = head_by_category(suite.tasks, config.limit)
    async with opened(config.executor, model or config.model, options, config.db) as parts:
        executor, model, store = parts.executor, parts.model, parts.store
        manifest = RunManifest(
            suite=suite.name, suite_version=suite.version, model=config.model,
            model_options={k: v for k, v in model.describe().items() if k not in _TRANSPORT_KEYS},
            sampling=config.sampling(), repeats=1, mode=ARENA_MODE, limit=config.limit,
            toolgym_version=__version__,
        )
        run = store.open_run(config.run, manifest)
        done = store.done_keys(run.id)
        progress = Progress(total=len(tasks), done_before=len(done))
        if on_start:
            on_start(run, progress)
        writer = BatchWriter(store, run.id)

        async def record(result: Result) -> None:
            progress.add(result)
            await writer.put(result)
            if on_result:
                on_result(result, progress)

        limits = EpisodeLimits(timeout_s=config.timeout_s, max_turns=1)
        status: RunStatus = "interrupted"  # Ctrl-C (CancelledError, KeyboardInterrupt) leaves it so
        cause: str | None = None
        try:
            await executor.run_jobs(model, suite.env, plan_jobs(tasks, 1, done), config.sampling(), limits,
                                    concurrency=config.concurrency, on_result=record)
            status, cause = ending(progress)  # as `eval`: failed when no answer got past the infrastructure
        except Exception as e:
            status, cause = "failed", str(e) if isinstance(e, ToolgymError) else f"{type(e).__name__}: {e}"
            raise
        finally:
            await writer.flush()  # on Ctrl-C too: what finished is kept
            if status == "finished" and store.get_run(run.name).done < len(tasks):
                status = "interrupted"  # answers left to retry: the same command finishes them
            await asyncio.to_thread(store.set_status, run.id, status, cause)
        return store.get_run(run.name)


def answer(config: AnswerConfig, **kwargs) -> RunInfo:
    """Synchronous wrapper of `answer_async` for scripts and notebooks."""
    return asyncio.run(answer_async(config, **kwargs))


def answer_text(rollout: Rollout) -> str:
    """What a judge reads as the answer: the last assistant message's text and any tool calls it made."""
    reply = next((m for m in reversed(rollout.messages) if m.role == "assistant"), None)
    if reply is None:
        return ""
    parts = [reply.text] if reply.text else []
    parts += [f"[tool call] {c.name}({json.dumps(c.arguments, ensure_ascii=False)})" for c in reply.tool_calls]
    return "\n".join(parts)


def read_answers(store: Store, run: RunInfo) -> dict[str, Answer]:
    """The finished answers of an answer run, by prompt id (infra errors left out)."""
    if run.manifest.mode != ARENA_MODE:
        raise UserError(f"run {run.name!r} is not an arena answer run (mode {run.manifest.mode!r})")
    out: dict[str, Answer] = {}
    finished = [r for r in store.results(run.id) if r.counted]  # exhaust the stream before the lookups
    for record in finished:
        rollout = store.rollout(run.id, record.task_id, record.sample)
        asked = _question(rollout.messages)
        out[record.task_id] = Answer(record.task_id, record.category, question_text(asked), answer_text(rollout))
    return out


def _question(messages: list[Message]) -> list[Message]:
    """The task's messages: everything before the first assistant reply."""
    first = next((i for i, m in enumerate(messages) if m.role == "assistant"), len(messages))
    return messages[:first]


def answer_runs(store: Store, prompts: str | None = None) -> tuple[str, list[RunInfo]]:
    """The answer runs of one prompt set, and its `NAME@HASH`.

    Args:
        store: where the runs are.
        prompts: the prompt set (a prompts file or suite spec, as given to `answer`); None means the
            only prompt set the store has answers for.

    Raises:
        UserError: no answers yet, or several prompt sets and none chosen (they are listed).
    """
    runs = [r for r in store.list_runs() if r.manifest.mode == ARENA_MODE]
    if prompts is not None:
        wanted = prompt_set_name(load_prompts(prompts))
        chosen = [r for r in runs if _prompt_set(r) == wanted]
        if not chosen:
            others = sorted({_prompt_set(r) for r in runs})
            seen = f"; answers there are to {', '.join(others)}" if others else ""
            raise UserError(
                f"no answers to the prompts {prompts} ({wanted}) in {store.url}{seen}. Answer them first: "
                f"toolgym arena answer --prompts {prompts} --model SPEC"
            )
        return wanted, chosen
    sets = sorted({_prompt_set(r) for r in runs})
    if not sets:
        raise UserError(
            f"no arena answers in {store.url} yet; answer first: toolgym arena answer --prompts FILE --model SPEC"
        )
    if len(sets) > 1:
        raise UserError(
            f"{store.url} holds answers to {len(sets)} prompt sets ({', '.join(sets)}); "
            "choose one with --prompts FILE"
        )
    return sets[0], runs


def _prompt_set(run: RunInfo) -> str:
    return f"{run.manifest.suite}@{run.manifest.suite_version}"
