"""Pythonic tool calls: a Python list of calls, `[get_weather(city="Paris"), get_time(tz="UTC")]`.

Used by Llama 3.2 / 4 (vLLM's `--tool-call-parser pythonic`), BFCL's prompt-mode models and many
fine-tunes. The text is parsed with `ast` and only literals are accepted (strings, numbers, booleans,
None, lists, tuples, dicts): nothing from the model is ever evaluated. Dotted names
(`math.factorial(n=5)`) keep their dots; positional arguments go to `ToolCall.positional`.

The whole text may be the calls (a list, or bare calls one per line), or a list of calls may sit
inside prose or a code fence: `Sure: [f(a=1)]`. Llama's `<|python_start|>` and end tokens are dropped.
"""

from __future__ import annotations

import ast
import re
import warnings
from typing import Any

from ...types import ToolCall
from .base import TOOL_PARSERS, CallSyntaxError, ParseResult, ToolParser, join_text
from .json_calls import skip_space
from .literals import literal_value

__all__ = ["PYTHONIC", "parse_pythonic", "render_pythonic"]

_SPECIAL = re.compile(r"<\|(?:python_start|python_end|python_tag|eot_id|eom_id|eot|eom)\|>")
_LIST_START = re.compile(r"\[\s*[A-Za-z_][\w.]*\s*\(")
_EMPTY_FENCE = re.compile(r"```[\w-]*\s*```")
_PARSE_ERRORS = (SyntaxError, ValueError, MemoryError, RecursionError)


def _parse(source: str, mode: str) -> Any:
    with warnings.catch_warnings():
        # model text such as 'a\d' would print "invalid escape sequence" warnings to the user's terminal
        warnings.simplefilter("ignore")
        return ast.parse(source, mode=mode)


class _Source:
    """A slice of the text being parsed, to turn `ast` line/column positions into text offsets."""

    def __init__(self, text: str, base: int) -> None:
        self.text = text
        self.base = base
        self.lines = text.split("\n")

    def offset(self, lineno: int | None, col: int | None, col_in_bytes: bool = True) -> int:
        if not lineno or lineno > len(self.lines):
            return self.base
        line = self.lines[lineno - 1]
        col = max(col or 0, 0)
        chars = len(line.encode()[:col].decode("utf-8", "ignore")) if col_in_bytes else min(col, len(line))
        return self.base + sum(len(x) + 1 for x in self.lines[: lineno - 1]) + chars

    def at(self, node: ast.AST) -> int:
        return self.offset(getattr(node, "lineno", None), getattr(node, "col_offset", None))

    def snippet(self, node: ast.AST) -> str:
        return (ast.get_source_segment(self.text, node) or type(node).__name__)[:40]


def _dotted(node: ast.expr) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def _literal(node: ast.expr, src: _Source, number: int, where: str) -> Any:
    try:
        return literal_value(node)
    except ValueError:
        what = f"{type(node).__name__} {src.snippet(node)!r}"
        raise CallSyntaxError(number, src.at(node), f"{where} is not a Python literal ({what})") from None
    except TypeError as e:
        raise CallSyntaxError(number, src.at(node), f"{where}: {e}") from None


def _call(node: ast.expr, src: _Source, number: int) -> ToolCall:
    if not isinstance(node, ast.Call):
        raise CallSyntaxError(number, src.at(node), f"expected a function call, got {src.snippet(node)!r}")
    name = _dotted(node.func)
    if name is None:
        what = f"the function must be a (dotted) name, got {src.snippet(node.func)!r}"
        raise CallSyntaxError(number, src.at(node), what)
    positional = []
    for i, arg in enumerate(node.args, 1):
        if isinstance(arg, ast.Starred):
            raise CallSyntaxError(number, src.at(arg), f"{name}: *args unpacking is not allowed")
        positional.append(_literal(arg, src, number, f"{name}: positional argument {i}"))
    arguments = {}
    for kw in node.keywords:
        if kw.arg is None:
            raise CallSyntaxError(number, src.at(kw.value), f"{name}: **kwargs unpacking is not allowed")
        arguments[kw.arg] = _literal(kw.value, src, number, f"{name}: argument {kw.arg!r}")
    return ToolCall(name=name, arguments=arguments, positional=positional)


def _call_nodes(tree: ast.Module) -> list[ast.expr] | None:
    """The call expressions when the module is only calls (bare, or in lists); None otherwise."""
    nodes: list[ast.expr] = []
    for stmt in tree.body:
        if not isinstance(stmt, ast.Expr):
            return None
        value = stmt.value
        items = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
        if not items or not all(isinstance(n, ast.Call) for n in items):
            return None
        nodes.extend(items)
    return nodes or None


def _whole(text: str) -> ParseResult | None:
    """The result when the whole text is calls (bare, or lists); None otherwise (then lists are searched)."""
    start = skip_space(text, 0)
    try:
        tree = _parse(text[start:], "exec")
    except _PARSE_ERRORS:
        return None
    nodes = _call_nodes(tree)
    if nodes is None:
        return None
    src = _Source(text[start:], start)
    calls = []
    for number, node in enumerate(nodes, 1):
        try:
            calls.append(_call(node, src, number))
        except CallSyntaxError as e:
            return ParseResult(calls=calls, error=str(e))
    return ParseResult(calls=calls)


def _closing_bracket(text: str, start: int) -> int | None:
    """Index of the bracket closing the one at `start`, skipping string literals; None if unclosed."""
    depth, i, n = 0, start, len(text)
    while i < n:
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return i
        elif ch in "'\"":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                if len(quote) == 1 and text[i] == "\n":
                    break
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        i += 1
    return None


def _list_at(text: str, start: int, number: int) -> tuple[list[ToolCall], int]:
    """Decode the list of calls that opens at `start`; returns the calls and the index after `]`."""
    end = _closing_bracket(text, start)
    if end is None:
        raise CallSyntaxError(number + 1, start, "unclosed '[': the list of calls never ends")
    src = _Source(text[start : end + 1], start)
    try:
        tree = _parse(src.text, "eval")
    except SyntaxError as e:
        pos = src.offset(e.lineno, (e.offset or 1) - 1, col_in_bytes=False)
        raise CallSyntaxError(number + 1, pos, f"invalid Python: {e.msg}") from None
    except (ValueError, MemoryError, RecursionError) as e:
        raise CallSyntaxError(number + 1, start, f"invalid Python: {e or 'nested too deeply'}") from None
    if not isinstance(tree.body, ast.List):
        raise CallSyntaxError(number + 1, start, "expected a list of calls")
    return [_call(n, src, number + i) for i, n in enumerate(tree.body.elts, 1)], end + 1


def parse_pythonic(text: str) -> ParseResult:
    """Decode pythonic calls from `text`; text outside the list of calls is content."""
    text = _SPECIAL.sub(lambda m: " " * len(m.group()), text)
    whole = _whole(text)
    if whole is not None:
        return whole
    calls: list[ToolCall] = []
    pieces: list[str] = []
    pos = 0
    while (match := _LIST_START.search(text, pos)) is not None:
        pieces.append(text[pos : match.start()])
        try:
            found, pos = _list_at(text, match.start(), len(calls))
        except CallSyntaxError as e:
            return ParseResult(calls=calls, text=join_text([*pieces, text[match.start() :]]), error=str(e))
        calls.extend(found)
    pieces.append(text[pos:])
    rest = join_text(pieces)
    return ParseResult(calls=calls, text=join_text([_EMPTY_FENCE.sub("", rest)]) if rest else None)


def _render_call(call: ToolCall) -> str:
    args = [repr(v) for v in call.positional] + [f"{k}={v!r}" for k, v in call.arguments.items()]
    return f"{call.name}({', '.join(args)})"


def render_pythonic(calls: list[ToolCall]) -> str:
    """Calls as one Python list, `[f(a=1), g(b='x')]`."""
    return f"[{', '.join(_render_call(c) for c in calls)}]"


PYTHONIC = TOOL_PARSERS.register("pythonic")(
    ToolParser(
        name="pythonic",
        parse=parse_pythonic,
        render=render_pythonic,
        instructions=(
            "To call functions, answer with only a Python list of calls with keyword arguments and "
            "literal values, for example: [function_name(argument='value'), other_function(n=3)]"
        ),
    )
)
