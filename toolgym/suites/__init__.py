"""Suites: bundled task sets and importers, addressed by a spec string.

Specs: `fc-core`, `vision-core` (bundled), `bfcl` / `bfcl:CATEGORY[,...]` (BFCL v4's data in the installed
`bfcl-eval` package), `bfcl:DIR[:category,...]` (BFCL v3/v4 files in a folder), `jsonl:FILE` (one
Task per line), `remote:URL` (the tasks of a `toolgym serve-env` server, verified there), `mcp:FILE`
(tasks whose tools come from MCP servers), `py:FILE.py:NAME` and `module:NAME` (a suite defined in
Python), and the names of installed plugins' suites (entry-point group `toolgym.suites`; see
`from_python.py`). Every spec gives a `Suite` that holds its environment (`suite.env`); a suite of
one's own is a function decorated with `@suite("name")` (`registered.py`).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UserError
from .bfcl import NOT_RUN, is_bfcl_category, load_bfcl, load_bfcl_package, not_run, split_bfcl_spec
from .checks import check_tasks
from .compact import CompactTasks
from .from_python import ENTRY_POINT_GROUP, entry_point_names, load_entry_point_suite, load_python_suite
from .jsonl import load_jsonl_suite
from .limit import head_by_category
from .reference import reference_lines, stated_calls, write_reference_answers
from .registered import SUITES, suite
from .suite import STOP_MARKER, Suite

__all__ = [
    "ENTRY_POINT_GROUP",
    "NOT_RUN",
    "STOP_MARKER",
    "SUITES",
    "CompactTasks",
    "Suite",
    "head_by_category",
    "load_bfcl",
    "load_bfcl_package",
    "load_jsonl_suite",
    "load_python_suite",
    "load_suite",
    "not_run",
    "reference_lines",
    "split_bfcl_spec",
    "stated_calls",
    "write_reference_answers",
    "suite",
]


@suite("fc-core")
def _fc_core() -> Suite:
    from .fc_core import fc_core

    return fc_core()


@suite("code")
def _code() -> Suite:
    from .code import code_suite

    return code_suite()


@suite("retail")
def _retail() -> Suite:
    from .retail import retail

    return retail()


@suite("mcp-tools")
def _mcp_tools() -> Suite:
    from .mcp_tools import mcp_tools

    return mcp_tools()


@suite("files")
def _files() -> Suite:
    from .files import files

    return files()


@suite("vision-core")
def _vision_core() -> Suite:
    from .vision_core import vision_core

    return vision_core()


def load_suite(spec: str) -> Suite:
    """The suite a spec names (the module docstring lists the specs).

    Every suite is checked as it loads (`checks.py`): no task without messages, no expected call of a
    tool the task does not offer, no id used twice. A UserError names the task and the fix.
    """
    suite = _load(spec)
    if not isinstance(suite.tasks, CompactTasks):  # compact suites were checked line by line as they were read
        check_tasks(suite.tasks, spec, suite.environment)
    return suite


def _load(spec: str) -> Suite:
    kind, sep, rest = spec.partition(":")
    if spec == "bfcl":
        return load_bfcl_package()
    if sep and kind == "bfcl":
        directory, _, cats = rest.partition(":")
        if not directory:
            raise UserError(f"suite spec {spec!r}: write bfcl, bfcl:live,simple_java or bfcl:DIR[:simple,parallel]")
        first = directory.split(",")[0].strip()
        if not cats and is_bfcl_category(first) and not Path(directory).is_dir():
            return load_bfcl_package([c.strip() for c in directory.split(",") if c.strip()])
        categories = [c.strip() for c in cats.split(",") if c.strip()] or None
        suite = load_bfcl(Path(directory), categories)
        return suite.model_copy(update={"name": spec})
    if sep and kind == "mcp":
        from .mcp_file import load_mcp_suite

        return load_mcp_suite(Path(rest), name=spec)
    if sep and kind == "remote":
        from .remote import load_remote_suite

        return load_remote_suite(spec)
    if sep and kind == "jsonl":
        return load_jsonl_suite(Path(rest))
    if sep and (kind == "py" or all(part.isidentifier() for part in kind.split("."))):
        return load_python_suite(spec)
    if spec not in SUITES and (plugin := load_entry_point_suite(spec)) is not None:
        return plugin
    if spec not in SUITES and (offered := entry_point_names()):
        raise UserError(f"unknown suite {spec!r}; bundled: {', '.join(sorted(SUITES.names()))}; "
                        f"installed plugins: {', '.join(offered)}")
    return SUITES.get(spec)()
