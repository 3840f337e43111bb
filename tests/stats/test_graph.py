import numpy as np
import pytest

from toolgym.errors import UserError
from toolgym.stats import components
from toolgym.stats.graph import check_identifiable, is_strongly_connected

MODELS = ["a", "b", "c", "d"]


def test_components_and_disconnected_refusal():
    wins = np.zeros((4, 4))
    wins[0, 1] = wins[1, 0] = 2
    wins[2, 3] = wins[3, 2] = 1
    assert components(wins, MODELS) == [["a", "b"], ["c", "d"]]
    with pytest.raises(UserError, match=r"2 groups that never played each other: \[a, b\]; \[c, d\]"):
        check_identifiable(wins, MODELS, prior=1.0)  # a prior does not make groups comparable


def test_unbeaten_model_diverges_without_prior():
    wins = np.array([[0, 3, 2, 0], [0, 0, 1, 1], [0, 1, 0, 1], [0, 1, 1, 0]], dtype=float)
    assert not is_strongly_connected(wins)
    with pytest.raises(UserError, match=r"\[a\] never lost or tied against \[b, c, d\].*L2 prior"):
        check_identifiable(wins, MODELS, prior=None)
    check_identifiable(wins, MODELS, prior=0.1)  # fine with a prior


def test_ties_connect_both_ways():
    wins = np.array([[0, 0.5], [0.5, 0]])
    assert is_strongly_connected(wins)
    check_identifiable(wins, ["a", "b"], prior=None)
