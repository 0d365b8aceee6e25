"""Shim for httpx (not installed; no network here). transformers.utils.hub imports it at load time and names a few
exception classes in `except` clauses; every name is a placeholder that raises NotImplementedError when called."""
from _unavailable import unavailable


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    value = unavailable(__name__, name)
    globals()[name] = value
    return value
