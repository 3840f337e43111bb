"""Shared fixtures: real parts on loopback (see tests/helpers/)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.openai_server import OpenAIServer


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    """A real OpenAI-compatible HTTP server on 127.0.0.1, started for one test (echo replies by default)."""
    with OpenAIServer() as server:
        yield server
