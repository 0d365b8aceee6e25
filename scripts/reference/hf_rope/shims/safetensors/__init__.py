"""Shim for safetensors (not installed). transformers.modeling_utils imports safe_open / load / save_file at load
time; no weights are read or written by the RoPE harness, so each is a placeholder raising NotImplementedError."""
from _unavailable import unavailable

__version__ = "0.8.0+posenc-shim"


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    value = unavailable(__name__, name)
    globals()[name] = value
    return value
