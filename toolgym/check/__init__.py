"""Verifiers: function-call matching in BFCL's exact semantics and in toolgym's fairer mode.

`check_calls` judges a model's calls against a task's acceptable call sets (a `CallVerdict`, whose
`verdict()` is the stored `Verdict`); `reference_calls` builds
the answer that must score 100%; `perturb` corrupts a correct answer into one failing with a named
kind. `toolgym/check/calls.py` tabulates how the two modes differ. `agentic_answer_found` is BFCL's
agentic (memory) answer check, in both modes (`agentic.py`).
"""

from .agentic import agentic_answer_found, agentic_standardize
from .call_verdict import CallVerdict
from .calls import Mode, check_calls, reference_calls
from .normalize import bfcl_standardize, safe_standardize
from .perturb import PERTURBATION_KINDS, perturb
from .values import same

__all__ = [
    "PERTURBATION_KINDS",
    "CallVerdict",
    "Mode",
    "agentic_answer_found",
    "agentic_standardize",
    "bfcl_standardize",
    "check_calls",
    "perturb",
    "reference_calls",
    "safe_standardize",
    "same",
]
