"""The verifiers plugin name of toolgym's adapter: `vf-eval toolgym-verifiers --env.taskset.suite SUITE`.

verifiers (and prime-rl) load a taskset by the name of a top-level module that exports one `Taskset`
subclass (and optionally a `Harness`) in `__all__`; the adapter itself is `toolgym.serve.verifiers_env`.
"""

from toolgym.serve.verifiers_env import ToolgymHarness, ToolgymTaskset

__all__ = ["ToolgymHarness", "ToolgymTaskset"]
