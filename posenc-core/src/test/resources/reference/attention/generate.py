"""Reference attention outputs with each logit/value encoding, computed the way each source computes them.

t5:      HF transformers models/t5/modeling_t5.py T5Attention.forward + compute_bias (no 1/sqrt(d); relative
         position = memory_position - context_position; bidirectional for the encoder, causal for the decoder).
bloom:   HF models/bloom/modeling_bloom.py build_alibi_tensor + BloomAttention (baddbmm(alibi, q, k^T,
         beta=1, alpha=1/sqrt(d)), causal mask).
mpt:     HF models/mpt/modeling_mpt.py build_alibi_bias (slopes * (j - (S - 1))) + MptAttention, causal.
shaw:    Shaw et al. 2018 eq. 3-5, written naively with explicit (S, S, d) relative tensors.
xlnet:   HF models/xlnet/modeling_xlnet.py XLNetModel.relative_positional_encoding (attn_type bi / uni) and
         XLNetRelativeAttention.rel_attn_core (ac + rel_shift_bnij(bd)) * scale; memory = keys before the queries.
deberta: HF models/deberta_v2/modeling_deberta_v2.py DisentangledSelfAttention.forward and
         disentangled_attention_bias (c2p, p2c, scale sqrt(d * scale_factor)), build_relative_position with log
         buckets.
kerple:  Chi et al. 2022 sec. 4, GPT-NeoX KERPLE fork: -r1 log(1 + r2 |i-j|) and -r1 |i-j|^r2, causal.
fire:    Li et al. 2024 reference FIRE module (mcleish7/arithmetic cramming/architectures/embeddings.py), eval mode.
float32 like the models; fixed seed. Run: python3 generate.py
"""
import json
import math
import os

import torch

torch.manual_seed(1234)
S, H, D = 12, 2, 8
cases = []


def rnd(*shape):
    return torch.randn(*shape, dtype=torch.float32)


def flat(t):
    return [float(x) for x in t.flatten().tolist()]


def softmax_out(scores, v, mask=None):
    # scores [H, q, k]; v [k, H, d] -> out [q, H, d]
    if mask is not None:
        scores = scores.masked_fill(mask, float("-inf"))
    p = torch.softmax(scores, dim=-1)
    return torch.einsum("hqk,khd->qhd", p, v)


def causal_mask(qlen, klen, offset):
    i = torch.arange(qlen)[:, None] + offset
    j = torch.arange(klen)[None, :]
    return j > i


def base_case(name, causal, qlen=S, klen=S, offset=0, heads=H, kv_heads=H, scale=1 / math.sqrt(D)):
    return {"name": name, "heads": heads, "kv_heads": kv_heads, "head_dim": D, "causal": causal,
            "query_length": qlen, "key_length": klen, "first_query_position": offset, "softmax_scale": scale}


# --- T5 -----------------------------------------------------------------------------------------------------
def t5_bucket(rp, bidirectional, nb, md):
    out = torch.zeros_like(rp)
    if bidirectional:
        nb //= 2
        out = out + (rp > 0).to(torch.long) * nb
        n = torch.abs(rp)
    else:
        n = -torch.min(rp, torch.zeros_like(rp))
    me = nb // 2
    large = me + (torch.log(n.float() / me) / math.log(md / me) * (nb - me)).to(torch.long)
    large = torch.min(large, torch.full_like(large, nb - 1))
    return out + torch.where(n < me, n, large)


for causal in (False, True):
    q, k, v = rnd(S, H, D), rnd(S, H, D), rnd(S, H, D)
    nb, md = 8, 20
    table = rnd(nb, H)
    ctx = torch.arange(S)[:, None]
    mem = torch.arange(S)[None, :]
    buckets = t5_bucket(mem - ctx, not causal, nb, md)
    bias = table[buckets].permute(2, 0, 1)  # [H, q, k]
    scores = torch.einsum("qhd,khd->hqk", q, k) + bias
    out = softmax_out(scores, v, causal_mask(S, S, 0) if causal else None)
    c = base_case("t5", causal, scale=1.0)
    c.update({"num_buckets": nb, "max_distance": md, "relative_attention_bias": flat(table),
              "queries": flat(q), "keys": flat(k), "values": flat(v), "output": flat(out)})
    cases.append(c)

# --- BLOOM and MPT ALiBi (GQA for MPT: 4 query heads over 2 key/value heads) ----------------------------------
q, k, v = rnd(S, 3, D), rnd(S, 3, D), rnd(S, 3, D)
p = 2
base = torch.tensor(2 ** (-(2 ** -(math.log2(p) - 3))), dtype=torch.float32)
slopes = torch.pow(base, torch.arange(1, 1 + p, dtype=torch.int32))
extra = torch.tensor(2 ** (-(2 ** -(math.log2(2 * p) - 3))), dtype=torch.float32)
slopes = torch.cat([slopes, torch.pow(extra, torch.arange(1, 2, 2, dtype=torch.int32))])
alibi = slopes[:, None, None] * torch.arange(S)[None, None, :]
scores = alibi + torch.einsum("qhd,khd->hqk", q, k) * (1 / math.sqrt(D))
out = softmax_out(scores, v, causal_mask(S, S, 0))
c = base_case("bloom", True, heads=3, kv_heads=3)
c.update({"slopes": flat(slopes), "queries": flat(q), "keys": flat(k), "values": flat(v), "output": flat(out)})
cases.append(c)

q, k, v = rnd(S, 4, D), rnd(S, 2, D), rnd(S, 2, D)
padded = 4
m = torch.arange(1, padded + 1, dtype=torch.float32).mul(8 / padded)
mslopes = 1.0 / torch.pow(2, m)
mbias = torch.arange(1 - S, 1, dtype=torch.int32)[None, None, :] * mslopes[:, None, None]
kk = k.repeat_interleave(2, dim=1)
vv = v.repeat_interleave(2, dim=1)
scores = torch.einsum("qhd,khd->hqk", q, kk) * (1 / math.sqrt(D)) + mbias
out = softmax_out(scores, vv, causal_mask(S, S, 0))
c = base_case("mpt", True, heads=4, kv_heads=2)
c.update({"slopes": flat(mslopes), "queries": flat(q), "keys": flat(k), "values": flat(v), "output": flat(out)})
cases.append(c)

# --- Shaw --------------------------------------------------------------------------------------------------
for causal in (False, True):
    q, k, v = rnd(S, H, D), rnd(S, H, D), rnd(S, H, D)
    kmax = 3
    wk, wv = rnd(2 * kmax + 1, D), rnd(2 * kmax + 1, D)
    idx = torch.clamp(torch.arange(S)[None, :] - torch.arange(S)[:, None], -kmax, kmax) + kmax
    ak, av = wk[idx], wv[idx]  # [q, k, d]
    scores = (torch.einsum("qhd,khd->hqk", q, k) + torch.einsum("qhd,qkd->hqk", q, ak)) / math.sqrt(D)
    if causal:
        scores = scores.masked_fill(causal_mask(S, S, 0), float("-inf"))
    prob = torch.softmax(scores, dim=-1)
    out = torch.einsum("hqk,khd->qhd", prob, v) + torch.einsum("hqk,qkd->qhd", prob, av)
    c = base_case("shaw", causal)
    c.update({"max_relative_position": kmax, "key_table": flat(wk), "value_table": flat(wv),
              "queries": flat(q), "keys": flat(k), "values": flat(v), "output": flat(out)})
    cases.append(c)


# --- XLNet / Transformer-XL ----------------------------------------------------------------------------------
def rel_shift_bnij(x, klen):
    b, n, i, j = x.shape
    x = x.reshape(b, n, j, i)[:, :, 1:, :].reshape(b, n, i, j - 1)
    return torch.index_select(x, 3, torch.arange(klen, dtype=torch.long))


def xlnet_case(causal, qlen, klen):
    d_model = 10
    q, k, v = rnd(qlen, H, D), rnd(klen, H, D), rnd(klen, H, D)
    w_r = rnd(H * D, d_model)  # Linear(d_model, H*D).weight
    u, vb = rnd(H, D), rnd(H, D)
    beg, end = (klen, -1) if causal else (klen, -qlen)
    pos_seq = torch.arange(beg, end, -1.0)
    inv_freq = 1 / torch.pow(10000, torch.arange(0, d_model, 2.0) / d_model)
    sinusoid = torch.einsum("i,d->id", pos_seq, inv_freq)
    r = torch.cat([torch.sin(sinusoid), torch.cos(sinusoid)], dim=-1)
    k_head_r = (r @ w_r.T).reshape(-1, H, D)
    ac = torch.einsum("ihd,jhd->hij", q + u, k)[None]
    bd = torch.einsum("ihd,jhd->hij", q + vb, k_head_r)[None]
    bd = rel_shift_bnij(bd, klen)
    scores = ((ac + bd) * (1 / math.sqrt(D)))[0]
    out = softmax_out(scores, v, causal_mask(qlen, klen, klen - qlen) if causal else None)
    c = base_case("xlnet", causal, qlen=qlen, klen=klen, offset=klen - qlen)
    c.update({"d_model": d_model, "r_w_bias": flat(u), "r_r_bias": flat(vb), "r_net": flat(w_r),
              "queries": flat(q), "keys": flat(k), "values": flat(v), "output": flat(out)})
    return c


cases.append(xlnet_case(False, S, S))
cases.append(xlnet_case(True, S, S))
cases.append(xlnet_case(True, 5, 9))


# --- DeBERTa-v2 --------------------------------------------------------------------------------------------
def log_bucket(rel, bucket_size, max_position):
    sign = torch.sign(rel)
    mid = bucket_size // 2
    abs_pos = torch.where((rel < mid) & (rel > -mid), torch.tensor(mid - 1).type_as(rel), torch.abs(rel))
    log_pos = torch.ceil(torch.log(abs_pos / mid) / torch.log(torch.tensor((max_position - 1) / mid)) * (mid - 1)) + mid
    return torch.where(abs_pos <= mid, rel.type_as(log_pos), log_pos * sign).to(torch.long)


def deberta_case(types):
    buckets, max_rel = 4, 8
    span = buckets
    q, k, v = rnd(S, H, D), rnd(S, H, D), rnd(S, H, D)
    pos_key, pos_query = rnd(2 * span, H * D), rnd(2 * span, H * D)
    rel = log_bucket(torch.arange(S)[:, None] - torch.arange(S)[None, :], buckets, max_rel)
    factor = 1 + len(types)
    scale = torch.sqrt(torch.tensor(D, dtype=torch.float) * factor)
    ql, kl = q.permute(1, 0, 2), k.permute(1, 0, 2)  # [H, S, D]
    score = torch.bmm(ql, kl.transpose(-1, -2)) / scale
    pk = pos_key.reshape(2 * span, H, D).permute(1, 0, 2)
    pq = pos_query.reshape(2 * span, H, D).permute(1, 0, 2)
    if "c2p" in types:
        c2p = torch.bmm(ql, pk.transpose(-1, -2))
        c2p_pos = torch.clamp(rel + span, 0, 2 * span - 1)
        score = score + torch.gather(c2p, -1, c2p_pos[None].expand(H, S, S)) / scale
    if "p2c" in types:
        p2c = torch.bmm(kl, pq.transpose(-1, -2))
        p2c_pos = torch.clamp(-rel + span, 0, 2 * span - 1)
        score = score + torch.gather(p2c, -1, p2c_pos[None].expand(H, S, S)).transpose(-1, -2) / scale
    out = softmax_out(score, v)
    c = base_case("deberta", False, scale=float(1 / scale))
    c.update({"position_buckets": buckets, "max_relative_positions": max_rel, "pos_att_type": list(types),
              "pos_key": flat(pos_key) if "c2p" in types else None,
              "pos_query": flat(pos_query) if "p2c" in types else None,
              "queries": flat(q), "keys": flat(k), "values": flat(v), "output": flat(out)})
    return c


cases.append(deberta_case(("c2p", "p2c")))
cases.append(deberta_case(("c2p",)))
cases.append(deberta_case(("p2c",)))

# --- KERPLE --------------------------------------------------------------------------------------------------
for kind in ("log", "power"):
    q, k, v = rnd(S, H, D), rnd(S, H, D), rnd(S, H, D)
    r1 = torch.rand(H) * 2 + 0.01
    r2 = torch.rand(H) + 0.01
    dist = (torch.arange(S)[:, None] - torch.arange(S)[None, :]).abs().float()
    if kind == "log":
        bias = -r1[:, None, None] * torch.log(1 + r2[:, None, None] * dist)
    else:
        bias = -r1[:, None, None] * dist ** r2[:, None, None]
    scores = torch.einsum("qhd,khd->hqk", q, k) / math.sqrt(D) + bias
    out = softmax_out(scores, v, causal_mask(S, S, 0))
    c = base_case("kerple_" + kind, True)
    c.update({"r1": flat(r1), "r2": flat(r2), "queries": flat(q), "keys": flat(k), "values": flat(v),
              "output": flat(out)})
    cases.append(c)

# --- FIRE ----------------------------------------------------------------------------------------------------
width = 6
q, k, v = rnd(S, H, D), rnd(S, H, D), rnd(S, H, D)
mlp = torch.nn.Sequential(torch.nn.Linear(1, width), torch.nn.ReLU(), torch.nn.Linear(width, H))
c_param = torch.tensor(0.7)
threshold = torch.abs(torch.tensor(1.0) * torch.tensor(5.0))
with torch.no_grad():
    positions = torch.arange(S, dtype=torch.float)
    rel = positions[:, None] - positions[None, :]
    normalizer = torch.max(positions, threshold)[:, None]
    rel = torch.log(torch.abs(c_param * rel) + 1)
    normalizer = torch.log(torch.abs(c_param * normalizer) + 1)
    bias = mlp((rel / (normalizer + 1e-6)).unsqueeze(-1)).permute(2, 0, 1)
    scores = torch.einsum("qhd,khd->hqk", q, k) / math.sqrt(D) + bias
    out = softmax_out(scores, v, causal_mask(S, S, 0))
    c = base_case("fire", True)
    c.update({"hidden_weight": flat(mlp[0].weight), "hidden_bias": flat(mlp[0].bias),
              "output_weight": flat(mlp[2].weight), "output_bias": flat(mlp[2].bias), "c": float(c_param),
              "threshold": float(threshold), "queries": flat(q), "keys": flat(k), "values": flat(v),
              "output": flat(out)})
    cases.append(c)

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json"), "w") as f:
    json.dump({"source": "see the docstring; torch " + torch.__version__, "cases": cases}, f, separators=(",", ":"))
