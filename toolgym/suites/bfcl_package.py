"""Where BFCL's own data lives: the `bfcl-eval` package, found without importing it.

`bfcl-eval` (Apache-2.0) ships BFCL v4's question and possible-answer files inside the package. Its
`__init__` chain pulls in heavy model SDKs and creates folders beside the package on import, so
toolgym only locates the folder (`importlib.util.find_spec` reads no module code) and reads the
files as data. The package pins vllm and an old numpy: install it with `pip install --no-deps
bfcl-eval` (the Makefile does).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from ..errors import UserError

__all__ = ["INSTALL_HINT", "bfcl_package_data"]

INSTALL_HINT = "pip install --no-deps bfcl-eval (its pinned dependencies are not needed)"


def bfcl_package_data() -> Path:
    """The data folder of the installed `bfcl-eval` package (questions + possible_answer/)."""
    spec = importlib.util.find_spec("bfcl_eval")
    if spec is None or not spec.submodule_search_locations:
        raise UserError(f"the suite 'bfcl' reads BFCL's data from the bfcl-eval package: {INSTALL_HINT}")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    if not (data / "possible_answer").is_dir():
        raise UserError(f"{data}: the bfcl-eval package has no data folder; reinstall it: {INSTALL_HINT}")
    return data
