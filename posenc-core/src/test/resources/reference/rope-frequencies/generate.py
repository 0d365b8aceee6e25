#!/usr/bin/env python3
"""Reference RoPE frequencies (inv_freq, attention_scaling) for posenc where Hugging Face's own code cannot run.

Scope. Everything transformers itself can compute is checked against transformers' OWN code:
../hf-rope/generate.py imports transformers (source checkout, commit c49429ed1f8b) and runs each model's config
class, rotary embedding and apply_rotary_pos_emb (HfModelCodeReferenceTest, scripts/reference/hf_rope/diff.py).
This script is an older torch RE-IMPLEMENTATION of that code; where the two differed, the re-implementation was
wrong (e.g. partial_rotary_factor on llama), so it is kept only for what HF's own code cannot produce:
  * "configs": the shared configs whose model_type is not in transformers (remote code; ../hf-rope/vectors.json
    skips them as "not in transformers"): chatglm (ChatGLM2/3 modeling_chatglm.py RotaryEmbedding.forward_impl,
    base = 10000 * rope_ratio, n_elem = kv_channels // 2), mixformer-sequential (modeling_mixformer_sequential.py
    RotaryEmbedding._compute_inv_freq), stablelm_epoch (modeling_stablelm_epoch.py RotaryEmbedding), and the
    llama/deepseek/falcon/gpt_neox-like remote types internlm2, kimi_k2, RefinedWebModel, gpt_neox_reward_model,
    computed as their in-library counterparts do (transformers v5 modeling_rope_utils.py, re-implemented here).
    REMOTE_CODE_MODEL_TYPES lists them; main() checks the list against ../hf-rope/vectors.json when it is there.
  * "variations": only rope_type "ntk" (static NTK-aware scaling, base * s^(d/(d-2))), which is not in Hugging Face
    but posenc's own definition, computed like HF's dynamic NTK at initialisation (new base in Python float, then
    `base ** (arange/d)` in fp32).
  * "dynamic_replays": dynamic NTK's dynamic_rope_update replayed over a sequence of forward passes (growth, reset);
    ../hf-rope/vectors.json runs one forward pass per fresh model, so it does not cover the state kept between them.

Everything is computed in float32 tensors exactly as the HF code does (Python scalars stay Python floats where HF
keeps them so). The sequence-length dependent types are evaluated the way the forward pass does it: seq_len is the
int64 tensor `max(position_ids) + 1`.

Usage: /usr/bin/python3 generate.py [HF_CONFIG_DIR]   (default: $POSENC_HF_CONFIGS or ../shared/hf-configs found by
walking up from this file, else /work/shared/hf-configs). Writes vectors.json beside this script. Deterministic.
"""

import json
import math
import os
import sys

import numpy
import torch

torch.set_default_dtype(torch.float32)
HERE = os.path.dirname(os.path.abspath(__file__))
HF_ROPE_VECTORS = os.path.join(HERE, "..", "hf-rope", "vectors.json")
# model_type of the shared configs that transformers does not implement (trust_remote_code models)
REMOTE_CODE_MODEL_TYPES = {"chatglm", "mixformer-sequential", "stablelm_epoch", "internlm2", "kimi_k2",
                           "RefinedWebModel", "gpt_neox_reward_model"}


# ---------------------------------------------------------------------------------------------------------------
# modeling_rope_utils.py (v5), one function per rope type. `c` is a small stand-in for PreTrainedConfig with the
# attributes those functions read: head_dim, hidden_size, num_attention_heads, max_position_embeddings and the
# standardized rope_parameters dict (`c.rp`).
# ---------------------------------------------------------------------------------------------------------------
class Cfg:
    def __init__(self, head_dim, max_position_embeddings, rp):
        self.head_dim = head_dim
        self.max_position_embeddings = max_position_embeddings
        self.rp = rp


def compute_default(c, seq_len=None):
    base = c.rp["rope_theta"]
    dim = int(c.head_dim * c.rp.get("partial_rotary_factor", 1.0))
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).to(dtype=torch.float) / dim))
    return inv_freq, 1.0


def compute_linear(c, seq_len=None):
    factor = c.rp["factor"]
    base = c.rp["rope_theta"]
    dim = int(c.head_dim * c.rp.get("partial_rotary_factor", 1.0))
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).to(dtype=torch.float) / dim))
    inv_freq /= factor
    return inv_freq, 1.0


def compute_dynamic(c, seq_len=None):
    base = c.rp["rope_theta"]
    dim = int(c.head_dim * c.rp.get("partial_rotary_factor", 1.0))
    factor = c.rp["factor"]
    if seq_len is None:
        seq_len = c.max_position_embeddings
    elif isinstance(seq_len, torch.Tensor):
        seq_len = torch.maximum(seq_len, torch.tensor(c.max_position_embeddings, dtype=seq_len.dtype))
    else:
        seq_len = max(seq_len, c.max_position_embeddings)
    base = base * ((factor * seq_len / c.max_position_embeddings) - (factor - 1)) ** (dim / (dim - 2))
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).to(dtype=torch.float) / dim))
    return inv_freq, 1.0


def get_mscale(scale, mscale=1):
    if scale <= 1:
        return 1.0
    return 0.1 * mscale * math.log(scale) + 1.0


def yarn_correction_range(c):
    """The (low, high) of _compute_yarn_parameters, exposed for the tests of the ramp."""
    base = c.rp["rope_theta"]
    dim = int(c.head_dim * c.rp.get("partial_rotary_factor", 1.0))
    beta_fast = c.rp.get("beta_fast") or 32
    beta_slow = c.rp.get("beta_slow") or 1
    L0 = c.rp["original_max_position_embeddings"]

    def find_correction_dim(num_rotations):
        return (dim * math.log(L0 / (num_rotations * 2 * math.pi))) / (2 * math.log(base))

    low = find_correction_dim(beta_fast)
    high = find_correction_dim(beta_slow)
    if c.rp.get("truncate", True):
        low = math.floor(low)
        high = math.ceil(high)
    return max(low, 0), min(high, dim - 1)


def compute_yarn(c, seq_len=None):
    base = c.rp["rope_theta"]
    dim = int(c.head_dim * c.rp.get("partial_rotary_factor", 1.0))
    factor = c.rp["factor"]
    attention_factor = c.rp.get("attention_factor")
    mscale = c.rp.get("mscale")
    mscale_all_dim = c.rp.get("mscale_all_dim")
    original_max_position_embeddings = c.rp["original_max_position_embeddings"]
    if factor is None:
        factor = c.max_position_embeddings / original_max_position_embeddings
    if attention_factor is None:
        if mscale and mscale_all_dim:
            attention_factor = float(get_mscale(factor, mscale) / get_mscale(factor, mscale_all_dim))
        else:
            attention_factor = get_mscale(factor)

    def linear_ramp_factor(min, max, dim):
        if min == max:
            max += 0.001
        linear_func = (torch.arange(dim, dtype=torch.float32) - min) / (max - min)
        return torch.clamp(linear_func, 0, 1)

    pos_freqs = base ** (torch.arange(0, dim, 2).to(dtype=torch.float) / dim)
    inv_freq_extrapolation = 1.0 / pos_freqs
    inv_freq_interpolation = 1.0 / (factor * pos_freqs)
    low, high = yarn_correction_range(c)
    inv_freq_extrapolation_factor = 1 - linear_ramp_factor(low, high, dim // 2).to(dtype=torch.float)
    inv_freq = (inv_freq_interpolation * (1 - inv_freq_extrapolation_factor)
                + inv_freq_extrapolation * inv_freq_extrapolation_factor)
    return inv_freq, attention_factor, inv_freq_extrapolation_factor


def compute_longrope(c, seq_len=None):
    base = c.rp["rope_theta"]
    dim = int(c.head_dim * c.rp.get("partial_rotary_factor", 1.0))
    long_factor = c.rp["long_factor"]
    short_factor = c.rp["short_factor"]
    factor = c.rp.get("factor")
    attention_factor = c.rp.get("attention_factor")
    original_max_position_embeddings = c.rp["original_max_position_embeddings"]
    if factor is None:
        factor = c.max_position_embeddings / original_max_position_embeddings
    if attention_factor is None:
        if factor <= 1.0:
            attention_factor = 1.0
        else:
            attention_factor = math.sqrt(1 + math.log(factor) / math.log(original_max_position_embeddings))
    if seq_len and seq_len > original_max_position_embeddings:
        ext_factors = torch.tensor(long_factor, dtype=torch.float32)
    else:
        ext_factors = torch.tensor(short_factor, dtype=torch.float32)
    inv_freq_shape = torch.arange(0, dim, 2, dtype=torch.int64).float() / dim
    inv_freq = 1.0 / (ext_factors * base ** inv_freq_shape)
    return inv_freq, attention_factor


def compute_llama3(c, seq_len=None):
    base = c.rp["rope_theta"]
    dim = int(c.head_dim * c.rp.get("partial_rotary_factor", 1.0))
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).to(dtype=torch.float) / dim))
    factor = c.rp["factor"]
    low_freq_factor = c.rp["low_freq_factor"]
    high_freq_factor = c.rp["high_freq_factor"]
    old_context_len = c.rp["original_max_position_embeddings"]
    low_freq_wavelen = old_context_len / low_freq_factor
    high_freq_wavelen = old_context_len / high_freq_factor
    wavelen = 2 * math.pi / inv_freq
    inv_freq_llama = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    smooth_factor = (old_context_len / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
    smoothed_inv_freq = (1 - smooth_factor) * inv_freq_llama / factor + smooth_factor * inv_freq_llama
    is_medium_freq = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
    inv_freq_llama = torch.where(is_medium_freq, smoothed_inv_freq, inv_freq_llama)
    kept, interpolated = (wavelen < high_freq_wavelen).tolist(), (wavelen > low_freq_wavelen).tolist()
    bands = ["kept" if k else "interpolated" if i else "blended" for k, i in zip(kept, interpolated)]
    return inv_freq_llama, 1.0, bands


def compute_ntk(c, seq_len=None):
    base = c.rp["rope_theta"]
    dim = int(c.head_dim * c.rp.get("partial_rotary_factor", 1.0))
    base = base * c.rp["factor"] ** (dim / (dim - 2))
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).to(dtype=torch.float) / dim))
    return inv_freq, 1.0


INIT = {
    "default": compute_default, "linear": compute_linear, "dynamic": compute_dynamic, "yarn": compute_yarn,
    "longrope": compute_longrope, "llama3": compute_llama3, "ntk": compute_ntk,
}


def effective(c, seq_len):
    """inv_freq and attention_scaling a freshly initialised HF rotary embedding uses for a forward pass whose
    largest position id is seq_len - 1 (dynamic_rope_update), or at initialisation when seq_len is None."""
    rope_type = c.rp["rope_type"]
    extra = {}
    init = INIT[rope_type](c, None)
    inv, att = init[0], init[1]
    if rope_type == "yarn":
        extra["ramp_extrapolation_factor"] = floats(init[2])
        extra["correction_range"] = list(yarn_correction_range(c))
    if rope_type == "llama3":
        extra["bands"] = init[2]
    if seq_len is not None:
        t = torch.tensor(seq_len, dtype=torch.int64)  # torch.max(position_ids) + 1
        if "dynamic" in rope_type:
            if t > c.max_position_embeddings:  # growth from max_seq_len_cached == original_max_seq_len
                inv, att = INIT[rope_type](c, t)
        elif rope_type == "longrope":
            L0 = c.rp["original_max_position_embeddings"]
            if t > L0:
                inv, _ = INIT[rope_type](c, L0 + 1)
    return inv, att, extra


# ---------------------------------------------------------------------------------------------------------------
# dynamic_rope_update, replayed over a sequence of forward passes (the v5 logic with the attribute names of the
# non-layer-typed path, i.e. without transformers PR #46624's "None_max_seq_len_cached" bug).
# ---------------------------------------------------------------------------------------------------------------
class DynamicReplay:
    def __init__(self, c):
        self.c = c
        self.inv_freq, self.attention_scaling = compute_dynamic(c, None)
        self.original_inv_freq = self.inv_freq.clone()
        self.max_seq_len_cached = c.max_position_embeddings
        self.original_max_seq_len = c.max_position_embeddings

    def forward(self, seq_len_value):
        seq_len = torch.tensor(seq_len_value, dtype=torch.int64)
        max_seq_len_cached = self.max_seq_len_cached
        if seq_len > max_seq_len_cached:  # growth
            self.inv_freq, self.attention_scaling = compute_dynamic(self.c, seq_len)
            self.max_seq_len_cached = seq_len
        if seq_len < self.original_max_seq_len and max_seq_len_cached > self.original_max_seq_len:  # reset
            self.inv_freq = self.original_inv_freq
            self.max_seq_len_cached = self.original_max_seq_len
        return self.inv_freq, int(self.max_seq_len_cached)


# ---------------------------------------------------------------------------------------------------------------
# config.json -> (head_dim, max_position_embeddings, standardized rope_parameters), following each family's
# configuration class (v5 convert_rope_params_to_dict + standardize).
# ---------------------------------------------------------------------------------------------------------------
LLAMA_LIKE = {"llama", "internlm2"}  # what reaches the last branch of interpret(): llama_config() and internlm2


def standardize(node, family, theta_default=10000.0, top_l0=None):
    rp = dict(node.get("rope_scaling") or node.get("rope_parameters") or {})
    rp.setdefault("rope_theta", node.get("rope_theta", theta_default))
    prf = node.get("partial_rotary_factor")
    if prf is not None:
        rp.setdefault("partial_rotary_factor", prf)
    rp.setdefault("rope_type", rp.get("type", "default"))
    if rp["rope_type"] in ("llama3", "yarn", "longrope"):
        if top_l0 is not None:
            rp["original_max_position_embeddings"] = top_l0
        else:
            rp.setdefault("original_max_position_embeddings", node["max_position_embeddings"])
    if family == "deepseek_v3":
        for key in ("beta_fast", "beta_slow", "factor"):
            if key in rp:
                rp[key] = float(rp[key])
    return rp


def interpret(cfg):
    """[(layer_type or None, Cfg)] for one config.json of a REMOTE_CODE_MODEL_TYPES family or a llama_config()
    (everything transformers implements is ../hf-rope's; per-layer-type rope, gptj, phi and phi3 are there)."""
    node = cfg["text_config"] if isinstance(cfg.get("text_config"), dict) else cfg
    mt = cfg["model_type"]
    if mt.startswith("gpt_neox"):
        rp = {"rope_type": "default", "rope_theta": node.get("rotary_emb_base", 10000),
              "partial_rotary_factor": node.get("rotary_pct", 0.25)}
        return [(None, Cfg(node["hidden_size"] // node["num_attention_heads"], node["max_position_embeddings"], rp))]
    if mt == "mixformer-sequential":
        head = node["n_embd"] // node["n_head"]
        rp = {"rope_type": "mixformer", "rope_theta": 10000, "rotary_dim": node["rotary_dim"]}
        return [(None, Cfg(head, node["n_positions"], rp))]
    if mt == "stablelm_epoch":
        head = node["hidden_size"] // node["num_attention_heads"]
        rp = {"rope_type": "stablelm_epoch", "rope_theta": node["rope_theta"], "rope_pct": node["rope_pct"]}
        return [(None, Cfg(head, node["max_position_embeddings"], rp))]
    if mt == "chatglm":
        head = node.get("kv_channels") or node["hidden_size"] // node["num_attention_heads"]
        rp = {"rope_type": "chatglm", "rope_theta": 10000 * node.get("rope_ratio", 1)}
        return [(None, Cfg(head, node["seq_length"], rp))]
    if mt in ("falcon", "RefinedWebModel", "RefinedWeb"):
        heads = node.get("num_attention_heads", node.get("n_head"))
        rp = standardize(node, mt)
        return [(None, Cfg(node["hidden_size"] // heads, node.get("max_position_embeddings", 2048), rp))]
    if mt in ("deepseek_v3", "kimi_k2"):
        rp = standardize(node, "deepseek_v3")
        return [(None, Cfg(node["qk_rope_head_dim"], node["max_position_embeddings"], rp))]
    if mt in LLAMA_LIKE:
        rp = standardize(node, mt, top_l0=node.get("original_max_position_embeddings"))
        head = node.get("head_dim") or node["hidden_size"] // node["num_attention_heads"]
        return [(None, Cfg(head, node["max_position_embeddings"], rp))]
    return []  # not RoPE


def family_inv_freq(c, seq_len):
    """inv_freq of the families whose model code computes its own frequencies."""
    kind = c.rp["rope_type"]
    if kind == "mixformer":  # modeling_mixformer_sequential.RotaryEmbedding._compute_inv_freq
        dim, base = c.rp["rotary_dim"], float(10000)
        return 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.float32) / dim)), 1.0
    if kind == "stablelm_epoch":  # modeling_stablelm_epoch.RotaryEmbedding (rotary_ndims = int(head_dim * rope_pct))
        dim = int(c.head_dim * c.rp["rope_pct"])
        return 1.0 / (c.rp["rope_theta"] ** (torch.arange(0, dim, 2, dtype=torch.float32) / dim)), 1.0
    if kind == "chatglm":  # modeling_chatglm.RotaryEmbedding(rotary_dim // 2).forward_impl
        n_elem = c.head_dim // 2
        base = c.rp["rope_theta"]
        return 1.0 / (base ** (torch.arange(0, n_elem, 2, dtype=torch.float) / n_elem)), 1.0
    return None


# ---------------------------------------------------------------------------------------------------------------
# vectors
# ---------------------------------------------------------------------------------------------------------------
def floats(t):
    """float32 values as the shortest decimal that reads back (double, then rounded to float32) as the same float."""
    values = t.to(torch.float32).numpy()
    out = []
    for x in values:
        short = float(str(x))
        assert numpy.float32(short) == x, (short, x)
        out.append(short)
    return out


def case(seq_len, inv, att):
    return {"seq_len": seq_len, "inv_freq": floats(inv), "attention_scaling": float(att)}


def seq_lens_for(c, full=True):
    rope_type = c.rp["rope_type"]
    maxpos = c.max_position_embeddings
    if rope_type == "dynamic":
        if full:
            return [None, 1, maxpos - 1, maxpos, maxpos + 1, maxpos + maxpos // 2, 2 * maxpos, 4 * maxpos, 1_000_000]
        return [None, maxpos, maxpos + 1, 3 * maxpos, 1_000_000]
    if rope_type == "longrope":
        L0 = c.rp["original_max_position_embeddings"]
        if full:
            return [None, 1, L0 - 1, L0, L0 + 1, 2 * L0, maxpos]
        return [None, L0, L0 + 1, max(maxpos, L0 + 1)]
    return [None, maxpos]


def cases_for(c, seq_lens):
    cases, extra = [], None
    for seq_len in seq_lens:
        own = family_inv_freq(c, seq_len)
        if own is not None:
            cases.append(case(seq_len, own[0], own[1]))
        else:
            inv, att, extra = effective(c, seq_len)
            cases.append(case(seq_len, inv, att))
    return cases, extra


def config_vectors(config_dir):
    out = []
    for fname in sorted(os.listdir(config_dir)):
        if not fname.endswith(".json"):
            continue
        with open(os.path.join(config_dir, fname)) as f:
            cfg = json.load(f)
        if cfg.get("model_type") not in REMOTE_CODE_MODEL_TYPES:
            continue  # transformers runs it: ../hf-rope/vectors.json
        for layer_type, c in interpret(cfg):
            cases, extra = cases_for(c, seq_lens_for(c))
            e = {"config": fname, "layer_type": layer_type, "cases": cases}
            if extra:
                e.update(extra)
            out.append(e)
    return out


def llama_config(head_dim, maxpos, rope_theta, rope_scaling, prf=None):
    """A minimal config.json (model_type llama) carrying one rope variation; the Java test parses it."""
    cfg = {"model_type": "llama", "hidden_size": head_dim * 8, "num_attention_heads": 8, "head_dim": head_dim,
           "max_position_embeddings": maxpos, "rope_theta": rope_theta}
    if rope_scaling is not None:
        cfg["rope_scaling"] = rope_scaling
    if prf is not None:
        cfg["partial_rotary_factor"] = prf
    return cfg


def variation_vectors():
    """Static "ntk" only: posenc's own rope type, not in transformers."""
    out = []

    def add(name, cfg):
        for layer_type, c in interpret(cfg):
            cases, extra = cases_for(c, seq_lens_for(c, full=False))
            e = {"name": name, "layer_type": layer_type, "config_json": cfg, "cases": cases}
            if extra:
                e.update(extra)
            out.append(e)

    for factor in (1.0, 2.0, 4.0, 8.0):
        for head_dim in (64, 128):
            add(f"ntk factor={factor} head_dim={head_dim}",
                llama_config(head_dim, 4096, 10000.0, {"rope_type": "ntk", "factor": factor}))
    return out


def dynamic_replays():
    out = []
    scenarios = [
        (4096, 2.0, 128, [100, 5000, 6000, 5500, 4096, 100, 8192, 4095, 4097]),
        (2048, 4.0, 64, [2048, 2049, 2048, 2047, 3000, 10000, 1, 10000]),
    ]
    for maxpos, factor, head_dim, steps in scenarios:
        cfg = llama_config(head_dim, maxpos, 10000.0, {"rope_type": "dynamic", "factor": factor})
        (_, c), = interpret(cfg)
        replay = DynamicReplay(c)
        states = []
        for s in steps:
            inv, cached = replay.forward(s)
            states.append({"seq_len": s, "max_seq_len_cached": cached, "inv_freq": floats(inv)})
        out.append({"name": f"dynamic replay maxpos={maxpos} factor={factor}", "config_json": cfg, "steps": states})
    return out


def find_config_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    if os.environ.get("POSENC_HF_CONFIGS"):
        return os.environ["POSENC_HF_CONFIGS"]
    d = HERE
    while True:
        for cand in (os.path.join(d, "..", "shared", "hf-configs"), os.path.join(d, "shared", "hf-configs")):
            if os.path.isdir(cand):
                return os.path.normpath(cand)
        parent = os.path.dirname(d)
        if parent == d:
            return "/work/shared/hf-configs"
        d = parent


def check_remote_code_list():
    """REMOTE_CODE_MODEL_TYPES must be exactly the model types ../hf-rope/vectors.json skips as not in transformers."""
    if not os.path.exists(HF_ROPE_VECTORS):
        return
    with open(HF_ROPE_VECTORS) as f:
        skipped = {c["config_json"].get("model_type") for c in json.load(f)
                   if c["hf"].get("skip") == "not in transformers"}
    if skipped != REMOTE_CODE_MODEL_TYPES:
        sys.exit(f"REMOTE_CODE_MODEL_TYPES {sorted(REMOTE_CODE_MODEL_TYPES)} != the model types hf-rope/vectors.json "
                 f"skips as not in transformers {sorted(skipped)}")


def main():
    check_remote_code_list()
    config_dir = find_config_dir()
    doc = {
        "generator": "generate.py (re-implements transformers v5 for remote-code families, ntk and dynamic replays "
                     "only; torch " + torch.__version__ + ")",
        "configs": config_vectors(config_dir),
        "variations": variation_vectors(),
        "dynamic_replays": dynamic_replays(),
    }
    with open(os.path.join(HERE, "vectors.json"), "w") as f:
        f.write("{\n")
        f.write(f' "generator": {json.dumps(doc["generator"])},\n')
        sections = ["configs", "variations", "dynamic_replays"]
        for i, key in enumerate(sections):
            f.write(f' "{key}": [\n')
            f.write(",\n".join("  " + json.dumps(e, separators=(",", ":")) for e in doc[key]))
            f.write("\n ]" + ("," if i < len(sections) - 1 else "") + "\n")
        f.write("}\n")
    print(f"{len(doc['configs'])} config vectors, {len(doc['variations'])} variations, "
          f"{len(doc['dynamic_replays'])} dynamic replays from {config_dir}")


if __name__ == "__main__":
    main()
