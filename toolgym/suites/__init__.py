"""Suites: bundled task sets and importers, addressed by a spec string.

Specs: `fc-core` (bundled), `bfcl:DIR[:category,...]` (BFCL v3/v4 files), `jsonl:FILE` (one Task per line).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import UserError
from ..registry import Registry
from .bfcl import load_bfcl
from .compact import CompactTasks
from .jsonl import load_jsonl_suite
from .limit import head_by_category
from .suite import Suite

__all__ = ["SUITES", "CompactTasks", "Suite", "head_by_category", "load_bfcl", "load_jsonl_suite", "load_suite"]

#: bundled suite name -> factory
SUITES: Registry[Callable[[], Suite]] = Registry("suite")


@SUITES.register("fc-core")
def _fc_core() -> Suite:
    from .fc_core import fc_core

    return fc_core()


@SUITES.register("code")
def _code() -> Suite:
    from .code import code_suite

    return code_suite()


@SUITES.register("retail")
def _retail() -> Suite:
    from .retail import retail

    return retail()


@SUITES.register("files")
def _files() -> Suite:
    from .files import files

    return files()


def load_suite(spec: str) -> Suite:
    """The suite a spec names: a bundled name, `bfcl:DIR[:cat,...]` or `jsonl:FILE`."""
    kind, sep, rest = spec.partition(":")
    if sep and kind == "bfcl":
        directory, _, cats = rest.partition(":")
        if not directory:
            raise UserError(f"suite spec {spec!r}: write bfcl:DIR or bfcl:DIR:simple,parallel")
        categories = [c.strip() for c in cats.split(",") if c.strip()] or None
        suite = load_bfcl(Path(directory), categories)
        return suite.model_copy(update={"name": spec})
    if sep and kind == "jsonl":
        return load_jsonl_suite(Path(rest))
    return SUITES.get(spec)()
