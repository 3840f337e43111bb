import numpy as np
import pytest

from toolgym.stats import Battles, online_elo


def test_single_update():
    r = online_elo(Battles.from_lists(["x"], ["y"], ["a"]), k=4.0)
    assert r == {"x": pytest.approx(1002.0), "y": pytest.approx(998.0)}
    tie = online_elo(Battles.from_lists(["x"], ["y"], ["tie"]))
    assert tie == {"x": 1000.0, "y": 1000.0}


def test_order_dependent_but_zero_sum():
    battles = Battles.from_lists(["x", "y", "x", "y"], ["y", "x", "y", "x"], ["a", "a", "a", "b"])
    forward = online_elo(battles, k=32)
    rev = Battles(
        battles.models,
        battles.a[::-1].copy(),
        battles.b[::-1].copy(),
        battles.outcome[::-1].copy(),
        battles.weight,
        battles.cluster,
    )
    backward = online_elo(rev, k=32)
    assert forward != backward
    assert sum(forward.values()) == pytest.approx(2000.0)
    assert np.isclose(sum(backward.values()), 2000.0)
