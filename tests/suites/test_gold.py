"""One gold-action helper serves every generated suite."""

from toolgym.suites import gold
from toolgym.suites.files import tasks as files_tasks
from toolgym.suites.retail import generate as retail_generate
from toolgym.suites.retail import tasks as retail_tasks
from toolgym.suites.vision_core import tasks as vision_tasks
from toolgym.types import ToolCall


def test_a_gold_action_is_the_tool_call_it_names():
    assert gold.call("rename", src="/a", dst="/b") == ToolCall(name="rename", arguments={"src": "/a", "dst": "/b"})


def test_a_tool_may_take_an_argument_named_tool():
    assert gold.call("run", tool="grep").arguments == {"tool": "grep"}


def test_the_generated_suites_share_the_one_helper():
    assert files_tasks.call is retail_tasks.call is retail_generate.call is vision_tasks.call is gold.call
