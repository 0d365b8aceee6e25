#!/usr/bin/env python3
"""Exact (mpmath, 50 digits) rotation of the shared ggml rope dumps' input at large positions.

The formula is ggml's (ggml/src/ggml-cpu/ops.cpp, see GgmlRopeCall's Javadoc) evaluated exactly, with its float32
parameters as ggml holds them (freq_base, freq_scale, attn_factor, the factor tensor, the YaRN ramp computed in
float32 from the dumped correction dims). Writes vectors.json beside this script; GgufExactReferenceTest reads it
and reports how far ggml's float32 chain and posenc's exact evaluation lie from it.

    /usr/bin/python3 exact_rope.py /work/shared/gguf
"""
import base64, json, struct, sys
from pathlib import Path
import mpmath as mp

mp.mp.dps = 50
FIXTURES = ["llama-3.1-8b", "gpt-oss-20b", "deepseek-v3-base", "phi-3.5-mini-instruct",
            "qwen3-vl-32b-instruct-trimmed"]
POSITIONS = [131071, 1000000]


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def floats(b64):
    raw = base64.b64decode(b64)
    return list(struct.unpack("<%df" % (len(raw) // 4), raw))


def axis(run, i):
    s = run["sections"]
    if run["op"] != "ggml_rope_multi":
        return 0
    sector = i % sum(s)
    if run["mode"] == 40:
        if sector % 3 == 1 and sector < 3 * s[1]: return 1
        if sector % 3 == 2 and sector < 3 * s[2]: return 2
        if sector % 3 == 0 and sector < 3 * s[0]: return 0
        return 3
    if s[0] <= sector < s[0] + s[1]: return 1
    if s[0] + s[1] <= sector < s[0] + s[1] + s[2]: return 2
    if sector >= s[0] + s[1] + s[2]: return 3
    return 0


def main(root):
    out = []
    for stem in FIXTURES:
        d = json.loads((Path(root) / "converted" / (stem + ".ggml-rope.json")).read_text())
        c = d["cases"][0]
        run = c["runs"][0]
        hd = d["derivation"]["head_dim"]
        x = floats(d["input"]["f32le_base64"])
        n = run["n_dims"]
        tokens = len(d["positions"])
        heads = len(x) // (hd * tokens)
        base, fs, attn, ext = (mp.mpf(f32(run[k])) for k in ("freq_base", "freq_scale", "attn_factor", "ext_factor"))
        ff = c["freq_factors"]
        low, high = (f32(v) for v in run["yarn_corr_dims"])
        mscale = attn * (1 + mp.mpf("0.1") * mp.log(1 / fs)) if ext != 0 else attn
        for p in POSITIONS:
            t = d["positions"].index(p)
            pos = [p, p, p, 0] if run["op"] == "ggml_rope_multi" else [p]
            y = [None] * (heads * hd)
            for i in range(n // 2):
                te = pos[axis(run, i)] * mp.power(base, mp.mpf(-2 * i) / n) / (mp.mpf(f32(ff[i])) if ff else 1)
                ti = fs * te
                if ext != 0:
                    yr = f32(f32(i - low) / f32(max(0.001, f32(high - low))))
                    ramp = mp.mpf(f32((1 - min(1.0, max(0.0, yr))) * f32(ext)))
                    theta = ti * (1 - ramp) + te * ramp
                else:
                    theta = ti
                cs, sn = mp.cos(theta) * mscale, mp.sin(theta) * mscale
                for h in range(heads):
                    b = (t * heads + h) * hd
                    i0 = b + 2 * i if run["mode"] == 0 else b + i
                    i1 = i0 + 1 if run["mode"] == 0 else i0 + n // 2
                    x0, x1 = mp.mpf(x[i0]), mp.mpf(x[i1])
                    y[i0 - t * heads * hd] = float(x0 * cs - x1 * sn)
                    y[i1 - t * heads * hd] = float(x0 * sn + x1 * cs)
            out.append({"fixture": stem, "n_ctx": c["n_ctx"], "position": p, "token": t,
                        "rotated": [v for v in y]})
    Path(__file__).with_name("vectors.json").write_text(json.dumps(
        {"source": "exact_rope.py (mpmath %s, 50 digits)" % mp.__version__, "cases": out}, indent=0))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/gguf")
