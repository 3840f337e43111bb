"""Pairings and position-swapped games (toolgym/arena/pairing.py)."""

from __future__ import annotations

import pytest

from toolgym.arena.pairing import games, pairs_for_prompt
from toolgym.errors import UserError

MODELS = ["a", "b", "c", "d"]


def test_baseline_pairs_every_model_with_the_baseline():
    assert pairs_for_prompt("q", MODELS, "baseline", baseline="b") == [("a", "b"), ("c", "b"), ("d", "b")]


def test_all_pairs_each_unordered_pair_once():
    assert len(pairs_for_prompt("q", MODELS, "all")) == 6


def test_sampled_pairs_are_seeded_by_prompt():
    one = pairs_for_prompt("q1", MODELS, "sampled", pairs_per_prompt=2, seed=0)
    assert len(one) == 2 and one == pairs_for_prompt("q1", MODELS, "sampled", pairs_per_prompt=2, seed=0)
    draws = {tuple(pairs_for_prompt(f"q{i}", MODELS, "sampled", seed=0)) for i in range(20)}
    assert len(draws) > 1


def test_each_pair_is_two_games_in_both_orders():
    assert [(g.model_a, g.model_b) for g in games("q", [("a", "b")])] == [("a", "b"), ("b", "a")]


def test_baseline_must_be_among_the_models():
    with pytest.raises(UserError, match="needs a baseline among the models"):
        pairs_for_prompt("q", MODELS, "baseline", baseline="z")
