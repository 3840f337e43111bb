"""fc-core: toolgym's bundled single-turn function-calling suite.

55 realistic tools over 10 domains (weather, money, calendar, maps, travel, units, messaging, files,
maths, shopping), each written with `@tool`, and generated tasks in BFCL's five categories with
BFCL-shaped expected calls. Train and test splits share no phrasing template and no argument value.

Examples:
    >>> from toolgym.suites.fc_core import build_fc_core
    >>> suite = build_fc_core(seed=0, n_train=20000, n_test=400)  # training data for the tiny model
"""

from .generate import CATEGORIES, SPECS, TOOLS, build_fc_core, fc_core

__all__ = ["CATEGORIES", "SPECS", "TOOLS", "build_fc_core", "fc_core"]
