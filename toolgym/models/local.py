"""Local transformers models (`hf:PATH` and the bundled `tiny`): offline loading and micro-batched generation.

The scheduler calls `generate` from many coroutines at once. Each call queues a request; one worker
task takes up to `ModelOptions.batch_size` waiting requests that share sampling settings, renders
them with the tokenizer's chat template, runs one left-padded `model.generate` in a thread and
resolves their futures. `--concurrency 32` therefore gives batch-32 generation.

Sampling is reproducible per request: with temperature > 0 every row of a batch draws its own Gumbel
noise from its own `torch.Generator` seeded with the request's `SamplingConfig.seed` (the scheduler
derives one seed per sample), and the token is the argmax of the noisy scores, which is an exact
sample from the tempered, nucleus-filtered distribution. What a request samples therefore does not
depend on which other requests share its batch. A request without a seed draws fresh entropy.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from jinja2 import TemplateError
from transformers import (
    GenerationConfig,
    LogitsProcessor,
    LogitsProcessorList,
    StoppingCriteria,
    StoppingCriteriaList,
)

from ..errors import UserError
from ..types import Completion, Message, SamplingConfig, Tool, Usage
from .conversions import completion_from_text, openai_tools, template_message
from .hf_model import is_vision_model, load_pretrained, local_model_dir, model_parser
from .model import Model, ModelOptions
from .prompt_tools import prompt_messages

__all__ = ["LocalModel", "SeededSampler", "load_local_model"]


def load_local_model(kind: str, name: str, options: ModelOptions) -> LocalModel:
    """The backend for spec `tiny`, `smollm2` or `hf:PATH` (a model directory, a VLM too, or a .gguf file).

    SmolLM2's own chat template ignores `tools=`, so `smollm2` always runs in prompt mode (hermes
    unless --parser says otherwise).
    """
    if kind == "smollm2":
        options = options.model_copy(update={"tool_mode": "prompt", "parser": options.parser or "hermes"})
    path = local_model_dir(f"{kind}:{name}")
    if is_vision_model(path):
        from .local_vlm import LocalVisionModel

        return LocalVisionModel(path, options)
    return LocalModel(path, options)


class SeededSampler(LogitsProcessor):
    """Temperature, top-p and per-row Gumbel noise, so that greedy decoding of its scores samples.

    Args:
        temperature: Softmax temperature (> 0).
        top_p: Nucleus mass kept before sampling.
        seeds: One seed per batch row; None draws fresh entropy for that row.
    """

    def __init__(self, temperature: float, top_p: float, seeds: list[int | None]) -> None:
        self.temperature = temperature
        self.top_p = top_p
        self.generators = []
        for seed in seeds:
            g = torch.Generator()
            if seed is None:
                g.seed()
            else:
                g.manual_seed(seed)
            self.generators.append(g)

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        """Tempered, nucleus-filtered scores plus Gumbel noise; their argmax is a sample."""
        scores = scores.float() / self.temperature
        if self.top_p < 1.0:
            ordered, order = scores.sort(dim=-1, descending=True)
            cumulative = ordered.softmax(dim=-1).cumsum(dim=-1)
            # drop a token when the mass before it already reaches top_p; the top token always stays
            drop = (cumulative - ordered.softmax(dim=-1)) >= self.top_p
            scores = scores.masked_fill(drop.scatter(-1, order, drop), float("-inf"))
        # noise is drawn on the CPU, one row per generator, so a row's draws never depend on its batch
        vocab = scores.shape[-1]
        uniform = torch.stack([torch.rand(vocab, generator=g, dtype=torch.float64) for g in self.generators])
        gumbel = -torch.log(-torch.log(uniform.clamp(1e-300, 1.0 - 1e-16)))
        return scores + gumbel.to(device=scores.device, dtype=scores.dtype)


@dataclass
class _Request:
    messages: list[Message]
    tools: list[Tool]
    sampling: SamplingConfig
    future: asyncio.Future[Completion]
    start: float = field(default_factory=time.perf_counter)

    def group(self) -> tuple[float, float, int]:
        """Requests batch together only when their sampling settings (other than the seed) agree."""
        s = self.sampling
        return (s.temperature, s.top_p if s.temperature > 0 else 1.0, s.max_tokens)


class _StopWhenSet(StoppingCriteria):
    """Ends a `generate` call at its next token once the event is set (Ctrl-C, closing the model).

    Generation runs in a worker thread that cancelling the awaiting coroutine cannot stop; without
    this, Ctrl-C waits for the whole batch (minutes at a long max_tokens on a busy CPU).
    """

    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor, **kwargs: Any) -> torch.BoolTensor:
        return torch.full((input_ids.shape[0],), self.event.is_set(), dtype=torch.bool, device=input_ids.device)


class LocalModel(Model):
    """A transformers causal LM from a local directory, with its chat template and a tool-call parser.

    Weights load as float32 on the CPU and bfloat16 on CUDA. The device is `ModelOptions.device`, else
    CUDA when present. The parser is `ModelOptions.parser`, else picked from the model family named by
    the directory and `config.json` (`parser_for_model`: Qwen and the tiny model use hermes).
    """

    def __init__(self, path: Path, options: ModelOptions) -> None:
        self.path = path
        self.options = options
        self.device = torch.device(options.device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.model, self.tokenizer = self._load(path)
        self.model.to(self.device).eval()
        self.tokenizer.padding_side = "left"
        self.parser = model_parser(options.parser, path, self.model, self.tokenizer)  # a bad --parser fails now
        if options.tool_mode not in ("native", "prompt"):
            raise UserError(f"tool_mode {options.tool_mode!r} is not one of 'native', 'prompt'")
        # as vLLM reads them: extra_body {"chat_template_kwargs": {...}} reaches the template's variables
        self.template_kwargs = dict((options.extra_body or {}).get("chat_template_kwargs") or {})
        self.stop_ids = self._stop_ids()
        self._queue: asyncio.Queue[_Request] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop = threading.Event()

    def _load(self, path: Path) -> tuple[Any, Any]:
        """The weights and tokenizer (`hf_model.load_pretrained`); a vision-language model adds its processor."""
        return load_pretrained(path, str(self.device))

    def _stop_ids(self) -> list[int]:
        ids = self.model.generation_config.eos_token_id
        ids = [] if ids is None else [ids] if isinstance(ids, int) else list(ids)
        if self.tokenizer.eos_token_id is not None and self.tokenizer.eos_token_id not in ids:
            ids.append(self.tokenizer.eos_token_id)
        return ids

    def describe(self) -> dict:
        """Spec, directory, parser, device and batch size (tool mode and template options when set)."""
        out = {
            "spec": self.spec,
            "path": str(self.path),
            "parser": self.parser,
            "device": str(self.device),
            "batch_size": self.options.batch_size,
        }
        if self.options.tool_mode == "prompt":
            out["tool_mode"] = "prompt"
        if self.template_kwargs:
            out["chat_template_kwargs"] = self.template_kwargs
        return out

    async def generate(
        self,
        messages: list[Message],
        tools: list[Tool],
        sampling: SamplingConfig,
        *,
        task_id: str | None = None,
        sample: int = 0,
    ) -> Completion:
        """Queue one request; it is generated together with the other requests waiting at the time."""
        queue = self._ensure_worker()
        future: asyncio.Future[Completion] = asyncio.get_running_loop().create_future()
        queue.put_nowait(_Request(messages, tools, sampling, future))
        return await future

    def _ensure_worker(self) -> asyncio.Queue[_Request]:
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._worker is None or self._worker.done():
            # a new event loop (one asyncio.run per evaluation) needs its own queue and worker
            self._loop = loop
            self._stop = threading.Event()  # a fresh one: a thread stopped on the old loop keeps its own
            self._queue = asyncio.Queue()
            self._worker = loop.create_task(self._work(self._queue))
        assert self._queue is not None
        return self._queue

    async def _work(self, queue: asyncio.Queue[_Request]) -> None:
        pending: list[_Request] = []
        batch: list[_Request] = []
        try:
            while True:
                if not pending:
                    pending.append(await queue.get())
                    await asyncio.sleep(0)  # let requests issued in the same tick join this batch
                while not queue.empty():
                    pending.append(queue.get_nowait())
                pending = [r for r in pending if not r.future.done()]  # callers that gave up (timeouts)
                if not pending:
                    continue
                key = pending[0].group()
                batch = [r for r in pending if r.group() == key][: max(1, self.options.batch_size)]
                taken = {id(r) for r in batch}
                pending = [r for r in pending if id(r) not in taken]
                await self._run(batch)
                batch = []
        finally:  # closed while requests wait: they fail rather than hang
            for r in [*batch, *pending]:
                if not r.future.done():
                    r.future.cancel()

    async def _run(self, batch: list[_Request]) -> None:
        stop = self._stop
        began = time.perf_counter()  # a request's latency counts from here: waiting for a batch is queueing
        try:
            results = await asyncio.to_thread(self.generate_batch, batch, stop)
        except asyncio.CancelledError:
            stop.set()  # the thread ends at its next token instead of finishing the batch
            raise
        except Exception as e:  # recorded: each waiting caller receives the error
            results = [e] * len(batch)
        for r, result in zip(batch, results, strict=True):
            if r.future.done():
                continue
            if isinstance(result, Exception):
                r.future.set_exception(result)
            else:
                latency = time.perf_counter() - max(r.start, began)
                r.future.set_result(result.model_copy(update={"latency_s": latency}))

    async def aclose(self) -> None:
        """Stop the batching worker; the weights are freed with the object."""
        if self._worker is not None and not self._worker.done():
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass
        self._worker = None

    def render(self, messages: list[Message], tools: list[Tool]) -> str:
        """The prompt text for one conversation: the chat template with `tools=` and a generation prompt.

        In prompt mode the tools go into the system prompt in the parser's format instead, and the
        template sees plain messages (`prompt_tools.py`).
        """
        if self.options.tool_mode == "prompt":
            chat, offered = prompt_messages(messages, tools, self.parser), None
        else:
            chat, offered = [template_message(m) for m in messages], openai_tools(tools) or None
        try:
            return self.tokenizer.apply_chat_template(
                chat, tools=offered, add_generation_prompt=True, tokenize=False, **self.template_kwargs
            )
        except TemplateError as e:
            where = str(self.path)
            raise UserError(f"the chat template of {where!r} cannot render this conversation: {e}") from None

    def generate_batch(
        self, requests: list[_Request], stop: threading.Event | None = None
    ) -> list[Completion | UserError]:
        """Render and generate requests that share sampling settings (runs in a thread).

        A conversation the chat template cannot render fails alone; the others still generate.
        """
        results: list[Completion | UserError] = []
        prompts: dict[int, str] = {}
        for i, r in enumerate(requests):
            try:
                prompts[i] = self.render(r.messages, r.tools)
            except UserError as e:
                results.append(e)
            else:
                results.append(Completion())
        if prompts:
            done = self._generate([requests[i] for i in prompts], list(prompts.values()), stop)
            for i, completion in zip(prompts, done, strict=True):
                results[i] = completion
        return results

    @torch.inference_mode()
    def _generate(
        self, requests: list[_Request], prompts: list[str], stop: threading.Event | None = None
    ) -> list[Completion]:
        enc = self.tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
        return self._generate_encoded(requests, enc.to(self.device), stop)

    def _generate_encoded(
        self, requests: list[_Request], enc: Any, stop: threading.Event | None = None
    ) -> list[Completion]:
        """Generate from encoded prompts (`input_ids`, `attention_mask`, and a VLM's pixel inputs)."""
        sampling = requests[0].sampling
        processors = LogitsProcessorList()
        if sampling.temperature > 0:
            seeds = [r.sampling.seed for r in requests]
            processors.append(SeededSampler(sampling.temperature, sampling.top_p, seeds))
        config = GenerationConfig(
            max_new_tokens=sampling.max_tokens,
            do_sample=False,
            eos_token_id=self.stop_ids,
            pad_token_id=self.tokenizer.pad_token_id,
        )
        stopping = StoppingCriteriaList([_StopWhenSet(stop)] if stop is not None else [])
        out = self.model.generate(**enc, generation_config=config, logits_processor=processors,
                                  stopping_criteria=stopping)
        prompt_lens = enc["attention_mask"].sum(dim=1).tolist()
        new_tokens = out[:, enc["input_ids"].shape[1] :].tolist()
        return [self._completion(ids, n) for ids, n in zip(new_tokens, prompt_lens, strict=True)]

    def _completion(self, ids: list[int], prompt_tokens: int) -> Completion:
        stop = next((i for i, t in enumerate(ids) if t in self.stop_ids), None)
        kept = ids if stop is None else ids[: stop + 1]
        raw = self.tokenizer.decode(kept, skip_special_tokens=True)
        completion = completion_from_text(raw, self.parser)
        completion.usage = Usage(prompt_tokens=int(prompt_tokens), completion_tokens=len(kept))
        completion.finish_reason = "length" if stop is None else "tool_calls" if completion.tool_calls else "stop"
        return completion

