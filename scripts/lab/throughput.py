#!/usr/bin/env python3
"""Training throughput of the lab's model written in PyTorch Python (the baseline for `posenc lab throughput`).

The model is the one posenc-lab builds in Java (dev.posenc.lab.TinyLm), op for op: byte embedding (tied with the
output head), NUM_LAYERS pre-LayerNorm blocks (causal multi-head attention with a qkv projection and an output
projection, then a 4x GELU MLP), a final LayerNorm; cross-entropy over next bytes; gradients clipped to global norm
1.0; AdamW (lr 1e-3, betas 0.9/0.95, weight decay 0.1 on matrices). Positions: none (nope) or RoPE (half layout as Hugging Face rotates, theta 10000, cos/sin tables
computed once), chosen with --encoding.

Batches are random windows of random bytes: throughput does not depend on the text. Prints one JSON line:
{"impl":"pytorch-python","torch":..,"threads":..,"encoding":..,"tokens_per_s":..,"ms_per_step":..}.
Usage: throughput.py --threads N --steps S --warmup W --batch B --seq-len T --d-model D --layers L --heads H
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F


def rope_tables(seq_len, head_dim):
    inv_freq = 1.0 / (10000.0 ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))
    angles = torch.arange(seq_len, dtype=torch.float64)[:, None] * inv_freq[None, :]
    angles = torch.cat((angles, angles), dim=-1)
    return torch.cos(angles).float(), torch.sin(angles).float()


def rotate_half(x):
    # Hugging Face apply_rotary_pos_emb: [x1, x2] -> [-x2, x1]
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class TinyLm(torch.nn.Module):
    def __init__(self, d_model, layers, heads, seq_len, encoding):
        super().__init__()
        self.heads = heads
        self.encoding = encoding
        self.embed = torch.nn.Parameter(torch.randn(256, d_model) * 0.02)
        self.blocks = torch.nn.ModuleList()
        for _ in range(layers):
            self.blocks.append(torch.nn.ModuleDict({
                "ln1": torch.nn.LayerNorm(d_model),
                "qkv": torch.nn.Linear(d_model, 3 * d_model),
                "proj": torch.nn.Linear(d_model, d_model),
                "ln2": torch.nn.LayerNorm(d_model),
                "up": torch.nn.Linear(d_model, 4 * d_model),
                "down": torch.nn.Linear(4 * d_model, d_model),
            }))
        self.ln_f = torch.nn.LayerNorm(d_model)
        mask = torch.full((seq_len, seq_len), float("-inf")).triu(1)
        self.register_buffer("mask", mask)
        cos, sin = rope_tables(seq_len, d_model // heads)
        self.register_buffer("cos", cos)
        self.register_buffer("sin", sin)

    def forward(self, tokens):
        b, t = tokens.shape
        x = F.embedding(tokens, self.embed)
        hd = x.shape[-1] // self.heads
        for blk in self.blocks:
            h = blk["ln1"](x)
            q, k, v = blk["qkv"](h).view(b, t, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
            if self.encoding == "rope":
                q = q * self.cos + rotate_half(q) * self.sin
                k = k * self.cos + rotate_half(k) * self.sin
            scores = q @ k.transpose(-1, -2) * (1.0 / math.sqrt(hd)) + self.mask
            att = scores.softmax(-1) @ v
            x = x + blk["proj"](att.transpose(1, 2).reshape(b, t, -1))
            x = x + blk["down"](F.gelu(blk["up"](blk["ln2"](x))))
        return self.ln_f(x) @ self.embed.t()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--seq-len", type=int, default=64)
    p.add_argument("--d-model", type=int, default=128)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--encoding", choices=["nope", "rope"], default="rope")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    model = TinyLm(a.d_model, a.layers, a.heads, a.seq_len, a.encoding)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.95), eps=1e-8)
    gen = torch.Generator().manual_seed(0)
    data = torch.randint(0, 256, (a.warmup + a.steps, a.batch, a.seq_len + 1), generator=gen)

    def step(i):
        x, y = data[i, :, :-1], data[i, :, 1:]
        loss = F.cross_entropy(model(x).reshape(-1, 256), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss

    for i in range(a.warmup):
        step(i)
    start = time.perf_counter()
    for i in range(a.warmup, a.warmup + a.steps):
        step(i)
    elapsed = time.perf_counter() - start
    tokens = a.steps * a.batch * a.seq_len
    print(json.dumps({"impl": "pytorch-python", "torch": torch.__version__, "threads": a.threads,
                      "encoding": a.encoding, "batch": a.batch, "seq_len": a.seq_len, "d_model": a.d_model,
                      "layers": a.layers, "heads": a.heads, "steps": a.steps,
                      "tokens_per_s": tokens / elapsed, "ms_per_step": 1000 * elapsed / a.steps}))


if __name__ == "__main__":
    main()
