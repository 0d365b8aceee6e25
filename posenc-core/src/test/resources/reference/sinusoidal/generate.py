"""Reference sinusoidal position tables.

interleaved: Vaswani et al. 2017 (arXiv:1706.03762) sec. 3.5, PE[p, 2i] = sin(p / 10000^(2i/d)),
             PE[p, 2i+1] = cos(same), written the way the seed (003) writes it in NumPy.
concatenated: Transformer-XL / XLNet (HF transformers models/deprecated/transfo_xl PositionalEmbedding and
             XLNetModel.positional_embedding): inv_freq = 1 / 10000^(arange(0, d, 2) / d),
             [sin(pos * inv_freq) || cos(pos * inv_freq)], including negative positions (distances).
float64 throughout. Deterministic. Run: python3 generate.py
"""
import json
import os

import numpy as np
import torch


def interleaved(max_len, d_model, base=10000.0):
    pe = np.zeros((max_len, d_model))
    pos = np.arange(0, max_len).reshape(-1, 1)
    inv = np.exp(np.arange(0, d_model, 2) * (-np.log(base) / d_model))
    pe[:, 0::2] = np.sin(pos * inv)
    pe[:, 1::2] = np.cos(pos * inv)
    return pe


def concatenated(pos_seq, demb, base=10000.0):
    inv_freq = 1 / (base ** (torch.arange(0.0, demb, 2.0, dtype=torch.float64) / demb))
    sinusoid = torch.outer(pos_seq.to(torch.float64), inv_freq)
    return torch.cat([sinusoid.sin(), sinusoid.cos()], dim=-1)


out = {"source": "Vaswani 2017 sec 3.5 (seed 003 NumPy form); HF transfo_xl/xlnet positional embedding; torch "
       + torch.__version__, "interleaved": [], "concatenated": []}
for d, n, base in [(8, 4, 10000.0), (16, 50, 10000.0), (64, 60, 10000.0), (6, 10, 500.0), (128, 20, 10000.0)]:
    out["interleaved"].append({"dim": d, "positions": n, "base": base, "table": interleaved(n, d, base).tolist()})
for d, first, last in [(8, -5, 5), (32, -40, 60), (64, 0, 30)]:
    pos = torch.arange(first, last + 1)
    out["concatenated"].append({"dim": d, "first_position": first, "positions": last - first + 1, "base": 10000.0,
                                "table": concatenated(pos, d).tolist()})
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
