#!/usr/bin/env bash
# Builds rope_interleaved.c with the machine's gcc and runs it at the placements the README's performance section
# compares: 16 bytes past a 2 MiB boundary (a large Java array's first element), 64 bytes (a cache line), and 0
# (2 MiB-aligned), each on huge and on 4 KiB pages; then the in-lane swap the Vector API cannot emit.
#   scripts/bench/c/run.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
gcc -O3 -march=native -ffp-contract=off "$here/rope_interleaved.c" -o "$out/vpermps" -lm
gcc -O3 -march=native -ffp-contract=off -DIN_LANE "$here/rope_interleaved.c" -o "$out/vpermilps" -lm
gcc --version | head -1
for offset in 16 64 0; do
    for pages in huge small; do
        "$out/vpermps" "$offset" "$pages"
    done
done
"$out/vpermilps" 16 huge
"$out/vpermilps" 0 huge
