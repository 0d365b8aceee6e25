"""Shim: REGEX_COMMIT_HASH (as in huggingface_hub); downloads are unavailable."""
import re

from _unavailable import unavailable

REGEX_COMMIT_HASH = re.compile(r"^[0-9a-f]{40}$")


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return unavailable(__name__, name)
