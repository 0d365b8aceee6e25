#!/usr/bin/python3
"""PyTorch eager RoPE, the Hugging Face way, for comparison with `./posenc bench rope`.

Applies rotary position embedding exactly as transformers' Llama does (modeling_llama.py):
cos/sin precomputed by LlamaRotaryEmbedding.forward (float32, positions 0..tokens-1), then, timed,
apply_rotary_pos_emb(q, k, cos, sin) = (q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin)
on q of shape (1, heads, tokens, head_dim) and k of shape (1, kv_heads, tokens, head_dim), float32.
Eager mode allocates new tensors for every intermediate; that is the point of the comparison.

Bytes are counted as `./posenc bench rope` counts them: each query/key element read once and written once,
8 bytes per element, cos/sin tables excluded.

  /usr/bin/python3 scripts/bench/rope_torch.py --threads 1 --json
  ./posenc bench rope --json > /tmp/posenc.json && /usr/bin/python3 scripts/bench/rope_torch.py --posenc-json /tmp/posenc.json
"""
import argparse
import json
import statistics
import sys
import time

import torch


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def apply_rotary_pos_emb(q, k, cos, sin, unsqueeze_dim=1):
    cos = cos.unsqueeze(unsqueeze_dim)
    sin = sin.unsqueeze(unsqueeze_dim)
    q_embed = (q * cos) + (rotate_half(q) * sin)
    k_embed = (k * cos) + (rotate_half(k) * sin)
    return q_embed, k_embed


def cos_sin(head_dim, positions, base=10000.0):
    # LlamaRotaryEmbedding: default inv_freq, forward in float32
    inv_freq = 1.0 / (base ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
    position_ids = positions[None, :]
    inv_freq_expanded = inv_freq[None, :, None].float().expand(position_ids.shape[0], -1, 1)
    freqs = (inv_freq_expanded @ position_ids[:, None, :].float()).transpose(1, 2)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def time_calls(fn, seconds, min_calls):
    fn()
    fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_calls or time.perf_counter() - start < seconds:
        t0 = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - t0)
    return statistics.median(times), len(times)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--head-dim", type=int, default=128)
    p.add_argument("--heads", type=int, default=32)
    p.add_argument("--kv-heads", type=int, default=8)
    p.add_argument("--tokens", type=int, default=4096)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seconds", type=float, default=5.0, help="time spent measuring each case")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--posenc-json", help="output of ./posenc bench rope --json on the same shape: adds the ratio")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)

    q = torch.randn(1, a.heads, a.tokens, a.head_dim)
    k = torch.randn(1, a.kv_heads, a.tokens, a.head_dim)
    cos, sin = cos_sin(a.head_dim, torch.arange(a.tokens))
    ns, calls = time_calls(lambda: apply_rotary_pos_emb(q, k, cos, sin), a.seconds, 5)

    q1 = torch.randn(1, a.heads, 1, a.head_dim)
    k1 = torch.randn(1, a.kv_heads, 1, a.head_dim)
    cos1, sin1 = cos_sin(a.head_dim, torch.tensor([a.tokens - 1]))
    decode_ns, decode_calls = time_calls(lambda: apply_rotary_pos_emb(q1, k1, cos1, sin1), min(a.seconds, 2.0), 1000)

    bytes_per_call = 8 * (a.heads + a.kv_heads) * a.tokens * a.head_dim
    out = {
        "benchmark": "rope_torch_eager_hf", "torch": torch.__version__, "threads": a.threads,
        "head_dim": a.head_dim, "heads": a.heads, "kv_heads": a.kv_heads, "tokens": a.tokens,
        "bytes_per_call": bytes_per_call, "ns_per_call": ns, "calls": calls,
        "bytes_per_s": bytes_per_call / (ns * 1e-9), "elements_per_s": bytes_per_call / 8 / (ns * 1e-9),
        "decode_ns_per_call": decode_ns, "decode_calls": decode_calls,
    }
    if a.posenc_json:
        with open(a.posenc_json) as f:
            posenc = json.load(f)
        for key in ("head_dim", "heads", "kv_heads", "tokens", "threads"):
            if posenc[key] != out[key]:
                sys.exit("rope_torch.py: %s differs: posenc %s, torch %s" % (key, posenc[key], out[key]))
        out["posenc_bytes_per_s"] = posenc["bytes_per_s"]
        out["posenc_speedup"] = posenc["bytes_per_s"] / out["bytes_per_s"]
        out["posenc_decode_speedup"] = decode_ns / posenc["decode_ns_per_call"]
    if a.json:
        print(json.dumps(out, indent=2))
    else:
        print("PyTorch %s eager, HF apply_rotary_pos_emb, %d thread(s): %d query + %d key heads x %d x %d tokens"
              % (torch.__version__, a.threads, a.heads, a.kv_heads, a.head_dim, a.tokens))
        print("  %.2f ms per call, %.2f GB/s (%d calls, median)" % (ns / 1e6, out["bytes_per_s"] / 1e9, calls))
        print("  decode (1 token): %.0f ns per call" % decode_ns)
        if a.posenc_json:
            print("  posenc: %.2f GB/s, %.1fx PyTorch eager; decode %.1fx"
                  % (out["posenc_bytes_per_s"] / 1e9, out["posenc_speedup"], out["posenc_decode_speedup"]))


if __name__ == "__main__":
    main()
