#!/usr/bin/python3
"""High-precision cos/sin of rotary angles for inverse frequencies far from Hugging Face's usual range (above 1, up to
the largest float32, and the smallest subnormals), for posenc's RotaryPrecision.EXACT; writes vectors.json beside
this file. The sibling ../rope-angles/ covers the default inv_freq of real models (all <= 1).

Run: /usr/bin/python3 generate.py   (mpmath; deterministic)

Each inverse frequency is a float32 (given here by its exact value; in the JSON as the double of the float, which
is exact) and each position m an integer up to 2^31 - 1, so the angle m * inv is an exact rational with at most 55
significant bits and a magnitude up to 2^159. mpmath reduces it mod 2*pi itself; the working precision (600 bits)
exceeds the angle's magnitude in bits by more than 400, and every value is recomputed at 1200 bits and required to
agree to 40 significant digits, so the recorded cos and sin (40 significant digits) are correct.
"""
import json
import os

import mpmath
import numpy as np

PRECISION_BITS = 600
CHECK_BITS = 1200

POSITIONS = [0, 1, 2, 3, 10, 4095, 65537, 1000003, 10000000, 16777217, 123456789, 2147483646, 2147483647]

INV_FREQS = [
    ("1.5", np.float32(1.5)),
    ("3", np.float32(3.0)),
    ("pi as float32", np.float32(np.pi)),
    ("1000", np.float32(1000.0)),
    ("65536.5", np.float32(65536.5)),
    ("1e10", np.float32(1e10)),
    ("2^40 + 2^17", np.float32(2.0 ** 40 + 2.0 ** 17)),
    ("1e20", np.float32(1e20)),
    ("1e30", np.float32(1e30)),
    ("largest float32", np.finfo(np.float32).max),
    ("smallest normal float32", np.finfo(np.float32).tiny),
    ("smallest subnormal float32", np.float32(2.0 ** -149)),
]


def cos_sin(angle, bits):
    with mpmath.workprec(bits):
        return mpmath.cos(angle), mpmath.sin(angle)


def digits(x):
    return mpmath.nstr(x, 40, strip_zeros=False)


def main():
    entries = []
    for label, inv in INV_FREQS:
        assert np.isfinite(inv) and inv > 0
        for m in POSITIONS:
            with mpmath.workprec(PRECISION_BITS):
                angle = mpmath.mpf(m) * mpmath.mpf(float(inv))   # exact: 55 bits at most
            cos, sin = cos_sin(angle, PRECISION_BITS)
            check_cos, check_sin = cos_sin(angle, CHECK_BITS)
            with mpmath.workprec(PRECISION_BITS):
                assert digits(cos) == digits(check_cos) and digits(sin) == digits(check_sin), (label, m)
                entries.append({
                    "inv_freq_label": label,
                    "inv_freq": float(inv),
                    "position": m,
                    "cos": digits(cos),
                    "sin": digits(sin),
                })
    out = {"generator": "generate.py", "mpmath": mpmath.__version__, "precision_bits": PRECISION_BITS,
           "check_bits": CHECK_BITS, "entries": entries}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote %d entries to %s" % (len(entries), path))


if __name__ == "__main__":
    main()
