"""Style control: separate how good an answer is from how long and how formatted it is.

Judges, human or model, favour longer and more formatted answers. As in Chatbot Arena's style
control, each battle gets covariates describing the style gap between the two answers: for each
feature (tokens, headers, list items, bold spans) the normalised difference (a - b) / (a + b)
(0 when both are 0), standardised over the battles. Ratings and style coefficients are then fitted
jointly by logistic regression on the individual battles:

    logit P(A wins) = theta_A - theta_B + z_battle . beta

The theta are the style-controlled ratings, and beta says how many logits a one-standard-deviation
style gap is worth. Unlike plain BT this likelihood does not pool into a win matrix (z differs per
battle), so a fit costs O(N) per Newton iteration.
"""

from __future__ import annotations

import re

import numpy as np
from scipy.special import expit

__all__ = [
    "DEFAULT_STYLE_FEATURES",
    "STYLE_FEATURES",
    "fit_joint",
    "information",
    "penalties",
    "style_covariates",
    "style_features",
]

STYLE_FEATURES = ("tokens", "chars", "headers", "list_items", "bold")
"""Keys of `style_features`."""
DEFAULT_STYLE_FEATURES = ("tokens", "headers", "list_items", "bold")
"""Features style control uses by default (chars would duplicate tokens)."""

_FENCE = re.compile(r"^\s*(```|~~~).*?^\s*\1", re.MULTILINE | re.DOTALL)
_TOKEN = re.compile(r"\w+|[^\w\s]+")
_HEADER = re.compile(r"^ {0,3}#{1,6}[ \t]+\S", re.MULTILINE)
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S", re.MULTILINE)
_BOLD = re.compile(r"\*\*[^*\n]+?\*\*|__[^_\n]+?__")
_BETA_RIDGE = 1e-9  # per unit of total weight: keeps a feature that never varies at beta = 0


def style_features(text: str | None) -> dict[str, int]:
    r"""Style counts of one answer.

    Tokens are approximated as words plus runs of punctuation (no tokenizer needed, the same for
    every model). Headers, list items and bold spans are Markdown, counted outside fenced code
    blocks, where `#` and `*` are code rather than formatting.

    Examples:
        >>> style_features("# Plan\n- **one**\n- two")
        {'tokens': 8, 'chars': 22, 'headers': 1, 'list_items': 2, 'bold': 1}
    """
    text = text or ""
    prose = _FENCE.sub("", text)
    return {
        "tokens": len(_TOKEN.findall(text)),
        "chars": len(text),
        "headers": len(_HEADER.findall(prose)),
        "list_items": len(_LIST_ITEM.findall(prose)),
        "bold": len(_BOLD.findall(prose)),
    }


def style_covariates(style_a: np.ndarray, style_b: np.ndarray) -> np.ndarray:
    """Per-battle style covariates: (a - b) / (a + b) per feature, then standardised over battles.

    A feature that never varies gets a column of zeros (its coefficient is then 0).
    """
    a = np.asarray(style_a, dtype=float)
    b = np.asarray(style_b, dtype=float)
    total = a + b
    diff = np.divide(a - b, total, out=np.zeros_like(total), where=total != 0)
    sd = diff.std(axis=0)
    return np.divide(diff - diff.mean(axis=0), sd, out=np.zeros_like(diff), where=sd > 0)


def information(a: np.ndarray, b: np.ndarray, v: np.ndarray, z: np.ndarray, n: int) -> np.ndarray:
    """Fisher information sum_b v_b x_b x_b^T of the joint model, x_b = (e_a - e_b, z_b).

    Returns the (n + F) square matrix: a graph Laplacian in the rating block, style cross terms,
    and z^T diag(v) z in the style block.
    """
    f = z.shape[1]
    pair = np.bincount(a * n + b, v, n * n).reshape(n, n)
    pair += pair.T
    out = np.zeros((n + f, n + f))
    out[:n, :n] = np.diag(pair.sum(axis=1)) - pair
    vz = v[:, None] * z
    for k in range(f):
        out[:n, n + k] = np.bincount(a, vz[:, k], n) - np.bincount(b, vz[:, k], n)
    out[n:, :n] = out[:n, n:].T
    out[n:, n:] = z.T @ vz
    return out


def penalties(n: int, f: int, prior: float, w: np.ndarray) -> np.ndarray:
    """Diagonal of the penalty: `prior` on the n ratings, a tiny ridge on the F style coefficients."""
    return np.concatenate([np.full(n, prior), np.full(f, _BETA_RIDGE * w.sum())])


def _score(a: np.ndarray, b: np.ndarray, r: np.ndarray, z: np.ndarray, n: int) -> np.ndarray:
    """Sum over battles of r_b x_b."""
    return np.concatenate([np.bincount(a, r, n) - np.bincount(b, r, n), z.T @ r])


def _loglik(eta: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    return -float(w @ (y * np.logaddexp(0.0, -eta) + (1.0 - y) * np.logaddexp(0.0, eta)))


def fit_joint(
    a: np.ndarray,
    b: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    z: np.ndarray,
    n: int,
    prior: float = 0.0,
    start: np.ndarray | None = None,
    *,
    tol: float = 1e-9,
    max_iter: int = 200,
) -> tuple[np.ndarray, bool]:
    """Fit ratings and style coefficients jointly by damped Newton on the individual battles.

    Args:
        a: first model's index per battle.
        b: second model's index per battle.
        y: outcome per battle (1, 0.5, 0).
        w: weight per battle (0 drops a battle, e.g. in a bootstrap round).
        z: style covariates (N, F), from `style_covariates`.
        n: number of models.
        prior: L2 penalty on the rating logits (the style coefficients get only a tiny ridge).
        start: starting parameters (n + F,); zeros by default.
        tol: stop when no parameter moves by more than this.
        max_iter: iteration cap.

    Returns:
        `(params, converged)`: params is (theta (n, centred), beta (F,)) concatenated, in logits.
    """
    f = z.shape[1]
    params = np.zeros(n + f) if start is None else np.array(start, dtype=float)
    params[:n] -= params[:n].mean()
    penalty = penalties(n, f, prior, w)

    def objective(x: np.ndarray) -> float:
        return _loglik(x[a] - x[b] + z @ x[n:], y, w) - 0.5 * float(penalty @ (x * x))

    for _ in range(max_iter):
        p = expit(params[a] - params[b] + z @ params[n:])
        grad = _score(a, b, w * (y - p), z, n) - penalty * params
        hess = information(a, b, w * p * (1.0 - p), z, n) + np.diag(penalty)
        hess[:n, :n] += (np.trace(hess[:n, :n]) / n + 1.0) / n  # pin the translation of theta
        step = np.linalg.solve(hess, grad)
        if np.abs(step).max() > 1.0:
            base, t = objective(params), 1.0
            while objective(params + t * step) < base and t > 1e-9:
                t *= 0.5
            step *= t
        params += step
        if np.abs(step).max() < tol:
            return params, True
    return params, False
