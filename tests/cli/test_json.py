"""Machine-readable output: --json on runs, show, compare, suite info and arena leaderboard; --anchor;
the strong-verdict caption; `toolgym runs rm`; TOOLGYM_DB."""

from __future__ import annotations

import json

import pytest

from tests.arena.test_leaderboard import votes_file
from tests.cli.conftest import run_toolgym
from tests.run.suite_factory import expected_passes
from toolgym.arena import LeaderboardConfig, build_leaderboard
from toolgym.cli import main
from toolgym.store import Store


def _json(capsys) -> object:
    return json.loads(capsys.readouterr().out)


def test_runs_show_compare_as_json_and_runs_rm(world, capsys):
    tmp, suite, replay, db = world
    for name in ("a", "b"):
        main(["eval", f"jsonl:{suite}", "--model", f"replay:{replay}", "--split", "all", "--db", db, "--run", name])
    capsys.readouterr()
    main(["runs", "--db", db, "--json"])
    runs = _json(capsys)
    assert [r["name"] for r in runs] == ["a", "b"]
    assert runs[0]["status"] == "finished" and runs[0]["done"] == 24 and runs[0]["passed"] == expected_passes(24)
    assert runs[0]["accuracy"] == expected_passes(24) / 24 and runs[0]["manifest"]["suite_version"]
    main(["show", "a", "--db", db, "--json"])
    shown = _json(capsys)[0]
    assert shown["run"]["name"] == "a" and shown["accuracy"]["overall"]["value"] == pytest.approx(16 / 24)
    assert set(shown["accuracy"]["by_category"]) == {"simple", "multiple"} and shown["failures"] == {"wrong_value": 8}
    main(["compare", "a", "b", "--db", db, "--json"])
    cmp = _json(capsys)
    assert (cmp["a"], cmp["b"]) == ("a", "b") and cmp["comparison"]["n_shared"] == 24
    assert cmp["comparison"]["overall"]["value"] == 0.0
    main(["runs", "rm", "a", "--db", db])
    assert "removed run a (24 rollouts)" in capsys.readouterr().out
    with Store(db) as store:
        assert [r.name for r in store.list_runs()] == ["b"]
    with pytest.raises(SystemExit) as e:  # an unknown name removes nothing
        main(["runs", "rm", "b", "nope", "--db", db])
    assert e.value.code == 2 and "no run named 'nope'" in capsys.readouterr().err
    with Store(db) as store:
        assert [r.name for r in store.list_runs()] == ["b"]


def test_suite_info_lists_tool_names_and_as_json(capsys):
    main(["suite", "info", "fc-core"])
    out = " ".join(capsys.readouterr().out.split())
    assert "tools: " in out and "get_current_weather" in out and "send_email" in out
    main(["suite", "info", "fc-core", "--json"])
    info = _json(capsys)
    assert info["name"] == "fc-core" and "get_current_weather" in info["tools"]
    assert len(info["tools"]) == 56 and info["categories"]["simple"]["test"] > 0


def test_leaderboard_json_is_exact_with_an_anchor_and_a_caption_only_for_strong_verdicts(tmp_path, capsys):
    db = str(tmp_path / "v.db")
    votes = votes_file(tmp_path / "votes.jsonl")
    main(["arena", "import-votes", str(votes), "--db", db])
    main(["arena", "leaderboard", "--db", db, "--n-boot", "50"])
    out = " ".join(capsys.readouterr().out.split())
    assert "games" in out and "strong verdicts" not in out  # votes carry no strong verdicts
    main(["arena", "leaderboard", "--db", db, "--n-boot", "50", "--json"])
    board = _json(capsys)
    exact = build_leaderboard(LeaderboardConfig(db=db, n_boot=50))
    assert [m["rating"] for m in board["ratings"]["models"]] == [m.rating for m in exact.ratings.models]
    assert any(m["rating"] != round(m["rating"]) for m in board["ratings"]["models"])  # not rounded
    assert board["strong"] == 0
    first = board["ratings"]["models"][-1]["model"]
    main(["arena", "leaderboard", "--db", db, "--n-boot", "50", "--json", "--anchor", f"{first}=1000"])
    anchored = _json(capsys)
    pinned = next(m for m in anchored["ratings"]["models"] if m["model"] == first)
    assert pinned["rating"] == pytest.approx(1000.0) and anchored["ratings"]["anchor"] == first
    gaps = [m["rating"] - pinned["rating"] for m in anchored["ratings"]["models"]]
    before = {m["model"]: m["rating"] for m in board["ratings"]["models"]}
    assert gaps == pytest.approx([before[m["model"]] - before[first] for m in anchored["ratings"]["models"]])
    with pytest.raises(SystemExit):
        main(["arena", "leaderboard", "--db", db, "--anchor", "nobody=1000"])
    assert "model 'nobody' has no battles" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["arena", "leaderboard", "--db", db, "--anchor", "1000"])
    assert "expected MODEL=RATING" in capsys.readouterr().err


def test_toolgym_db_sets_the_default_database(world):
    tmp, suite, replay, db = world
    done = run_toolgym("eval", f"jsonl:{suite}", "--model", f"replay:{replay}", "--split", "all", "--run", "env",
                       cwd=tmp, TOOLGYM_DB=db)
    assert done.returncode == 0, done.stderr
    assert not (tmp / "toolgym.db").exists()
    listed = run_toolgym("runs", "--json", cwd=tmp, TOOLGYM_DB=db)
    assert [r["name"] for r in json.loads(listed.stdout)] == ["env"]
