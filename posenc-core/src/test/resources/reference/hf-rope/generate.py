#!/usr/bin/env python3
"""Writes vectors.json: what Hugging Face transformers' own code computes for RoPE configs (the oracle for posenc).

Imports (at run time, never copied): HF transformers from a source checkout at $HF_SRC (default /work/hf/src),
made with
    mkdir -p /work/hf && git --git-dir=/work/.mirror/8b-is+transformers/repo archive c49429ed1f8b src | tar -x -C /work/hf
i.e. commit c49429ed1f8b, version 5.16.0.dev0. Per case it runs the family's config class
(CONFIG_MAPPING[model_type]: standardize_rope_params, validate_rope, the strict validators), the family's
*RotaryEmbedding from its modeling_*.py (ROPE_INIT_FUNCTIONS, dynamic_rope_update), forward(x, arange(seq_len)),
and that model's own apply_rotary_pos_emb on basis vectors (layout and rotary dimension as the attention applies
them). The harness is scripts/reference/hf_rope/ (oracle.py; hf_import.py loads HF; README.md).

Environment it was generated with: Debian python3 3.11.2, python3-torch 1.13.1 (torch.__version__ 1.13.0a0),
numpy 1.24. Shims (scripts/reference/hf_rope/shims, put on sys.path only when the real package is missing):
huggingface_hub (dataclasses.strict re-implemented: type + class validators run; hub functions are placeholders),
httpx, safetensors, tokenizers (import-time placeholders); compat.py adds what torch 1.13 / typing_extensions 4.4
lack at import time (nn.Buffer, is_autocast_enabled(device), torch.compiler, ...); transformers'
dependency_versions_check is replaced by a no-op and is_torch_available() is forced to True.

Per-layer-type rope (Gemma 3: Gemma3RotaryEmbedding keeps `{layer_type}_inv_freq` per type and is called
rotary_emb(x, position_ids, layer_type); Gemma 4 likewise, each type built on config.per_layer_config[layer_type]):
those cases carry "layer_type" ("full_attention" / "sliding_attention") and the oracle probes that type's rope. No
Gemma 3/4 config.json is in the shared folder, so per_layer_cases() synthesizes them (SYNTH_LAYERED: the rope-relevant
keys of the published google/gemma-3-1b-it, gemma-3-4b-it, gemma-3-27b-it configs, a transformers-5 re-save of
gemma-3-1b with rope_parameters per layer type, and Gemma 4 configs as models/gemma4/convert_gemma4_weights.py builds
them: proportional RoPE with partial_rotary_factor 0.25 on full attention, head_dim 256, global_head_dim 512) plus
hand-picked and seeded mutations. Proportional RoPE (_compute_proportional_rope_parameters) is used by the gemma4
family (also gemma4_unified and diffusion_gemma at c49429ed1f8b, not covered here); it is also run on gemma3's
full_attention and on llama, where HF's ROPE_INIT_FUNCTIONS accept it too.

Run (from the repository root):  HF_SRC=/work/hf/src /usr/bin/python3 posenc-core/src/test/resources/reference/hf-rope/generate.py
Output: vectors.json next to this file: a list of {name, config_json, seq_len (null = init), [layer_type], hf} with
hf = {inv_freq, attention_scaling, rotary_dim, layout, warnings} | {error, stage, warnings[, layer_type]} |
{skip: reason}; layer_type only on per-layer-type cases (absent: the model's one rope); an error's layer_type names
the layer type that failed when it is another one (model_level_errors: the model runs all its layer types).
Deterministic: fixed seed, sorted keys, PYTHONHASHSEED=0 (it re-executes itself with it: HF's messages print sets).
Then compare with posenc: /usr/bin/python3 scripts/reference/hf_rope/diff.py
"""
import copy
import json
import os
import random
import sys
from pathlib import Path

if os.environ.get("PYTHONHASHSEED") != "0":  # HF's messages print sets ({'long_factor', 'short_factor'})
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[5]
sys.path.insert(0, str(ROOT / "scripts" / "reference" / "hf_rope"))
CONFIGS = Path(os.environ.get("HF_CONFIGS", "/work/shared/hf-configs"))
SEED = 20250611

import oracle  # noqa: E402


def load_configs():
    out = {}
    for path in sorted(CONFIGS.glob("*.json")):
        with open(path, encoding="utf-8") as f:
            out[path.stem] = json.load(f)
    return out


def rope_holder(d):
    """(dict, key) where the config keeps its rope settings: text_config for qwen3_vl, else top level; key is
    rope_parameters (v5) or rope_scaling (legacy)."""
    holder = d["text_config"] if isinstance(d.get("text_config"), dict) and d.get("model_type") == "qwen3_vl" else d
    key = "rope_parameters" if "rope_parameters" in holder else "rope_scaling"
    return holder, key


def rope(d):
    holder, key = rope_holder(d)
    value = holder.get(key)
    return value if isinstance(value, dict) else None


def set_rope(d, value):
    holder, key = rope_holder(d)
    holder[key] = value
    return d


def rope_type(d):
    r = rope(d)
    return None if r is None else r.get("rope_type", r.get("type"))


def lengths(d):
    """1, L0, L0+1, max_position_embeddings, 2 x max for dynamic and longrope."""
    holder, _ = rope_holder(d)
    mx = holder.get("max_position_embeddings") or 2048
    r = rope(d) or {}
    l0 = r.get("original_max_position_embeddings") or holder.get("original_max_position_embeddings") or mx
    return sorted({1, l0, l0 + 1, mx, 2 * mx})


def head_dim_of(d):
    holder, _ = rope_holder(d)
    return holder.get("head_dim") or holder["hidden_size"] // holder["num_attention_heads"]


def theta_of(d):
    holder, _ = rope_holder(d)
    return (rope(d) or {}).get("rope_theta") or holder.get("rope_theta") or 10000.0


def with_type(d, t, **extra):
    """d switched to rope type t (legacy rope_scaling form unless the config is v5), keeping its theta."""
    d = copy.deepcopy(d)
    holder, _ = rope_holder(d)
    mx = holder.get("max_position_embeddings") or 2048
    old = rope(d) or {}
    new = {"rope_type": t}
    if "rope_theta" in old:
        new["rope_theta"] = old["rope_theta"]
    if "mrope_section" in old:
        new["mrope_section"] = old["mrope_section"]
    if t in ("linear", "dynamic"):
        new["factor"] = 4.0
    elif t == "yarn":
        new.update(factor=4.0, original_max_position_embeddings=max(1, mx // 4))
    elif t == "llama3":
        new.update(factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0, original_max_position_embeddings=max(1, mx // 4))
    elif t == "longrope":
        half = int(head_dim_of(d) * (holder.get("partial_rotary_factor") or 1.0)) // 2
        new.update(short_factor=[1.0 + 0.01 * i for i in range(half)], long_factor=[1.0 + 0.5 * i for i in range(half)],
                   original_max_position_embeddings=max(1, mx // 4))
    new.update(extra)
    return set_rope(d, new)


def targeted(cfgs):
    """Hand-picked cases for the claims under test."""
    c = {k: v for k, v in cfgs.items()}
    cases = []

    def add(name, d, seq=None):
        cases.append((name, d, seq))

    # partial_rotary_factor on families whose default rotary ignores it (and scaled types)
    for base in ["llama-3.2-1b", "llama-2-7b-hf-early", "mistral-7b-v0.1", "qwen2.5-1.5b-instruct-tf5-resave", "qwen3-8b",
                 "gemma-2b-it", "falcon-7b-instruct", "qwen2-vl-7b-olmocr", "gemma-2-9b-it", "gpt-oss-20b"]:
        d = copy.deepcopy(c[base])
        d["partial_rotary_factor"] = 0.5
        add(f"{base}@prf0.5", d)
    for t in ["linear", "dynamic", "yarn", "llama3", "longrope"]:
        d = with_type(c["llama-2-7b-hf-early"], t)
        d["partial_rotary_factor"] = 0.5
        add(f"llama-2-7b-hf-early@{t}+prf0.5", d, 1)
        d2 = with_type(c["qwen3-8b"], t)
        set_rope(d2, dict(rope(d2), partial_rotary_factor=0.5))
        add(f"qwen3-8b@{t}+inner-prf0.5", d2)
    d = copy.deepcopy(c["llama-3.1-8b"])
    d["partial_rotary_factor"] = 0.5
    add("llama-3.1-8b@prf0.5", d)
    # top-level vs inside rope_parameters
    for base in ["phi-2", "phi-3.5-mini-instruct", "redpajama-incite-7b-base-gptneox", "llama-3.2-1b"]:
        d = copy.deepcopy(c[base])
        r = dict(rope(d) or {"rope_type": "default"})
        r["partial_rotary_factor"] = 0.25
        set_rope(d, r)
        d["partial_rotary_factor"] = 0.5
        add(f"{base}@prf-top0.5-inner0.25", d)
        d = copy.deepcopy(c[base])
        d.pop("partial_rotary_factor", None)
        d.pop("rotary_pct", None)
        set_rope(d, dict(rope(d) or {"rope_type": "default"}, partial_rotary_factor=0.75))
        add(f"{base}@prf-inner0.75-only", d)
    # gpt_neox: rotary_pct / partial_rotary_factor / head_dim
    neox = c["redpajama-incite-7b-base-gptneox"]
    for name, edit in [("no-rotary_pct", lambda d: d.pop("rotary_pct")),
                       ("rotary_pct0.5", lambda d: d.update(rotary_pct=0.5)),
                       ("prf0.5-no-pct", lambda d: (d.pop("rotary_pct"), d.update(partial_rotary_factor=0.5))),
                       ("prf0.5-pct0.25", lambda d: d.update(partial_rotary_factor=0.5, rotary_pct=0.25)),
                       ("head_dim64", lambda d: d.update(head_dim=64)),
                       ("head_dim256-pct0.5", lambda d: d.update(head_dim=256, rotary_pct=0.5)),
                       ("rotary_emb_base5e5", lambda d: d.update(rotary_emb_base=500000)),
                       ("rope_theta5e5", lambda d: d.update(rope_theta=500000.0))]:
        d = copy.deepcopy(neox)
        edit(d)
        add(f"gptneox@{name}", d)
    # factor < 1 and llama3 high <= low
    for t in ["linear", "dynamic", "yarn", "llama3"]:
        d = with_type(c["llama-2-7b-hf-early"], t)
        set_rope(d, dict(rope(d), factor=0.5))
        add(f"llama-2-7b-hf-early@{t}-factor0.5", d, None if t not in ("dynamic",) else 4096)
    for hi, lo in [(1.0, 1.0), (1.0, 4.0), (2.0, 2.0)]:
        d = copy.deepcopy(c["llama-3.1-8b"])
        set_rope(d, dict(rope(d), high_freq_factor=hi, low_freq_factor=lo))
        add(f"llama-3.1-8b@llama3-high{hi}-low{lo}", d)
    # phi3 rope types
    for t in ["dynamic", "linear", "yarn", "llama3", "default"]:
        add(f"phi-3.5-mini-instruct@{t}", with_type(c["phi-3.5-mini-instruct"], t))
    for base in ["phi-3-mini-128k-instruct-longrope", "phi-3.5-mini-instruct"]:
        d = copy.deepcopy(c[base])
        set_rope(d, dict(rope(d), type="su"))
        rope(d).pop("rope_type", None)
        add(f"{base}@type-su", d)
    d = copy.deepcopy(c["phi-3-mini-128k-instruct-su"])
    set_rope(d, dict(rope(d), original_max_position_embeddings=d["original_max_position_embeddings"]))
    add("phi-3-mini-128k-instruct-su@omp-inside", d)
    # legacy rope_scaling over v5 rope_parameters (Qwen2.5 README recipe)
    d = copy.deepcopy(c["qwen2.5-1.5b-instruct-tf5-resave"])
    d["rope_scaling"] = {"type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32768}
    add("qwen2.5-1.5b-instruct-tf5-resave@+rope_scaling-yarn4", d)
    d = copy.deepcopy(c["qwen2.5-1.5b-instruct-tf5-resave"])
    d["rope_scaling"] = {"type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32768}
    d["rope_theta"] = 1000000.0
    add("qwen2.5-1.5b-instruct-tf5-resave@+rope_scaling-yarn4+rope_theta", d)
    d = copy.deepcopy(c["qwen3-8b"])
    d["rope_scaling"] = {"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32768}
    add("qwen3-8b@+rope_scaling-yarn4", d)
    # kimi-k2 read as its architecture (deepseek_v3)
    d = copy.deepcopy(c["kimi-k2-instruct"])
    d["model_type"] = "deepseek_v3"
    add("kimi-k2-instruct@as-deepseek_v3", d)
    # gptj
    for name, edit in [("rotary_dim-null", lambda d: d.update(rotary_dim=None)),
                       ("rotary_dim32", lambda d: d.update(rotary_dim=32)),
                       ("rope_theta5e5", lambda d: d.update(rope_theta=500000.0))]:
        d = copy.deepcopy(c["gpt-j-6b"])
        edit(d)
        add(f"gpt-j-6b@{name}", d)
    # deepseek / yarn knobs
    for name, extra in [("truncate-false", {"truncate": False}), ("beta32-1", {"beta_fast": 32, "beta_slow": 1}),
                        ("beta4-2", {"beta_fast": 4, "beta_slow": 2}), ("mscale0.707", {"mscale": 0.707}),
                        ("mscale1-all0", {"mscale": 1.0, "mscale_all_dim": 0.0}),
                        ("attention_factor0.9", {"attention_factor": 0.9}), ("no-mscale", {"mscale": None, "mscale_all_dim": None}),
                        ("factor1", {"factor": 1.0}), ("factor1e6", {"factor": 1e6}), ("omp1024", {"original_max_position_embeddings": 1024})]:
        for base in ["deepseek-v3-base", "gpt-oss-20b"]:
            d = copy.deepcopy(c[base])
            r = dict(rope(d))
            for k, v in extra.items():
                if v is None:
                    r.pop(k, None)
                else:
                    r[k] = v
            set_rope(d, r)
            add(f"{base}@yarn-{name}", d)
    d = copy.deepcopy(c["deepseek-v3-base"])
    d["rope_interleave"] = False
    add("deepseek-v3-base@rope_interleave-false", d)
    # rope-type switches on llama / mistral / qwen2-vl
    for base in ["llama-2-7b-hf-early", "mistral-7b-instruct-v0.2", "llama-3.2-1b"]:
        for t in ["linear", "dynamic", "yarn", "llama3", "longrope"]:
            d = with_type(c[base], t)
            seqs = lengths(d) if t in ("dynamic", "longrope") else [None]
            for s in seqs:
                add(f"{base}@{t}", d, s)
    for t in ["yarn", "dynamic", "linear"]:
        d = with_type(c["qwen2-vl-7b-olmocr"], t)
        add(f"qwen2-vl-7b-olmocr@{t}", d, 40000 if t == "dynamic" else None)
    # internlm2's dynamic settings on llama (the in-library family)
    d = copy.deepcopy(c["llama-2-7b-hf-early"])
    d["rope_scaling"] = {"type": "dynamic", "factor": 2.0}
    for s in lengths(d):
        add("llama-2-7b-hf-early@dynamic2", d, s)
    return cases


MUTATORS = [
    ("theta", lambda d, r: set_rope(d, dict(rope(d) or {"rope_type": "default"}, rope_theta=r.choice([500.0, 1e4, 1e6, 5e6, 1e8])))),
    ("top-theta", lambda d, r: d.update(rope_theta=r.choice([1e5, 2.5e5, 1e6])) or d),
    ("factor", lambda d, r: set_rope(d, dict(rope(d), factor=r.choice([0.25, 0.5, 1.0, 2.0, 3.5, 16.0, 1e4]))) if rope(d) and rope_type(d) not in (None, "default") else None),
    ("omp", lambda d, r: set_rope(d, dict(rope(d), original_max_position_embeddings=r.choice([512, 2048, 4096, 8192, 32768]))) if rope(d) and rope_type(d) in ("yarn", "llama3", "longrope", "dynamic") else None),
    ("beta", lambda d, r: set_rope(d, dict(rope(d), beta_fast=r.choice([1, 8, 32, 64]), beta_slow=r.choice([0.5, 1, 2]))) if rope_type(d) == "yarn" else None),
    ("truncate", lambda d, r: set_rope(d, dict(rope(d), truncate=r.choice([True, False]))) if rope_type(d) == "yarn" else None),
    ("mscale", lambda d, r: set_rope(d, dict(rope(d), mscale=r.choice([0.5, 0.707, 1.0, 2.0]), mscale_all_dim=r.choice([0.0, 0.707, 1.0]))) if rope_type(d) == "yarn" else None),
    ("attn-factor", lambda d, r: set_rope(d, dict(rope(d), attention_factor=r.choice([0.5, 1.0, 1.25]))) if rope_type(d) in ("yarn", "longrope") else None),
    ("prf-top", lambda d, r: d.update(partial_rotary_factor=r.choice([0.25, 0.5, 0.75, 1.0])) or d),
    ("prf-inner", lambda d, r: set_rope(d, dict(rope(d) or {"rope_type": "default"}, partial_rotary_factor=r.choice([0.25, 0.5, 1.0])))),
    ("head_dim", lambda d, r: d.update(head_dim=r.choice([32, 64, 80, 96, 128, 256])) or d),
    ("max-pos", lambda d, r: d.update(max_position_embeddings=r.choice([2048, 8192, 32768, 131072])) or d),
    ("type", lambda d, r: with_type(d, r.choice(["default", "linear", "dynamic", "yarn", "llama3", "longrope"]))),
    ("legacy-type-key", lambda d, r: set_rope(d, {("type" if k == "rope_type" else k): v for k, v in rope(d).items()}) if rope(d) else None),
]


def mutations(cfgs, count):
    rng = random.Random(SEED)
    bases = sorted(k for k, v in cfgs.items() if oracle.skip_reason(v.get("model_type")) is None)
    cases, seen = [], set()
    attempts = 0
    while len(cases) < count and attempts < count * 20:
        attempts += 1
        base = rng.choice(bases)
        d = copy.deepcopy(cfgs[base])
        applied = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            name, fn = rng.choice(MUTATORS)
            sub = random.Random(rng.random())
            try:
                out = fn(copy.deepcopy(d), sub)
            except (KeyError, TypeError):
                out = None
            if out is None:
                continue
            d = out
            applied.append(f"{name}")
        if not applied:
            continue
        key = json.dumps(d, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        label = f"{base}@mut{len(cases):03d}-" + "+".join(applied)
        t = rope_type(d)
        if t in ("dynamic", "longrope", "su"):
            ls = lengths(d)
            for s in sorted({ls[0], rng.choice(ls), ls[-1]}):
                cases.append((label, d, s))
        else:
            cases.append((label, d, None))
    return cases


# ---------------------------------------------------------------------------------------------------------------
# per-layer-type rope (Gemma 3, Gemma 4) and proportional RoPE
# ---------------------------------------------------------------------------------------------------------------
LAYER_TYPES = ("full_attention", "sliding_attention")
PROPORTIONAL_ROPE = {"full_attention": {"rope_theta": 1000000.0, "rope_type": "proportional", "partial_rotary_factor": 0.25},
                     "sliding_attention": {"rope_theta": 10000.0, "rope_type": "default"}}


def _pattern(pattern, n):
    return ["sliding_attention" if (i + 1) % pattern else "full_attention" for i in range(n)]


# Synthesized (see the module docstring): rope-relevant keys only, values as published / as HF's conversion builds.
SYNTH_LAYERED = {
    # google/gemma-3-1b-it (transformers 4.50 save, top-level gemma3_text, no rope scaling)
    "synth-gemma-3-1b-it": {
        "architectures": ["Gemma3ForCausalLM"], "model_type": "gemma3_text", "hidden_size": 1152, "head_dim": 256,
        "num_attention_heads": 4, "num_key_value_heads": 1, "num_hidden_layers": 26, "max_position_embeddings": 32768,
        "query_pre_attn_scalar": 256, "rope_local_base_freq": 10000, "rope_scaling": None, "rope_theta": 1000000,
        "sliding_window": 512, "sliding_window_pattern": 6},
    # google/gemma-3-4b-it (multimodal gemma3, sparse text_config: linear x8 on full attention, defaults elsewhere)
    "synth-gemma-3-4b-it": {
        "architectures": ["Gemma3ForConditionalGeneration"], "model_type": "gemma3",
        "text_config": {"hidden_size": 2560, "intermediate_size": 10240, "model_type": "gemma3_text",
                        "num_hidden_layers": 34, "rope_scaling": {"factor": 8.0, "rope_type": "linear"},
                        "sliding_window": 1024},
        "vision_config": {"model_type": "siglip_vision_model"}},
    # google/gemma-3-27b-it (head_dim 128 = 5376 / 42 is not hidden_size / heads: head_dim is explicit)
    "synth-gemma-3-27b-it": {
        "architectures": ["Gemma3ForConditionalGeneration"], "model_type": "gemma3",
        "text_config": {"head_dim": 128, "hidden_size": 5376, "intermediate_size": 21504, "model_type": "gemma3_text",
                        "num_attention_heads": 32, "num_hidden_layers": 62, "num_key_value_heads": 16,
                        "query_pre_attn_scalar": 168, "rope_scaling": {"factor": 8.0, "rope_type": "linear"},
                        "sliding_window": 1024},
        "vision_config": {"model_type": "siglip_vision_model"}},
    # gemma-3-1b as transformers 5 saves it: rope_parameters keyed by layer type, layer_types spelled out
    "synth-gemma-3-1b-tf5-resave": {
        "architectures": ["Gemma3ForCausalLM"], "model_type": "gemma3_text", "hidden_size": 1152, "head_dim": 256,
        "num_attention_heads": 4, "num_key_value_heads": 1, "num_hidden_layers": 26, "max_position_embeddings": 32768,
        "layer_types": _pattern(6, 26), "sliding_window": 512,
        "rope_parameters": {"full_attention": {"rope_theta": 1000000.0, "rope_type": "default"},
                            "sliding_attention": {"rope_theta": 10000.0, "rope_type": "default"}}},
    # gemma-4-e4b as convert_gemma4_weights.py builds it (_VARIANT_GEMMA_4_E4B): global_head_dim 512
    "synth-gemma-4-e4b": {
        "architectures": ["Gemma4ForConditionalGeneration"], "model_type": "gemma4",
        "text_config": {"model_type": "gemma4_text", "hidden_size": 2560, "num_hidden_layers": 42,
                        "layer_types": _pattern(6, 42), "num_attention_heads": 8, "num_key_value_heads": 2,
                        "head_dim": 256, "global_head_dim": 512, "max_position_embeddings": 131072,
                        "rope_parameters": copy.deepcopy(PROPORTIONAL_ROPE)}},
    # gemma4_text with global_head_dim = head_dim: the proportional frequencies without the head-size switch
    "synth-gemma4-text-global256": {
        "model_type": "gemma4_text", "hidden_size": 1536, "num_hidden_layers": 12, "layer_types": _pattern(6, 12),
        "num_attention_heads": 8, "num_key_value_heads": 1, "head_dim": 256, "global_head_dim": 256,
        "max_position_embeddings": 131072, "rope_parameters": copy.deepcopy(PROPORTIONAL_ROPE)},
}


def _text(d):
    return d["text_config"] if isinstance(d.get("text_config"), dict) else d


def _v5_dicts(d):
    """d's text config in the transformers-5 form: rope_parameters per layer type (v4 keys folded in as
    Gemma3TextConfig.convert_rope_params_to_dict does)."""
    d = copy.deepcopy(d)
    t = _text(d)
    full = dict(t.pop("rope_scaling", None) or {})
    full.setdefault("rope_type", full.pop("type", "default"))
    full.setdefault("rope_theta", float(t.pop("rope_theta", 1000000.0)))
    sliding = {"rope_type": "default", "rope_theta": float(t.pop("rope_local_base_freq", 10000.0))}
    t["rope_parameters"] = {"full_attention": full, "sliding_attention": sliding}
    t.setdefault("layer_types", _pattern(t.pop("sliding_window_pattern", 6), t.get("num_hidden_layers", 26)))
    return d


def _edit(d, fn):
    d = copy.deepcopy(d)
    fn(_text(d))
    return d


def _set_full(t, **kv):
    """Updates the full_attention rope: the v5 dict when there is one, else the v4 rope_scaling."""
    if isinstance(t.get("rope_parameters"), dict):
        t["rope_parameters"]["full_attention"].update(kv)
    else:
        t["rope_scaling"] = dict(t.get("rope_scaling") or {"rope_type": "default"}, **kv)


def _set_sliding(t, **kv):
    if isinstance(t.get("rope_parameters"), dict):
        t["rope_parameters"]["sliding_attention"].update(kv)
    elif "rope_theta" in kv:
        t["rope_local_base_freq"] = kv["rope_theta"]


def _full_type(t, rtype, mx, **extra):
    new = {"rope_type": rtype}
    if rtype in ("linear", "dynamic"):
        new["factor"] = 4.0
    elif rtype == "yarn":
        new.update(factor=4.0, original_max_position_embeddings=max(1, mx // 4))
    elif rtype == "llama3":
        new.update(factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0, original_max_position_embeddings=max(1, mx // 4))
    new.update(extra)
    if isinstance(t.get("rope_parameters"), dict):
        theta = t["rope_parameters"]["full_attention"].get("rope_theta", 1000000.0)
        t["rope_parameters"]["full_attention"] = dict(new, rope_theta=theta)
    else:
        t["rope_scaling"] = new


def _maxpos(d):
    return _text(d).get("max_position_embeddings") or 131072


GEMMA3_MUTATORS = [
    ("theta", lambda t, r: _set_full(t, rope_theta=r.choice([1e4, 5e5, 1e7]))
        if isinstance(t.get("rope_parameters"), dict) else t.update(rope_theta=r.choice([1e4, 5e5, 1e7]))),
    ("local-theta", lambda t, r: _set_sliding(t, rope_theta=r.choice([1e3, 5e4, 1e6]))),
    ("factor", lambda t, r: _set_full(t, factor=r.choice([0.5, 2.0, 16.0]))
        if (t.get("rope_scaling") or (t.get("rope_parameters") or {}).get("full_attention", {})).get("factor") else None),
    ("type", lambda t, r: _full_type(t, r.choice(["linear", "yarn", "dynamic", "llama3"]), t.get("max_position_embeddings") or 131072)),
    ("head_dim", lambda t, r: t.update(head_dim=r.choice([64, 128, 256]))),
    ("max-pos", lambda t, r: t.update(max_position_embeddings=r.choice([8192, 32768, 131072]))),
]


def _gemma3_mutations(bases, count, rng):
    cases, seen = [], set()
    attempts = 0
    while len(cases) < count and attempts < count * 20:
        attempts += 1
        base = rng.choice(sorted(bases))
        d = copy.deepcopy(bases[base])
        if rng.random() < 0.5:
            d = _v5_dicts(d)
        applied = []
        for _ in range(rng.choice([1, 2, 2, 3])):
            name, fn = rng.choice(GEMMA3_MUTATORS)
            trial = copy.deepcopy(d)
            if fn(_text(trial), random.Random(rng.random())) is None and trial == d:
                continue
            d = trial
            applied.append(name)
        key = json.dumps(d, sort_keys=True)
        if not applied or key in seen:
            continue
        seen.add(key)
        form = "v5" if "rope_parameters" in _text(d) else "v4"
        cases.append((f"{base}@g3mut{len(cases):02d}-{form}-" + "+".join(applied), d))
    return cases


def per_layer_cases(cfgs):
    """(name, config, seq_len, layer_type) for the per-layer-type families, every config at both layer types."""
    b = SYNTH_LAYERED
    g3 = {k: v for k, v in b.items() if "gemma-3" in k}
    configs = [(k, v) for k, v in b.items()]

    def add(name, d):
        configs.append((name, d))

    # v4 -> v5 forms, v4 keys over v5 dicts
    for k in ("synth-gemma-3-1b-it", "synth-gemma-3-4b-it", "synth-gemma-3-27b-it"):
        add(f"{k}@as-v5", _v5_dicts(b[k]))
    add("synth-gemma-3-1b-tf5-resave@+rope_scaling-linear8", _edit(b["synth-gemma-3-1b-tf5-resave"],
        lambda t: t.update(rope_scaling={"rope_type": "linear", "factor": 8.0})))
    add("synth-gemma-3-1b-tf5-resave@no-sliding-dict+rope_local_base_freq", _edit(b["synth-gemma-3-1b-tf5-resave"],
        lambda t: (t["rope_parameters"].pop("sliding_attention"), t.update(rope_local_base_freq=50000.0))))
    add("synth-gemma-3-1b-tf5-resave@no-full-theta+rope_theta", _edit(b["synth-gemma-3-1b-tf5-resave"],
        lambda t: (t["rope_parameters"]["full_attention"].pop("rope_theta"), t.update(rope_theta=2000000.0))))
    add("synth-gemma-3-1b-it@legacy-type-key-linear4", _edit(b["synth-gemma-3-1b-it"],
        lambda t: t.update(rope_scaling={"type": "linear", "factor": 4.0})))
    add("synth-gemma-3-1b-it@no-rope-keys", _edit(b["synth-gemma-3-1b-it"],
        lambda t: [t.pop(k) for k in ("rope_theta", "rope_local_base_freq", "rope_scaling")]))
    add("synth-gemma-3-1b-it@theta5e5-local1e5", _edit(b["synth-gemma-3-1b-it"],
        lambda t: t.update(rope_theta=500000.0, rope_local_base_freq=100000.0)))
    # rope types on full attention (v4 rope_scaling and v5 dict)
    for rtype in ("linear", "yarn", "dynamic", "llama3", "longrope"):
        for k in ("synth-gemma-3-1b-it", "synth-gemma-3-1b-tf5-resave"):
            d = copy.deepcopy(b[k])
            t = _text(d)
            if rtype == "longrope":
                half = t["head_dim"] // 2
                _full_type(t, rtype, t["max_position_embeddings"], short_factor=[1.0 + 0.01 * i for i in range(half)],
                           long_factor=[1.0 + 0.5 * i for i in range(half)],
                           original_max_position_embeddings=t["max_position_embeddings"] // 4)
            else:
                _full_type(t, rtype, t["max_position_embeddings"])
            add(f"{k}@full-{rtype}", d)
    add("synth-gemma-3-4b-it@yarn8-omp16384-beta16", _edit(b["synth-gemma-3-4b-it"], lambda t: t.update(
        rope_scaling={"rope_type": "yarn", "factor": 8.0, "original_max_position_embeddings": 16384, "beta_fast": 16.0})))
    add("synth-gemma-3-1b-tf5-resave@sliding-linear2", _edit(b["synth-gemma-3-1b-tf5-resave"],
        lambda t: t["rope_parameters"]["sliding_attention"].update(rope_type="linear", factor=2.0)))
    add("synth-gemma-3-1b-tf5-resave@sliding-yarn", _edit(b["synth-gemma-3-1b-tf5-resave"],
        lambda t: t["rope_parameters"]["sliding_attention"].update(rope_type="yarn", factor=4.0,
                                                                    original_max_position_embeddings=8192)))
    # partial_rotary_factor (HF's standardize_rope_params copies a top-level one into every layer dict)
    add("synth-gemma-3-1b-it@prf-top0.5", _edit(b["synth-gemma-3-1b-it"], lambda t: t.update(partial_rotary_factor=0.5)))
    add("synth-gemma-3-4b-it@prf-top0.5", _edit(b["synth-gemma-3-4b-it"], lambda t: t.update(partial_rotary_factor=0.5)))
    add("synth-gemma-3-1b-tf5-resave@full-linear4+inner-prf0.5", _edit(b["synth-gemma-3-1b-tf5-resave"],
        lambda t: t["rope_parameters"]["full_attention"].update(rope_type="linear", factor=4.0, partial_rotary_factor=0.5)))
    # proportional: gemma3 full_attention, gemma4 variations
    for prf, factor in ((0.25, None), (0.5, 2.0), (1.0, None), (None, None), (0.0, None)):
        rp = {"rope_type": "proportional", "rope_theta": 1000000.0}
        if prf is not None:
            rp["partial_rotary_factor"] = prf
        if factor is not None:
            rp["factor"] = factor
        label = f"prf{prf}" + (f"-factor{factor}" if factor else "") if prf is not None else "no-prf"
        add(f"synth-gemma-3-1b-tf5-resave@full-proportional-{label}", _edit(b["synth-gemma-3-1b-tf5-resave"],
            lambda t, rp=rp: t["rope_parameters"].update(full_attention=dict(rp))))
        add(f"synth-gemma4-text-global256@proportional-{label}", _edit(b["synth-gemma4-text-global256"],
            lambda t, rp=rp: t["rope_parameters"].update(full_attention=dict(rp))))
    add("synth-gemma-4-e4b@no-global_head_dim", _edit(b["synth-gemma-4-e4b"], lambda t: t.pop("global_head_dim")))
    add("synth-gemma-4-e4b@no-rope_parameters", _edit(b["synth-gemma-4-e4b"], lambda t: t.pop("rope_parameters")))
    add("synth-gemma4-text-global256@theta1e4-head128", _edit(b["synth-gemma4-text-global256"], lambda t: (
        t["rope_parameters"]["full_attention"].update(rope_theta=10000.0), t.update(head_dim=128, global_head_dim=128))))
    add("synth-gemma4-text-global256@sliding-proportional0.5", _edit(b["synth-gemma4-text-global256"],
        lambda t: t["rope_parameters"].update(sliding_attention={"rope_type": "proportional", "rope_theta": 10000.0,
                                                                 "partial_rotary_factor": 0.5})))
    configs += _gemma3_mutations(g3, 20, random.Random(SEED + 3))

    cases = []
    for name, d in configs:
        t = _text(d)
        rp = t.get("rope_parameters") if isinstance(t.get("rope_parameters"), dict) else {}
        for lt in LAYER_TYPES:
            r = rp.get(lt) or (t.get("rope_scaling") if lt == "full_attention" else None) or {}
            rtype = r.get("rope_type", r.get("type"))
            if rtype in ("dynamic", "longrope"):
                mx = _maxpos(d)
                l0 = r.get("original_max_position_embeddings") or mx
                for seq in sorted({1, l0, l0 + 1, mx, 2 * mx}):
                    cases.append((name, d, seq, lt))
            else:
                cases.append((name, d, None, lt))
    return cases


def proportional_single_cases(cfgs):
    """Proportional RoPE on a family with one rope for all layers (llama): (name, config, seq_len, None)."""
    out = []
    for prf, factor in ((0.5, None), (0.25, 4.0), (None, None)):
        d = copy.deepcopy(cfgs["llama-3.2-1b"])
        r = {"rope_type": "proportional"}
        if prf is not None:
            r["partial_rotary_factor"] = prf
        if factor is not None:
            r["factor"] = factor
        d["rope_scaling"] = r
        label = (f"prf{prf}" if prf is not None else "no-prf") + (f"-factor{factor}" if factor else "")
        out.append((f"llama-3.2-1b@proportional-{label}", d, None, None))
    # per-layer-type dicts on a family whose rotary has one rope (HF: LlamaRotaryEmbedding reads
    # rope_parameters["rope_type"])
    d = copy.deepcopy(cfgs["llama-3.2-1b"])
    d.pop("rope_scaling", None)
    d["layer_types"] = _pattern(4, d["num_hidden_layers"])
    d["rope_parameters"] = {"full_attention": {"rope_type": "default", "rope_theta": 500000.0},
                            "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0}}
    out.append(("llama-3.2-1b@per-layer-type-dicts", d, None, None))
    return out


def model_level_errors(out):
    """Per-layer-type cases are probed one layer type at a time, but the model runs them together:
    Gemma3TextModel.forward / Gemma4TextModel.forward compute rotary_emb(x, position_ids, layer_type) for every layer
    type, and each decoder layer applies its type's rope, so an error of one layer type (e.g. full_attention's
    linear rope with partial_rotary_factor 0.5: cos/sin of 128 against a head of 256 in apply_rotary_pos_emb) is the
    model's error. The failing type's result is copied (with "layer_type" naming it) to the config's other layer
    types at the same seq_len (an init error to all of them)."""
    groups = {}
    for c in out:
        if "layer_type" in c:
            groups.setdefault(json.dumps(c["config_json"], sort_keys=True), []).append(c)
    for cases in groups.values():
        for bad in [c for c in cases if "error" in c["hf"]]:
            for c in cases:
                if "error" not in c["hf"] and (bad["seq_len"] is None or c["seq_len"] == bad["seq_len"]):
                    c["hf"] = dict(bad["hf"], layer_type=bad["layer_type"])


def main():
    cfgs = load_configs()
    cases = []
    for name, d in cfgs.items():
        cases.append((name, d, None, None))
        if oracle.skip_reason(d.get("model_type")) is None and rope_type(d) in ("dynamic", "longrope", "su"):
            for s in lengths(d):
                cases.append((name, d, s, None))
    cases += [(n, d, s, None) for n, d, s in targeted(cfgs)]
    cases += [(n, d, s, None) for n, d, s in mutations(cfgs, int(os.environ.get("MUTATIONS", "260")))]
    cases += proportional_single_cases(cfgs)
    cases += per_layer_cases(cfgs)
    out, names = [], set()
    for name, d, seq, layer_type in cases:
        full = name + ("" if layer_type is None else f"@{layer_type}") + ("" if seq is None else f"@len{seq}")
        if full in names:
            continue
        names.add(full)
        reason = oracle.skip_reason(d.get("model_type"))
        hf = {"skip": reason} if reason else oracle.run_case(d, seq, layer_type)
        case = {"name": full, "config_json": d, "seq_len": seq, "hf": hf}
        if layer_type is not None:
            case["layer_type"] = layer_type
        out.append(case)
    model_level_errors(out)
    out.sort(key=lambda c: c["name"])
    with open(HERE / "vectors.json", "w", encoding="utf-8") as f:
        json.dump(out, f, sort_keys=True, indent=1)
        f.write("\n")
    errors = sum(1 for c in out if "error" in c["hf"])
    skips = sum(1 for c in out if "skip" in c["hf"])
    layered = sum(1 for c in out if "layer_type" in c)
    print(f"{len(out)} cases ({errors} HF errors, {skips} skipped, {layered} per layer type) -> {HERE / 'vectors.json'}")


if __name__ == "__main__":
    main()
