"""Per-layer attention geometry as Hugging Face transformers' own model code builds it: vectors.json for
GeometryReferenceTest.

For each config (the shared configs of the families below, /work/shared/hf-configs, and the configs in ./configs
written for this test where no published config is shared: Gemma 3, Cohere 2, Llama 4, derived layer types):
  1. the family's config class (CONFIG_MAPPING[model_type]) on the dict, so layer_types, sliding_window and the rope
     dict are what HF derives;
  2. for every decoder layer i, the family's attention class `XxxAttention(text_config, i)` with its nn.Linear
     layers on the meta device (no weights), whose attributes and projection shapes are recorded: query heads
     (q_proj rows / head_dim), KV heads (k_proj rows / head_dim; MLA: the one shared k_pe head of
     kv_a_proj_with_mqa), head sizes, `scaling`, `sliding_window`, Gemma 2's `attn_logit_softcapping`, Llama 4's
     `use_rope` and temperature tuning, DeepSeek's qk_nope/qk_rope split;
  3. the rotary module the decoder hands that layer (Gemma 3: position_embeddings[layer_types[i]]), built once per
     layer type: its inv_freq and attention_scaling; whether the layer applies it (Llama 4 `use_rope`, Cohere 2
     only where `sliding_window is not None`, as their forward does).
Run: /usr/bin/python3 posenc-core/src/test/resources/reference/hf-geometry/generate.py   (HF_SRC, default
/work/hf/src: transformers c49429ed1f8b; about 30 s). The import helpers are the lead's harness in
scripts/reference/hf_rope (put on sys.path at run time; no HF code is copied).
"""
import copy
import glob
import importlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, *[".."] * 6))
sys.path.insert(0, os.path.join(REPO, "scripts", "reference", "hf_rope"))
SHARED = os.environ.get("HF_CONFIGS", "/work/shared/hf-configs")

import hf_import  # noqa: E402

transformers = hf_import.load()
import torch  # noqa: E402
from torch import nn  # noqa: E402
from transformers.models.auto.configuration_auto import CONFIG_MAPPING  # noqa: E402
from transformers.utils import logging as hf_logging  # noqa: E402

hf_logging.set_verbosity_error()

# model_type -> (modeling module, attention class, rotary class, how the decoder picks the rotary per layer)
FAMILIES = {
    "llama": ("llama", "LlamaAttention", "LlamaRotaryEmbedding", "one"),
    "mistral": ("mistral", "MistralAttention", "MistralRotaryEmbedding", "one"),
    "qwen2": ("qwen2", "Qwen2Attention", "Qwen2RotaryEmbedding", "one"),
    "qwen3": ("qwen3", "Qwen3Attention", "Qwen3RotaryEmbedding", "one"),
    "gemma": ("gemma", "GemmaAttention", "GemmaRotaryEmbedding", "one"),
    "gemma2": ("gemma2", "Gemma2Attention", "Gemma2RotaryEmbedding", "one"),
    "gemma3": ("gemma3", "Gemma3Attention", "Gemma3RotaryEmbedding", "layer_type"),
    "gemma3_text": ("gemma3", "Gemma3Attention", "Gemma3RotaryEmbedding", "layer_type"),
    "gpt_oss": ("gpt_oss", "GptOssAttention", "GptOssRotaryEmbedding", "one"),
    "cohere2": ("cohere2", "Cohere2Attention", "Cohere2RotaryEmbedding", "one"),
    "llama4": ("llama4", "Llama4TextAttention", "Llama4TextRotaryEmbedding", "one"),
    "llama4_text": ("llama4", "Llama4TextAttention", "Llama4TextRotaryEmbedding", "one"),
    "phi3": ("phi3", "Phi3Attention", "Phi3RotaryEmbedding", "one"),
    "qwen2_vl": ("qwen2_vl", "Qwen2VLAttention", "Qwen2VLRotaryEmbedding", "one"),
    "qwen2_5_vl": ("qwen2_5_vl", "Qwen2_5_VLAttention", "Qwen2_5_VLRotaryEmbedding", "one"),
    "qwen3_vl": ("qwen3_vl", "Qwen3VLTextAttention", "Qwen3VLTextRotaryEmbedding", "one"),
    "deepseek_v3": ("deepseek_v3", "DeepseekV3Attention", "DeepseekV3RotaryEmbedding", "one"),
}
# Attention classes whose forward passes sliding_window=getattr(self.config, "sliding_window", None) on every layer
# (no attribute): MistralAttention.forward, Phi3Attention.forward.
SLIDING_FROM_CONFIG = {"mistral", "phi3"}

_linear_init = nn.Linear.__init__


def _meta_linear(self, *args, **kwargs):
    kwargs["device"] = "meta"  # shapes only: the projections' rows give the head counts
    _linear_init(self, *args, **kwargs)


def text_config(cfg):
    sub = getattr(cfg, "text_config", None)
    return sub if sub is not None else cfg


def rotaries(mod, rotary_cls, text, pick):
    """The rotary modules the decoder builds, keyed by what it hands a layer: {key: {inv_freq, attention_scaling}}."""
    rotary = getattr(mod, rotary_cls)(text)
    if pick == "layer_type":
        return {t: {"inv_freq": getattr(rotary, f"{t}_inv_freq").float().tolist(),
                    "attention_scaling": float(getattr(rotary, f"{t}_attention_scaling"))}
                for t in sorted(set(text.layer_types))}
    entry = {"inv_freq": rotary.inv_freq.float().tolist(), "attention_scaling": float(rotary.attention_scaling)}
    section = text.rope_parameters.get("mrope_section")  # Qwen2VLAttention / Qwen3VLTextRotaryEmbedding read it
    if section is not None:
        entry["mrope_section"] = list(section)
        entry["mrope_interleaved"] = bool(getattr(rotary, "mrope_section", None) is not None
                                          and hasattr(rotary, "apply_interleaved_mrope"))
    return {"all": entry}


def layer(model_type, attn, text, i, pick):
    layer_types = getattr(text, "layer_types", None)
    layer_type = layer_types[i] if layer_types is not None else "full_attention"
    if model_type == "deepseek_v3":
        q_rows = (attn.q_proj if attn.q_lora_rank is None else attn.q_b_proj).out_features
        qk_head_dim = attn.qk_head_dim
        query_heads = q_rows // qk_head_dim
        kv_heads = text.num_attention_heads // attn.num_key_value_groups
        v_head_dim = attn.v_head_dim
        offset = attn.qk_nope_head_dim
        shared = attn.kv_a_proj_with_mqa.out_features - attn.kv_lora_rank  # one k_pe head for all query heads
        assert shared == attn.qk_rope_head_dim
        shared_key_head = True
    elif hasattr(attn, "qkv_proj"):  # Phi3Attention: one fused projection of (H + 2K) * head_dim rows
        qk_head_dim = v_head_dim = attn.head_dim
        kv_heads = attn.num_key_value_heads
        query_heads = attn.qkv_proj.out_features // qk_head_dim - 2 * kv_heads
        assert query_heads // kv_heads == attn.num_key_value_groups
        offset = 0
        shared_key_head = False
    else:
        qk_head_dim = attn.head_dim
        query_heads = attn.q_proj.out_features // qk_head_dim
        kv_heads = attn.k_proj.out_features // qk_head_dim
        assert query_heads // kv_heads == attn.num_key_value_groups
        v_head_dim = attn.v_proj.out_features // kv_heads
        offset = 0
        shared_key_head = False
    if model_type in SLIDING_FROM_CONFIG:
        sliding = getattr(text, "sliding_window", None)
    else:
        sliding = getattr(attn, "sliding_window", None)
    if model_type in ("llama4", "llama4_text"):
        uses_rope = bool(attn.use_rope)  # Llama4TextAttention.forward: `if self.use_rope`
    elif model_type == "cohere2":
        uses_rope = attn.sliding_window is not None  # Cohere2Attention.forward: `if self.sliding_window is not None`
    else:
        uses_rope = True
    temperature = None
    if model_type in ("llama4", "llama4_text") and attn.attn_temperature_tuning and not attn.use_rope:
        temperature = {"floor_scale": float(attn.floor_scale), "attn_scale": float(attn.attn_scale)}
    chunk = None
    if layer_type == "chunked_attention":  # the decoder's causal_mask_mapping["chunked_attention"]
        chunk = text.attention_chunk_size
    softcap = getattr(attn, "attn_logit_softcapping", None)
    return {
        "layer": i, "layer_type": layer_type, "query_heads": query_heads, "kv_heads": kv_heads,
        "qk_head_dim": qk_head_dim, "v_head_dim": v_head_dim,
        "rotary": ({"key": layer_type if pick == "layer_type" else "all", "offset": offset,
                    "shared_key_head": shared_key_head} if uses_rope else None),
        "scaling": float(attn.scaling), "sliding_window": sliding, "attention_chunk_size": chunk,
        "logit_softcapping": None if softcap is None else float(softcap), "temperature": temperature,
    }


def case(path):
    with open(path) as f:
        config_json = json.load(f)
    model_type = config_json["model_type"]
    family_dir, attn_cls, rotary_cls, pick = FAMILIES[model_type]
    cfg = CONFIG_MAPPING[model_type](**copy.deepcopy(config_json))
    text = text_config(cfg)
    mod = importlib.import_module(f"transformers.models.{family_dir}.modeling_{family_dir}")
    nn.Linear.__init__ = _meta_linear
    try:
        layers = [layer(model_type, getattr(mod, attn_cls)(text, i), text, i, pick)
                  for i in range(text.num_hidden_layers)]
    finally:
        nn.Linear.__init__ = _linear_init
    return {"num_layers": text.num_hidden_layers, "rotaries": rotaries(mod, rotary_cls, text, pick), "layers": layers}


def configs():
    shared = []
    for path in sorted(glob.glob(os.path.join(SHARED, "*.json"))):
        with open(path) as f:
            model_type = json.load(f).get("model_type")
        if model_type in FAMILIES:
            shared.append(("shared", path))
    own = [("configs", p) for p in sorted(glob.glob(os.path.join(HERE, "configs", "*.json")))]
    return shared + own


def main():
    cases = []
    for where, path in configs():
        name = os.path.basename(path)
        try:
            result = case(path)
        except Exception as e:  # noqa: BLE001 - a config HF rejects is recorded as such
            result = {"error": f"{type(e).__name__}: {e}"}
        with open(path) as f:
            config_json = json.load(f)
        cases.append({"config": name, "where": where, "config_json": config_json, **result})
        print(f"{name}: " + (result["error"] if "error" in result else f"{result['num_layers']} layers"),
              file=sys.stderr)
    out = {"transformers": transformers.__version__, "torch": torch.__version__, "cases": cases}
    with open(os.path.join(HERE, "vectors.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
