"""Shim: progress-bar toggles and a few helpers transformers calls at import time; everything else a placeholder."""
import hashlib as insecure_hashlib  # noqa: F401  (huggingface_hub.utils re-exports hashlib under this name)

from _unavailable import unavailable

_progress_bars_disabled = False


def are_progress_bars_disabled(name=None):
    return _progress_bars_disabled


def disable_progress_bars(name=None):
    global _progress_bars_disabled
    _progress_bars_disabled = True


def enable_progress_bars(name=None):
    global _progress_bars_disabled
    _progress_bars_disabled = False


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    value = unavailable(__name__, name)
    globals()[name] = value
    return value
