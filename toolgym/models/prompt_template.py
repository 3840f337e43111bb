"""A chat template that renders tools and tool calls as prompt mode does, for templates that ignore them.

Some chat templates (SmolLM2's among them) render only each message's role and content: `tools=`,
an assistant turn's `tool_calls` and the `tool` role's meaning are lost. toolgym's evaluation handles
such a model in prompt mode (`prompt_tools.py`), but training renders its rows with the template
itself (TRL's SFT, DPO and GRPO prompts), so the same model would train on conversations with the
tools and calls missing. `with_prompt_tools` prepends to such a template a step that rewrites
`messages` and `tools` exactly as `prompt_messages(messages, tools, "hermes")` does, then runs the
template unchanged: a conversation without tools renders as before, and one with tools renders as
prompt mode shows it, so training and evaluation see the same text.
"""

from __future__ import annotations

import json

from .prompt_tools import tools_system_prompt

__all__ = ["template_handles_tools", "with_prompt_tools"]

_SCHEMAS = "<tools>\n\n</tools>"  # where the schemas go in the system prompt of an empty tool list

_PREAMBLE = """\
{%- set _tg = namespace(msgs=[], system=[], schemas=[], pending=[], calls=[]) -%}
{%- set _rest = messages -%}
{%- if messages and messages[0]['role'] == 'system' -%}
{%- set _tg.system = [messages[0]['content'] or ''] -%}
{%- set _rest = messages[1:] -%}
{%- endif -%}
{%- if tools -%}
{%- for _tool in tools -%}{%- set _tg.schemas = _tg.schemas + [_tool | tojson] -%}{%- endfor -%}
{%- set _tg.system = _tg.system + [@HEAD@ ~ (_tg.schemas | join('\\n')) ~ @TAIL@] -%}
{%- endif -%}
{%- if _tg.system -%}{%- set _tg.msgs = [{'role': 'system', 'content': _tg.system | join('\\n\\n')}] -%}{%- endif -%}
{%- for _m in _rest -%}
{%- if _m['role'] == 'tool' -%}
{%- set _tg.pending = _tg.pending + ['<tool_response>\\n' ~ (_m['content'] or '') ~ '\\n</tool_response>'] -%}
{%- else -%}
{%- if _tg.pending -%}
{%- set _tg.msgs = _tg.msgs + [{'role': 'user', 'content': _tg.pending | join('\\n')}] -%}
{%- set _tg.pending = [] -%}
{%- endif -%}
{%- if _m['role'] == 'assistant' and _m.get('tool_calls') -%}
{%- set _tg.calls = [_m['content']] if _m['content'] else [] -%}
{%- for _call in _m['tool_calls'] -%}
{%- set _f = _call['function'] if _call.get('function') else _call -%}
{%- set _args = _f['arguments'] if _f['arguments'] is string else _f['arguments'] | tojson -%}
{%- set _call_json = '{"name": ' ~ (_f['name'] | tojson) ~ ', "arguments": ' ~ _args ~ '}' -%}
{%- set _tg.calls = _tg.calls + ['<tool_call>\\n' ~ _call_json ~ '\\n</tool_call>'] -%}
{%- endfor -%}
{%- set _tg.msgs = _tg.msgs + [{'role': 'assistant', 'content': _tg.calls | join('\\n')}] -%}
{%- else -%}
{%- set _tg.msgs = _tg.msgs + [{'role': _m['role'], 'content': _m['content'] or ''}] -%}
{%- endif -%}
{%- endif -%}
{%- endfor -%}
{%- if _tg.pending -%}
{%- set _tg.msgs = _tg.msgs + [{'role': 'user', 'content': _tg.pending | join('\\n')}] -%}
{%- endif -%}
{%- set messages = _tg.msgs -%}
{%- set tools = none -%}
"""


def template_handles_tools(template: str) -> bool:
    """Whether a chat template reads `tools` or `tool_calls` at all (a template that does not, drops them)."""
    return "tools" in template or "tool_calls" in template


def with_prompt_tools(template: str) -> str:
    """`template` behind a step that rewrites tools and calls into Hermes prompt-mode text (see the module)."""
    head, tail = tools_system_prompt([], "hermes").split(_SCHEMAS)
    preamble = (_PREAMBLE.replace("@HEAD@", json.dumps(head + "<tools>\n"))
                .replace("@TAIL@", json.dumps("\n</tools>" + tail)))
    return preamble + template
