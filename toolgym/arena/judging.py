"""Judging: a judge model compares stored answers pairwise, two games per pair, and every game is kept.

`judge_async` reads the answer runs of one prompt set, pairs the models on each prompt
(`pairing`), and asks the judge about each game still missing from the `arena_battles` table: a
second call resumes, and games that failed on infrastructure are asked again. Unparseable judgments
are stored with the judge's text and counted, never turned into a guess.

A local judge (`tiny`, `hf:PATH`) may be served by Ray model servers (`executor`), opened with the
judge and the store by `run.opened` as `arena answer` does; the games are still played and stored
here, in the driver, one store writer whatever serves the judge.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..errors import InfraError, UserError
from ..models import Model, ModelOptions
from ..run.executors import check_executor, executor_for
from ..run.opened import opened
from ..run.scheduler import sample_seed
from ..stats import style_features
from ..store import RunInfo, Store
from ..types import Message, SamplingConfig
from .answers import Answer, answer_runs, read_answers
from .battles import BattleRecord, GameKey
from .judge_prompt import DEFAULT_TEMPLATE, label_outcome, load_template, parse_verdict, render_prompt, template_hash
from .pairing import Pairing, games, pairs_for_prompt
from .store import BattleStore

__all__ = ["JudgeConfig", "JudgeSummary", "judge", "judge_async", "judge_source", "select_models"]

_BATCH = 32


class JudgeConfig(BaseModel):
    """A judge model comparing the stored answers of one prompt set; CLI flags map onto these fields."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    judge: str
    """Model spec of the judge: openai:NAME (with --base-url), hf:PATH, replay:FILE."""
    prompts: str | None = None
    """Prompt set whose answers to judge (prompts file or suite); default: the only one in the store."""
    models: list[str] | None = None
    """Models to compare (model specs or answer-run names); default: every model that answered."""
    baseline: str | None = None
    """Model every other model meets under the baseline pairing (spec or answer-run name)."""
    pairing: Pairing | None = None
    """baseline (each model vs the baseline), all (every pair) or sampled (random pairs per prompt);
    default: baseline when a baseline is named, else all."""
    pairs_per_prompt: int = Field(default=1, ge=1)
    """Pairs drawn per prompt under the sampled pairing."""
    template: Path | None = None
    """Judge prompt template: a text file with {question}, {answer_a} and {answer_b}; default: toolgym's."""
    temperature: float = Field(default=0.0, ge=0.0)
    """Judge sampling temperature; 0 is greedy."""
    max_tokens: int = Field(default=2048, gt=0)
    """Most tokens the judge writes per game (its reasoning and the verdict)."""
    seed: int = 0
    """Seed of the judge's sampling and of the sampled pairing."""
    concurrency: int = Field(default=8, ge=1)
    """Judge requests in flight at once."""
    timeout_s: float = Field(default=300.0, gt=0)
    """Wall-clock limit of one judgment, in seconds."""
    db: str = "toolgym.db"
    """Where answers and battles are stored: a SQLite file path or an SQLAlchemy URL."""
    executor: str = "local"
    """Where a local judge (tiny, hf:PATH) runs: local, ray or ray:ADDRESS (Ray model servers); an HTTP judge
    is called from this process either way, and this process stores every game."""

    @field_validator("executor")
    @classmethod
    def _known_executor(cls, value: str) -> str:
        return check_executor(value)


@dataclass
class JudgeSummary:
    """What a judge call planned and did; updated as each game is judged (for progress bars)."""

    source: str
    prompt_set: str
    models: list[str]
    baseline: str | None
    pairing: Pairing
    planned: int
    """Games the pairing asks for (answers of both models present)."""
    done_before: int
    """Planned games already judged (or unparseable) by an earlier call."""
    missing_pairs: int = 0
    """Pairs skipped because one of the two models has no answer to the prompt."""
    judged: int = 0
    """Games judged in this call with a readable verdict."""
    unparseable: int = 0
    """Games judged in this call whose output held no verdict (stored, excluded from ratings)."""
    errors: int = 0
    """Games the judge could not answer in this call (infrastructure); the next call retries them."""
    first_error: str | None = None
    """The first of those errors, to show when every game of the call failed."""

    @property
    def all_failed(self) -> bool:
        """True when this call asked the judge something and every game failed on the infrastructure."""
        return self.errors > 0 and self.judged + self.unparseable == 0

    def add(self, record: BattleRecord) -> None:
        """Count one finished game."""
        if record.error is not None:
            self.errors += 1
            self.first_error = self.first_error or record.error
        elif record.outcome is None:
            self.unparseable += 1
        else:
            self.judged += 1


def judge_source(judge_spec: str, template: str) -> str:
    """The battles' source name: `judge:SPEC`, plus `#HASH` when the template is not toolgym's default."""
    suffix = "" if template == DEFAULT_TEMPLATE else f"#{template_hash(template)}"
    return f"judge:{judge_spec}{suffix}"


async def judge_async(
    config: JudgeConfig,
    *,
    options: ModelOptions | None = None,
    judge: Model | None = None,
    on_start: Callable[[JudgeSummary], None] | None = None,
    on_game: Callable[[BattleRecord, JudgeSummary], None] | None = None,
) -> JudgeSummary:
    """Judge every planned game not yet judged, storing each as it finishes; returns the counts.

    A `judge` passed in stays open for the caller to reuse, as with `answer_async`.
    """
    template = load_template(config.template) if config.template else DEFAULT_TEMPLATE
    source = judge_source(config.judge, template)
    # first: without Ray, `--executor ray` says how to install it before anything is read. It starts
    # nothing until `opened` loads the judge, so an error while planning leaves nothing to stop.
    executor = executor_for(config.executor)
    with Store(config.db) as store:
        prompt_set, runs = answer_runs(store, config.prompts)
        chosen, baseline = select_models(runs, config.models, config.baseline)
        answers = {model: read_answers(store, run) for model, run in chosen.items()}
    pairing: Pairing = config.pairing or ("baseline" if baseline else "all")
    with BattleStore(config.db) as battles:
        planned, missing = _plan(answers, pairing, baseline, config.pairs_per_prompt, config.seed)
        done = battles.done_keys(source, prompt_set)
        todo = [key for key in planned if key not in done]
        summary = JudgeSummary(source, prompt_set, sorted(answers), baseline, pairing, len(planned),
                               len(planned) - len(todo), missing)
        if on_start:
            on_start(summary)
        if not todo:
            return summary
        async with opened(executor, judge or config.judge, options, config.db) as parts:
            await _judge_all(parts.model, battles, todo, _Game(source, prompt_set, template, answers, config),
                             config.concurrency, summary, on_game)
    return summary


def judge(config: JudgeConfig, **kwargs) -> JudgeSummary:
    """Synchronous wrapper of `judge_async` for scripts and notebooks."""
    return asyncio.run(judge_async(config, **kwargs))


def select_models(
    runs: list[RunInfo], wanted: list[str] | None, baseline: str | None
) -> tuple[dict[str, RunInfo], str | None]:
    """The answer run of each chosen model, and the baseline's model name.

    Models are named by their spec (`RunManifest.model`); a name may also be an answer run's name,
    which picks that run when one model answered the prompts in several runs.

    Raises:
        UserError: an unknown name (the known models and runs are listed), or a model with several
            answer runs and no run named.
    """
    by_model: dict[str, list[RunInfo]] = {}
    for run in runs:
        by_model.setdefault(run.manifest.model, []).append(run)
    by_run = {run.name: run for run in runs}
    names = (list(wanted) if wanted else sorted(by_model)) + ([baseline] if baseline is not None else [])
    chosen: dict[str, RunInfo] = {}
    for name in names:
        run = _resolve(name, by_model, by_run)
        other = chosen.setdefault(run.manifest.model, run)
        if other.id != run.id:
            raise UserError(f"model {run.manifest.model!r} is named twice, by runs {other.name!r} and "
                            f"{run.name!r}; name one of them")
    if len(chosen) < 2:
        raise UserError(
            f"judging needs answers from at least two models; have {sorted(chosen) or 'none'} "
            f"(models with answers: {', '.join(sorted(by_model))})"
        )
    base = _resolve(baseline, by_model, by_run).manifest.model if baseline is not None else None
    return chosen, base


def _resolve(name: str, by_model: dict[str, list[RunInfo]], by_run: dict[str, RunInfo]) -> RunInfo:
    if name in by_run:
        return by_run[name]
    if name not in by_model:
        raise UserError(
            f"no answers from model {name!r} to this prompt set; models: {', '.join(sorted(by_model))}; "
            f"answer runs: {', '.join(sorted(by_run))}"
        )
    if len(by_model[name]) > 1:
        several = ", ".join(r.name for r in by_model[name])
        raise UserError(f"model {name!r} answered these prompts in several runs ({several}); name one of "
                        "the runs instead of the model")
    return by_model[name][0]


def _plan(
    answers: dict[str, dict[str, Answer]], pairing: Pairing, baseline: str | None, per_prompt: int, seed: int
) -> tuple[list[GameKey], int]:
    """Games to play, in prompt order, and the number of pairs left out for a missing answer."""
    models = sorted(answers)
    prompt_ids = sorted({p for by_prompt in answers.values() for p in by_prompt})
    planned: list[GameKey] = []
    missing = 0
    for prompt_id in prompt_ids:
        pairs = pairs_for_prompt(prompt_id, models, pairing, baseline=baseline, pairs_per_prompt=per_prompt,
                                 seed=seed)
        present = [(x, y) for x, y in pairs if prompt_id in answers[x] and prompt_id in answers[y]]
        missing += len(pairs) - len(present)
        planned.extend(games(prompt_id, present))
    return planned, missing


@dataclass(frozen=True)
class _Game:
    """What judging one game needs besides the judge and the key."""

    source: str
    prompt_set: str
    template: str
    answers: dict[str, dict[str, Answer]]
    config: JudgeConfig

    async def play(self, model: Model, key: GameKey) -> BattleRecord:
        a, b = self.answers[key.model_a][key.prompt_id], self.answers[key.model_b][key.prompt_id]
        record = BattleRecord(
            self.source, self.prompt_set, key.prompt_id, key.model_a, key.model_b, key.seq, a.category,
            style_a=style_features(a.text), style_b=style_features(b.text),
        )
        prompt = render_prompt(self.template, a.question, a.text, b.text)
        request_id = f"{key.prompt_id}|{key.model_a}|{key.model_b}"
        cfg = self.config
        sampling = SamplingConfig(temperature=cfg.temperature, max_tokens=cfg.max_tokens,
                                  seed=sample_seed(cfg.seed, request_id, 0))
        try:
            completion = await asyncio.wait_for(
                model.generate([Message(role="user", content=prompt)], [], sampling, task_id=request_id),
                timeout=cfg.timeout_s,
            )
        except (InfraError, TimeoutError) as e:
            return record._replace(error=str(e) or f"judge timed out after {cfg.timeout_s:g} s")
        text = completion.text if completion.text is not None else completion.raw
        label = parse_verdict(text)
        if label is None:
            return record._replace(judgment=text)
        outcome, strong = label_outcome(label)
        return record._replace(verdict=label, outcome=outcome, strong=strong, judgment=text)


async def _judge_all(
    model: Model,
    battles: BattleStore,
    todo: Iterable[GameKey],
    game: _Game,
    concurrency: int,
    summary: JudgeSummary,
    on_game: Callable[[BattleRecord, JudgeSummary], None] | None,
) -> None:
    it = iter(todo)
    buffer: list[BattleRecord] = []

    async def flush() -> None:
        batch = buffer[:]
        buffer.clear()
        if batch:
            await asyncio.to_thread(battles.write, batch)

    async def worker() -> None:
        for key in it:  # shared iterator: each game is taken by exactly one worker
            record = await game.play(model, key)
            summary.add(record)
            buffer.append(record)
            if on_game:
                on_game(record, summary)
            if len(buffer) >= _BATCH:
                await flush()

    try:
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        await flush()  # on Ctrl-C or a UserError too: what was judged is kept
