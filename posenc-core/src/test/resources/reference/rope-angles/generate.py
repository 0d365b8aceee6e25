#!/usr/bin/python3
"""High-precision cos/sin of rotary angles, for posenc's RotaryPrecision.EXACT; writes vectors.json beside this file.

Run: /usr/bin/python3 generate.py   (mpmath, 60 significant digits; deterministic)

For float32 inverse frequencies inv (taken exactly, as the double of the float) and integer positions m, each entry
holds cos(m * inv) * s and sin(m * inv) * s for an attention scaling s (given as the double it is in Java), as
decimal strings with 40 significant digits; all arithmetic is exact rational arithmetic until mpmath's cos/sin at
200 bits. The inverse frequencies are Hugging Face's default float32 inv_freq = 1 / base ** (arange(0, d, 2) / d)
for a few (base, d, index), computed here in numpy float32 (float32 pow and division, as torch does; a last-bit
difference from torch would not matter: the entries are exact for whatever float is recorded).

"hf_float32_angle_error" records, for each entry, |fp32(fp32(m) * inv) - m * inv| in radians: what Hugging Face's
float32 angle is off by at that position (the reason EXACT is the default).
"""
import json
import os

import mpmath
import numpy as np

mpmath.mp.prec = 200

POSITIONS = [0, 1, 2, 10, 4095, 65537, 1000003, 10000000, 10000001, 16777217, 123456789, 2147483647]
SCALINGS = [1.0, 1.1386294361119890]


def hf_inv_freq(base, dim, index):
    exponent = np.float32(2 * index) / np.float32(dim)
    return np.float32(1.0) / np.power(np.float32(base), exponent, dtype=np.float32)


def main():
    inv_freqs = [
        ("base 1e4, d 128, i 0", hf_inv_freq(1e4, 128, 0)),
        ("base 1e4, d 128, i 1", hf_inv_freq(1e4, 128, 1)),
        ("base 1e4, d 128, i 17", hf_inv_freq(1e4, 128, 17)),
        ("base 1e4, d 128, i 63", hf_inv_freq(1e4, 128, 63)),
        ("base 5e5, d 128, i 5", hf_inv_freq(5e5, 128, 5)),
        ("base 1e6, d 64, i 31", hf_inv_freq(1e6, 64, 31)),
    ]
    entries = []
    for label, inv in inv_freqs:
        inv_exact = mpmath.mpf(float(inv))
        for m in POSITIONS:
            angle = m * inv_exact
            hf_angle = np.float32(np.float32(m) * inv)
            for s in SCALINGS:
                scale = mpmath.mpf(s)
                entries.append({
                    "inv_freq_label": label,
                    "inv_freq": float(inv),
                    "position": m,
                    "attention_scaling": s,
                    "cos": mpmath.nstr(mpmath.cos(angle) * scale, 40, strip_zeros=False),
                    "sin": mpmath.nstr(mpmath.sin(angle) * scale, 40, strip_zeros=False),
                    "hf_float32_angle_error": float(abs(mpmath.mpf(float(hf_angle)) - angle)),
                })
    out = {"generator": "generate.py", "mpmath": mpmath.__version__, "precision_bits": mpmath.mp.prec,
           "entries": entries}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote %d entries to %s" % (len(entries), path))


if __name__ == "__main__":
    main()
