#!/usr/bin/python3
"""Reference vectors for posenc's in-place RoPE kernels (RotaryEmbedding), written to vectors.json beside this file.

Run: /usr/bin/python3 generate.py   (torch 1.13, CPU; deterministic: fixed seeds, no threads-dependent reductions)

Each case rotates random float32 queries and keys the way one reference implementation does, written here from
that implementation's code (transformers v4.5x / v5 model files; lucidrains rotary-embedding-torch 0.8):

  llama_*         modeling_llama.py   LlamaRotaryEmbedding.forward (fp32, autocast off) + apply_rotary_pos_emb,
                                      rotate_half                  -> half layout, tensors (1, heads, seq, head_dim)
  gptj_partial    modeling_gptj.py    create_sinusoidal_positions + apply_rotary_pos_emb, rotate_every_two,
                                      rotary_dim < head_dim        -> interleaved, tensors (1, seq, heads, head_dim)
  deepseek_v3     modeling_deepseek_v3.py apply_rotary_pos_emb_interleave (view/transpose then rotate_half; the
                                      output stays de-interleaved: "output_permutation": "deinterleave")
  phi_partial     modeling_phi.py     partial_rotary_factor 0.5: rotate q[..., :rotary_dim], pass the rest
  qwen2_vl_mrope  modeling_qwen2_vl.py Qwen2VLRotaryEmbedding.forward + apply_multimodal_rotary_pos_emb
  qwen3_vl_mrope  modeling_qwen3_vl.py Qwen3VLTextRotaryEmbedding.forward (apply_interleaved_mrope) +
                                      apply_rotary_pos_emb
  qwen2_vl_vision modeling_qwen2_vl.py VisionRotaryEmbedding(head_dim // 2), rot_pos_emb (spatial_merge_size 2),
                                      apply_rotary_pos_emb_vision  -> tensors (seq, heads, head_dim)
  xpos            rotary_embedding_torch.py RotaryEmbedding(use_xpos=True).rotate_queries_and_keys (interleaved,
                                      scale = zeta ** ((t - n // 2) / scale_base) repeated per pair)

For every case: "expected_fp32" is the implementation as written (float32, what a torch run produces);
"expected_fp64" is the same code in float64 from the same float32 inv_freq, inputs and positions (the exact
rotation, to which posenc's default RotaryPrecision.EXACT is compared). "cos_fp32"/"sin_fp32" are the half-width
float32 tables (tokens x rotary_dim/2) of the single-axis cases, for RotaryPrecision.HF_FLOAT32 parity.
Tensors are flattened row-major in the layout named by "tensor_layout".
"""
import json
import math
import os

import torch

torch.set_num_threads(1)


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def default_inv_freq(base, dim):
    # modeling_rope_utils._compute_default_rope_parameters / compute_default_rope_parameters
    return 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))


def llama_cos_sin(inv_freq, position_ids, attention_scaling, dtype):
    # LlamaRotaryEmbedding.forward, with .float() replaced by the case's dtype
    inv_freq_expanded = inv_freq[None, :, None].to(dtype).expand(position_ids.shape[0], -1, 1)
    position_ids_expanded = position_ids[:, None, :].to(dtype)
    freqs = (inv_freq_expanded @ position_ids_expanded).transpose(1, 2)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos() * attention_scaling, emb.sin() * attention_scaling


def apply_rotary_pos_emb(q, k, cos, sin, unsqueeze_dim=1):
    cos = cos.unsqueeze(unsqueeze_dim)
    sin = sin.unsqueeze(unsqueeze_dim)
    return (q * cos) + (rotate_half(q) * sin), (k * cos) + (rotate_half(k) * sin)


def flat(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def randn(gen, *shape):
    return torch.randn(*shape, generator=gen, dtype=torch.float32)


def both(fn):
    """fn(dtype) -> (q, k); returns the fp32 and fp64 results as lists."""
    q32, k32 = fn(torch.float32)
    q64, k64 = fn(torch.float64)
    return {"query": flat(q32), "key": flat(k32)}, {"query": flat(q64), "key": flat(k64)}


def half_table(inv_freq, positions, attention_scaling):
    cos, sin = llama_cos_sin(inv_freq, torch.tensor([positions]), attention_scaling, torch.float32)
    p = inv_freq.shape[0]
    return flat(cos[0, :, :p]), flat(sin[0, :, :p])


def llama_case(gen, name, base, head_dim, heads, kv_heads, positions, attention_scaling):
    seq = len(positions)
    inv_freq = default_inv_freq(base, head_dim)
    q = randn(gen, 1, heads, seq, head_dim)
    k = randn(gen, 1, kv_heads, seq, head_dim)
    pos = torch.tensor([positions], dtype=torch.int64)

    def run(dtype):
        cos, sin = llama_cos_sin(inv_freq, pos, attention_scaling, dtype)
        return apply_rotary_pos_emb(q.to(dtype), k.to(dtype), cos, sin)

    e32, e64 = both(run)
    cos32, sin32 = half_table(inv_freq, positions, attention_scaling)
    return {
        "name": name, "follows": "transformers modeling_llama.py LlamaRotaryEmbedding.forward + apply_rotary_pos_emb",
        "layout": "half", "head_dim": head_dim, "rotary_dim": head_dim, "inv_freq": flat(inv_freq),
        "attention_scaling": attention_scaling, "tensor_layout": "head_major", "tokens": seq,
        "query_heads": heads, "key_heads": kv_heads, "positions": positions,
        "query": flat(q), "key": flat(k), "expected_fp32": e32, "expected_fp64": e64,
        "cos_fp32": cos32, "sin_fp32": sin32,
    }


def gptj_case(gen):
    # modeling_gptj.py: rotary_dim of head_dim rotated, interleaved; tensors (batch, seq, heads, head_dim)
    head_dim, rotary_dim, heads, seq = 16, 8, 3, 5
    positions = [0, 1, 2, 700, 4095]
    inv_freq = 1.0 / (10000 ** (torch.arange(0, rotary_dim, 2, dtype=torch.int64) / rotary_dim))
    q = randn(gen, 1, seq, heads, head_dim)
    k = randn(gen, 1, seq, heads, head_dim)
    pos = torch.tensor([positions], dtype=torch.int64)

    def rotate_every_two(x):
        x1 = x[:, :, :, ::2]
        x2 = x[:, :, :, 1::2]
        return torch.stack((-x2, x1), dim=-1).flatten(-2)

    def apply_gptj(tensor, sin, cos):
        sin = torch.repeat_interleave(sin[:, :, None, :], 2, 3)
        cos = torch.repeat_interleave(cos[:, :, None, :], 2, 3)
        return (tensor * cos) + (rotate_every_two(tensor) * sin)

    def run(dtype):
        num_pos = max(positions) + 1
        sinusoid_inp = torch.einsum("i , j -> i j", torch.arange(num_pos, dtype=torch.int64).to(dtype),
                                    inv_freq.to(dtype))
        embed_positions = torch.cat((torch.sin(sinusoid_inp), torch.cos(sinusoid_inp)), dim=1)
        sincos = embed_positions[pos]
        sin, cos = torch.split(sincos, sincos.shape[-1] // 2, dim=-1)
        out = []
        for x in (q.to(dtype), k.to(dtype)):
            x_rot, x_pass = x[:, :, :, :rotary_dim], x[:, :, :, rotary_dim:]
            out.append(torch.cat([apply_gptj(x_rot, sin, cos), x_pass], dim=-1))
        return out

    e32, e64 = both(run)
    cos32, sin32 = half_table(inv_freq, positions, 1.0)
    return {
        "name": "gptj_partial", "follows": "transformers modeling_gptj.py apply_rotary_pos_emb + rotate_every_two",
        "layout": "interleaved", "head_dim": head_dim, "rotary_dim": rotary_dim, "inv_freq": flat(inv_freq),
        "attention_scaling": 1.0, "tensor_layout": "token_major", "tokens": seq, "query_heads": heads,
        "key_heads": heads, "positions": positions, "query": flat(q), "key": flat(k),
        "expected_fp32": e32, "expected_fp64": e64, "cos_fp32": cos32, "sin_fp32": sin32,
    }


def deepseek_case(gen):
    # modeling_deepseek_v3.py: rope part of q/k (qk_rope_head_dim) interleaved in the checkpoint, permuted to
    # half layout by apply_rotary_pos_emb_interleave, and left permuted.
    head_dim, heads, kv_heads, seq = 16, 4, 1, 4
    positions = [3, 4, 5, 9000]
    attention_scaling = 1.0
    inv_freq = default_inv_freq(10000.0, head_dim)
    q = randn(gen, 1, heads, seq, head_dim)
    k = randn(gen, 1, kv_heads, seq, head_dim)
    pos = torch.tensor([positions], dtype=torch.int64)

    def run(dtype):
        cos, sin = llama_cos_sin(inv_freq, pos, attention_scaling, dtype)
        cos, sin = cos.unsqueeze(1), sin.unsqueeze(1)
        out = []
        for x in (q.to(dtype), k.to(dtype)):
            b, h, s, d = x.shape
            x = x.view(b, h, s, d // 2, 2).transpose(4, 3).reshape(b, h, s, d)
            out.append((x * cos) + (rotate_half(x) * sin))
        return out

    e32, e64 = both(run)
    cos32, sin32 = half_table(inv_freq, positions, attention_scaling)
    return {
        "name": "deepseek_v3_interleave",
        "follows": "transformers modeling_deepseek_v3.py apply_rotary_pos_emb_interleave",
        "layout": "interleaved", "head_dim": head_dim, "rotary_dim": head_dim, "inv_freq": flat(inv_freq),
        "attention_scaling": attention_scaling, "tensor_layout": "head_major", "tokens": seq,
        "query_heads": heads, "key_heads": kv_heads, "positions": positions, "query": flat(q), "key": flat(k),
        "output_permutation": "deinterleave", "expected_fp32": e32, "expected_fp64": e64,
        "cos_fp32": cos32, "sin_fp32": sin32,
    }


def phi_case(gen):
    # modeling_phi.py: partial_rotary_factor 0.5, inv_freq over rotary_ndims, q_rot/q_pass split and cat
    head_dim, heads, kv_heads, seq = 16, 2, 2, 6
    rotary_dim = int(head_dim * 0.5)
    positions = [0, 1, 2, 3, 2047, 2048]
    inv_freq = default_inv_freq(10000.0, rotary_dim)
    q = randn(gen, 1, heads, seq, head_dim)
    k = randn(gen, 1, kv_heads, seq, head_dim)
    pos = torch.tensor([positions], dtype=torch.int64)

    def run(dtype):
        cos, sin = llama_cos_sin(inv_freq, pos, 1.0, dtype)
        q_, k_ = q.to(dtype), k.to(dtype)
        q_rot, q_pass = q_[..., :rotary_dim], q_[..., rotary_dim:]
        k_rot, k_pass = k_[..., :rotary_dim], k_[..., rotary_dim:]
        q_rot, k_rot = apply_rotary_pos_emb(q_rot, k_rot, cos, sin)
        return torch.cat((q_rot, q_pass), dim=-1), torch.cat((k_rot, k_pass), dim=-1)

    e32, e64 = both(run)
    cos32, sin32 = half_table(inv_freq, positions, 1.0)
    return {
        "name": "phi_partial", "follows": "transformers modeling_phi.py PhiAttention.forward (partial rotary)",
        "layout": "half", "head_dim": head_dim, "rotary_dim": rotary_dim, "inv_freq": flat(inv_freq),
        "attention_scaling": 1.0, "tensor_layout": "head_major", "tokens": seq, "query_heads": heads,
        "key_heads": kv_heads, "positions": positions, "query": flat(q), "key": flat(k),
        "expected_fp32": e32, "expected_fp64": e64, "cos_fp32": cos32, "sin_fp32": sin32,
    }


def mrope_cos_sin(inv_freq, position_ids, attention_scaling, dtype, interleaved_section=None):
    # Qwen2VLRotaryEmbedding.forward / Qwen3VLTextRotaryEmbedding.forward; position_ids (3, bs, seq)
    inv_freq_expanded = inv_freq[None, None, :, None].to(dtype).expand(3, position_ids.shape[1], -1, 1)
    position_ids_expanded = position_ids[:, :, None, :].to(dtype)
    freqs = (inv_freq_expanded @ position_ids_expanded).transpose(2, 3)
    if interleaved_section is not None:
        # Qwen3VLTextRotaryEmbedding.apply_interleaved_mrope
        freqs_t = freqs[0]
        for dim, offset in enumerate((1, 2), start=1):
            length = interleaved_section[dim] * 3
            idx = slice(offset, length, 3)
            freqs_t[..., idx] = freqs[dim, ..., idx]
        freqs = freqs_t
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos() * attention_scaling, emb.sin() * attention_scaling


def qwen2_vl_case(gen):
    head_dim, heads, kv_heads = 16, 4, 2
    mrope_section = [2, 3, 3]
    # text, a 2x3 image grid starting at 3, then text again (get_rope_index's shape of positions)
    t_ids = [0, 1, 2, 3, 3, 3, 3, 3, 3, 6, 7]
    h_ids = [0, 1, 2, 3, 3, 3, 4, 4, 4, 6, 7]
    w_ids = [0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7]
    seq = len(t_ids)
    inv_freq = default_inv_freq(1000000.0, head_dim)
    q = randn(gen, 1, heads, seq, head_dim)
    k = randn(gen, 1, kv_heads, seq, head_dim)
    position_ids = torch.tensor([[t_ids], [h_ids], [w_ids]], dtype=torch.int64)

    def run(dtype):
        cos, sin = mrope_cos_sin(inv_freq, position_ids, 1.0, dtype)
        # apply_multimodal_rotary_pos_emb
        section = mrope_section * 2
        cos = torch.cat([m[i % 3] for i, m in enumerate(cos.split(section, dim=-1))], dim=-1).unsqueeze(1)
        sin = torch.cat([m[i % 3] for i, m in enumerate(sin.split(section, dim=-1))], dim=-1).unsqueeze(1)
        q_, k_ = q.to(dtype), k.to(dtype)
        return (q_ * cos) + (rotate_half(q_) * sin), (k_ * cos) + (rotate_half(k_) * sin)

    e32, e64 = both(run)
    return {
        "name": "qwen2_vl_mrope",
        "follows": "transformers modeling_qwen2_vl.py Qwen2VLRotaryEmbedding + apply_multimodal_rotary_pos_emb",
        "layout": "half", "head_dim": head_dim, "rotary_dim": head_dim, "inv_freq": flat(inv_freq),
        "attention_scaling": 1.0, "tensor_layout": "head_major", "tokens": seq, "query_heads": heads,
        "key_heads": kv_heads, "position_ids": [t_ids, h_ids, w_ids],
        "axes": {"kind": "mrope", "mrope_section": mrope_section},
        "query": flat(q), "key": flat(k), "expected_fp32": e32, "expected_fp64": e64,
    }


def qwen3_vl_case(gen):
    head_dim, heads, kv_heads = 32, 2, 1
    mrope_section = [6, 5, 5]
    t_ids = [0, 1, 2, 2, 2, 2, 2, 5, 6]
    h_ids = [0, 1, 2, 2, 3, 2, 3, 5, 6]
    w_ids = [0, 1, 2, 2, 2, 3, 3, 5, 6]
    seq = len(t_ids)
    inv_freq = default_inv_freq(5000000.0, head_dim)
    q = randn(gen, 1, heads, seq, head_dim)
    k = randn(gen, 1, kv_heads, seq, head_dim)
    position_ids = torch.tensor([[t_ids], [h_ids], [w_ids]], dtype=torch.int64)

    def run(dtype):
        cos, sin = mrope_cos_sin(inv_freq, position_ids, 1.0, dtype, interleaved_section=mrope_section)
        return apply_rotary_pos_emb(q.to(dtype), k.to(dtype), cos, sin)

    e32, e64 = both(run)
    return {
        "name": "qwen3_vl_mrope_interleaved",
        "follows": "transformers modeling_qwen3_vl.py Qwen3VLTextRotaryEmbedding.apply_interleaved_mrope",
        "layout": "half", "head_dim": head_dim, "rotary_dim": head_dim, "inv_freq": flat(inv_freq),
        "attention_scaling": 1.0, "tensor_layout": "head_major", "tokens": seq, "query_heads": heads,
        "key_heads": kv_heads, "position_ids": [t_ids, h_ids, w_ids],
        "axes": {"kind": "mrope_interleaved", "mrope_section": mrope_section},
        "query": flat(q), "key": flat(k), "expected_fp32": e32, "expected_fp64": e64,
    }


def qwen2_vl_vision_case(gen):
    head_dim, heads = 16, 2
    spatial_merge_size = 2
    grid_t, grid_h, grid_w = 1, 4, 6
    dim = head_dim // 2
    inv_freq = 1.0 / (10000.0 ** (torch.arange(0, dim, 2, dtype=torch.float) / dim))  # VisionRotaryEmbedding
    # Qwen2VisionTransformerPretrainedModel.rot_pos_emb: patch (row, col) ids in spatial-merge order
    hpos = torch.arange(grid_h).unsqueeze(1).expand(-1, grid_w)
    hpos = hpos.reshape(grid_h // spatial_merge_size, spatial_merge_size, grid_w // spatial_merge_size,
                        spatial_merge_size).permute(0, 2, 1, 3).flatten()
    wpos = torch.arange(grid_w).unsqueeze(0).expand(grid_h, -1)
    wpos = wpos.reshape(grid_h // spatial_merge_size, spatial_merge_size, grid_w // spatial_merge_size,
                        spatial_merge_size).permute(0, 2, 1, 3).flatten()
    pos_ids = torch.stack([hpos, wpos], dim=-1).repeat(grid_t, 1)
    seq = pos_ids.shape[0]
    q = randn(gen, seq, heads, head_dim)
    k = randn(gen, seq, heads, head_dim)

    def run(dtype):
        max_grid_size = max(grid_h, grid_w)
        seq_ids = torch.arange(max_grid_size, dtype=dtype)
        rotary_pos_emb_full = torch.outer(seq_ids, inv_freq.to(dtype))
        rotary_pos_emb = rotary_pos_emb_full[pos_ids].flatten(1)
        emb = torch.cat((rotary_pos_emb, rotary_pos_emb), dim=-1)
        cos, sin = emb.cos().unsqueeze(-2), emb.sin().unsqueeze(-2)  # apply_rotary_pos_emb_vision
        q_, k_ = q.to(dtype), k.to(dtype)
        return (q_ * cos) + (rotate_half(q_) * sin), (k_ * cos) + (rotate_half(k_) * sin)

    e32, e64 = both(run)
    return {
        "name": "qwen2_vl_vision_2d",
        "follows": "transformers modeling_qwen2_vl.py VisionRotaryEmbedding + rot_pos_emb + apply_rotary_pos_emb_vision",
        "layout": "half", "head_dim": head_dim, "rotary_dim": head_dim,
        "inv_freq": flat(torch.cat((inv_freq, inv_freq))), "attention_scaling": 1.0,
        "tensor_layout": "token_major", "tokens": seq, "query_heads": heads, "key_heads": heads,
        "position_ids": [hpos.tolist() * grid_t, wpos.tolist() * grid_t], "axes": {"kind": "row_column"},
        "query": flat(q), "key": flat(k), "expected_fp32": e32, "expected_fp64": e64,
    }


def xpos_case(gen, scale_base):
    # rotary_embedding_torch.RotaryEmbedding(dim=head_dim, use_xpos=True, xpos_scale_base=scale_base)
    head_dim, heads, seq = 8, 2, 7
    inv_freq = 1.0 / (10000 ** (torch.arange(0, head_dim, 2)[:(head_dim // 2)].float() / head_dim))
    q = randn(gen, 1, heads, seq, head_dim)
    k = randn(gen, 1, heads, seq, head_dim)

    def rotate_half_interleaved(x):
        x = x.reshape(*x.shape[:-1], -1, 2)
        x1, x2 = x.unbind(dim=-1)
        return torch.stack((-x2, x1), dim=-1).flatten(-2)

    def run(dtype):
        t = torch.arange(seq, dtype=dtype)
        freqs = torch.einsum("..., f -> ... f", t, inv_freq.to(dtype)).repeat_interleave(2, dim=-1)
        power = (t - seq // 2) / scale_base
        # the library's buffer: (arange(0, dim, 2) + 0.4 * dim) / (1.4 * dim), float32; float64 for the exact run
        zeta = (torch.arange(0, head_dim, 2).to(dtype) + 0.4 * head_dim) / (1.4 * head_dim)
        scale = (zeta ** power[:, None]).repeat_interleave(2, dim=-1)
        out = []
        for x, s in ((q.to(dtype), scale), (k.to(dtype), scale ** -1)):
            out.append((x * freqs.cos() * s) + (rotate_half_interleaved(x) * freqs.sin() * s))
        return out

    e32, e64 = both(run)
    return {
        "name": "xpos_scale_base_%g" % scale_base,
        "follows": "lucidrains rotary-embedding-torch RotaryEmbedding(use_xpos=True).rotate_queries_and_keys",
        "layout": "interleaved", "head_dim": head_dim, "rotary_dim": head_dim, "inv_freq": flat(inv_freq),
        "attention_scaling": 1.0, "tensor_layout": "head_major", "tokens": seq, "query_heads": heads,
        "key_heads": heads, "positions": list(range(seq)), "xpos": {"scale_base": scale_base, "center": seq // 2},
        "query": flat(q), "key": flat(k), "expected_fp32": e32, "expected_fp64": e64,
    }


def main():
    gen = torch.Generator().manual_seed(20240611)
    cases = [
        llama_case(gen, "llama_gqa", 10000.0, 16, 4, 2, [0, 1, 2, 3, 17, 4095], 1.0),
        llama_case(gen, "llama_yarn_scaling", 1000000.0, 16, 2, 1, [5, 6, 32768, 131071], 1.1386294361119890),
        llama_case(gen, "llama_long_positions", 500000.0, 8, 2, 1,
                   [10, 65537, 1000003, 10000000, 16777217, 123456789], 1.0),
        gptj_case(gen),
        deepseek_case(gen),
        phi_case(gen),
        qwen2_vl_case(gen),
        qwen3_vl_case(gen),
        qwen2_vl_vision_case(gen),
        xpos_case(gen, 512.0),
        xpos_case(gen, 4.0),
    ]
    out = {"generator": "generate.py", "torch": torch.__version__, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print("wrote %d cases to %s" % (len(cases), path))


if __name__ == "__main__":
    main()
