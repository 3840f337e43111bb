from toolgym.models.parsers import parse_hermes
from toolgym.types import ToolCall

QWEN25_PARALLEL = """<tool_call>
{"name": "get_current_temperature", "arguments": {"location": "San Francisco, CA, USA"}}
</tool_call>
<tool_call>
{"name": "get_temperature_date", "arguments": {"location": "San Francisco, CA, USA", "date": "2024-10-01"}}
</tool_call>"""


def test_qwen25_parallel_calls():
    result = parse_hermes(QWEN25_PARALLEL)
    assert result.error is None and result.text is None
    assert [c.name for c in result.calls] == ["get_current_temperature", "get_temperature_date"]
    assert result.calls[1].arguments == {"location": "San Francisco, CA, USA", "date": "2024-10-01"}


def test_text_around_calls_is_content():
    text = 'Let me check.\n<tool_call>\n{"name": "f", "arguments": {}}\n</tool_call>\nOne moment.'
    result = parse_hermes(text)
    assert result.calls == [ToolCall(name="f")]
    assert result.text == "Let me check.\n\nOne moment."


def test_qwen3_think_block_stays_in_text():
    text = (
        '<think>\nThe user wants Paris.\n</think>\n\n<tool_call>\n{"name": "w", "arguments": {"c": "Paris"}}'
        "\n</tool_call>"
    )
    result = parse_hermes(text)
    assert result.calls[0].arguments == {"c": "Paris"}
    assert result.text == "<think>\nThe user wants Paris.\n</think>"


def test_plain_answer_has_no_calls():
    result = parse_hermes("The capital of France is Paris.")
    assert result.calls == [] and result.error is None and result.text == "The capital of France is Paris."


def test_unclosed_final_block_runs_to_end():
    result = parse_hermes('<tool_call>\n{"name": "f", "arguments": {"a": 1}}')
    assert result.calls == [ToolCall(name="f", arguments={"a": 1})] and result.error is None


def test_truncated_json_names_the_call_and_position():
    text = '<tool_call>{"name": "f", "arguments": {}}</tool_call><tool_call>{"name": "g", "arguments": '
    text += '{"a": 1</tool_call>'
    result = parse_hermes(text)
    assert [c.name for c in result.calls] == ["f"]
    start = text.index('{"name": "g"')
    assert result.error.startswith(f"call 2 at char {start}: invalid JSON: Expecting ',' delimiter")


def test_missing_name_is_reported():
    result = parse_hermes('<tool_call>{"arguments": {"a": 1}}</tool_call>')
    assert result.calls == []
    assert result.error == "call 1 at char 11: the object has no \"name\" (keys: ['arguments'])"


def test_arguments_as_json_string_are_decoded():
    result = parse_hermes('<tool_call>{"name": "f", "arguments": "{\\"a\\": [1, 2]}"}</tool_call>')
    assert result.calls[0].arguments == {"a": [1, 2]}


def test_arguments_that_are_not_an_object_are_an_error():
    result = parse_hermes('<tool_call>{"name": "f", "arguments": [1, 2]}</tool_call>')
    assert 'f: "arguments" must be a JSON object, got array' in result.error


def test_empty_block_and_trailing_garbage_are_errors():
    assert "empty <tool_call> block" in parse_hermes("<tool_call>  </tool_call>").error
    result = parse_hermes('<tool_call>{"name": "f"} and more</tool_call>')
    assert "unexpected text after the call object: 'and more'" in result.error


def test_hermes2pro_python_dict_is_read_as_a_literal():
    text = "<tool_call>\n{'arguments': {'symbol': 'TSLA'}, 'name': 'get_stock_fundamentals'}\n</tool_call>"
    result = parse_hermes(text)
    assert result.error is None
    assert result.calls == [ToolCall(name="get_stock_fundamentals", arguments={"symbol": "TSLA"})]


def test_openai_shaped_object_and_id_are_accepted():
    text = '<tool_call>{"type": "function", "id": "c1", "function": {"name": "f", "arguments": {"x": 1}}}'
    text += "</tool_call>"
    assert parse_hermes(text).calls == [ToolCall(name="f", arguments={"x": 1}, id="c1")]


def test_garbage_inside_a_block_is_a_parse_error_without_warnings():
    """A tiny-model answer like this once printed Python's "invalid decimal literal" SyntaxWarning."""
    import warnings

    text = ('<tool_call>\n{"name": "get_public_holidays", "arguments": {"country": "Lithuania", "year": 2include}}'
            '\n</tool_call>')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = parse_hermes(text)
    assert result.error and not result.calls
    assert caught == []
