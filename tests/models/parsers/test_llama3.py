from toolgym.models.parsers import parse_llama3
from toolgym.types import ToolCall


def test_llama31_python_tag_and_eom():
    text = (
        '<|python_tag|>{"name": "get_current_conditions", "parameters": '
        '{"location": "San Francisco, CA", "unit": "Fahrenheit"}}<|eom_id|>'
    )
    result = parse_llama3(text)
    assert result.error is None and result.text is None
    assert result.calls == [
        ToolCall(
            name="get_current_conditions", arguments={"location": "San Francisco, CA", "unit": "Fahrenheit"}
        )
    ]


def test_bare_object_without_tag():
    result = parse_llama3('{"name": "get_current_weather", "parameters": {"location": "Boston, MA"}}')
    assert result.calls[0].name == "get_current_weather" and result.error is None


def test_llama33_type_function_and_arguments_key():
    result = parse_llama3('{"type": "function", "name": "f", "arguments": {"a": 1}}')
    assert result.calls == [ToolCall(name="f", arguments={"a": 1})]


def test_several_calls_separated_by_semicolons_or_newlines():
    text = '{"name": "a", "parameters": {}}; {"name": "b", "parameters": {"x": 1}}\n'
    text += '{"name": "c", "parameters": {}}'
    assert [c.name for c in parse_llama3(text).calls] == ["a", "b", "c"]


def test_json_array_of_calls():
    result = parse_llama3('[{"name": "a", "parameters": {}}, {"name": "b", "parameters": {"x": 2}}]')
    assert [c.name for c in result.calls] == ["a", "b"] and result.error is None


def test_prose_before_and_after_is_content():
    text = 'I will look it up. {"name": "f", "parameters": {"q": "x"}} Done.'
    result = parse_llama3(text)
    assert result.calls == [ToolCall(name="f", arguments={"q": "x"})]
    assert result.text == "I will look it up. Done."


def test_text_before_python_tag_is_content():
    result = parse_llama3('Sure.<|python_tag|>{"name": "f", "parameters": {}}<|eot_id|>')
    assert result.text == "Sure." and result.calls == [ToolCall(name="f")]


def test_plain_answer_has_no_calls():
    result = parse_llama3("Hello! How can I help?")
    assert result.calls == [] and result.text == "Hello! How can I help?" and result.error is None


def test_truncated_second_call_is_reported_and_first_kept():
    result = parse_llama3('{"name": "a", "parameters": {}}; {"name": "b", "parameters": {"x": ')
    assert [c.name for c in result.calls] == ["a"]
    assert result.error.startswith("call 2 at char 33: invalid JSON: Expecting value")


def test_after_tag_any_object_must_be_a_call():
    result = parse_llama3('<|python_tag|>{"function_name": "f"}')
    assert result.calls == [] and 'has no "name"' in result.error
