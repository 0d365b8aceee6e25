"""Shim: the few hub constants transformers reads at import time (values as huggingface_hub computes them)."""
import os

HF_HOME = os.path.expanduser(os.getenv("HF_HOME", os.path.join(os.getenv("XDG_CACHE_HOME", "~/.cache"), "huggingface")))
HF_HUB_CACHE = os.getenv("HF_HUB_CACHE", os.path.join(HF_HOME, "hub"))
HF_HUB_OFFLINE = True
HF_HUB_DISABLE_TELEMETRY = True
ENDPOINT = "https://huggingface.co"
HUGGINGFACE_CO_RESOLVE_ENDPOINT = ENDPOINT
SAFETENSORS_SINGLE_FILE = "model.safetensors"
SAFETENSORS_INDEX_FILE = "model.safetensors.index.json"
CONFIG_NAME = "config.json"
REPO_TYPE_MODEL = "model"


def __getattr__(name):
    raise AttributeError(f"huggingface_hub.constants shim has no {name}")
