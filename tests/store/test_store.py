from __future__ import annotations

import sqlite3
import threading

import pytest

from toolgym.errors import UserError
from toolgym.store import RunManifest, Store
from toolgym.types import FailureKind, Message, Rollout, ToolCall, Usage, Verdict

PASS = Verdict.ok(components={"name": 1.0, "args": 1.0}, flags=["checked"])
FAIL = Verdict.fail(FailureKind.WRONG_VALUE, "city: expected 'Paris', got 'Lyon'", components={"args": 0.0})
INFRA = Verdict.fail(FailureKind.INFRA_ERROR, "HTTP 503 from the server")


def manifest(**changes) -> RunManifest:
    fields = dict(
        suite="fc-core", suite_version="3f2a9c01d2e4", model="tiny", split="test",
        sampling={"temperature": 0.0, "seed": 7}, toolgym_version="0.1.0",
    )
    return RunManifest(**{**fields, **changes})


def rollout(task_id: str, sample: int = 0, error: str | None = None, city: str = "Paris") -> Rollout:
    call = ToolCall(name="get_weather", arguments={"city": city, "days": [1, 2]}, id="c1")
    return Rollout(
        task_id=task_id, sample=sample, seed=100 + sample,
        messages=[
            Message(role="user", content=f"weather for task {task_id}?"),
            Message(role="assistant", tool_calls=[call]),
            Message(role="tool", content='{"temp": 21}', tool_call_id="c1", name="get_weather"),
            Message(role="assistant", content="It is 21 °C."),
        ],
        usage=Usage(prompt_tokens=120, completion_tokens=17), latency_s=0.25,
        error=error, end_reason="error" if error else "answered",
    )


def test_rollout_and_verdict_roundtrip(store: Store) -> None:
    run = store.open_run("r", manifest())
    original = rollout("w-1", sample=2)
    store.write(run.id, [(original, "simple", FAIL)])
    assert store.rollout(run.id, "w-1", 2) == original
    assert store.verdict(run.id, "w-1", 2) == FAIL
    [record] = store.results(run.id)
    assert record.task_id == "w-1" and record.category == "simple" and record.sample == 2
    assert (record.passed, record.reward, record.failure) == (False, 0.0, FailureKind.WRONG_VALUE)
    assert record.explanation == FAIL.explanation and record.error is None and record.counted
    assert (record.prompt_tokens, record.completion_tokens, record.latency_s) == (120, 17, 0.25)


def test_writing_again_replaces_instead_of_duplicating(store: Store) -> None:
    run = store.open_run("r", manifest())
    store.write(run.id, [(rollout("a"), "simple", FAIL), (rollout("b"), "simple", PASS)])
    store.write(run.id, [(rollout("a", city="Lyon"), "simple", PASS), (rollout("b"), "simple", PASS)])
    records = list(store.results(run.id))
    assert [(r.task_id, r.passed) for r in records] == [("a", True), ("b", True)]
    assert store.rollout(run.id, "a").messages[1].tool_calls[0].arguments["city"] == "Lyon"
    assert store.get_run("r").rollouts == 2


def test_a_batch_repeating_a_key_keeps_the_last(store: Store) -> None:
    run = store.open_run("r", manifest())
    store.write(run.id, [(rollout("a"), "simple", FAIL), (rollout("a"), "simple", PASS)])
    assert [r.passed for r in store.results(run.id)] == [True]


def test_open_run_twice_resumes_the_same_run(store: Store) -> None:
    first = store.open_run(None, manifest())
    store.write(first.id, [(rollout("a"), "simple", PASS)])
    store.set_status(first.id, "interrupted")
    again = store.open_run(None, manifest())
    assert first.name == again.name == "fc-core-tiny-test"
    assert (again.id, again.done, again.status) == (first.id, 1, "running")
    assert store.done_keys(again.id) == {("a", 0)}


def test_open_run_with_other_settings_names_each_field_and_the_fix(store: Store) -> None:
    store.open_run("nightly", manifest())
    changed = manifest(repeats=3, sampling={"temperature": 0.7, "seed": 7})
    with pytest.raises(UserError) as e:
        store.open_run("nightly", changed)
    message = str(e.value)
    assert "'nightly'" in message
    assert "repeats: 1 -> 3" in message and "sampling.temperature: 0.0 -> 0.7" in message
    assert "--run NEW_NAME" in message
    assert "seed" not in message  # unchanged fields are not listed


def test_infra_error_rows_are_not_done_and_a_retry_replaces_them(store: Store) -> None:
    run = store.open_run("r", manifest())
    store.write(run.id, [
        (rollout("ok"), "simple", PASS),
        (rollout("flaky", error="HTTP 503 from the server"), "simple", INFRA),
        (rollout("buggy", error="verifier error: KeyError: 'x'"), "simple", None),
    ])
    assert store.done_keys(run.id) == {("ok", 0)}
    info = store.get_run("r")
    assert (info.rollouts, info.done, info.infra_errors, info.unscored) == (3, 1, 1, 1)
    assert [r.counted for r in store.results(run.id)] == [False, False, True]

    store.write(run.id, [(rollout("flaky"), "simple", FAIL), (rollout("buggy"), "simple", PASS)])
    assert store.done_keys(run.id) == {("ok", 0), ("flaky", 0), ("buggy", 0)}
    info = store.get_run("r")
    assert (info.rollouts, info.done, info.passed, info.infra_errors, info.unscored) == (3, 3, 2, 0, 0)
    assert store.rollout(run.id, "flaky").error is None


def test_an_unscored_rewrite_drops_the_old_verdict(store: Store) -> None:
    run = store.open_run("r", manifest())
    store.write(run.id, [(rollout("a", error="HTTP 503"), "simple", INFRA)])
    store.write(run.id, [(rollout("a", error="verifier error: boom"), "simple", None)])
    assert store.verdict(run.id, "a") is None
    [record] = store.results(run.id)
    assert (record.passed, record.failure, record.error) == (None, None, "verifier error: boom")


def test_list_runs_counts_each_run(store: Store) -> None:
    one = store.open_run("one", manifest())
    two = store.open_run("two", manifest(model="openai:qwen2.5-7b"))
    store.open_run("empty", manifest(model="hf:/models/x"))
    store.write(one.id, [(rollout(f"t{i}"), "simple", PASS if i % 2 else FAIL) for i in range(5)])
    store.write(two.id, [(rollout("t0", sample=s), "multiple", PASS) for s in range(3)])
    store.write(two.id, [(rollout("t1", error="timeout"), "multiple", INFRA)])
    counts = {r.name: (r.rollouts, r.done, r.passed, r.infra_errors) for r in store.list_runs()}
    assert counts == {"one": (5, 5, 2, 0), "two": (4, 3, 3, 1), "empty": (0, 0, 0, 0)}
    assert [r.name for r in store.list_runs()] == ["one", "two", "empty"]
    assert store.list_runs()[1].manifest.model == "openai:qwen2.5-7b"


def test_get_run_by_name_or_id_and_unknown_names_close_ones(store: Store) -> None:
    run = store.open_run("fc-core-tiny-test", manifest())
    assert store.get_run(run.id).name == store.get_run(str(run.id)).name == "fc-core-tiny-test"
    with pytest.raises(UserError, match=r"'fc-core-tiny-tset' in .*; did you mean 'fc-core-tiny-test'\?"):
        store.get_run("fc-core-tiny-tset")


def test_unknown_rollout_is_a_user_error(store: Store) -> None:
    run = store.open_run("r", manifest())
    with pytest.raises(UserError, match=r"no rollout of task 'nope' sample 3"):
        store.rollout(run.id, "nope", 3)


def test_results_stream_in_task_and_sample_order(store: Store) -> None:
    run = store.open_run("r", manifest(repeats=2))
    rows = [(rollout(f"t{i:04d}", sample=s), "simple", PASS) for i in reversed(range(300)) for s in (1, 0)]
    store.write(run.id, rows)
    keys = [(r.task_id, r.sample) for r in store.results(run.id)]
    assert keys == sorted(keys) and len(keys) == 600
    assert len(store.done_keys(run.id)) == 600


def test_threads_can_write_at_once(store: Store) -> None:
    run = store.open_run("r", manifest(repeats=4))

    def writer(sample: int) -> None:
        for batch in range(10):
            store.write(run.id, [(rollout(f"t{batch}-{i}", sample), "simple", PASS) for i in range(10)])

    threads = [threading.Thread(target=writer, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.done_keys(run.id)) == 400


def test_data_survives_reopening_the_database(store_url: str) -> None:
    with Store(store_url) as first:
        run = first.open_run("r", manifest())
        first.write(run.id, [(rollout("a"), "simple", PASS)])
    with Store(store_url) as second:
        assert second.done_keys(second.get_run("r").id) == {("a", 0)}


def test_sqlite_database_from_a_newer_toolgym_is_refused(tmp_path) -> None:
    path = tmp_path / "toolgym.db"
    Store(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE toolgym_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(UserError, match=r"newer toolgym \(schema 99.*pip install -U toolgym"):
        Store(str(path))


def test_rollouts_stream_transcripts_and_verdicts_across_chunks(store: Store) -> None:
    run = store.open_run("r", manifest(repeats=2))
    written = {}
    for i in range(7):
        for s in (0, 1):
            r = rollout(f"t{i}", sample=s, city=f"city-{i}-{s}")
            v = None if (i, s) == (3, 1) else (PASS if s else FAIL)
            written[(r.task_id, s)] = (r, v)
    store.write(run.id, [(r, "simple", v) for r, v in written.values()])
    streamed = list(store.rollouts(run.id, chunk=3))
    assert [(rec.task_id, rec.sample) for rec, _, _ in streamed] == sorted(written)
    for record, got, verdict in streamed:
        assert (got, verdict) == written[(record.task_id, record.sample)]
        assert record.passed == (verdict.passed if verdict else None)


def test_a_manifest_this_version_cannot_read_names_the_run(tmp_path) -> None:
    path = tmp_path / "toolgym.db"
    with Store(str(path)) as store:
        store.open_run("old", manifest())
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE runs SET manifest = json_set(manifest, '$.retired', 1)")
    with Store(str(path)) as store, pytest.raises(UserError, match=r"run 'old' .* cannot read .*toolgym 0.1.0"):
        store.list_runs()


def test_nul_characters_from_a_model_are_stored(store: Store) -> None:
    run = store.open_run("r", manifest())
    r = Rollout(task_id="a", messages=[Message(role="assistant", content="garbage \x00 out")], error="raw \x00")
    store.write(run.id, [(r, "simple", Verdict.fail(FailureKind.WRONG_VALUE, "got '\x00'"))])
    assert store.rollout(run.id, "a").messages[0].content == "garbage \x00 out"  # transcripts exactly
    assert store.verdict(run.id, "a").explanation == "got '\ufffd'"  # text columns: U+FFFD for NUL
    assert store.rollout(run.id, "a").error == "raw \ufffd"
