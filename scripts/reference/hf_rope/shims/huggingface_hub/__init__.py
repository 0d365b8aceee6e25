"""Minimal stand-in for huggingface_hub (not installed here; no network). Written for the posenc HF-RoPE harness.

Real behaviour kept: `dataclasses.strict` (see dataclasses.py), `constants`, progress-bar toggles, is_offline_mode()
(True: offline). Every other name is a placeholder that raises NotImplementedError when used (see _unavailable.py).
"""
from _unavailable import unavailable

from . import constants, dataclasses, errors, file_download, utils  # noqa: F401

__version__ = "1.5.0+posenc-shim"
_CACHED_NO_EXIST = object()


def is_offline_mode():
    return True


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    value = unavailable(__name__, name)
    globals()[name] = value
    return value
