"""`--config FILE`: YAML (or JSON, which is YAML) option files, read safely and checked before any work.

Safe YAML only: a `!!python/...` tag is refused, never constructed. A key given twice is an error
(PyYAML keeps the last silently, so a user's first value would be ignored). Syntax errors, unknown
keys and bad values name the file and line, and say the fix; a folder, a missing file, non-UTF-8
bytes and nesting too deep to read are errors too (`toolgym.inputs`).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import UserError, invalid_input
from ..inputs import read_text
from .config import RunConfig

__all__ = ["load_config_file"]


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                first = seen.get(key)
            except TypeError:  # a list or mapping as a key
                raise UserError(f"{self.name}:{line}: a key must be a plain value, got {key!r}") from None
            if first is not None:
                raise UserError(f"{self.name}:{line}: key {key!r} is given twice (first on line {first}); keep one")
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> tuple[Any, dict[str, int]]:
    """The file's value and the line of each top-level key."""
    text = read_text(path, "config file")
    try:
        loader = _Loader(text)  # the reader checks the characters here already
        loader.name = str(path)
        node = loader.get_single_node()
        if node is None:
            return None, {}
        top = node.value if isinstance(node, yaml.MappingNode) else []
        lines = {str(k.value): k.start_mark.line + 1 for k, _ in top}
        return loader.construct_document(node), lines
    except yaml.constructor.ConstructorError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else 0
        tag = (e.problem or "").partition("tag '")[2].rstrip("'")
        if tag:
            short = tag.replace("tag:yaml.org,2002:", "!!")
            raise UserError(f"{path}:{line}: tag {short} is not allowed: a config file holds plain values "
                            "(strings, numbers, lists, mappings); remove the tag") from None
        raise UserError(f"{path}:{line}: {e.problem or e}") from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise UserError(f"{where}: YAML syntax error: {e.problem or e.context}; fix the file "
                        "(one `name: value` per line)") from None
    except yaml.YAMLError as e:  # a reader error: control characters the YAML spec does not allow
        raise UserError(f"{path}: not a YAML file: {str(e).splitlines()[0]}") from None
    except RecursionError:
        raise UserError(f"{path}: nested too deeply to read; a config file holds option names and values") from None


def load_config_file(path: Path, model: type[BaseModel] = RunConfig) -> dict[str, Any]:
    """Read a YAML or JSON config file into field values; unknown keys are an error with a close match."""
    data, lines = _read_yaml(path)
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise UserError(f"{path}: expected a mapping of option names to values (`seed: 1`), "
                        f"got a {type(data).__name__}")
    for key in data:
        if not isinstance(key, str) or key not in model.model_fields:
            close = difflib.get_close_matches(str(key), model.model_fields, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            where = f"{path}:{lines[str(key)]}" if str(key) in lines else str(path)
            raise UserError(f"{where}: unknown key {key!r}{hint} Known: {', '.join(model.model_fields)}")
    try:
        model.model_validate(data)
    except ValidationError as e:  # fields it leaves out (a required --judge) may come from flags
        wrong = [err for err in e.errors() if err["type"] != "missing"]
        if wrong:
            top = str(wrong[0]["loc"][0]) if wrong[0]["loc"] else ""
            where = f"{path}:{lines[top]}" if top in lines else str(path)
            raise invalid_input(e, where, quote=False, partial=True) from None
    return data
