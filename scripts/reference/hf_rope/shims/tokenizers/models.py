"""Shim: see tokenizers/__init__.py."""
from _unavailable import unavailable


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return unavailable(__name__, name)
