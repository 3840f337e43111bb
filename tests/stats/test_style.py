import numpy as np
import pytest

from toolgym.errors import UserError
from toolgym.stats import ELO_PER_LOGIT, Battles, RatingConfig, bradley_terry, style_covariates, style_features

from .simulated import true_ratings

THETA = np.array([0.4, 0.2, 0.0, -0.1, -0.5])
VERBOSITY = np.array([150.0, 150.0, 600.0, 150.0, 600.0])  # m2 and m4 write long answers


def _biased_arena(n_battles: int, seed: int, beta: float) -> tuple[Battles, float]:
    """A judge that favours longer answers by `beta` logits per unit of (a - b) / (a + b)."""
    rng = np.random.default_rng(seed)
    n = THETA.size
    a = rng.integers(0, n, n_battles)
    b = (a + rng.integers(1, n, n_battles)) % n
    len_a = np.round(VERBOSITY[a] * rng.lognormal(0, 0.8, n_battles)) + 1
    len_b = np.round(VERBOSITY[b] * rng.lognormal(0, 0.8, n_battles)) + 1
    diff = (len_a - len_b) / (len_a + len_b)
    y = (rng.random(n_battles) < 1 / (1 + np.exp(-(THETA[a] - THETA[b] + beta * diff)))).astype(float)
    names = [f"m{k}" for k in range(n)]
    style_a = [{"tokens": x, "headers": 0, "list_items": int(x) % 3, "bold": 0} for x in len_a]
    style_b = [{"tokens": x, "headers": 0, "list_items": int(x) % 3, "bold": 0} for x in len_b]
    battles = Battles.from_lists(
        [names[i] for i in a], [names[i] for i in b], y.tolist(), style_a=style_a, style_b=style_b
    )
    return battles, beta * diff.std() * ELO_PER_LOGIT  # coefficient per sd, in Elo


def test_style_control_recovers_a_planted_length_bias():
    battles, planted = _biased_arena(30_000, seed=0, beta=1.5)
    truth = true_ratings(THETA)
    plain = bradley_terry(battles, RatingConfig(ci="none"))
    controlled = bradley_terry(battles, RatingConfig(ci="sandwich", style_control=True))
    # the verbose models are inflated without control...
    assert plain.get("m2").rating - truth[2] > 40 and plain.get("m4").rating - truth[4] > 40
    # ...and back at their true ratings with it
    for k in range(THETA.size):
        entry = controlled.get(f"m{k}")
        assert abs(entry.rating - truth[k]) < 20
        assert entry.low < truth[k] < entry.high
    tokens = controlled.style[0]
    assert tokens.feature == "tokens"
    assert tokens.low < planted < tokens.high and tokens.coefficient == pytest.approx(planted, rel=0.15)
    assert [c.feature for c in controlled.style] == ["tokens", "headers", "list_items", "bold"]
    assert controlled.style[1].coefficient == 0.0  # never varies


def test_style_control_bootstrap_agrees_with_sandwich():
    battles, _ = _biased_arena(3000, seed=1, beta=1.0)
    boot = bradley_terry(battles, RatingConfig(style_control=True, n_boot=60))
    sand = bradley_terry(battles, RatingConfig(style_control=True, ci="sandwich"))
    assert boot.get("m2").rating == pytest.approx(sand.get("m2").rating)
    width_b = boot.style[0].high - boot.style[0].low
    width_s = sand.style[0].high - sand.style[0].low
    assert width_b == pytest.approx(width_s, rel=0.35)


def test_style_control_needs_style_counts():
    battles = Battles.from_lists(["x", "y"], ["y", "x"], ["a", "a"])
    with pytest.raises(UserError, match="carry no style counts"):
        bradley_terry(battles, RatingConfig(style_control=True))
    styled = Battles.from_lists(
        ["x", "y"], ["y", "x"], ["a", "a"], style_a=[{"tokens": 1}] * 2, style_b=[{"tokens": 2}] * 2
    )
    with pytest.raises(UserError, match=r"\['headers', 'list_items', 'bold'\] not among"):
        bradley_terry(styled, RatingConfig(style_control=True))


def test_style_features_counts_markdown_outside_code():
    text = (
        "# Title\n\nSome **bold** and __also bold__ text.\n\n"
        "## Steps\n1. first\n2) second\n- item\n  * nested\n\n"
        "```python\n# not a header\n- not a list\nx = a**b**c\n```\n"
        "#not-a-header\n"
    )
    f = style_features(text)
    assert f["headers"] == 2
    assert f["list_items"] == 4
    assert f["bold"] == 2
    assert f["chars"] == len(text)
    assert f["tokens"] > 20
    assert style_features(None) == {"tokens": 0, "chars": 0, "headers": 0, "list_items": 0, "bold": 0}


def test_covariates_are_normalised_differences_standardised():
    a = np.array([[10.0, 0.0], [30.0, 0.0], [20.0, 1.0]])
    b = np.array([[10.0, 0.0], [10.0, 0.0], [60.0, 1.0]])
    z = style_covariates(a, b)
    raw = np.array([0.0, 0.5, -0.5])
    assert np.allclose(z[:, 0], (raw - raw.mean()) / raw.std())
    assert np.allclose(z[:, 1], 0.0)  # (1 - 1) / 2 = 0 everywhere: a constant column stays 0


def test_style_that_decides_every_game_is_refused():
    rng = np.random.default_rng(3)
    a = rng.integers(0, 4, 800)
    b = (a + rng.integers(1, 4, 800)) % 4
    len_a, len_b = rng.integers(10, 500, 800), rng.integers(10, 500, 800)
    names = [f"m{k}" for k in range(4)]
    battles = Battles.from_lists(
        [names[i] for i in a],
        [names[i] for i in b],
        np.where(len_a > len_b, "a", "b").tolist(),  # the longer answer always wins
        style_a=[{"tokens": x} for x in len_a],
        style_b=[{"tokens": x} for x in len_b],
    )
    with pytest.raises(UserError, match=r"style features \['tokens'\] alone decide the games"):
        bradley_terry(battles, RatingConfig(ci="none", style_control=True, style_features=("tokens",)))
