"""Exact one-sided bounds on a pass rate, for tasks seen few times.

A task that failed all n attempts may still be solvable: its pass rate is only known to be below the
one-sided Clopper–Pearson bound, 1 - (1 - confidence)^(1/n) when no attempt passed (3/n, the "rule
of three", at 95 %). Audits report it so that "no model passes" carries how sure that is.
"""

from __future__ import annotations

from scipy.stats import beta

from ..errors import UserError

__all__ = ["pass_rate_upper_bound"]


def pass_rate_upper_bound(passes: int, n: int, confidence: float = 0.95) -> float:
    """One-sided exact upper confidence bound on a pass rate after `passes` of `n` attempts.

    Examples:
        >>> round(pass_rate_upper_bound(0, 10), 3)
        0.259
    """
    if n < 1 or not 0 <= passes <= n:
        raise UserError(f"pass_rate_upper_bound: need 0 <= passes <= n and n >= 1, got {passes} of {n}")
    if passes == n:
        return 1.0
    return float(beta.ppf(confidence, passes + 1, n - passes))
