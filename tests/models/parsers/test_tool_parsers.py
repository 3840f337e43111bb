"""The registry, round trips (parse(render(calls)) == calls) and fuzzing: no parser ever raises."""

import keyword

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolgym.errors import UserError
from toolgym.models.parsers import TOOL_PARSERS, ParseResult, parse_tool_calls, render_tool_calls
from toolgym.types import ToolCall

FORMATS = ["hermes", "llama3", "pythonic", "mistral"]
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

identifiers = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda s: not keyword.iskeyword(s)
)
names = st.lists(identifiers, min_size=1, max_size=3).map(".".join)
# "<" and "[" excluded: a string holding "</tool_call>" or "[TOOL_CALLS]" is ambiguous in those formats
safe_text = st.text(
    alphabet=st.characters(blacklist_characters="<[|", blacklist_categories=["Cs"]), max_size=12
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**9), 10**9)
    | st.floats(allow_nan=False, allow_infinity=False)
    | safe_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(safe_text, inner, max_size=3),
    max_leaves=8,
)
calls_strategy = st.lists(
    st.builds(ToolCall, name=names, arguments=st.dictionaries(identifiers, json_values, max_size=4)),
    min_size=1,
    max_size=3,
)

TOKENS = [
    "<tool_call>",
    "</tool_call>",
    "<|python_tag|>",
    "<|eom_id|>",
    "<|python_start|>",
    "[TOOL_CALLS]",
    "[ARGS]",
    "[CALL_ID]",
    "</s>",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    '"name"',
    '"arguments"',
    '"parameters"',
    ":",
    ",",
    ";",
    "'",
    '"',
    "\\",
    "\n",
    " ",
    "f",
    "math.factorial",
    "a=1",
    "=",
    "*",
    "**",
    "1e999",
    "-",
    "```python\n",
    "```",
    "null",
    "true",
    "{'name': 'f'}",
    "__import__('os')",
    "é",
    "\x00",
    "9" * 5000,
]
token_soup = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


def test_registry_holds_the_four_formats():
    assert sorted(TOOL_PARSERS.names()) == sorted(FORMATS)


def test_unknown_parser_lists_the_known_ones():
    with pytest.raises(
        UserError, match=r"unknown tool parser 'hermez'. Did you mean 'hermes'\? Known: hermes,"
    ):
        parse_tool_calls("x", "hermez")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_has_instructions(fmt):
    assert TOOL_PARSERS.get(fmt).instructions


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(calls=calls_strategy)
def test_round_trip(fmt, calls):
    result = parse_tool_calls(render_tool_calls(calls, fmt), fmt)
    assert result.error is None, result.error
    assert result.calls == calls
    assert result.text is None


@FUZZ
@given(
    calls=st.lists(st.builds(ToolCall, name=names, positional=st.lists(json_values, max_size=2)), min_size=1)
)
def test_pythonic_round_trip_with_positional_arguments(calls):
    assert parse_tool_calls(render_tool_calls(calls, "pythonic"), "pythonic").calls == calls


def _check(result: ParseResult) -> None:
    assert isinstance(result, ParseResult)
    assert result.text is None or result.text == result.text.strip()


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(text=st.text(max_size=200))
def test_random_text_never_raises(fmt, text):
    _check(parse_tool_calls(text, fmt))


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(text=token_soup)
def test_markup_soup_never_raises(fmt, text):
    _check(parse_tool_calls(text, fmt))


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(calls=calls_strategy, data=st.data())
def test_mutated_valid_output_never_raises(fmt, calls, data):
    text = render_tool_calls(calls, fmt)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 10)))
        op = data.draw(st.sampled_from(["delete", "insert", "duplicate", "truncate"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + data.draw(st.sampled_from(TOKENS)) + text[i:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i]
    for other in FORMATS:  # every parser sees every format's output
        _check(parse_tool_calls(text, other))


@pytest.mark.parametrize("fmt", FORMATS)
def test_deep_nesting_is_an_error_not_a_crash(fmt):
    deep = "[" * 100_000
    for text in (deep, "{" * 100_000, f"<tool_call>{deep}", f"[TOOL_CALLS]{deep}", f"[f(a={deep})]"):
        _check(parse_tool_calls(text, fmt))
