"""Imports Hugging Face transformers from a local source checkout (HF_SRC, default /work/hf/src).

Only transformers/dependency_versions_check.py is replaced (it rejects this machine's package versions); every other
module of the checkout runs unchanged. is_torch_available() is forced to True (torch here is 1.13, HF wants 2.5).

Missing third-party packages are replaced by the minimal modules in ./shims (see README.md), put on sys.path only
when the real package is not importable.
"""
import importlib
import importlib.util
import os
import re
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
SHIMS = os.path.join(HERE, "shims")
DEFAULT_HF_SRC = "/work/hf/src"
SHIMMED = ("huggingface_hub", "httpx", "safetensors", "tokenizers")
used_shims = []


def load(hf_src=None):
    hf_src = os.path.abspath(hf_src or os.environ.get("HF_SRC", DEFAULT_HF_SRC))
    pkg_dir = os.path.join(hf_src, "transformers")
    if not os.path.isfile(os.path.join(pkg_dir, "modeling_rope_utils.py")):
        raise SystemExit(f"no transformers checkout at {hf_src} (set HF_SRC)")
    missing = [m for m in SHIMMED if importlib.util.find_spec(m) is None]
    if missing:
        sys.path.insert(0, SHIMS)
        used_shims.extend(missing)
    sys.path.insert(0, hf_src)
    # transformers/dependency_versions_check.py refuses this machine's regex/tqdm versions at import time (and needs
    # the metadata of huggingface-hub/safetensors): replaced by a module that checks nothing. transformers/__init__.py
    # itself then runs unchanged (a lazy module: submodules load on first use).
    checks = types.ModuleType("transformers.dependency_versions_check")
    checks.dep_version_check = lambda pkg, hint=None: None
    sys.modules[checks.__name__] = checks
    import compat  # noqa: F401  (additions for torch 1.13 / old typing_extensions, see README.md)

    sys.meta_path.insert(0, _TorchAvailableFinder())
    import transformers
    return transformers


class _TorchAvailableFinder:
    """transformers v5 calls torch "unavailable" below 2.5 (utils/import_utils.py:is_torch_available) and then skips
    every torch import. We load its import_utils unchanged and only replace is_torch_available() by `True` right
    after that module runs, before anything imports the name. The version helpers (is_torch_greater_or_equal,
    get_torch_version) keep reporting the real 1.13, so version-gated code takes its old-torch branch."""

    def find_spec(self, name, path=None, target=None):
        if name != "transformers.utils.import_utils":
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        exec_module = spec.loader.exec_module

        def exec_and_patch(module):
            exec_module(module)
            original = module.is_torch_available
            module.is_torch_available = lambda: True
            for key, (check, message) in list(module.BACKENDS_MAPPING.items()):
                if check is original:
                    module.BACKENDS_MAPPING[key] = (module.is_torch_available, message)
            for value in list(vars(module).values()):  # drop answers cached while torch counted as unavailable
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()

        spec.loader.exec_module = exec_and_patch
        return spec
