"""String normalisation: BFCL's rule, and toolgym's that keeps numbers apart."""

from __future__ import annotations

import pytest

from toolgym.check import bfcl_standardize, safe_standardize


def test_bfcl_drops_spaces_and_punctuation_lowercases_and_swaps_quotes() -> None:
    assert bfcl_standardize("New York, N.Y. - it's_*^/") == 'newyorknyit"s'


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("April 1, 2024", "April 1,2024"),
        ("April 1, 2024", "april 1 2024"),
        ("New-York", "new york"),
        ("COVID-19", "covid 19"),
        ("johndoe@email.com", "john.doe@email.com"),
        ("5 km", "5km"),
        ("x", "X"),
    ],
)
def test_safe_keeps_bfcl_equalities_for_text(a: str, b: str) -> None:
    assert bfcl_standardize(a) == bfcl_standardize(b)
    assert safe_standardize(a) == safe_standardize(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("5.5", "55"),
        ("192.168.0.5", "192168.0.5"),
        ("-118.24", "118.24"),
        ("temp -5", "temp 5"),
        ("1.000", "1,000"),
        ("2^3", "23"),
        ("1/2", "12"),
        (".5", "5"),
        ("$5.50", "$550"),
        ("lat: -3", "lat: 3"),
    ],
)
def test_safe_never_merges_different_numbers(a: str, b: str) -> None:
    assert bfcl_standardize(a) == bfcl_standardize(b)  # BFCL's flaw
    assert safe_standardize(a) != safe_standardize(b)


def test_safe_matches_bfcl_when_there_is_no_digit() -> None:
    for text in ("Hello, World!", "a_b-c.d/e*f^g", "it's"):
        assert safe_standardize(text) == bfcl_standardize(text)
