"""toolgym: post-train and evaluate tool-using LLM agents.

One environment (tools + tasks + verifier) is a benchmark, a reward and a data source. `import toolgym`
stays light: torch, transformers and trl are imported only by the functions that need them.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
