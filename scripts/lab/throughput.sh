#!/usr/bin/env bash
# Training throughput of the lab's model: DJL/PyTorch 2.7.1 from Java (dev.posenc.lab.Throughput) against the same
# model in PyTorch Python (scripts/lab/throughput.py, Debian's python3-torch), same machine, same thread count.
# Runs the two alternately ROUNDS times (a shared machine is noisy) and prints each run and the medians as JSON lines,
# then the ratio java/python. Debian's torch links the reference BLAS by default; when Debian's OpenBLAS
# (libopenblas0-openmp) is installed, the Python side uses it through LD_LIBRARY_PATH (no system setting changed),
# which is the fair baseline: libtorch 2.7.1 in the DJL jar uses an optimised BLAS. BLAS=reference forces the default.
#
# Both sides run with the same OpenMP wait policy, OMP_WAIT_POLICY (default PASSIVE, as ./posenc lab uses: spinning
# threads collapse when other processes share the cores).
#
# Usage: scripts/lab/throughput.sh [--rounds R] [any option of throughput.py: --threads N --steps S --warmup W
#        --batch B --seq-len T --d-model D --layers L --heads H --encoding nope|rope]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=3
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        *) args+=("$1"); shift ;;
    esac
done
case " ${args[*]:-} " in *" --threads "*) ;; *) args+=(--threads 2) ;; esac

export OMP_WAIT_POLICY="${OMP_WAIT_POLICY-PASSIVE}" MKL_DYNAMIC="${MKL_DYNAMIC:-FALSE}" OMP_DYNAMIC="${OMP_DYNAMIC:-FALSE}"
"$root/posenc" --version >/dev/null   # builds the CLI and its lib/ folder if needed
. "$root/.mvn/select-jdk.sh"
cp="$root/posenc-cli/target/posenc-cli.jar:$root/posenc-cli/target/lib/*"
openblas=/usr/lib/x86_64-linux-gnu/openblas-openmp
py_env=()
if [ "${BLAS:-}" != reference ] && [ -e "$openblas/libblas.so.3" ]; then
    py_env=(env "LD_LIBRARY_PATH=$openblas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
    blas=openblas
else
    py_env=(env)
    blas=reference
fi

java_rates=()
py_rates=()
for ((r = 1; r <= rounds; r++)); do
    j=$("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.posenc.lab.Throughput "${args[@]}" \
        2>/dev/null | tail -n 1)
    p=$("${py_env[@]}" /usr/bin/python3 "$root/scripts/lab/throughput.py" "${args[@]}" | tail -n 1)
    echo "$j"
    echo "${p%\}}, \"blas\": \"$blas\"}"
    java_rates+=("$(sed -n 's/.*"tokens_per_s": \([0-9.]*\).*/\1/p' <<<"$j")")
    py_rates+=("$(sed -n 's/.*"tokens_per_s": \([0-9.]*\).*/\1/p' <<<"$p")")
done
python3 - "${java_rates[*]}" "${py_rates[*]}" "$blas" <<'PY'
import json, statistics, sys
java = [float(x) for x in sys.argv[1].split()]
py = [float(x) for x in sys.argv[2].split()]
jm, pm = statistics.median(java), statistics.median(py)
print(json.dumps({"summary": True, "rounds": len(java), "python_blas": sys.argv[3],
                  "java_tokens_per_s_median": round(jm, 1), "python_tokens_per_s_median": round(pm, 1),
                  "java_over_python": round(jm / pm, 3)}))
PY
