"""Reference rankings: what a benchmark's leaderboard is checked against (`stats.agreement`).

A reference is a JSON file, either a list of model names best first or an object mapping each model
to a score (higher is better), or a text file with one model name per line, best first (blank lines
and lines starting with `#` are skipped). Names must match the leaderboard's model names.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import UserError
from ..inputs import read_text

__all__ = ["read_reference"]


def read_reference(path: Path) -> dict[str, float] | list[str]:
    """A reference ranking: model -> score, or model names best first.

    Raises:
        UserError: a missing file, JSON of another shape, or a name listed twice (naming the line).
    """
    if not path.exists():
        raise UserError(f"reference file {path} does not exist; give a ranking: one model per line, "
                        "best first, or a JSON list or {model: score} object")
    text = read_text(path, "reference file")
    if path.suffix == ".json":
        return _from_json(path, text)
    names: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        name = line.strip()
        if not name or name.startswith("#"):
            continue
        if name in seen:
            raise UserError(f"{path}:{number}: model {name!r} is already ranked on line {seen[name]}")
        seen[name] = number
        names.append(name)
    return names


def _from_json(path: Path, text: str) -> dict[str, float] | list[str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise UserError(f"{path}:{e.lineno}: not valid JSON ({e.msg})") from None
    except RecursionError:
        raise UserError(f"{path}: JSON nested too deeply to read; give a list of names or an object of "
                        "scores") from None
    if isinstance(data, list) and all(isinstance(x, str) for x in data):
        if len(set(data)) != len(data):
            twice = sorted({x for x in data if data.count(x) > 1})
            raise UserError(f"{path}: models listed twice: {', '.join(twice)}; rank each model once")
        return data
    if isinstance(data, dict) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in data.values()):
        return {str(k): float(v) for k, v in data.items()}
    raise UserError(f'{path}: expected a list of model names best first (["m1", "m2"]) or an object of '
                    'scores ({"m1": 1250, "m2": 1190})')
