"""`Registry`: names in registration order, one object a name, unknown names with the known ones."""

import pytest

from toolgym.errors import UserError
from toolgym.registry import Registry


def test_names_keep_the_order_of_registration():
    methods: Registry[object] = Registry("method")
    for name in ("sft", "dpo", "grpo", "appended"):
        methods.register(name)(object())
    assert methods.names() == ["sft", "dpo", "grpo", "appended"]


def test_an_unknown_name_lists_the_known_ones_sorted_with_a_close_match():
    methods: Registry[object] = Registry("method")
    for name in ("sft", "dpo", "grpo"):
        methods.register(name)(object())
    with pytest.raises(UserError, match=r"unknown method 'dpp'\. Did you mean 'dpo'\? Known: dpo, grpo, sft"):
        methods.get("dpp")


def test_a_name_registered_twice_is_a_bug():
    methods: Registry[object] = Registry("method")
    methods.register("sft")(object())
    with pytest.raises(ValueError, match="'sft' is registered twice"):
        methods.register("sft")(object())
