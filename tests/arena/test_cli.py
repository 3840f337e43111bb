"""`toolgym arena ...` end to end through `toolgym.cli.main`: replay answerers, a judge on loopback."""

from __future__ import annotations

import json
import re

import pytest

from tests.arena.conftest import LENGTHS, N_PROMPTS, prefer_longer, write_answers, write_prompts
from tests.helpers.openai_server import OpenAIServer, hang
from toolgym.cli import main
from toolgym.cli.app import console


def flat(text: str) -> str:
    return " ".join(re.sub(r"[│┃]", " ", text).split())  # rich wraps long lines and draws boxes


def test_the_arena_tour(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(console, "width", 250)  # model specs are long temp paths
    db = str(tmp_path / "arena.db")
    prompts = write_prompts(tmp_path / "questions.jsonl")
    specs = {}
    for name, lengths in LENGTHS.items():
        specs[name] = f"replay:{write_answers(tmp_path / f'{name}.jsonl', lengths)}"
        main(["arena", "answer", "--prompts", str(prompts), "--model", specs[name], "--db", db])
    out = flat(capsys.readouterr().out)
    assert f"{N_PROMPTS} prompts answered by {specs['gamma']}" in out
    with OpenAIServer(prefer_longer) as server:
        main(["arena", "judge", "--judge", "openai:judge", "--base-url", server.url, "--baseline", specs["gamma"],
              "--db", db])
        asked = len(server.bodies)
        main(["arena", "judge", "--judge", "openai:judge", "--base-url", server.url, "--baseline", specs["gamma"],
              "--db", db])
        assert len(server.bodies) == asked == 4 * N_PROMPTS  # the second call resumed: nothing asked
    out = flat(capsys.readouterr().out)
    assert "this time 28 judged, 4 unparseable" in out and "this time 0 judged" in out
    reference = tmp_path / "human.txt"
    reference.write_text("\n".join(specs[n] for n in ("alpha", "beta", "gamma")), encoding="utf-8")
    html = tmp_path / "board.html"
    main(["arena", "leaderboard", "--db", db, "--baseline", specs["gamma"], "--n-boot", "100",
          "--reference", str(reference), "--html", str(html)])
    out = flat(capsys.readouterr().out)
    assert "arena leaderboard · judge:openai:judge" in out
    assert "unparseable judgments (excluded) 4" in out
    assert "separability" in out and "Spearman vs human.txt 1.000" in out
    assert out.index("alpha.jsonl") < out.index("beta.jsonl")
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "<circle" in page


def test_votes_and_online_elo_from_the_cli(tmp_path, capsys):
    db = str(tmp_path / "v.db")
    votes = tmp_path / "votes.jsonl"
    lines = [{"model_a": "x", "model_b": "y", "winner": w} for w in ("model_a", "model_a", "model_b", "tie")]
    votes.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    main(["arena", "import-votes", str(votes), "--db", db])
    assert "imported 4 votes (1 ties) between 2 models as source 'votes:votes.jsonl'" in flat(capsys.readouterr().out)
    main(["arena", "leaderboard", "--db", db, "--method", "elo"])
    out = flat(capsys.readouterr().out)
    assert "online Elo over 4 games" in out and "depends on the order of the battles" in out


def test_a_bad_vote_is_one_clear_error(tmp_path, capsys):
    votes = tmp_path / "votes.jsonl"
    votes.write_text('{"model_a": "x", "model_b": "y", "winner": "draw"}\n', encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["arena", "import-votes", str(votes), "--db", str(tmp_path / "v.db")])
    assert exit_info.value.code == 2
    err = flat(capsys.readouterr().err)
    assert "votes.jsonl:1: unknown winner 'draw'" in err and "Traceback" not in err


def test_bad_option_values_name_the_flag(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["arena", "leaderboard", "--db", str(tmp_path / "v.db"), "--ci", "jackknife"])
    assert "--ci:" in flat(capsys.readouterr().err)


def test_judging_where_every_game_fails_exits_1_with_the_first_error_and_a_rerun_retries(tmp_path, capsys):
    """`arena judge` stores games, not a run: its failure is told by its exit status and message (issue 15)."""
    db = str(tmp_path / "arena.db")
    prompts = write_prompts(tmp_path / "questions.jsonl")
    specs = {name: f"replay:{write_answers(tmp_path / f'{name}.jsonl', lengths)}" for name, lengths in LENGTHS.items()}
    for spec in specs.values():
        main(["arena", "answer", "--prompts", str(prompts), "--model", spec, "--db", db])
    judge = ["arena", "judge", "--judge", "openai:judge", "--baseline", specs["gamma"], "--db", db]
    with OpenAIServer(lambda body: hang(30)) as server, pytest.raises(SystemExit) as exit_info:  # a judge that hangs
        main([*judge, "--base-url", server.url, "--timeout", "1", "--concurrency", "32"])
    assert exit_info.value.code == 1
    err = flat(capsys.readouterr().err)
    assert f"every game of this call failed: {4 * N_PROMPTS} infrastructure errors; the first:" in err
    assert "judge timed out after 1 s" in err and "retried when the same command runs again" in err
    with OpenAIServer(prefer_longer) as server:  # the same command, the judge back: every failed game is asked again
        main([*judge, "--base-url", server.url])
        assert len(server.bodies) == 4 * N_PROMPTS
    assert "this time 28 judged, 4 unparseable" in flat(capsys.readouterr().out)
