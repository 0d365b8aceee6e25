#!/usr/bin/env python3
"""Compares posenc with the HF oracle on every case of vectors.json.

Runs `posenc inspect --json [--seq-len N] FILE` for each case through the CLI's own entry point, all in one JVM
(java/InspectMany.java calls dev.posenc.cli.Main.run: same parsing, errors and exit codes as ./posenc).
Builds posenc first with `./posenc --help` (it builds itself when sources changed).
Tolerances: inv_freq 2e-6 relative, attention_scaling 1e-6 absolute, rotary_dim and layout exact,
HF error <=> posenc exit code 2. A case with "layer_type" (per-layer-type rope: Gemma 3, Gemma 4) is compared with
posenc's rope for that layer type: the top level when its "layer_type" is that one, else "other_layer_types"[type].
Documented divergence, counted apart and not a disagreement: Phi-3 "su" configs whose
original_max_position_embeddings is only at the top level make transformers 5 raise KeyError (Phi3Config renames
su to longrope after standardizing, so validate_rope misses rope_parameters.original_max_position_embeddings);
posenc loads them as transformers 4 did, with a warning "... transformers 5 rejects this file ...".
Exit status: 0 when every other compared case agrees, 1 otherwise.
Usage (repository root): /usr/bin/python3 scripts/reference/hf_rope/diff.py [--vectors PATH] [--json OUT] [-v]
"""
import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
VECTORS = ROOT / "posenc-core/src/test/resources/reference/hf-rope/vectors.json"


def java_home():
    out = subprocess.run(["sh", "-c", ". .mvn/select-jdk.sh >/dev/null 2>&1; posenc_select_jdk >/dev/null 2>&1; "
                          "echo \"$JAVA_HOME\""], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip()


def run_posenc(cases, build_first=True):
    jar = ROOT / "posenc-cli/target/posenc-cli.jar"
    if build_first:
        build = subprocess.run(["./posenc", "--help"], cwd=ROOT, capture_output=True, text=True)
        if build.returncode != 0:
            if not jar.exists():
                sys.exit("posenc build failed (others may be editing; retry later):\n" + build.stderr[-3000:])
            print(f"WARNING: posenc build failed (sources being edited?); using the last built jar "
                  f"({time.ctime(jar.stat().st_mtime)})", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="hf-rope-diff-") as tmp:
        lines = []
        for i, case in enumerate(cases):
            path = Path(tmp) / f"case{i:04d}.json"
            path.write_text(json.dumps(case["config_json"]), encoding="utf-8")
            lines.append(f"{'-' if case['seq_len'] is None else case['seq_len']}\t{path}")
        listing = Path(tmp) / "list.txt"
        listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
        cp = f"{ROOT}/posenc-cli/target/posenc-cli.jar:{ROOT}/posenc-cli/target/lib/*"
        proc = subprocess.run([f"{java_home()}/bin/java", "-cp", cp, str(HERE / "java/InspectMany.java"), str(listing)],
                              cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit("runner failed:\n" + proc.stderr[-3000:])
        results = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    if len(results) != len(cases):
        sys.exit(f"runner returned {len(results)} results for {len(cases)} cases")
    return results


def short(values, n=4):
    if values is None:
        return None
    return "[" + ", ".join(f"{v:.7g}" for v in values[:n]) + (", ..." if len(values) > n else "") + f"] (n={len(values)})"


DIVERGENCES = {
    "phi3-su-top-level-original-max": (
        'Phi-3 "su" with original_max_position_embeddings at the top level only: transformers 5 raises KeyError '
        "(su renamed to longrope after standardizing), posenc loads it as transformers 4 did, with a warning"),
}


def documented_divergence(case, res):
    """The key of DIVERGENCES this case is an instance of, or None."""
    hf = case["hf"]
    error = hf.get("error", "")
    if not (error.startswith("KeyError") and "longrope" in error and "original_max_position_embeddings" in error):
        return None
    if res["rc"] != 0:
        return None
    try:
        warnings = json.loads(res["out"]).get("warnings") or []
    except ValueError:
        return None
    if any("transformers 5 rejects this file" in w for w in warnings):
        return "phi3-su-top-level-original-max"
    return None


def compare(case, res):
    """Returns (class, hf_says, posenc_says) or None when they agree."""
    hf = case["hf"]
    rc = res["rc"]
    perr = res["err"].strip().splitlines()[-1] if res["err"].strip() else ""
    if "error" in hf:
        if rc == 2:
            return None
        if rc == 0:
            return ("HF raises, posenc accepts", f"{hf['stage']}: {hf['error'][:300]}",
                    _ok_summary(res, case.get("layer_type")))
        return ("HF raises, posenc internal error", hf["error"][:300], perr)
    if rc != 0:
        return ("HF accepts, posenc rejects" if rc == 2 else "posenc internal error",
                _hf_summary(hf), perr)
    p = json.loads(res["out"])
    if p.get("kind") != "rope":
        return ("posenc: not rope", _hf_summary(hf), f"kind {p.get('kind')}")
    p = layer_rope(p, case.get("layer_type"))
    if p is None:
        return ("posenc: no rope for the layer type", _hf_summary(hf), _ok_summary(res, case.get("layer_type")))
    problems = []
    if p["rotary_dim"] != hf["rotary_dim"]:
        problems.append("rotary_dim")
    if p["layout"] != hf["layout"]:
        problems.append("layout")
    a, b = hf["inv_freq"], p["inv_freq"]
    if len(a) != len(b):
        problems.append("inv_freq length")
    else:
        worst = max((abs(x - y) / abs(x) if x != 0 else abs(y) for x, y in zip(a, b)), default=0.0)
        if not worst <= 2e-6:
            problems.append(f"inv_freq (max rel err {worst:.3g})")
    if not abs(p["attention_scaling"] - hf["attention_scaling"]) <= 1e-6:
        problems.append("attention_scaling")
    if not problems:
        return None
    return (" + ".join(x.split(" (")[0] for x in problems), _hf_summary(hf) + " | " + "; ".join(problems),
            _ok_summary(res, case.get("layer_type")))


def layer_rope(p, layer_type):
    """posenc's rope JSON for layer_type (None: the primary one), or None when posenc has none for it."""
    if layer_type is None or p.get("layer_type") == layer_type:
        return p
    return (p.get("other_layer_types") or {}).get(layer_type)


def _hf_summary(hf):
    return (f"rotary_dim {hf['rotary_dim']}, {hf['layout']}, scaling {hf['attention_scaling']:.9g}, "
            f"inv_freq {short(hf['inv_freq'])}")


def _ok_summary(res, layer_type=None):
    if res["rc"] != 0:
        return res["err"].strip()[-300:]
    p = json.loads(res["out"])
    if p.get("kind") != "rope":
        return f"kind {p.get('kind')}"
    sub = layer_rope(p, layer_type)
    if sub is None:
        return f"layer type {p.get('layer_type')}, others {sorted(p.get('other_layer_types') or {})}"
    p = sub
    return (f"rotary_dim {p['rotary_dim']}, {p['layout']}, scaling {p['attention_scaling']:.9g}, "
            f"inv_freq {short(p['inv_freq'])}, rope_type {p.get('rope_type')}, theta {p.get('rope_theta')}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vectors", default=str(VECTORS))
    ap.add_argument("--json", help="write the disagreements as JSON here")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the cases of the documented divergences")
    ap.add_argument("--no-build", action="store_true", help="use the jar already built (skip ./posenc --help)")
    args = ap.parse_args()
    cases = json.loads(Path(args.vectors).read_text(encoding="utf-8"))
    skipped = [c for c in cases if "skip" in c["hf"]]
    live = [c for c in cases if "skip" not in c["hf"]]
    results = run_posenc(live, build_first=not args.no_build)
    groups = collections.defaultdict(list)
    documented = collections.defaultdict(list)
    agree = 0
    for case, res in zip(live, results):
        key = documented_divergence(case, res)
        if key is not None:
            documented[key].append(case["name"])
            continue
        d = compare(case, res)
        if d is None:
            agree += 1
        else:
            groups[d[0]].append((case["name"], d[1], d[2]))
    total_dis = sum(len(v) for v in groups.values())
    print(f"cases {len(cases)}: compared {len(live)}, skipped {len(skipped)} (HF: not in transformers / no RoPE), "
          f"agreeing {agree}, documented divergences {sum(len(v) for v in documented.values())}, "
          f"disagreeing {total_dis}")
    for key in sorted(documented):
        print(f"\n== documented divergence ({key}): {len(documented[key])}\n   {DIVERGENCES[key]}")
        if args.verbose:
            for name in documented[key]:
                print(f"  {name}")
    for cls in sorted(groups, key=lambda k: -len(groups[k])):
        print(f"\n== {cls}: {len(groups[cls])}")
        for name, hf, pos in groups[cls]:
            print(f"  {name}\n      HF:     {hf}\n      posenc: {pos}")
    if args.json:
        Path(args.json).write_text(json.dumps({"disagreements": groups, "documented_divergences": documented},
                                              indent=1, sort_keys=True), encoding="utf-8")
    return 0 if total_dis == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
