#!/usr/bin/python3
"""Reference vectors for posenc's half-precision RoPE in Hugging Face's bf16/fp16 forward mode
(RotaryEmbedding.withHalfArithmetic(HalfArithmetic.HF_FORWARD)), written to vectors.json beside this file.

Run: /usr/bin/python3 generate.py   (torch 1.13, CPU; deterministic: fixed seeds, one thread)

Each case runs a model's rotary code as transformers writes it for a model loaded in torch_dtype=bfloat16/float16:

  LlamaRotaryEmbedding.forward(x, position_ids): freqs = inv_freq.float() @ position_ids.float() (autocast off),
      emb = cat(freqs, freqs), cos = emb.cos() * attention_scaling, sin likewise, in float32, then
      return cos.to(dtype=x.dtype), sin.to(dtype=x.dtype)
  apply_rotary_pos_emb(q, k, cos, sin): q_embed = (q * cos) + (rotate_half(q) * sin), every op on tensors of the
      model's dtype (torch's CPU kernels compute each op in float and round it to the dtype)
  gptj: rotate_every_two, interleaved, partial rotary_dim (cos/sin cast as above); phi: partial rotary (q_rot/q_pass);
  qwen2_vl: apply_multimodal_rotary_pos_emb (M-RoPE sections) on bf16.

Stored per case: the float32 inv_freq, positions, "cos_fp32"/"sin_fp32" (half-width float32 tables before the
cast, to check posenc's HF_FLOAT32 rows), the inputs and expected outputs as raw 16-bit patterns ("query_bits",
"key_bits", "expected_query_bits", "expected_key_bits"), tensors flattened row-major in "tensor_layout".
"""
import json
import os

import torch

torch.set_num_threads(1)


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def default_inv_freq(base, dim):
    return 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))


def llama_cos_sin(inv_freq, position_ids, attention_scaling):
    # LlamaRotaryEmbedding.forward, float32
    inv_freq_expanded = inv_freq[None, :, None].float().expand(position_ids.shape[0], -1, 1)
    position_ids_expanded = position_ids[:, None, :].float()
    freqs = (inv_freq_expanded @ position_ids_expanded).transpose(1, 2)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos() * attention_scaling, emb.sin() * attention_scaling


def bits(t):
    return [int(v) for v in t.contiguous().view(torch.int16).reshape(-1).tolist()]


def half_tables(cos, sin, pairs):
    return ([float(v) for v in cos[0, :, :pairs].reshape(-1).tolist()],
            [float(v) for v in sin[0, :, :pairs].reshape(-1).tolist()])


def random(gen, dtype, *shape):
    return (torch.randn(*shape, generator=gen, dtype=torch.float32) * 2).to(dtype)


def dtype_name(dtype):
    return "bfloat16" if dtype == torch.bfloat16 else "float16"


def llama_case(gen, name, dtype, base, head_dim, heads, kv_heads, positions, attention_scaling):
    seq = len(positions)
    inv_freq = default_inv_freq(base, head_dim)
    q = random(gen, dtype, 1, heads, seq, head_dim)
    k = random(gen, dtype, 1, kv_heads, seq, head_dim)
    cos, sin = llama_cos_sin(inv_freq, torch.tensor([positions]), attention_scaling)
    cos_h, sin_h = cos.to(dtype=dtype).unsqueeze(1), sin.to(dtype=dtype).unsqueeze(1)
    q_embed = (q * cos_h) + (rotate_half(q) * sin_h)
    k_embed = (k * cos_h) + (rotate_half(k) * sin_h)
    cos32, sin32 = half_tables(cos, sin, head_dim // 2)
    return {
        "name": name, "follows": "transformers modeling_llama.py LlamaRotaryEmbedding.forward + apply_rotary_pos_emb",
        "dtype": dtype_name(dtype), "layout": "half", "head_dim": head_dim, "rotary_dim": head_dim,
        "inv_freq": [float(v) for v in inv_freq.tolist()], "attention_scaling": attention_scaling,
        "tensor_layout": "head_major", "tokens": seq, "query_heads": heads, "key_heads": kv_heads,
        "positions": positions, "cos_fp32": cos32, "sin_fp32": sin32,
        "query_bits": bits(q), "key_bits": bits(k),
        "expected_query_bits": bits(q_embed), "expected_key_bits": bits(k_embed),
    }


def phi_case(gen, dtype):
    # modeling_phi.py: partial_rotary_factor 0.5
    head_dim, heads, kv_heads = 32, 2, 2
    rotary_dim = head_dim // 2
    positions = [0, 1, 2, 3, 2047, 2048, 4000]
    seq = len(positions)
    inv_freq = default_inv_freq(10000.0, rotary_dim)
    q = random(gen, dtype, 1, heads, seq, head_dim)
    k = random(gen, dtype, 1, kv_heads, seq, head_dim)
    cos, sin = llama_cos_sin(inv_freq, torch.tensor([positions]), 1.0)
    cos_h, sin_h = cos.to(dtype=dtype).unsqueeze(1), sin.to(dtype=dtype).unsqueeze(1)
    out = []
    for x in (q, k):
        x_rot, x_pass = x[..., :rotary_dim], x[..., rotary_dim:]
        out.append(torch.cat(((x_rot * cos_h) + (rotate_half(x_rot) * sin_h), x_pass), dim=-1))
    cos32, sin32 = half_tables(cos, sin, rotary_dim // 2)
    return {
        "name": "phi_partial_" + dtype_name(dtype), "follows": "transformers modeling_phi.py (partial rotary)",
        "dtype": dtype_name(dtype), "layout": "half", "head_dim": head_dim, "rotary_dim": rotary_dim,
        "inv_freq": [float(v) for v in inv_freq.tolist()], "attention_scaling": 1.0,
        "tensor_layout": "head_major", "tokens": seq, "query_heads": heads, "key_heads": kv_heads,
        "positions": positions, "cos_fp32": cos32, "sin_fp32": sin32,
        "query_bits": bits(q), "key_bits": bits(k),
        "expected_query_bits": bits(out[0]), "expected_key_bits": bits(out[1]),
    }


def gptj_case(gen, dtype):
    # modeling_gptj.py's layout: rotate_every_two, rotary_dim < head_dim, tensors (batch, seq, heads, head_dim),
    # with cos/sin cast to the dtype as LlamaRotaryEmbedding does (GPT-J itself multiplies by its float32 table,
    # so torch promotes that product to float32: not a half-precision forward)
    head_dim, rotary_dim, heads = 48, 32, 3
    positions = [0, 1, 2, 700, 4095]
    seq = len(positions)
    inv_freq = 1.0 / (10000 ** (torch.arange(0, rotary_dim, 2, dtype=torch.int64) / rotary_dim))
    q = random(gen, dtype, 1, seq, heads, head_dim)
    k = random(gen, dtype, 1, seq, heads, head_dim)

    def rotate_every_two(x):
        x1 = x[:, :, :, ::2]
        x2 = x[:, :, :, 1::2]
        return torch.stack((-x2, x1), dim=-1).flatten(-2)

    cos, sin = llama_cos_sin(inv_freq.float(), torch.tensor([positions]), 1.0)
    pairs = rotary_dim // 2
    sin_h = torch.repeat_interleave(sin[:, :, None, :pairs].to(dtype), 2, 3)
    cos_h = torch.repeat_interleave(cos[:, :, None, :pairs].to(dtype), 2, 3)
    out = []
    for x in (q, k):
        x_rot, x_pass = x[:, :, :, :rotary_dim], x[:, :, :, rotary_dim:]
        out.append(torch.cat([(x_rot * cos_h) + (rotate_every_two(x_rot) * sin_h), x_pass], dim=-1))
    cos32, sin32 = half_tables(cos, sin, pairs)
    return {
        "name": "gptj_partial_" + dtype_name(dtype),
        "follows": "transformers modeling_gptj.py apply_rotary_pos_emb + rotate_every_two",
        "dtype": dtype_name(dtype), "layout": "interleaved", "head_dim": head_dim, "rotary_dim": rotary_dim,
        "inv_freq": [float(v) for v in inv_freq.float().tolist()], "attention_scaling": 1.0,
        "tensor_layout": "token_major", "tokens": seq, "query_heads": heads, "key_heads": heads,
        "positions": positions, "cos_fp32": cos32, "sin_fp32": sin32,
        "query_bits": bits(q), "key_bits": bits(k),
        "expected_query_bits": bits(out[0]), "expected_key_bits": bits(out[1]),
    }


def qwen2_vl_case(gen, dtype):
    head_dim, heads, kv_heads = 32, 4, 2
    mrope_section = [4, 6, 6]
    t_ids = [0, 1, 2, 3, 3, 3, 3, 3, 3, 6, 7]
    h_ids = [0, 1, 2, 3, 3, 3, 4, 4, 4, 6, 7]
    w_ids = [0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7]
    seq = len(t_ids)
    inv_freq = default_inv_freq(1000000.0, head_dim)
    q = random(gen, dtype, 1, heads, seq, head_dim)
    k = random(gen, dtype, 1, kv_heads, seq, head_dim)
    position_ids = torch.tensor([[t_ids], [h_ids], [w_ids]], dtype=torch.int64)
    # Qwen2VLRotaryEmbedding.forward: float32, then .to(x.dtype)
    inv_freq_expanded = inv_freq[None, None, :, None].float().expand(3, 1, -1, 1)
    freqs = (inv_freq_expanded @ position_ids[:, :, None, :].float()).transpose(2, 3)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos().to(dtype), emb.sin().to(dtype)
    # apply_multimodal_rotary_pos_emb
    section = mrope_section * 2
    cos = torch.cat([m[i % 3] for i, m in enumerate(cos.split(section, dim=-1))], dim=-1).unsqueeze(1)
    sin = torch.cat([m[i % 3] for i, m in enumerate(sin.split(section, dim=-1))], dim=-1).unsqueeze(1)
    q_embed = (q * cos) + (rotate_half(q) * sin)
    k_embed = (k * cos) + (rotate_half(k) * sin)
    return {
        "name": "qwen2_vl_mrope_" + dtype_name(dtype),
        "follows": "transformers modeling_qwen2_vl.py Qwen2VLRotaryEmbedding + apply_multimodal_rotary_pos_emb",
        "dtype": dtype_name(dtype), "layout": "half", "head_dim": head_dim, "rotary_dim": head_dim,
        "inv_freq": [float(v) for v in inv_freq.tolist()], "attention_scaling": 1.0,
        "tensor_layout": "head_major", "tokens": seq, "query_heads": heads, "key_heads": kv_heads,
        "position_ids": [t_ids, h_ids, w_ids], "axes": {"kind": "mrope", "mrope_section": mrope_section},
        "query_bits": bits(q), "key_bits": bits(k),
        "expected_query_bits": bits(q_embed), "expected_key_bits": bits(k_embed),
    }


def main():
    gen = torch.Generator().manual_seed(20250611)
    cases = []
    for dtype in (torch.bfloat16, torch.float16):
        name = dtype_name(dtype)
        cases += [
            llama_case(gen, "llama_gqa_" + name, dtype, 10000.0, 64, 4, 2, [0, 1, 2, 3, 17, 4095], 1.0),
            llama_case(gen, "llama_yarn_scaling_" + name, dtype, 1000000.0, 32, 2, 1, [5, 6, 32768, 131071],
                       1.1386294361119890),
            llama_case(gen, "llama_offset_" + name, dtype, 500000.0, 128, 2, 1, list(range(4000, 4008)), 1.0),
            phi_case(gen, dtype),
            gptj_case(gen, dtype),
            qwen2_vl_case(gen, dtype),
        ]
    out = {"generator": "generate.py", "torch": torch.__version__, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print("wrote %d cases to %s" % (len(cases), path))


if __name__ == "__main__":
    main()
