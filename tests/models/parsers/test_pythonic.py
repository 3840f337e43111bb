from toolgym.models.parsers import parse_pythonic
from toolgym.types import ToolCall


def test_llama32_list_of_calls():
    result = parse_pythonic("[get_user_info(user_id=7890, special='black')]")
    assert result.calls == [ToolCall(name="get_user_info", arguments={"user_id": 7890, "special": "black"})]
    assert result.error is None and result.text is None


def test_llama4_python_start_tokens():
    result = parse_pythonic(
        '<|python_start|>[get_weather(city="Paris", metric="celsius")]<|python_end|><|eot|>'
    )
    assert result.calls == [ToolCall(name="get_weather", arguments={"city": "Paris", "metric": "celsius"})]


def test_parallel_calls_and_literals():
    text = '[f(a=1, b=-2.5, c=None, d=True), g(items=[1, (2, 3)], opts={"k": "v"})]'
    result = parse_pythonic(text)
    assert result.calls[0].arguments == {"a": 1, "b": -2.5, "c": None, "d": True}
    assert result.calls[1].arguments == {"items": [1, [2, 3]], "opts": {"k": "v"}}


def test_dotted_names_and_positional_arguments():
    result = parse_pythonic("[math.factorial(5), spotify.play(artist='Taylor Swift', duration=20)]")
    assert result.calls[0] == ToolCall(name="math.factorial", positional=[5])
    assert result.calls[1].name == "spotify.play"


def test_bare_calls_one_per_line():
    result = parse_pythonic("f(a=1)\ng(b='x')")
    assert [c.name for c in result.calls] == ["f", "g"]


def test_list_in_prose_and_code_fence():
    result = parse_pythonic("Sure, here you go:\n```python\n[f(a=1)]\n```\nAnything else?")
    assert result.calls == [ToolCall(name="f", arguments={"a": 1})]
    assert result.text == "Sure, here you go:\n\nAnything else?"


def test_plain_answer_has_no_calls():
    result = parse_pythonic("I cannot help with that (sorry).")
    assert result.calls == [] and result.error is None and result.text == "I cannot help with that (sorry)."


def test_names_are_never_evaluated():
    result = parse_pythonic("[f(x=__import__('os').system('echo hi'))]")
    assert result.calls == []
    assert result.error.startswith(
        "call 1 at char 5: f: argument 'x' is not a Python literal (Call \"__import__("
    )


def test_variable_argument_is_an_error_naming_it():
    result = parse_pythonic("Sure: [f(x=foo)]")
    assert result.error == "call 1 at char 11: f: argument 'x' is not a Python literal (Name 'foo')"


def test_syntax_error_position():
    result = parse_pythonic("[f(a=1), g(b=)]")
    assert result.error.startswith("call 1 at char 13: invalid Python:")


def test_unclosed_list_is_an_error():
    assert (
        parse_pythonic("[f(a=1), g(b='x'").error
        == "call 1 at char 0: unclosed '[': the list of calls never ends"
    )


def test_kwargs_unpacking_and_sets_are_refused():
    assert "**kwargs unpacking is not allowed" in parse_pythonic("[f(**{'a': 1})]").error
    assert "a set is not a JSON value" in parse_pythonic("[f(a={1, 2})]").error
    assert "dict key 1 is not a string" in parse_pythonic("[f(a={1: 2})]").error


def test_non_name_function_is_refused():
    assert "the function must be a (dotted) name" in parse_pythonic("[f()(a=1)]").error
