"""Reference ALiBi slopes and bias tensors.

falcon: Hugging Face transformers src/transformers/models/falcon/modeling_falcon.py build_alibi_tensor
        (BLOOM's float32 slopes, then slopes.bfloat16()).
paper: the authors' get_slopes (ofirpress/attention_with_linear_biases, fairseq transformer.py), Python floats.
bloom: Hugging Face transformers src/transformers/models/bloom/modeling_bloom.py build_alibi_tensor (float32).
mpt:   Hugging Face transformers src/transformers/models/mpt/modeling_mpt.py gen_slopes / build_alibi_bias (float32).
Deterministic: no randomness. Run with Debian's python3-torch (1.13): python3 generate.py
"""
import json
import math
import os

import torch


def paper_slopes(n):
    def power_of_two(n):
        start = 2 ** (-2 ** -(math.log2(n) - 3))
        return [start * start ** i for i in range(n)]
    if math.log2(n).is_integer():
        return power_of_two(n)
    p = 2 ** math.floor(math.log2(n))
    return power_of_two(p) + paper_slopes(2 * p)[0::2][: n - p]


def bloom_alibi(attention_mask, n_head):
    # build_alibi_tensor: slopes in float32 as powers of a float32 base; positions from cumsum(mask) - 1.
    p = 2 ** math.floor(math.log2(n_head))
    base = torch.tensor(2 ** (-(2 ** -(math.log2(p) - 3))), dtype=torch.float32)
    slopes = torch.pow(base, torch.arange(1, 1 + p, dtype=torch.int32))
    if p != n_head:
        extra_base = torch.tensor(2 ** (-(2 ** -(math.log2(2 * p) - 3))), dtype=torch.float32)
        remaining = min(p, n_head - p)
        slopes = torch.cat([slopes, torch.pow(extra_base, torch.arange(1, 1 + 2 * remaining, 2, dtype=torch.int32))])
    positions = ((attention_mask.cumsum(dim=-1) - 1) * attention_mask)[:, None, :]
    return slopes, slopes[..., None] * positions


def mpt_slopes(n_heads, alibi_bias_max):
    padded = 2 ** math.ceil(math.log2(n_heads))
    m = torch.arange(1, padded + 1, dtype=torch.float32).mul(alibi_bias_max / padded)
    slopes = 1.0 / torch.pow(2, m)
    if padded != n_heads:
        slopes = torch.concat([slopes[1::2], slopes[::2]])[:n_heads]
    return slopes


def mpt_bias(n_heads, seq_len, alibi_bias_max):
    distance = torch.arange(1 - seq_len, 1, dtype=torch.int32).view(1, 1, 1, seq_len)
    return (distance * mpt_slopes(n_heads, alibi_bias_max).view(1, n_heads, 1, 1)).to(torch.float32).squeeze(0)


heads = list(range(1, 65)) + [71, 80, 96, 112, 128]
out = {"source": "ofirpress get_slopes; HF modeling_bloom.py build_alibi_tensor; HF modeling_mpt.py gen_slopes, "
       "build_alibi_bias; torch " + torch.__version__,
       "paper": [{"heads": n, "slopes": paper_slopes(n)} for n in heads],
       "bloom": [{"heads": n, "slopes": bloom_alibi(torch.ones(1, 1), n)[0].tolist()} for n in heads],
       "falcon": [{"heads": n, "slopes": bloom_alibi(torch.ones(1, 1), n)[0].bfloat16().float().tolist()}
                  for n in heads],
       "mpt": [{"heads": n, "alibi_bias_max": b, "slopes": mpt_slopes(n, b).tolist()}
               for n in heads for b in (8, 16, 4, 12.5)]}
mask = torch.tensor([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]])
out["bloom_tensor"] = {"heads": 12, "attention_mask": mask.tolist(),
                       "alibi": bloom_alibi(mask, 12)[1].reshape(2, 12, 6).tolist()}
out["mpt_bias"] = {"heads": 24, "seq_len": 7, "alibi_bias_max": 8, "bias": mpt_bias(24, 7, 8).reshape(24, 7).tolist()}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
