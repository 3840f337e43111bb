import numpy as np
import pytest

from toolgym.errors import UserError
from toolgym.stats import Battles


def test_from_lists_builds_columns_and_clusters():
    b = Battles.from_lists(
        ["x", "y", "x"], ["y", "x", "z"], ["a", "tie", 0], cluster=["p1", "p1", "p2"], weight=[1, 2, 1]
    )
    assert b.models == ("x", "y", "z")
    assert b.a.tolist() == [0, 1, 0] and b.b.tolist() == [1, 0, 2]
    assert b.outcome.tolist() == [1.0, 0.5, 0.0]
    assert b.cluster.tolist() == [0, 0, 1] and b.n_clusters == 2
    assert len(b) == 3


def test_win_matrix_counts_ties_half_each():
    b = Battles.from_lists(["x", "y", "x"], ["y", "x", "y"], ["a", "tie", "b"], weight=[1, 2, 1])
    wins = b.win_matrix()
    assert wins[0, 1] == pytest.approx(1 + 1 + 0)  # x won game 0, half of the double-weight tie
    assert wins[1, 0] == pytest.approx(0 + 1 + 1)
    assert b.games_per_model().tolist() == [3, 3]


def test_cluster_codes_are_compacted():
    b = Battles(("x", "y"), np.array([0, 1, 0]), np.array([1, 0, 1]), np.ones(3), np.ones(3), np.array([7, 3, 7]))
    codes, k = b.cluster_codes()
    assert k == 2 and codes.tolist() == [1, 0, 1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"outcome": ["a", "win"]}, r"battles\[1\]\.outcome: expected 'a', 'b' or 'tie'"),
        ({"model_b": ["y", "x"], "model_a": ["x", "x"]}, r"battles\[1\]: model 'x' battles itself"),
        ({"weight": [1, 0]}, r"battles\[1\]: weight must be positive"),
        ({"cluster": ["p"]}, r"cluster has 1 entries but model_a has 2"),
        ({"models": ["x"]}, r"battles\[1\]\.model_a: model 'y' is not in the given models list"),
    ],
)
def test_bad_input_names_the_game_and_the_fix(kwargs, message):
    args = {"model_a": ["x", "y"], "model_b": ["y", "x"], "outcome": ["a", "b"]} | kwargs
    with pytest.raises(UserError, match=message):
        Battles.from_lists(**args)


def test_style_counts_must_match():
    with pytest.raises(UserError, match=r"battles\[1\]\.style_a: features"):
        Battles.from_lists(
            ["x", "y"], ["y", "x"], ["a", "b"], style_a=[{"tokens": 1}, {"bold": 1}], style_b=[{"tokens": 1}] * 2
        )
    with pytest.raises(UserError, match="both answers"):
        Battles.from_lists(["x"], ["y"], ["a"], style_a=[{"tokens": 1}])


def test_direct_constructor_validates():
    with pytest.raises(ValueError, match="two different models"):
        Battles(("x", "y"), np.array([0]), np.array([0]), np.ones(1), np.ones(1), np.zeros(1, dtype=int))
