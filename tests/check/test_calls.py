"""check_calls: every rule of both modes (a passing and a failing case), then each mode difference."""

from __future__ import annotations

import pytest

from tests.check.cases import MODES, call, check, exp, kinds, tool
from toolgym.check import CallVerdict, check_calls, reference_calls
from toolgym.errors import UserError
from toolgym.types import ExpectedCall, FailureKind

INT = {"type": "integer"}
FLOAT = {"type": "number", "x-bfcl-type": "float"}
STR = {"type": "string"}
BOOL = {"type": "boolean"}

PASS = (None, None)


def both(kind: str | None) -> tuple[str | None, str | None]:
    return (kind, kind)


# ---------------------------------------------------------------- rules shared by both modes


def test_matching_name_passes_and_other_name_is_wrong_function() -> None:
    t = tool("area", ("base",), base=INT)
    assert kinds(call("area", base=3), exp("area", base=[3]), t) == PASS
    assert kinds(call("volume", base=3), exp("area", base=[3]), t) == both("wrong_function")


def test_dots_as_underscores_expects_the_underscored_name() -> None:
    t = tool("math.factorial", ("n",), n=INT)
    e = exp("math.factorial", n=[5])
    assert kinds(call("math_factorial", n=5), e, t, dots_as_underscores=True) == PASS
    assert kinds(call("math.factorial", n=5), e, t, dots_as_underscores=True) == both("wrong_function")
    assert kinds(call("math_factorial", n=5), e, t) == both("wrong_function")


def test_required_parameter_must_be_present() -> None:
    t = tool("f", ("a",), a=INT, b=INT)
    e = exp("f", a=[1], b=["", 2])
    assert kinds(call("f", a=1), e, t) == PASS
    assert kinds(call("f", b=2), e, t) == both("missing_param")


def test_parameter_outside_schema_or_answer_is_unexpected() -> None:
    t = tool("f", ("a",), a=INT, b=INT)
    e = exp("f", a=[1])
    assert kinds(call("f", a=1, c=3), e, t) == both("unexpected_param")  # not in the schema
    assert kinds(call("f", a=1, b=2), e, t) == both("unexpected_param")  # not among the answer's keys


@pytest.mark.parametrize(
    ("schema", "good", "bad"),
    [
        (INT, 5, True),  # bool is not int
        (INT, 5, 5.0),
        (INT, 5, "5"),
        (BOOL, True, 1),
        (STR, "5", 5),
        ({"type": "array", "items": INT}, [5], (5,)),  # tuple only for tuple parameters
        ({"type": "object"}, {"k": 5}, [5]),
    ],
)
def test_types_are_exact(schema: dict, good: object, bad: object) -> None:
    t = tool("f", ("x",), x=schema)
    e = exp("f", x=[{"k": [5]} if schema.get("type") == "object" else good])
    assert kinds(call("f", x=good), e, t) == PASS
    assert kinds(call("f", x=bad), e, t) == both("wrong_type")


def test_int_passes_as_float_and_tuple_as_list_for_tuple_parameters() -> None:
    t = tool("f", ("x", "p"), x=FLOAT, p={"type": "array", "x-bfcl-type": "tuple", "items": INT})
    e = exp("f", x=[2.0], p=[[1, 2]])
    assert kinds(call("f", x=2, p=(1, 2)), e, t) == PASS
    assert kinds(call("f", x="2", p=(1, 2)), e, t) == both("wrong_type")


def test_answer_of_another_type_is_a_variable_compared_as_is() -> None:
    t = tool("train", ("data",), data={"type": "array", "items": INT})
    e = exp("train", data=["dataset"])
    assert kinds(call("train", data="dataset"), e, t) == PASS
    assert kinds(call("train", data="other"), e, t) == both("wrong_value")
    assert kinds(call("train", data=[1]), e, t) == both("wrong_value")


def test_array_items_are_type_checked() -> None:
    t = tool("f", ("xs",), xs={"type": "array", "items": STR})
    e = exp("f", xs=[["a", "b"]])
    assert kinds(call("f", xs=["a", "b"]), e, t) == PASS
    assert kinds(call("f", xs=["a", 2]), e, t) == both("wrong_type")


def test_strings_are_normalised_before_membership() -> None:
    t = tool("weather", ("city",), city=STR)
    e = exp("weather", city=["New York, NY"])
    for same in ("new york ny", "New-York NY", "NEW_YORK,NY"):
        assert kinds(call("weather", city=same), e, t) == PASS
    assert kinds(call("weather", city="Boston"), e, t) == both("wrong_value")


def test_single_quotes_read_as_double_quotes() -> None:
    t = tool("q", ("s",), s=STR)
    assert kinds(call("q", s="say 'hi'"), exp("q", s=['say "hi"']), t) == PASS


def test_lists_are_order_sensitive_and_compared_whole() -> None:
    t = tool("f", ("xs",), xs={"type": "array", "items": INT})
    e = exp("f", xs=[[1, 2], [3]])
    assert kinds(call("f", xs=[1, 2]), e, t) == PASS
    assert kinds(call("f", xs=[2, 1]), e, t) == both("wrong_value")
    assert kinds(call("f", xs=[1, 2, 3]), e, t) == both("wrong_value")


def test_dict_keys_must_be_a_subset_and_missing_keys_need_omission() -> None:
    props = {"name": STR, "email": STR}
    t = tool("update", ("info",), info={"type": "object", "properties": props})
    e = exp("update", info=[{"name": ["John"], "email": ["", "j@x.com"]}])
    assert kinds(call("update", info={"name": "john"}), e, t) == PASS
    assert kinds(call("update", info={"name": "John", "email": "j@x.com"}), e, t) == PASS
    assert kinds(call("update", info={"name": "John", "phone": "1"}), e, t) == both("wrong_value")
    assert kinds(call("update", info={"email": "j@x.com"}), e, t) == both("wrong_value")
    assert kinds(call("update", info={"name": "Jane"}), e, t) == both("wrong_value")


def test_list_of_dicts_is_checked_dict_by_dict_in_order() -> None:
    item = {"type": "object", "properties": {"field": STR, "value": STR}}
    t = tool("query", ("conds",), conds={"type": "array", "items": item})
    e = exp("query", conds=[[{"field": ["age"], "value": ["25"]}, {"field": ["job"], "value": ["engineer"]}]])
    good = [{"field": "age", "value": "25"}, {"field": "job", "value": "Engineer"}]
    assert kinds(call("query", conds=good), e, t) == PASS
    assert kinds(call("query", conds=good[::-1]), e, t) == both("wrong_value")
    assert kinds(call("query", conds=good[:1]), e, t) == both("wrong_value")


def test_other_values_by_membership() -> None:
    t = tool("f", ("n",), n=INT)
    e = exp("f", n=[5, 6])
    assert kinds(call("f", n=6), e, t) == PASS
    assert kinds(call("f", n=7), e, t) == both("wrong_value")


def test_answer_parameter_left_out_must_allow_omission() -> None:
    t = tool("f", (), unit=STR, n=INT)
    assert kinds(call("f"), exp("f", unit=["", "km"]), t) == PASS
    assert kinds(call("f"), exp("f", unit=["km"]), t) == both("missing_param")


def test_empty_string_reads_as_omitted_in_both_modes() -> None:
    t = tool("f", (), unit=STR)
    assert kinds(call("f", unit=""), exp("f", unit=["", "km"]), t) == PASS


def test_irrelevance_passes_without_a_call_and_fails_with_one() -> None:
    t = tool("f", (), x=INT)
    assert kinds([], [], t, "irrelevance") == PASS
    assert kinds(call("f", x=1), [], t, "irrelevance") == both("should_abstain")
    assert kinds(call("f", x=1), [], t, "simple") == both("should_abstain")  # [] means no call


def test_no_call_where_one_is_expected_is_should_call() -> None:
    t = tool("f", ("x",), x=INT)
    assert kinds([], exp("f", x=[1]), t) == both("should_call")


def test_parse_error_where_a_call_is_expected_fails_in_both_modes() -> None:
    t = tool("f", ("x",), x=INT)
    assert kinds([], exp("f", x=[1]), t, parse_error="unbalanced brackets") == both("parse_error")


def test_simple_and_multiple_need_exactly_one_call() -> None:
    t = tool("f", ("x",), x=INT)
    for category in ("simple", "multiple"):
        assert kinds([call("f", x=1)] * 2, exp("f", x=[1]), t, category) == both("wrong_count")


def test_multiple_checks_the_call_against_the_expected_function() -> None:
    tools = [tool("f", ("x",), x=INT), tool("g", ("x",), x=INT)]
    assert kinds(call("f", x=1), exp("f", x=[1]), tools, "multiple") == PASS
    assert kinds(call("g", x=1), exp("f", x=[1]), tools, "multiple") == both("wrong_function")


def test_parallel_calls_match_in_any_order_and_count_must_agree() -> None:
    t = tool("play", ("artist",), artist=STR)
    e = [exp("play", artist=["Taylor Swift"]), exp("play", artist=["Maroon 5"])]
    for calls in (
        [call("play", artist="Taylor Swift"), call("play", artist="Maroon 5")],
        [call("play", artist="Maroon 5"), call("play", artist="taylor swift")],
    ):
        assert kinds(calls, e, t, "parallel") == PASS
    assert kinds([call("play", artist="Maroon 5")], e, t, "parallel") == both("wrong_count")
    bad = [call("play", artist="Maroon 5"), call("play", artist="Adele")]
    assert kinds(bad, e, t, "parallel") == both("wrong_value")


def test_parallel_failure_blames_the_corrupted_call() -> None:
    t = tool("price", ("ticker",), ticker=STR, day=INT)
    e = [exp("price", ticker=[s], day=["", 1]) for s in ("AAPL", "MSFT", "GOOG")]
    calls = [
        call("price", ticker="GOOG"),
        call("price", ticker="MSFT"),
        call("price", ticker="AAPL", day="x"),
    ]
    for mode in MODES:
        v = check(calls, e, t, mode, "parallel")
        assert v.failure is FailureKind.WRONG_TYPE
        assert "expected call #0, call #2" in v.explanation and "'day'" in v.explanation
        assert v.components["matched_calls"] == pytest.approx(2 / 3 if mode == "toolgym" else 0.0)


def test_explanation_names_function_parameter_value_and_accepted_values() -> None:
    t = tool("weather", ("city",), city=STR)
    v = check(call("weather", city="Pariss"), exp("weather", city=["Paris", "Paris, France"]), t, "toolgym")
    assert v.explanation == "weather: parameter 'city': got 'Pariss', accepted ['Paris', 'Paris, France']"


def test_explanation_truncates_long_values() -> None:
    t = tool("f", ("s",), s=STR)
    v = check(call("f", s="x" * 500), exp("f", s=["y"]), t, "toolgym")
    assert len(v.explanation) < 200 and "..." in v.explanation and "\n" not in v.explanation


def test_expected_function_missing_from_tools_is_a_user_error() -> None:
    with pytest.raises(UserError, match="'g' names no tool"):
        check(call("g"), exp("g"), tool("f"), "toolgym")


def test_unknown_mode_is_a_user_error() -> None:
    with pytest.raises(UserError, match="unknown verifier mode 'strict'"):
        check_calls([], [], [], "simple", mode="strict")  # type: ignore[arg-type]


# ---------------------------------------------------------------- where the modes differ


def test_decode_failure_is_abstention_only_in_bfcl_mode() -> None:
    bfcl = check([], [], tool("f"), "bfcl", "irrelevance", parse_error="no JSON found")
    assert bfcl.passed and bfcl.flags == ["decode_failure_as_abstention"]
    toolgym = check([], [], tool("f"), "toolgym", "irrelevance", parse_error="no JSON found")
    assert toolgym.failure is FailureKind.PARSE_ERROR and "no JSON found" in toolgym.explanation


def test_positional_arguments_are_dropped_by_bfcl_and_bound_by_toolgym() -> None:
    t = tool("area", ("base", "height"), base=INT, height=INT)
    e = exp("area", base=[10], height=[5])
    assert kinds(call("area", 10, 5), e, t) == ("missing_param", None)
    assert kinds(call("area", 10, height=5), e, t) == ("missing_param", None)
    assert "positional_args_dropped" in check(call("area", 10, 5), e, t, "bfcl").flags
    assert kinds(call("area", 10, 5, 1), e, t) == ("missing_param", "unexpected_param")
    assert kinds(call("area", 10, base=10, height=5), e, t) == (None, "unexpected_param")


def test_passing_the_documented_default_equals_omitting_it_in_toolgym_mode() -> None:
    t = tool("weather", ("city",), city=STR, unit={"type": "string", "default": "celsius"})
    e = exp("weather", city=["Paris"], unit=["", "fahrenheit"])
    assert kinds(call("weather", city="Paris", unit="celsius"), e, t) == ("wrong_value", None)
    assert kinds(call("weather", city="Paris", unit="kelvin"), e, t) == both("wrong_value")
    only_default = exp("weather", city=["Paris"], unit=["celsius"])
    assert kinds(call("weather", city="Paris"), only_default, t) == ("missing_param", None)


def test_parallel_uses_maximum_matching_where_bfcl_is_greedy() -> None:
    t = tool("f", ("x",), x=INT)
    e = [exp("f", x=[1, 2]), exp("f", x=[1])]
    calls = [call("f", x=1), call("f", x=2)]
    assert kinds(calls, e, t, "parallel") == ("wrong_value", None)
    assert "greedy_first_match" in check(calls, e, t, "bfcl", "parallel").flags
    assert kinds(calls[::-1], e, t, "parallel") == PASS


def test_nested_dict_values_are_typed_only_in_toolgym_mode() -> None:
    area = {"type": "object", "x-bfcl-type": "dict", "properties": {"width": INT}}
    t = tool("paint", ("area",), area=area)
    e = exp("paint", area=[{"width": [20]}])
    assert kinds(call("paint", area={"width": 20}), e, t) == PASS
    assert kinds(call("paint", area={"width": 20.0}), e, t) == (None, "wrong_type")


def test_dicts_inside_dicts_are_checked_recursively_only_in_toolgym_mode() -> None:
    inner = {"type": "object", "properties": {"b": STR}}
    t = tool("f", ("a",), a={"type": "object", "properties": {"a2": inner}})
    e = exp("f", a=[{"a2": [{"b": ["x y"]}]}])
    assert kinds(call("f", a={"a2": {"b": "X-Y"}}), e, t) == ("wrong_value", None)
    assert kinds(call("f", a={"a2": {"b": "z"}}), e, t) == both("wrong_value")


def test_lists_of_dicts_are_typed_at_every_depth_only_in_toolgym_mode() -> None:
    item = {"type": "object", "properties": {"n": INT}}
    t = tool("f", ("xs",), xs={"type": "array", "items": item})
    e = exp("f", xs=[[{"n": [1]}]])
    assert kinds(call("f", xs=[{"n": 1}]), e, t) == PASS
    assert kinds(call("f", xs=[{"n": 1.0}]), e, t) == (None, "wrong_type")


def test_float_array_items_take_ints_only_in_toolgym_mode() -> None:
    t = tool("f", ("xs",), xs={"type": "array", "items": FLOAT})
    e = exp("f", xs=[[1.0, 2.5]])
    assert kinds(call("f", xs=[1.0, 2.5]), e, t) == PASS
    assert kinds(call("f", xs=[1, 2.5]), e, t) == ("wrong_type", None)


def test_values_compare_with_types_only_in_toolgym_mode() -> None:
    t = tool("grades", ("g",), g={"type": "object", "x-bfcl-type": "dict"})
    e = exp("grades", g=[{"math": [1]}])
    assert kinds(call("grades", g={"math": 1}), e, t) == PASS
    assert kinds(call("grades", g={"math": True}), e, t) == (None, "wrong_value")


@pytest.mark.parametrize(
    ("got", "answer"),
    [("55", "5.5"), ("192168.0.5", "192.168.0.5"), ("118.24", "-118.24"), ("12024", "1/2024"), (".5", "5")],
)
def test_string_normalisation_never_merges_numbers_in_toolgym_mode(got: str, answer: str) -> None:
    t = tool("f", ("s",), s=STR)
    assert kinds(call("f", s=answer), exp("f", s=[answer]), t) == PASS
    assert kinds(call("f", s=got), exp("f", s=[answer]), t) == (None, "wrong_value")


def test_empty_list_is_not_an_omitted_parameter_in_toolgym_mode() -> None:
    t = tool("f", (), xs={"type": "array", "items": INT})
    assert kinds(call("f"), exp("f", xs=["", [1]]), t) == PASS
    assert kinds(call("f", xs=[]), exp("f", xs=["", [1]]), t) == (None, "wrong_value")
    deck = {"type": "array", "items": {"type": "object", "properties": {"rank": STR}}}
    t = tool("f", (), deck=deck)
    assert kinds(call("f", deck=[]), exp("f", deck=[""]), t) == (None, "wrong_value")


def test_gorilla_any_means_string_only_in_bfcl_mode() -> None:
    t = tool("train", ("data",), data={"x-bfcl-type": "any"})
    assert kinds(call("train", data="my_data"), exp("train", data=["my_data"]), t) == PASS
    assert kinds(call("train", data=5.0), exp("train", data=[5]), t) == ("wrong_type", None)


# ---------------------------------------------------------------- reference answers


def test_reference_calls_take_the_first_value_other_than_omission() -> None:
    e = [
        ExpectedCall(
            name="f", arguments={"a": ["", 1, 2], "b": [""], "c": [None], "d": [{"k": ["", "v"], "o": [""]}]}
        ),
        ExpectedCall(name="g", arguments={"xs": [[{"n": [1, 2]}]]}),
    ]
    ref = reference_calls(e)
    assert [c.name for c in ref] == ["f", "g"]
    assert ref[0].arguments == {"a": 1, "c": None, "d": {"k": "v"}}
    assert ref[1].arguments == {"xs": [{"n": 1}]}


def test_reference_answer_passes_in_both_modes() -> None:
    props = {"city": STR, "days": INT, "opts": {"type": "object", "properties": {"metric": BOOL}}}
    t = tool("forecast", ("city",), **props)
    e = exp("forecast", city=["Paris", "paris, france"], days=["", 3], opts=[{"metric": [True]}])
    assert kinds(reference_calls([e]), e, t) == PASS


def test_verdicts_built_without_validation_equal_validated_ones() -> None:
    """CallVerdict.verdict() skips re-validation (speed); it must give the validated object."""
    from toolgym.types import Verdict

    fast = CallVerdict(False, FailureKind.WRONG_VALUE, "f: x", ("a",), {"matched_calls": 0.5}).verdict()
    slow = Verdict(reward=0.0, passed=False, failure=FailureKind.WRONG_VALUE, explanation="f: x", flags=["a"],
                   components={"matched_calls": 0.5})
    assert fast == slow and fast.model_dump() == slow.model_dump()
    assert fast.model_fields_set == slow.model_fields_set and fast.model_dump_json() == slow.model_dump_json()
    with pytest.raises(Exception, match="frozen"):
        fast.passed = True  # type: ignore[misc]
    assert CallVerdict(True, None, "correct").verdict() == Verdict.ok("correct")


def test_explanation_is_written_only_when_read() -> None:
    """A failing bfcl-mode check writes no message until its explanation is read, then the right one."""
    t = tool("f", ("x",), x=INT)
    e = exp("f", x=[1])
    written: list[str] = []

    def explain(text: str) -> str:
        written.append(text)
        return text

    lazy = CallVerdict(False, FailureKind.WRONG_VALUE, (explain, "f: x"))
    assert lazy.failure is FailureKind.WRONG_VALUE and written == []
    assert lazy.explanation == "f: x" and lazy.explanation == "f: x" and written == ["f: x"]  # written once
    v = check_calls([call("f", x=2)], [e], [t], "simple", mode="bfcl")
    assert v.failure is FailureKind.WRONG_VALUE and not v.passed and v.reward == 0.0
    assert v.explanation == "f: parameter 'x': got 2, accepted [1]"
    two = check_calls([call("f", x=1), call("f", x=1)], [e], [t], "simple", mode="bfcl")
    assert two.failure is FailureKind.WRONG_COUNT and two.explanation == "made 2 calls ['f', 'f'], expected 1"
