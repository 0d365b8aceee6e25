"""Reference DeBERTa-v2 relative positions (log buckets).

Follows Hugging Face transformers, src/transformers/models/deberta_v2/modeling_deberta_v2.py:
make_log_bucket_position(relative_pos, bucket_size, max_position) and
build_relative_position(query_size, key_size, bucket_size, max_position) (relative position = query - key).
Deterministic: no randomness. Run with Debian's python3-torch (1.13): python3 generate.py
"""
import json
import os

import torch


def log_bucket(rel, bucket_size, max_position):
    # Mirrors HF's dtypes: int64 in, float32 log branch (tensor((mp - 1) / mid) is float32), ceil, back to int64.
    sign = torch.sign(rel)
    mid = bucket_size // 2
    abs_pos = torch.where((rel < mid) & (rel > -mid), torch.tensor(mid - 1).type_as(rel), torch.abs(rel))
    log_pos = torch.ceil(torch.log(abs_pos / mid) / torch.log(torch.tensor((max_position - 1) / mid)) * (mid - 1)) + mid
    return torch.where(abs_pos <= mid, rel.type_as(log_pos), log_pos * sign).to(torch.long)


def relative_positions(query_size, key_size, bucket_size, max_position):
    rel = torch.arange(query_size)[:, None] - torch.arange(key_size)[None, :]
    if bucket_size > 0 and max_position > 0:
        rel = log_bucket(rel, bucket_size, max_position)
    return rel.to(torch.long)


settings = [(256, 512), (256, 1024), (128, 512), (64, 128), (32, 100), (2, 4), (10, 7), (512, 4096)]
rel = torch.arange(-3000, 3001, dtype=torch.long)
cases = []
for bucket_size, max_position in settings:
    cases.append({
        "position_buckets": bucket_size,
        "max_relative_positions": max_position,
        "first_relative_position": int(rel[0]),
        "bucket": log_bucket(rel, bucket_size, max_position).tolist(),
    })

matrices = []
for (q, k, bucket_size, max_position) in [(7, 7, 4, 16), (5, 9, 4, 10), (130, 130, 256, 512)]:
    m = relative_positions(q, k, bucket_size, max_position)
    matrices.append({"query_size": q, "key_size": k, "position_buckets": bucket_size,
                     "max_relative_positions": max_position, "relative_pos": m.flatten().tolist()})

out = {"source": "HF transformers modeling_deberta_v2.py make_log_bucket_position, build_relative_position; torch "
       + torch.__version__, "ranges": cases, "matrices": matrices}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
