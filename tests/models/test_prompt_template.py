"""A template that ignores tools, behind `with_prompt_tools`, renders what prompt mode renders."""

import pytest

from toolgym.models.prompt_template import template_handles_tools, with_prompt_tools
from toolgym.models.prompt_tools import prompt_messages
from toolgym.models.tiny import TINY_MODEL_DIR
from toolgym.suites import load_suite
from toolgym.train.chat import chat_message, chat_tools, reference_answer
from toolgym.types import Message

from .test_prompt_tools import CONVERSATION, WEATHER

transformers = pytest.importorskip("transformers", reason="needs transformers: pip install 'toolgym[local]'")

# SmolLM2-135M-Instruct's own template (from its GGUF file): role and content only
SMOLLM2 = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\n"
    "You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}"
    "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


@pytest.fixture(scope="module")
def tokenizer():
    return transformers.AutoTokenizer.from_pretrained(TINY_MODEL_DIR, local_files_only=True)


def render(tokenizer, template, messages, tools=None, prompt=True):
    return tokenizer.apply_chat_template(messages, tools=tools, chat_template=template, tokenize=False,
                                         add_generation_prompt=prompt)


def conversations():
    """Every fc-core task with its reference answer, a multi-turn conversation, a system message."""
    for task in load_suite("fc-core").tasks[::7]:
        yield task.id, [*task.messages, reference_answer(task)], task.tools
    yield "multi-turn", CONVERSATION, [WEATHER]
    yield "system", [Message(role="system", content="Be brief."), *CONVERSATION], [WEATHER]
    yield "no-tools", CONVERSATION[:1], []


@pytest.mark.parametrize(("name", "messages", "tools"), list(conversations()),
                         ids=lambda x: x if isinstance(x, str) else "")
def test_tools_and_calls_render_as_prompt_mode(tokenizer, name, messages, tools):
    wrapped = with_prompt_tools(SMOLLM2)
    native = render(tokenizer, wrapped, [chat_message(m) for m in messages], chat_tools(tools) or None, prompt=False)
    assert native == render(tokenizer, SMOLLM2, prompt_messages(messages, tools, "hermes"), prompt=False)
    if tools:
        assert "<tools>" in native
    if any(m.tool_calls for m in messages):
        assert "<tool_call>" in native


def test_a_conversation_without_tools_renders_as_the_template_alone(tokenizer):
    plain = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"},
             {"role": "user", "content": "?"}]
    assert render(tokenizer, with_prompt_tools(SMOLLM2), plain) == render(tokenizer, SMOLLM2, plain)


def test_only_templates_that_ignore_tools_need_it(tokenizer):
    assert not template_handles_tools(SMOLLM2)
    assert template_handles_tools(tokenizer.chat_template)
