"""Suites defined in Python: the user's file, an importable module, or an installed plugin.

Specs:

* `py:path/to/file.py:NAME`: import the file (as a module of its own) and take `NAME` from it.
* `package.module:NAME`: import the module (from the installed packages or the working directory)
  and take `NAME` from it.
* `NAME` alone, when no bundled suite has that name: an entry point of the group `toolgym.suites`,
  which an installed plugin declares in its `pyproject.toml`:

      [project.entry-points."toolgym.suites"]
      bank = "toolgym_bank:suite"

`NAME` is a `Suite`, a function without arguments that returns one, or a function decorated with
`@suite("name")` (which then also answers to that name). The suite takes the spec as its name, so
that runs record it and `data` can load the suite of a stored run again. The suite holds its
environment (`Suite.env`, e.g. `StatefulEnv(domains=[...])`), so its tasks run under any command that
takes a suite spec (`eval`, `arena answer`, `data`, `loop`, `train`).
"""

from __future__ import annotations

import difflib
import hashlib
import importlib
import importlib.util
import sys
import traceback
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import UserError
from .registered import SUITE_MARK
from .suite import Suite

__all__ = ["ENTRY_POINT_GROUP", "entry_point_names", "load_entry_point_suite", "load_python_suite"]

#: Entry-point group under which installed packages offer suites.
ENTRY_POINT_GROUP = "toolgym.suites"


def load_python_suite(spec: str) -> Suite:
    """The suite a `py:FILE:NAME` or `module:NAME` spec names."""
    if spec.startswith("py:"):
        file, sep, name = spec[3:].rpartition(":")
        if not sep or not file or not name:
            raise UserError(f"suite spec {spec!r}: write py:path/to/file.py:NAME (NAME: a Suite or a function)")
        module = _import_file(Path(file), spec)
    else:
        module_name, _, name = spec.partition(":")
        module = _import_module(module_name, spec)
    return _suite_from(module, name, spec).model_copy(update={"name": spec})


def entry_point_names() -> list[str]:
    """Names of the suites installed packages offer (entry-point group `toolgym.suites`)."""
    return sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})


def load_entry_point_suite(name: str) -> Suite | None:
    """The suite an installed package offers under `name`, or None when none does."""
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if not found:
        return None
    ep = found[0]
    where = f"entry point {name!r} ({ep.value}, group {ENTRY_POINT_GROUP})"
    try:
        obj = ep.load()
    except Exception as e:  # the plugin's own bug: say which plugin, keep its message
        raise UserError(f"{where}: loading it raised {_describe(e)}") from None
    return _as_suite(obj, where).model_copy(update={"name": name})


def _import_file(path: Path, spec: str) -> ModuleType:
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "does not exist"
        raise UserError(f"suite spec {spec!r}: {str(path)!r} {what}; give a Python file, e.g. py:my_suite.py:suite")
    resolved = path.resolve()
    # a module name of its own per file, so two files called suite.py do not replace each other
    name = f"toolgym_user_suite_{hashlib.sha256(str(resolved).encode()).hexdigest()[:12]}"
    if name in sys.modules:
        return sys.modules[name]
    module_spec = importlib.util.spec_from_file_location(name, resolved)
    if module_spec is None or module_spec.loader is None:
        raise UserError(f"suite spec {spec!r}: {str(path)!r} is not a Python file; name a .py file")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module  # pydantic and dataclasses look the module up while it runs
    try:
        module_spec.loader.exec_module(module)
    except Exception as e:  # the user's code: report where it failed, not a toolgym traceback
        del sys.modules[name]
        raise UserError(f"{path}{_line_in(e, resolved)}: importing it raised {_describe(e)}") from None
    return module


def _import_module(module_name: str, spec: str) -> ModuleType:
    if str(Path.cwd()) not in sys.path and "" not in sys.path:
        sys.path.append(str(Path.cwd()))  # `python -m` finds modules beside the user; so does the CLI
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name and module_name.startswith(e.name):
            raise UserError(
                f"suite spec {spec!r}: no module {e.name!r} (bundled suites: fc-core, code, retail, files; "
                "a file: py:path/to/file.py:NAME; a module: package.module:NAME)"
            ) from None
        raise UserError(f"suite spec {spec!r}: importing {module_name!r} raised {_describe(e)}") from None
    except Exception as e:
        raise UserError(f"suite spec {spec!r}: importing {module_name!r} raised {_describe(e)}") from None


def _suite_from(module: ModuleType, name: str, spec: str) -> Suite:
    if not name.isidentifier():
        raise UserError(f"suite spec {spec!r}: {name!r} is not a Python name; write FILE_OR_MODULE:NAME")
    if not hasattr(module, name):
        offered = [k for k, v in vars(module).items() if isinstance(v, Suite) or _is_factory(k, v)]
        close = difflib.get_close_matches(name, offered, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise UserError(f"suite spec {spec!r}: {name!r} is not defined there; {hint}"
                        f"it defines: {', '.join(offered) or 'no Suite'}")
    return _as_suite(getattr(module, name), f"suite spec {spec!r}")


def _as_suite(obj: Any, where: str) -> Suite:
    if callable(obj) and not isinstance(obj, Suite):
        try:
            obj = obj()
        except Exception as e:
            raise UserError(f"{where}: calling it raised {_describe(e)}") from None
    if not isinstance(obj, Suite):
        raise UserError(f"{where}: expected a Suite (or a function returning one), got {type(obj).__name__}; "
                        "write suite = Suite(name=..., environment=..., tasks=[...])")
    return obj


def _is_factory(name: str, value: Any) -> bool:
    if getattr(value, SUITE_MARK, None) is not None:  # an @suite function, whatever its name
        return True
    return callable(value) and not name.startswith("_") and not isinstance(value, type) and "suite" in name.lower()


def _line_in(error: BaseException, path: Path) -> str:
    if isinstance(error, SyntaxError) and error.lineno:
        return f":{error.lineno}"
    frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename) == path]
    return f":{frames[-1].lineno}" if frames else ""


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
