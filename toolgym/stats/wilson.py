"""The Wilson score interval for a binomial proportion.

Used when every unit is a single pass/fail outcome (one sample per task, or tasks that all passed or
all failed). Unlike the normal (Wald) interval it never collapses to a point at 0 % or 100 % and
stays inside [0, 1], so an all-pass run still reports honest uncertainty.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

__all__ = ["wilson_interval", "z_value"]


def z_value(confidence: float) -> float:
    """The two-sided standard-normal quantile for `confidence` (1.959964 for 0.95)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence!r}")
    return float(norm.ppf(0.5 + confidence / 2.0))


def wilson_interval(
    successes: float | np.ndarray, n: float | np.ndarray, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for `successes` out of `n` trials (vectorised).

    Args:
        successes: number of successes (array or scalar).
        n: number of trials, > 0 (array or scalar, broadcast against `successes`).
        confidence: confidence level, e.g. 0.95.

    Returns:
        `(low, high)` arrays of the interval ends.

    Examples:
        >>> low, high = wilson_interval(0, 10)
        >>> round(float(low), 4), round(float(high), 4)
        (0.0, 0.2775)
    """
    z = z_value(confidence)
    k = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    if np.any(m <= 0):
        raise ValueError("wilson_interval needs n > 0 trials")
    p = k / m
    z2 = z * z
    centre = (p + z2 / (2 * m)) / (1 + z2 / m)
    half = z * np.sqrt(p * (1 - p) / m + z2 / (4 * m * m)) / (1 + z2 / m)
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)
