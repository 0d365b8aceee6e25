"""Reference T5 relative-position buckets.

Follows Hugging Face transformers, src/transformers/models/t5/modeling_t5.py,
T5Attention._relative_position_bucket (unchanged from v4.x through v5): relative_position is
memory_position - query_position (key - query); float32 log branch; .to(torch.long) truncation.
Deterministic: no randomness. Run with Debian's python3-torch (1.13): python3 generate.py
"""
import json
import math
import os

import torch


def t5_bucket(relative_position, bidirectional, num_buckets, max_distance):
    # Written to mirror HF's operation order and dtypes (int64 in, float32 log branch).
    buckets = torch.zeros_like(relative_position)
    if bidirectional:
        num_buckets //= 2
        buckets = buckets + (relative_position > 0).to(torch.long) * num_buckets
        n = torch.abs(relative_position)
    else:
        n = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    small = n < max_exact
    large = max_exact + (
        torch.log(n.float() / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact)
    ).to(torch.long)
    large = torch.min(large, torch.full_like(large, num_buckets - 1))
    return buckets + torch.where(small, n, large)


cases = []
settings = [(32, 128), (32, 64), (16, 32), (64, 256), (8, 16), (128, 1024), (33, 100), (4, 5), (2, 3), (6, 50)]
rp = torch.arange(-3000, 3001, dtype=torch.long)
for num_buckets, max_distance in settings:
    for bidirectional in (True, False):
        if bidirectional and num_buckets < 4:
            continue
        b = t5_bucket(rp, bidirectional, num_buckets, max_distance)
        cases.append({
            "num_buckets": num_buckets,
            "max_distance": max_distance,
            "bidirectional": bidirectional,
            "first_relative_position": int(rp[0]),
            "bucket": b.tolist(),
        })

# Large distances (log branch far from the exact buckets).
far = torch.tensor([10**4, 65535, 10**5, 10**6, 2**31 - 1, -(10**4), -(10**6), -(2**31 - 1)], dtype=torch.long)
far_cases = []
for num_buckets, max_distance in settings:
    for bidirectional in (True, False):
        if bidirectional and num_buckets < 4:
            continue
        far_cases.append({
            "num_buckets": num_buckets,
            "max_distance": max_distance,
            "bidirectional": bidirectional,
            "relative_position": far.tolist(),
            "bucket": t5_bucket(far, bidirectional, num_buckets, max_distance).tolist(),
        })

out = {"source": "HF transformers modeling_t5.py T5Attention._relative_position_bucket; torch " + torch.__version__,
       "ranges": cases, "far": far_cases}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
