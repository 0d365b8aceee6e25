"""The oracle: what Hugging Face transformers itself computes for a config.json's rotary embedding.

For one case (a config.json dict, a sequence length or None = initialisation) it runs HF's own code:
  1. the family's config class (CONFIG_MAPPING[model_type]) on the dict: HF's rope standardisation
     (RotaryEmbeddingConfigMixin.convert_rope_params_to_dict / standardize_rope_params) and the strict class
     validators (validate_rope, the family's own validate_* methods) run;
  2. the family's rotary module from its modeling_*.py (compute_default_rope_parameters / ROPE_INIT_FUNCTIONS,
     dynamic_rope_update in its forward), built on the text config for multimodal models;
  3. forward(x, position_ids = arange(seq_len)) (init: the buffers are read before any forward, then a short
     forward of PROBE_LEN positions feeds the probe);
  4. the model's own apply_rotary_pos_emb (same modeling file), called the way that model's attention calls it
     (same slicing of the head), on basis vectors e_0..e_{D-1}: which dimensions move, and with which partner,
     gives rotary_dim and the layout ("half": i <-> i + rd/2, "interleaved": 2i <-> 2i+1).
Per-layer-type rope (Gemma 3, Gemma 4: one rotary module holding `{layer_type}_inv_freq` buffers, forward(x, ids,
layer_type), each decoder layer using position_embeddings[its layer type]): the case names the layer type, and the
oracle reads that type's buffers, calls forward with it and probes with that layer's head size.
Any exception on the way is the case's result: {"error": "Type: message", "stage": ...}.
"""
import copy
import logging
import warnings

import hf_import

transformers = hf_import.load()
import torch  # noqa: E402
from transformers.models.auto.configuration_auto import CONFIG_MAPPING  # noqa: E402
from transformers.utils import logging as hf_logging  # noqa: E402

PROBE_LEN = 8

# model_type -> (modeling module, rotary class, probe kind). Probe kinds mirror the attention's call (file:line of
# the call site in the comment).
FAMILIES = {
    "llama": ("llama", "LlamaRotaryEmbedding", "full"),  # LlamaAttention.forward: apply_rotary_pos_emb(q, k, ...)
    "mistral": ("mistral", "MistralRotaryEmbedding", "full"),
    "qwen2": ("qwen2", "Qwen2RotaryEmbedding", "full"),
    "qwen3": ("qwen3", "Qwen3RotaryEmbedding", "full"),
    "gemma": ("gemma", "GemmaRotaryEmbedding", "full"),
    "gemma2": ("gemma2", "Gemma2RotaryEmbedding", "full"),
    "phi3": ("phi3", "Phi3RotaryEmbedding", "full"),  # partial rotary is sliced inside phi3's apply_rotary_pos_emb
    "gpt_neox": ("gpt_neox", "GPTNeoXRotaryEmbedding", "full"),  # sliced inside gpt_neox's apply_rotary_pos_emb
    "falcon": ("falcon", "FalconRotaryEmbedding", "full"),
    "gpt_oss": ("gpt_oss", "GptOssRotaryEmbedding", "full"),
    "phi": ("phi", "PhiRotaryEmbedding", "phi"),  # PhiAttention.forward slices q[..., :rotary_ndims]
    "deepseek_v3": ("deepseek_v3", "DeepseekV3RotaryEmbedding", "deepseek"),  # q_rot = last qk_rope_head_dim
    "gptj": ("gptj", None, "gptj"),  # GPTJAttention: create_sinusoidal_positions table, rotate_every_two
    "qwen2_vl": ("qwen2_vl", "Qwen2VLRotaryEmbedding", "mrope"),  # Qwen2VLAttention: apply_multimodal_rotary_pos_emb
    "qwen2_5_vl": ("qwen2_5_vl", "Qwen2_5_VLRotaryEmbedding", "mrope"),
    "qwen3_vl": ("qwen3_vl", "Qwen3VLTextRotaryEmbedding", "mrope3"),  # interleaved mrope inside the rotary forward
    "qwen3_vl_text": ("qwen3_vl", "Qwen3VLTextRotaryEmbedding", "mrope3"),
    # Per layer type (run_case's layer_type): Gemma3TextModel.forward builds position_embeddings[layer_type] =
    # rotary_emb(hidden_states, position_ids, layer_type); Gemma3Attention.forward: apply_rotary_pos_emb(q, k, ...)
    "gemma3": ("gemma3", "Gemma3RotaryEmbedding", "layered"),
    "gemma3_text": ("gemma3", "Gemma3RotaryEmbedding", "layered"),
    # Gemma4TextRotaryEmbedding inits each type from config.per_layer_config[layer_type] (full_attention: head_dim =
    # global_head_dim); Gemma4TextAttention.forward: apply_rotary_pos_emb(q, cos, sin, unsqueeze_dim=2) on
    # (batch, seq, heads, head_dim) with head_dim = per_layer_config[layer_idx].head_dim
    "gemma4": ("gemma4", "Gemma4TextRotaryEmbedding", "gemma4"),
    "gemma4_text": ("gemma4", "Gemma4TextRotaryEmbedding", "gemma4"),
}
LAYERED = {"layered", "gemma4"}

# Families in /work/shared/hf-configs whose code is not in transformers (remote code) or that have no RoPE.
NOT_IN_TRANSFORMERS = {"chatglm", "mixformer-sequential", "stablelm_epoch", "internlm2", "kimi_k2",
                       "RefinedWebModel", "gpt_neox_reward_model"}
NOT_ROPE = {"bert", "bloom", "deberta-v2", "mpt", "t5"}


def skip_reason(model_type):
    if model_type in NOT_IN_TRANSFORMERS or model_type not in CONFIG_MAPPING:
        return "not in transformers"
    if model_type in NOT_ROPE:
        return "no RoPE"
    if model_type not in FAMILIES:
        return "family not covered by the harness"
    return None


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


_root = logging.getLogger("transformers")
hf_logging.disable_default_handler()  # keep stderr quiet: HF's warnings are recorded per case instead
hf_logging.set_verbosity_warning()


def _modeling(family):
    import importlib
    return importlib.import_module(f"transformers.models.{family}.modeling_{family}")


def _text_config(cfg):
    sub = getattr(cfg, "text_config", None)
    return sub if sub is not None else cfg


def _attention_head_dim(model_type, cfg, layer_type=None):
    """The head size as that model's attention module defines it (see the file:line comments)."""
    if model_type in ("gemma4", "gemma4_text"):
        return cfg.per_layer_config[layer_type].head_dim  # Gemma4TextAttention: layer_config.head_dim
    if model_type in ("falcon", "gpt_neox", "gptj"):
        # falcon/modeling_falcon.py FalconAttention: hidden_size // num_heads; gpt_neox GPTNeoXAttention.head_size:
        # hidden_size // num_attention_heads; gptj GPTJAttention.head_dim: embed_dim // num_attention_heads
        return cfg.hidden_size // cfg.num_attention_heads
    if model_type in ("qwen2_vl", "qwen2_5_vl"):
        return cfg.hidden_size // cfg.num_attention_heads  # Qwen2VLAttention.head_dim
    if model_type == "mistral":
        return getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads
    if model_type == "deepseek_v3":
        return cfg.qk_rope_head_dim
    return getattr(cfg, "head_dim", cfg.hidden_size // cfg.num_attention_heads)


def _apply(model_type, kind, mod, cfg, q, cos, sin):
    """Calls the model's own rotary application the way its attention does; returns the rotated q."""
    if kind == "full" or kind == "mrope3" or kind == "layered":
        return mod.apply_rotary_pos_emb(q, q.clone(), cos, sin)[0]
    if kind == "gemma4":  # one tensor at a time, laid out (batch, seq, heads, head_dim)
        return mod.apply_rotary_pos_emb(q.transpose(1, 2), cos, sin, unsqueeze_dim=2).transpose(1, 2)
    if kind == "phi":
        rotary_ndims = int(q.shape[-1] * cfg.rope_parameters["partial_rotary_factor"])  # PhiAttention.__init__
        q_rot, q_pass = q[..., :rotary_ndims], q[..., rotary_ndims:]
        q_rot, _ = mod.apply_rotary_pos_emb(q_rot, q_rot.clone(), cos, sin)
        return torch.cat((q_rot, q_pass), dim=-1)
    if kind == "deepseek":
        k = q[:, :1].clone()
        if cfg.rope_interleave:  # DeepseekV3Attention.forward
            return mod.apply_rotary_pos_emb_interleave(q, k, cos, sin)[0]
        return mod.apply_rotary_pos_emb(q, k, cos, sin)[0]
    if kind == "mrope":
        return mod.apply_multimodal_rotary_pos_emb(q, q.clone(), cos, sin, cfg.rope_parameters["mrope_section"])[0]
    raise ValueError(kind)


def _gptj(mod, cfg, seq_len):
    """GPT-J has no rotary module: GPTJAttention.__init__ builds create_sinusoidal_positions(max_positions,
    rotary_dim or embed_dim); forward gathers rows by position and applies to q[..., :rotary_dim]."""
    captured = {}
    real_einsum = torch.einsum

    def einsum(eq, *ops):
        captured["inv_freq"] = ops[1].detach().clone()  # the inv_freq HF's create_sinusoidal_positions built
        return real_einsum(eq, *ops)

    pos_embd_dim = cfg.rotary_dim or cfg.hidden_size
    torch.einsum = einsum
    try:
        table = mod.create_sinusoidal_positions(cfg.max_position_embeddings, pos_embd_dim)
    finally:
        torch.einsum = real_einsum
    return captured["inv_freq"].float(), 1.0, table


def _classify(out, basis_dim, inv_freq=None):
    """out[j, p, :] = the model's rotation of e_j at probe position p (p = 0 first). Dimensions j and k form a pair
    when q.k sees them mix: <rot_0 e_j, rot_p e_k> != 0 for some p > 0 (this ignores any output permutation, e.g.
    DeepSeek's apply_rotary_pos_emb_interleave writes its pairs de-interleaved, identically for q and k).
    Pairs whose inv_freq is exactly 0 (proportional RoPE's padding: cos 1, sin 0) rotate by angle 0 and cannot be seen
    to move: when inv_freq has head_dim / 2 entries and every pair i <-> i + head_dim/2 with inv_freq[i] != 0 (and no
    other dimension) moves, the rotation spans the head in the half layout.
    Returns (rotary_dim, layout)."""
    if not torch.isfinite(out).all():
        return None, "non-finite output"
    eye = torch.eye(basis_dim, dtype=out.dtype)
    moved = (out - eye[:, None, :]).abs().amax(dim=(1, 2))  # did rotated e_j differ from e_j anywhere?
    mix = torch.einsum("jd,kpd->jkp", out[:, 0, :].double(), out[:, 1:, :].double()).abs().amax(dim=2)
    partners, rotated = {}, []
    for j in range(basis_dim):
        others = [k for k in range(basis_dim) if k != j and mix[j, k] > 0]
        if others or moved[j] > 0:
            rotated.append(j)
            partners[j] = others
    rd = len(rotated)
    if inv_freq is not None and 0.0 in inv_freq and 2 * len(inv_freq) == basis_dim:
        half = basis_dim // 2
        live = [i for i in range(half) if inv_freq[i] != 0.0]
        if rotated == sorted(live + [i + half for i in live]) and all(
                partners[i] == [i + half] and partners[i + half] == [i] for i in live):
            return basis_dim, "half"
    if rd == 0:
        return 0, "none"
    if rotated == list(range(rd)) and rd % 2 == 0 and all(len(p) == 1 for p in partners.values()):
        if all(partners[i] == [i + rd // 2] and partners[i + rd // 2] == [i] for i in range(rd // 2)):
            return rd, "half"
        if all(partners[2 * i] == [2 * i + 1] and partners[2 * i + 1] == [2 * i] for i in range(rd // 2)):
            return rd, "interleaved"
    return rd, "other: rotated " + _ranges(rotated) + ", partners " + str({j: p for j, p in list(partners.items())[:4]})


def _ranges(dims):
    return ",".join(f"{a}-{b}" if a != b else str(a) for a, b in _runs(dims))


def _runs(dims):
    runs = []
    for d in dims:
        if runs and d == runs[-1][1] + 1:
            runs[-1][1] = d
        else:
            runs.append([d, d])
    return runs


def run_case(config_json, seq_len, layer_type=None):
    """HF's result for one case: {inv_freq, attention_scaling, rotary_dim, layout, warnings} or {error, ...}.
    layer_type: for the per-layer-type families (LAYERED kinds), the layer type whose rope is probed (required)."""
    family = FAMILIES.get(config_json.get("model_type"))
    if family is not None and (family[2] in LAYERED) != (layer_type is not None):  # a harness error, not HF's answer
        raise ValueError(f"{config_json['model_type']}: layer_type {layer_type!r} (required exactly for the "
                         "per-layer-type families)")
    capture = _Capture()
    _root.addHandler(capture)
    hf_logging.warning_once.cache_clear()
    stage = "config"
    caught = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = _run(config_json, seq_len, layer_type)
            except _Stage as e:
                stage = e.stage
                raise e.__cause__
    except Exception as e:  # noqa: BLE001 - any failure is the oracle's answer
        result = {"error": f"{type(e).__name__}: {e}", "stage": stage}
    finally:
        _root.removeHandler(capture)
    msgs = list(capture.messages) + [f"{w.category.__name__}: {w.message}" for w in caught]
    result["warnings"] = msgs
    return result


class _Stage(Exception):
    def __init__(self, stage):
        super().__init__(stage)
        self.stage = stage


def _staged(stage, fn):
    try:
        return fn()
    except Exception as e:  # noqa: BLE001
        raise _Stage(stage) from e


def _run(config_json, seq_len, layer_type=None):
    model_type = config_json["model_type"]
    family_dir, rotary_cls, kind = FAMILIES[model_type]
    cfg_cls = CONFIG_MAPPING[model_type]
    cfg = _staged("config", lambda: cfg_cls(**copy.deepcopy(config_json)))
    text = _text_config(cfg)
    mod = _staged("import", lambda: _modeling(family_dir))
    head = _staged("config", lambda: _attention_head_dim(model_type, text, layer_type))
    length = PROBE_LEN if seq_len is None else seq_len

    if kind == "gptj":
        inv_freq, scaling, table = _staged("rotary_init", lambda: _gptj(mod, text, seq_len))

        def probe():
            positions = torch.tensor(sorted({0, 1, max(1, min(length, table.shape[0]) - 1)}))
            sincos = table[positions][None]  # (1, P, pos_embd_dim): GPTJAttention gathers rows by position_ids
            sin, cos = torch.split(sincos, sincos.shape[-1] // 2, dim=-1)
            if length > table.shape[0]:
                raise IndexError(f"position {length - 1} is outside GPT-J's table of {table.shape[0]} rows")
            q = torch.eye(head)[:, None, None, :].expand(head, positions.numel(), 1, head).contiguous()
            if text.rotary_dim is not None:
                q_rot = mod.apply_rotary_pos_emb(q[..., : text.rotary_dim], sin, cos)
                out = torch.cat([q_rot, q[..., text.rotary_dim:]], dim=-1)
            else:
                out = mod.apply_rotary_pos_emb(q, sin, cos)
            return out[:, :, 0, :]

        out = _staged("apply", probe)
        rd, layout = _classify(out, head)
        return {"inv_freq": inv_freq.tolist(), "attention_scaling": float(scaling), "rotary_dim": rd, "layout": layout}

    rotary = _staged("rotary_init", lambda: getattr(mod, rotary_cls)(text))
    prefix = "" if layer_type is None else f"{layer_type}_"  # the rotary's per-layer-type buffers and scaling
    extra = () if layer_type is None else (layer_type,)
    init_inv_freq = _staged("rotary_init", lambda: getattr(rotary, f"{prefix}inv_freq").detach().clone())
    init_scaling = getattr(rotary, f"{prefix}attention_scaling")
    x = torch.zeros(1, 1, head, dtype=torch.float32)
    ids = torch.arange(length)[None]
    if kind in ("mrope", "mrope3"):
        ids = ids[None].expand(3, 1, length)  # text tokens: the same position on all three mrope axes
    cos, sin = _staged("forward", lambda: rotary(x, ids, *extra))
    if seq_len is None:
        inv_freq, scaling = init_inv_freq, init_scaling
    else:
        inv_freq = getattr(rotary, f"{prefix}inv_freq").detach().clone()
        scaling = getattr(rotary, f"{prefix}attention_scaling")

    if length == 1:  # position 0 does not rotate: a 2-token forward (no dynamic/longrope switch below L0) for the probe
        ids2 = torch.arange(2)[None] if kind not in ("mrope", "mrope3") else torch.arange(2)[None, None].expand(3, 1, 2)
        cos, sin = _staged("forward", lambda: rotary(x, ids2, *extra))
        length = 2
    positions = torch.tensor(sorted({0, 1, length - 1}))

    def probe():
        c = cos[..., positions, :]
        s = sin[..., positions, :]
        q = torch.eye(head)[:, None, None, :].expand(head, 1, positions.numel(), head).contiguous()
        out = _apply(model_type, kind, mod, text, q, c, s)
        return out[:, 0, :, :]

    out = _staged("apply", probe)
    rd, layout = _classify(out, head, inv_freq.float().tolist())
    return {"inv_freq": inv_freq.float().tolist(), "attention_scaling": float(scaling), "rotary_dim": rd,
            "layout": layout}
