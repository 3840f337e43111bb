"""perturb: each corruption of a correct answer fails with its own kind, in both modes."""

from __future__ import annotations

import random

import pytest

from tests.check.cases import MODES, check, exp, tool
from toolgym.check import PERTURBATION_KINDS, perturb, reference_calls
from toolgym.types import FailureKind

STR, INT = {"type": "string"}, {"type": "integer"}
TOOLS = [
    tool("weather", ("city",), city=STR, days=INT, unit={"type": "string", "default": "celsius"}),
    tool("time", ("zone",), zone=STR),
]
CASES = {
    "simple": [exp("weather", city=["Paris"], days=["", 3], unit=["", "celsius"])],
    "multiple": [exp("time", zone=["CET"])],
    "parallel": [exp("weather", city=["Paris"], days=[2]), exp("weather", city=["Rome"], days=[2])],
    "parallel_multiple": [exp("weather", city=["Oslo"]), exp("time", zone=["UTC"])],
}


@pytest.mark.parametrize("kind", PERTURBATION_KINDS, ids=lambda k: k.value)
@pytest.mark.parametrize("category", list(CASES))
def test_perturbation_scores_as_its_kind(category: str, kind: FailureKind) -> None:
    expected = CASES[category]
    ref = reference_calls(expected)
    for seed in range(5):
        bad = perturb(ref, TOOLS, kind, random.Random(seed))
        assert bad is not None
        for mode in MODES:
            assert check(bad, expected, TOOLS, mode, category).failure is kind
    assert reference_calls(expected) == ref  # the reference itself is untouched


def test_nothing_to_corrupt_gives_none() -> None:
    assert perturb([], TOOLS, FailureKind.WRONG_VALUE, random.Random(0)) is None
    only_optional = reference_calls([exp("weather", days=[3])])
    assert perturb(only_optional, TOOLS, FailureKind.MISSING_PARAM, random.Random(0)) is None


def test_same_seed_same_corruption() -> None:
    ref = reference_calls(CASES["parallel"])
    a = perturb(ref, TOOLS, FailureKind.WRONG_VALUE, random.Random(7))
    assert a == perturb(ref, TOOLS, FailureKind.WRONG_VALUE, random.Random(7))


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="should_call"):
        perturb(reference_calls(CASES["simple"]), TOOLS, FailureKind.SHOULD_CALL, random.Random(0))
