"""Bradley–Terry ratings with intervals, ranks, win rates and optional style control.

`bradley_terry(battles, config)` is the entry point of the arena's leaderboard. It fits the
maximum-likelihood (or L2-penalised) Bradley–Terry model on the pooled win counts, puts it on the
Elo scale (400 / ln 10 points per logit, mean 1000 or an anchor model pinned at a rating), and
attaches confidence intervals clustered by prompt: the bootstrap (default) or the sandwich
estimator. Disconnected comparison graphs are refused, and so is divergence without a prior
(see `graph`); nothing is ever reported as a silently huge number.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from scipy.special import expit

from ..errors import UserError
from .battle_bootstrap import bootstrap_joint, bootstrap_pooled
from .battles import Battles
from .bootstrap import percentile_interval
from .estimates import Estimate, ModelRating, Ratings, StyleCoefficient
from .graph import check_identifiable
from .newton import fit_pooled
from .sandwich import cluster_robust_cov
from .style import DEFAULT_STYLE_FEATURES, fit_joint, style_covariates
from .wilson import z_value

__all__ = ["ELO_PER_LOGIT", "RatingConfig", "bradley_terry"]

ELO_PER_LOGIT = 400.0 / math.log(10.0)
"""Elo points per logit: a 400-point gap means 10:1 odds."""
_DIVERGED_LOGITS = 25.0  # odds of 7e10:1 (4,300 Elo points): only a diverging fit gets there


class RatingConfig(BaseModel):
    """How to compute ratings; the arena CLI's options map one-to-one onto these fields."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    ci: Literal["bootstrap", "sandwich", "none"] = "bootstrap"
    """Interval method: bootstrap over prompts, cluster-robust sandwich, or none."""
    n_boot: int = Field(default=1000, ge=10)
    """Bootstrap rounds."""
    confidence: float = Field(default=0.95, gt=0.0, lt=1.0)
    """Confidence level of the intervals."""
    seed: int = Field(default=0, ge=0)
    """Seed of the bootstrap."""
    prior: float | None = Field(default=None, gt=0.0)
    """L2 prior on logit ratings (penalty prior * sum(theta**2) / 2, a Gaussian prior with sd
    1/sqrt(prior) logits); None fits plain maximum likelihood and refuses data where it diverges."""
    anchor: str | None = None
    """Model pinned at `anchor_rating`; None centres the ratings so their mean is `anchor_rating`."""
    anchor_rating: float = 1000.0
    """Rating of the anchor model, or the mean rating."""
    baseline: str | None = None
    """Model to report every other model's win rate against."""
    style_control: bool = False
    """Fit ratings jointly with style covariates (needs battles with style counts)."""
    style_features: tuple[str, ...] = DEFAULT_STYLE_FEATURES
    """Style features used by style control."""
    workers: int = Field(default=1, ge=1)
    """Threads for bootstrap rounds; results do not depend on it."""


def bradley_terry(battles: Battles, config: RatingConfig | None = None) -> Ratings:
    """Rate the models of `battles` on the Elo scale with prompt-clustered intervals.

    Args:
        battles: the judged games.
        config: how to rate; defaults to `RatingConfig()` (bootstrap, 1000 rounds, no prior).

    Raises:
        UserError: no battles, an unknown anchor/baseline/style feature, models that form separate
            groups, or ratings that diverge without a prior. Each message names the models and the fix.

    Examples:
        >>> b = Battles.from_lists(["x", "x", "y"], ["y", "y", "x"], ["a", "a", "a"])
        >>> r = bradley_terry(b, RatingConfig(ci="none"))
        >>> round(r.get("x").rating - r.get("y").rating, 1)  # 400 * log10(2 wins / 1 loss)
        120.4
    """
    cfg = config or RatingConfig()
    if len(battles) == 0:
        raise UserError("ratings: no battles to rate; judge some battles first")
    anchor = battles.index(cfg.anchor, "RatingConfig.anchor") if cfg.anchor is not None else None
    baseline = battles.index(cfg.baseline, "RatingConfig.baseline") if cfg.baseline is not None else None
    wins = battles.win_matrix()
    check_identifiable(wins, battles.models, cfg.prior)
    prior = cfg.prior or 0.0
    z = _style_matrix(battles, cfg) if cfg.style_control else np.zeros((len(battles), 0))
    if cfg.style_control:
        params, converged = fit_joint(battles.a, battles.b, battles.outcome, battles.weight, z, battles.n_models, prior)
        _check_style_fit(params, converged, battles, cfg)
    else:
        params, _ = fit_pooled(wins, prior)
    draws, cov, degenerate = None, None, 0
    if cfg.ci == "bootstrap":
        if cfg.style_control:
            draws, degenerate = bootstrap_joint(battles, z, params, prior, cfg.n_boot, cfg.seed, cfg.workers)
        else:
            draws, degenerate = bootstrap_pooled(battles, params, prior, cfg.n_boot, cfg.seed, cfg.workers)
    elif cfg.ci == "sandwich":
        cov = cluster_robust_cov(battles, params, z, prior)
    intervals = _Intervals(params, draws, cov, cfg.confidence)
    return Ratings(
        models=_entries(battles, intervals, anchor, baseline, cfg),
        method=cfg.ci,
        confidence=cfg.confidence,
        anchor=cfg.anchor,
        anchor_rating=cfg.anchor_rating,
        baseline=cfg.baseline,
        prior=cfg.prior,
        style=_style_entries(battles.n_models, intervals, cfg),
        n_battles=len(battles),
        n_clusters=battles.n_clusters,
        n_boot=cfg.n_boot if cfg.ci == "bootstrap" else 0,
        degenerate_rounds=degenerate,
    )


def _style_matrix(battles: Battles, cfg: RatingConfig) -> np.ndarray:
    if battles.style_a is None or battles.style_b is None:
        raise UserError(
            "RatingConfig.style_control: these battles carry no style counts; build them with "
            "style_a/style_b (e.g. style_features(answer)) or turn style control off"
        )
    missing = [f for f in cfg.style_features if f not in battles.style_names]
    if missing:
        raise UserError(
            f"RatingConfig.style_features: {missing} not among the battles' style features "
            f"{list(battles.style_names)}; pick from those"
        )
    columns = [battles.style_names.index(f) for f in cfg.style_features]
    return style_covariates(battles.style_a[:, columns], battles.style_b[:, columns])


def _check_style_fit(params: np.ndarray, converged: bool, battles: Battles, cfg: RatingConfig) -> None:
    """Refuse a style-controlled fit that ran off to infinity (the games are separable)."""
    n = battles.n_models
    beta = params[n:]
    if np.any(np.abs(beta) > _DIVERGED_LOGITS) or not converged:
        names = [f for f, b in zip(cfg.style_features, beta, strict=True) if abs(b) > _DIVERGED_LOGITS]
        raise UserError(
            f"style control diverges: the style features {names} alone decide the games (e.g. the "
            "longer answer always wins), so their coefficients are infinite; drop them from "
            "RatingConfig.style_features or rate without style control"
        )
    if np.ptp(params[:n]) > _DIVERGED_LOGITS:
        raise UserError(
            "style control diverges: together with the style features, some models never lose; "
            "set RatingConfig(prior=...) or collect more battles"
        )


class _Intervals:
    """Point values and intervals of linear contrasts of the fitted logits (c . params)."""

    def __init__(self, params: np.ndarray, draws: np.ndarray | None, cov: np.ndarray | None, confidence: float):
        self.params, self.draws, self.cov, self.confidence = params, draws, cov, confidence

    def contrast(self, i: int, ref: int | None) -> tuple[float, float, float]:
        """Value and interval of params[i] - params[ref] (params[i] alone when ref is None)."""
        value = self.params[i] - (self.params[ref] if ref is not None else 0.0)
        if self.draws is not None:
            sample = self.draws[:, i] - (self.draws[:, ref] if ref is not None else 0.0)
            low, high = percentile_interval(sample, self.confidence)
            return float(value), min(float(low), value), max(float(high), value)
        if self.cov is not None:
            c = self.cov
            var = c[i, i] + (c[ref, ref] - 2 * c[i, ref] if ref is not None else 0.0)
            half = z_value(self.confidence) * math.sqrt(max(var, 0.0))
            return float(value), float(value - half), float(value + half)
        return float(value), float(value), float(value)


def _entries(
    battles: Battles, iv: _Intervals, anchor: int | None, baseline: int | None, cfg: RatingConfig
) -> list[ModelRating]:
    games = battles.games_per_model()
    rows = []
    for i, name in enumerate(battles.models):
        value, low, high = (cfg.anchor_rating + ELO_PER_LOGIT * x for x in iv.contrast(i, anchor))
        win = None
        if baseline is not None and i != baseline:
            p, lo, hi = (float(expit(x)) for x in iv.contrast(i, baseline))
            win = Estimate(
                value=p,
                low=lo,
                high=hi,
                n=int(games[i]),
                n_tasks=battles.n_clusters,
                confidence=cfg.confidence,
                method=cfg.ci,
            )
        rows.append((name, value, low, high, int(games[i]), win))
    lows = np.array([r[2] for r in rows])
    entries = [
        ModelRating(
            model=name,
            rating=value,
            low=low,
            high=high,
            rank=1 + int(np.sum(lows > high)),
            n_battles=n,
            win_rate=win,
        )
        for name, value, low, high, n, win in rows
    ]
    return sorted(entries, key=lambda e: (-e.rating, e.model))


def _style_entries(n: int, iv: _Intervals, cfg: RatingConfig) -> list[StyleCoefficient]:
    if not cfg.style_control:
        return []
    out = []
    for k, feature in enumerate(cfg.style_features):
        value, low, high = (ELO_PER_LOGIT * x for x in iv.contrast(n + k, None))
        out.append(StyleCoefficient(feature=feature, coefficient=value, low=low, high=high))
    return out
