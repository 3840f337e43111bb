"""`run.opened`: a run's executor, model and store open in order and close whatever ends the block."""

from __future__ import annotations

import asyncio

import pytest

from toolgym.errors import UserError
from toolgym.models import Model, ModelOptions
from toolgym.run.executors import LocalExecutor
from toolgym.run.opened import opened
from toolgym.store import RunManifest, Store
from toolgym.types import SamplingConfig

OPTIONS = ModelOptions(base_url="http://127.0.0.1:9/v1")  # never contacted: nothing here generates


class RecordingExecutor(LocalExecutor):
    """The local executor, writing down what it loaded and what was closed."""

    def __init__(self) -> None:
        self.closed: list[str] = []
        self.loaded: list[Model] = []

    def load_model(self, spec: str, options: ModelOptions | None = None) -> Model:
        model = super().load_model(spec, options)
        close = model.aclose

        async def aclose() -> None:
            self.closed.append(f"model {spec}")
            await close()

        model.aclose = aclose  # type: ignore[method-assign]
        self.loaded.append(model)
        return model

    async def aclose(self) -> None:
        self.closed.append("executor")
        await super().aclose()


def _open(executor, model, db):
    async def go():
        async with opened(executor, model, OPTIONS, db) as parts:
            run = parts.store.open_run("r", RunManifest(suite="s", suite_version="1", model="openai:m",
                                                       sampling=SamplingConfig()))
            return parts, run
    return asyncio.run(go())


def test_a_loaded_model_and_the_executor_close_when_the_block_ends_and_the_store_kept_the_run(tmp_path):
    executor = RecordingExecutor()
    parts, run = _open(executor, "openai:m", str(tmp_path / "a.db"))
    assert parts.executor is executor and parts.model is executor.loaded[0]
    assert executor.closed == ["model openai:m", "executor"]  # the model before the executor it runs on
    with Store(str(tmp_path / "a.db")) as store:
        assert store.get_run("r").id == run.id


def test_a_callers_model_stays_open_for_the_caller(tmp_path):
    executor = RecordingExecutor()
    mine = LocalExecutor().load_model("openai:m", OPTIONS)
    parts, _ = _open(executor, mine, str(tmp_path / "a.db"))
    assert parts.model is mine and executor.loaded == []
    assert executor.closed == ["executor"]


def test_a_database_that_cannot_open_closes_the_model_and_the_executor_before_the_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    executor = RecordingExecutor()
    with pytest.raises(UserError):
        _open(executor, "openai:m", str(tmp_path / "file" / "a.db"))
    assert executor.closed == ["model openai:m", "executor"]


def test_a_model_that_cannot_load_closes_the_executor(tmp_path):
    executor = RecordingExecutor()
    with pytest.raises(UserError, match="nosuch"):
        _open(executor, "nosuch:m", str(tmp_path / "a.db"))
    assert executor.closed == ["executor"]
    assert not (tmp_path / "a.db").exists()  # nothing opened after the failed load


def test_an_executor_spec_is_resolved(tmp_path):
    parts, _ = _open("local", "openai:m", str(tmp_path / "a.db"))
    assert isinstance(parts.executor, LocalExecutor)
