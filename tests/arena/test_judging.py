"""Judging over a real loopback judge server: position swap, resume, unparseable and failed games."""

from __future__ import annotations

import pytest

from tests.arena.conftest import N_PROMPTS, UNDECIDED, always_a, answers_in
from tests.helpers.openai_server import status
from toolgym.arena import BattleStore, LeaderboardConfig, build_leaderboard, judge
from toolgym.arena.judge_prompt import DEFAULT_TEMPLATE
from toolgym.arena.judging import judge_source, select_models
from toolgym.errors import UserError
from toolgym.store import Store


def test_baseline_pairing_plays_two_games_per_pair_with_positions_swapped(arena):
    gamma = arena.models["gamma"]
    summary = judge(arena.judge_config(baseline=gamma), options=arena.options())
    planned = 2 * 2 * N_PROMPTS  # (alpha, beta) x gamma, both orders, every prompt
    assert summary.pairing == "baseline" and summary.planned == planned == len(arena.server.bodies)
    assert summary.unparseable == 2 * 2 and summary.judged == planned - 4 and summary.errors == 0
    with BattleStore(arena.db) as store:
        records = list(store.records(summary.source))
    orders = {(r.prompt_id, r.model_a, r.model_b) for r in records}
    assert ("p0", gamma, arena.models["alpha"]) in orders and ("p0", arena.models["alpha"], gamma) in orders
    # the judge saw each order: in one game gamma's answer came first, in the other second
    firsts = [answers_in(b)[1] for b in arena.server.bodies if "p0" in answers_in(b)[0]]
    assert len(firsts) == 4 and len(set(firsts)) == 3


def test_unparseable_judgments_are_kept_counted_and_excluded(arena):
    summary = judge(arena.judge_config(baseline=arena.models["gamma"]), options=arena.options())
    with BattleStore(arena.db) as store:
        records = list(store.records(summary.source))
    bad = [r for r in records if r.unparseable]
    assert {r.prompt_id for r in bad} == {UNDECIDED} and len(bad) == 4
    assert all(r.judgment == "Both answers have merit and I cannot decide." and r.verdict is None for r in bad)
    board = build_leaderboard(LeaderboardConfig(db=arena.db, ci="none"))
    assert board.unparseable == 4 and board.counted == len(records) - 4
    assert board.ratings.n_battles == board.counted


def test_judging_again_resumes_and_asks_nothing(arena):
    judge(arena.judge_config(pairing="all"), options=arena.options())
    asked = len(arena.server.bodies)
    assert asked == 3 * 2 * N_PROMPTS
    again = judge(arena.judge_config(pairing="all"), options=arena.options())
    assert again.done_before == again.planned == asked and again.judged == 0
    assert len(arena.server.bodies) == asked  # unparseable games are not asked again either


def test_failed_games_are_recorded_and_retried_on_resume(arena):
    arena.server.script(status(500), status(500))
    config = arena.judge_config(baseline=arena.models["gamma"], concurrency=1)
    first = judge(config, options=arena.options(max_retries=0))
    assert first.errors == 2
    with BattleStore(arena.db) as store:
        failed = [r for r in store.records(first.source) if r.error is not None]
        assert len(failed) == 2 and all("500" in r.error for r in failed)
    second = judge(config, options=arena.options(max_retries=0))
    assert second.done_before == second.planned - 2 and second.judged + second.unparseable == 2
    with BattleStore(arena.db) as store:
        assert not [r for r in store.records(first.source) if r.error is not None]


def test_position_bias_cancels_out_into_ties(arena):
    arena.server.responder = always_a
    judge(arena.judge_config(pairing="all"), options=arena.options())
    board = build_leaderboard(LeaderboardConfig(db=arena.db, ci="sandwich", baseline=arena.models["gamma"]))
    ratings = [m.rating for m in board.ratings.models]
    assert max(ratings) - min(ratings) == pytest.approx(0.0, abs=1e-6)
    for m in board.ratings.models:
        if m.win_rate is not None:
            assert m.win_rate.value == pytest.approx(0.5, abs=1e-9)


def test_longer_answers_win_under_a_length_loving_judge(arena):
    judge(arena.judge_config(pairing="all"), options=arena.options())
    board = build_leaderboard(LeaderboardConfig(db=arena.db, n_boot=200))
    order = [m.model for m in board.ratings.models]
    assert order == [arena.models[n] for n in ("alpha", "beta", "gamma")]
    assert board.ratings.n_clusters == N_PROMPTS - 1  # the undecided prompt has no counted game
    assert board.separability is not None


def test_sampled_pairing_draws_the_same_pairs_every_time(arena):
    config = arena.judge_config(pairing="sampled", pairs_per_prompt=1, seed=3)
    first = judge(config, options=arena.options())
    assert first.planned == 2 * N_PROMPTS
    assert judge(config, options=arena.options()).done_before == first.planned


def test_custom_template_is_another_source(arena, tmp_path):
    template = tmp_path / "judge.txt"
    template.write_text(DEFAULT_TEMPLATE.replace("impartial", "fair"), encoding="utf-8")
    summary = judge(arena.judge_config(baseline=arena.models["gamma"], template=template), options=arena.options())
    assert summary.source != judge_source("openai:judge", DEFAULT_TEMPLATE)
    assert summary.source.startswith("judge:openai:judge#")


def test_models_are_named_by_spec_or_run_and_unknown_names_listed(arena):
    with Store(arena.db) as store:
        runs = [r for r in store.list_runs()]
    by_run = {r.name: r for r in runs}
    alpha_run = next(name for name, r in by_run.items() if r.manifest.model == arena.models["alpha"])
    chosen, base = select_models(runs, [alpha_run], arena.models["gamma"])
    assert set(chosen) == {arena.models["alpha"], arena.models["gamma"]} and base == arena.models["gamma"]
    with pytest.raises(UserError, match=r"no answers from model 'delta'.*models: replay:"):
        select_models(runs, ["delta"], None)
    with pytest.raises(UserError, match="at least two models"):
        select_models(runs, [arena.models["alpha"]], None)


def test_baseline_pairing_without_baseline_is_refused(arena):
    with pytest.raises(UserError, match="pairing 'baseline' needs a baseline"):
        judge(arena.judge_config(pairing="baseline"), options=arena.options())


def test_ctrl_c_keeps_the_games_judged_so_far_and_the_next_call_asks_only_the_rest(arena):
    """`arena judge` has no run row to mark `interrupted`: its games are its record (issue 15, item 1)."""
    config = arena.judge_config(baseline=arena.models["gamma"], concurrency=1)

    def stop_after_three(record, summary) -> None:
        if summary.judged + summary.unparseable + summary.errors >= 3:
            raise KeyboardInterrupt  # what the signal raises in the main thread

    with pytest.raises(KeyboardInterrupt):
        judge(config, options=arena.options(), on_game=stop_after_three)
    with BattleStore(arena.db) as store:
        kept = list(store.records(judge_source("openai:judge", DEFAULT_TEMPLATE)))
    assert len(kept) == 3
    again = judge(config, options=arena.options())
    assert again.done_before == 3 and again.judged + again.unparseable == again.planned - 3
