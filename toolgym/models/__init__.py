"""Model backends and tool-call parsers."""

from .model import BACKENDS, Model, ModelOptions, load_model

__all__ = ["BACKENDS", "Model", "ModelOptions", "load_model"]
