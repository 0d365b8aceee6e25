"""Shim for tokenizers (not installed). transformers.integrations.ggml imports Tokenizer, decoders, normalizers,
pre_tokenizers, processors at load time (via modeling_gguf_pytorch_utils <- configuration_utils); no tokenizer is
built by the RoPE harness, so every name is a placeholder raising NotImplementedError."""
from _unavailable import unavailable

__version__ = "0.22.0+posenc-shim"


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    value = unavailable(__name__, name)
    globals()[name] = value
    return value
