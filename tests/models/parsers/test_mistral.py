from toolgym.models.parsers import parse_mistral
from toolgym.types import ToolCall


def test_mistral_v03_array():
    text = '[TOOL_CALLS] [{"name": "get_current_weather", "arguments": {"location": "Paris, France", '
    text += '"format": "celsius"}}]</s>'
    result = parse_mistral(text)
    assert result.error is None and result.text is None
    assert result.calls == [
        ToolCall(name="get_current_weather", arguments={"location": "Paris, France", "format": "celsius"})
    ]


def test_ids_are_kept():
    result = parse_mistral('[TOOL_CALLS][{"name": "f", "arguments": {}, "id": "a1b2c3d4e"}]')
    assert result.calls == [ToolCall(name="f", id="a1b2c3d4e")]


def test_newer_name_args_form_with_call_id():
    text = '[TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}[TOOL_CALLS]get_time[CALL_ID]x1[ARGS]{"tz": "UTC"}'
    result = parse_mistral(text)
    assert result.calls == [
        ToolCall(name="get_weather", arguments={"city": "Paris"}),
        ToolCall(name="get_time", arguments={"tz": "UTC"}, id="x1"),
    ]


def test_text_before_marker_is_content():
    result = parse_mistral('Let me check.[TOOL_CALLS][{"name": "f", "arguments": {"a": 1}}]')
    assert result.text == "Let me check." and result.calls[0].arguments == {"a": 1}


def test_marker_stripped_by_server_still_parses():
    result = parse_mistral('[{"name": "f", "arguments": {"a": 1}}]')
    assert result.calls == [ToolCall(name="f", arguments={"a": 1})]


def test_plain_answer_and_plain_json_list():
    assert parse_mistral("Paris is the capital.").calls == []
    assert parse_mistral("[1, 2, 3]").text == "[1, 2, 3]"


def test_bad_json_and_missing_args_marker_are_reported():
    result = parse_mistral('[TOOL_CALLS][{"name": "f", "arguments": {"a": }}]')
    assert result.error.startswith("call 1 at char 12: invalid JSON: Expecting value")
    result = parse_mistral("[TOOL_CALLS]get_weather{}")
    assert result.error == "call 1 at char 12: expected a JSON array or name[ARGS]{...} after [TOOL_CALLS]"
    assert "no function name before [ARGS]" in parse_mistral("[TOOL_CALLS][ARGS]{}").error
