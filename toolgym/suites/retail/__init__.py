"""retail: a customer-service suite over a small shop's database, with a written policy to follow.

Customers, products and orders (`world.py`); tools to look them up, cancel, return, exchange and
change addresses (`tools.py`); a policy in the system message (`policy.py`) that the tools do not
enforce; and 17 task categories (`tasks.py`), from one call to seven, including requests the
policy refuses. Each task carries its own world in `metadata["initial_state"]`, a hidden
`user_instruction` for a simulated user and a one-turn scripted user that ends the conversation.
Importing this package registers the `retail` domain of the stateful environment.

Examples:
    >>> from toolgym.suites.retail import build_retail
    >>> suite = build_retail(seed=0, n_train=40, n_test=40)
    >>> suite.environment
    'stateful'
"""

from .generate import RETAIL, build_retail, retail
from .policy import POLICY
from .world import build_world

__all__ = ["POLICY", "RETAIL", "build_retail", "build_world", "retail"]
