import pytest

from toolgym.models.parsers import parser_for_model


@pytest.mark.parametrize(
    ("name", "parser"),
    [
        ("Qwen/Qwen2.5-7B-Instruct", "hermes"),
        ("NousResearch/Hermes-3-Llama-3.1-8B", "llama3"),
        ("meta-llama/Llama-3.1-8B-Instruct", "llama3"),
        ("meta-llama/Llama-3.2-3B-Instruct", "pythonic"),
        ("meta-llama/Llama-4-Scout-17B-16E-Instruct", "pythonic"),
        ("mistralai/Mistral-7B-Instruct-v0.3", "mistral"),
        ("tiny", "hermes"),
    ],
)
def test_parser_for_model(name, parser):
    assert parser_for_model(name) == parser
