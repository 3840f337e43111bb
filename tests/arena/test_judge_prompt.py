"""Judge prompt and verdict reading (toolgym/arena/judge_prompt.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolgym.arena import DEFAULT_TEMPLATE, LABELS, load_template, parse_verdict
from toolgym.arena.judge_prompt import label_outcome, render_prompt
from toolgym.errors import UserError


@pytest.mark.parametrize("label", LABELS)
def test_each_label_is_read(label):
    assert parse_verdict(f"reasoning...\nFinal verdict: [[{label}]]") == label


def test_last_verdict_wins():
    text = "At first glance [[A>>B]]. But A has a factual error, so my final verdict is [[B>A]]."
    assert parse_verdict(text) == "B>A"


def test_spacing_case_and_mirrored_forms_are_understood():
    assert parse_verdict("[[ a >> b ]]") == "A>>B"
    assert parse_verdict("[[B<A]]") == "A>B"
    assert parse_verdict("[[A<<B]]") == "B>>A"
    assert parse_verdict("[[B=A]]") == "A=B"


@pytest.mark.parametrize("text", [None, "", "Both are good.", "A>B", "[A>B]", "[[A>A]]", "[[C>B]]", "[[A?B]]"])
def test_no_readable_label_is_no_verdict(text):
    assert parse_verdict(text) is None


def test_a_malformed_last_label_does_not_hide_an_earlier_valid_one():
    assert parse_verdict("[[A>B]] ... [[A>A]]") == "A>B"


def test_strong_labels_are_strong_wins():
    assert label_outcome("A>>B") == ("a", True)
    assert label_outcome("A>B") == ("a", False)
    assert label_outcome("A=B") == ("tie", False)
    assert label_outcome("B>A") == ("b", False)
    assert label_outcome("B>>A") == ("b", True)


def test_placeholders_are_filled_in_one_pass():
    out = render_prompt("Q: {question} | A: {answer_a} | B: {answer_b} | {json: 1}", "why?", "I quote {answer_b}",
                        "plain")
    assert out == "Q: why? | A: I quote {answer_b} | B: plain | {json: 1}"


def test_default_template_shows_the_question_and_both_answers():
    out = render_prompt(DEFAULT_TEMPLATE, "QQQ", "AAA", "BBB")
    assert out.index("QQQ") < out.index("AAA") < out.index("BBB")
    assert "{" not in out.replace("[[", "")


def test_template_without_a_placeholder_names_it(tmp_path: Path):
    path = tmp_path / "judge.txt"
    path.write_text("Compare {answer_a} and {answer_b}.", encoding="utf-8")
    with pytest.raises(UserError, match=r"judge\.txt lacks \{question\}"):
        load_template(path)


def test_missing_template_file_names_the_path(tmp_path: Path):
    with pytest.raises(UserError, match=r"nope\.txt does not exist"):
        load_template(tmp_path / "nope.txt")
