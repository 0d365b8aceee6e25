#!/usr/bin/env bash
# Runs `posenc bench rope` over the configurations of the README's performance table and prints them as markdown
# rows: JMH throughput of the kernel and of the in-place baseline, the kernel/baseline and on-the-fly/table ratios
# from alternating rounds (median and quartiles), and the decoding step.
#   scripts/bench/rope_matrix.sh [extra bench options, e.g. --warmup 2 --iterations 4]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
configs=(
    "--layout half"
    "--layout interleaved"
    "--layout half --kv-heads 32"
    "--layout interleaved --kv-heads 32"
    "--layout half --threads 2"
    "--layout interleaved --threads 2"
    "--layout half --memory native"
    "--layout interleaved --memory native"
    "--layout half --dtype bfloat16"
    "--layout interleaved --dtype bfloat16"
    "--layout half --dtype float16"
    "--layout interleaved --dtype float16"
)
echo "| configuration (4096 tokens, head_dim 128, 32 query heads) | kernel | in-place baseline | kernel / baseline | compute ceiling | on the fly / table | decode, 1 token |"
echo "|---|---|---|---|---|---|---|"
for c in "${configs[@]}"; do
    # shellcheck disable=SC2086
    "$root/posenc" bench rope --json $c "$@" | /usr/bin/env python3 -c '
import json, sys
r = json.load(sys.stdin)
q, f = r["fraction_of_bandwidth_quartiles"], r["on_the_fly_fraction_of_table_quartiles"]
name = "%s, %s, %d + %d heads, %d thread%s%s" % (r["dtype"], r["layout"], r["heads"], r["kv_heads"], r["threads"],
                                                 "" if r["threads"] == 1 else "s",
                                                 ", native segments" if r["memory"] == "native" else "")
ceiling = "%.0f%%" % (100 * r["compute_ceiling"]) if "compute_ceiling" in r else "-"
print("| %s | %.1f GB/s | %.1f GB/s | **%.0f%%** (%.0f-%.0f%%) | %s | %.0f%% (%.0f-%.0f%%) | %.0f ns |" % (
    name, r["bytes_per_s"] / 1e9, r["baseline_bytes_per_s"] / 1e9, 100 * q[1], 100 * q[0], 100 * q[2], ceiling,
    100 * f[1], 100 * f[0], 100 * f[2], r["decode_ns_per_call"]))'
done
