"""files: a virtual file system and shell-like tools (ls, cd, cat, mkdir, touch, mv, cp, rm, grep, find).

Each task carries its own home directory in `metadata["initial_state"]` (`world.py`) and asks for
something from one call (make a folder, read a setting) to six or more (sort downloads by type,
back up a folder, scaffold a project). Verification compares the final tree with the tree the gold
actions give, so any valid order or path spelling passes. Importing this package registers the
`files` domain of the stateful environment.

Examples:
    >>> from toolgym.suites.files import build_files
    >>> len(build_files(seed=0, n_train=40, n_test=40).tasks)
    80
"""

from .generate import FILES, build_files, files
from .world import build_fs

__all__ = ["FILES", "build_files", "build_fs", "files"]
