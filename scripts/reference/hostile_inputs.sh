#!/usr/bin/env bash
# Every input class of the hardening issue's section 2, through `./posenc inspect --json` in a 256 MiB heap:
# each must end in a finite result (exit 0, no NaN/Infinity in the JSON) or one line on stderr with exit 2,
# within 3 s. Prints one line per case and a summary; exit 1 if any case breaks the rule.
# Usage (repository root): scripts/reference/hostile_inputs.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
./posenc --version >/dev/null || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export POSENC_JAVA_OPTS="-Xmx256m"

llama() { echo "{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_attention_heads\": 32, \"max_position_embeddings\": 131072$1}"; }
phi35() { sed "s/\"original_max_position_embeddings\": 4096/\"original_max_position_embeddings\": $1/" \
    "$root/../shared/hf-configs/phi-3.5-mini-instruct.json" 2>/dev/null; }
ones() { python3 -c "print('[' + ', '.join(['$2'] * $1) + ']')"; }

case_file() { printf '%s' "$2" > "$tmp/$1.json"; echo "$tmp/$1.json"; }
cases=()
add() { cases+=("$1|$(case_file "$1" "$2")|${3:-}"); }

add longrope-factor-1e-46 "$(llama ", \"rope_scaling\": {\"rope_type\": \"longrope\", \"short_factor\": $(ones 64 1e-46), \"long_factor\": $(ones 64 1)}")"
add longrope-factor-1e39 "$(llama ", \"rope_scaling\": {\"rope_type\": \"longrope\", \"short_factor\": $(ones 64 1), \"long_factor\": $(ones 64 1e39)}")"
add theta-1e-46 "$(llama ', "rope_theta": 1e-46')"
add theta-5e-324 "$(llama ', "rope_theta": 5e-324')"
add theta-1e-38 "$(llama ', "rope_theta": 1e-38')"
add longrope-original-1 "$(llama ", \"rope_scaling\": {\"rope_type\": \"longrope\", \"short_factor\": $(ones 64 1), \"long_factor\": $(ones 64 1), \"factor\": 32, \"original_max_position_embeddings\": 1}")"
add yarn-mscale-minus-8 "$(llama ', "rope_scaling": {"rope_type": "yarn", "factor": 4, "mscale": -8, "mscale_all_dim": 1}')"
add yarn-attention-factor-1e300 "$(llama ', "rope_scaling": {"rope_type": "yarn", "factor": 4, "attention_factor": 1e300}')"
add yarn-mscale-3.4e38 "$(llama ', "rope_scaling": {"rope_type": "yarn", "factor": 4, "mscale": 3.4e38, "mscale_all_dim": 1}')"
add dynamic-factor-1e308 "$(llama ', "rope_scaling": {"rope_type": "dynamic", "factor": 1e308}')" 262144
add head-dim-2e9 "$(llama ', "head_dim": 2000000000')"
add head-dim-1e8 "$(llama ', "head_dim": 100000000')"
add bloom-heads-2p31 '{"model_type": "bloom", "n_head": 2147483647}'
add mpt-heads-2p30 '{"model_type": "mpt", "n_heads": 1073741825, "attn_config": {"alibi": true}}'
add one-megabyte-string "$(llama ", \"rope_scaling\": {\"rope_type\": \"$(head -c 1048576 /dev/zero | tr '\0' x)\"}")"
add newline-in-value "$(llama ', "rope_scaling": {"rope_type": "line\nbreak"}')"
python3 -c "
import json; print(json.dumps({'model_type': 'llama', 'k' * 300000: list(range(150000))}))" > "$tmp/quadratic-600k.json"
cases+=("quadratic-600k|$tmp/quadratic-600k.json|")
head -c $((64 * 1024 * 1024)) /dev/zero | tr '\0' ' ' > "$tmp/config-64mib.json"
cases+=("config-64mib|$tmp/config-64mib.json|")
cases+=("dev-zero|/dev/zero|")

bad=0
for c in "${cases[@]}"; do
    IFS='|' read -r name file seq <<<"$c"
    args=(inspect "$file" --json)
    [ -n "$seq" ] && args+=(--seq-len "$seq")
    start=$(date +%s.%N)
    out=$(timeout 20 ./posenc "${args[@]}" 2>"$tmp/err"); rc=$?
    secs=$(echo "$(date +%s.%N) - $start" | bc)
    lines=$(wc -l < "$tmp/err")
    verdict=ok
    if [ "$rc" = 0 ]; then
        grep -qE 'NaN|Infinity' <<<"$out" && verdict="non-finite output"
    elif [ "$rc" = 2 ]; then
        [ "$lines" = 1 ] || verdict="$lines lines on stderr"
        grep -q 'Exception\|	at ' "$tmp/err" && verdict="stack trace"
    else
        verdict="exit $rc"
    fi
    [ "$(echo "$secs > 3" | bc)" = 1 ] && verdict="$verdict, slow"
    [ "$verdict" = ok ] || bad=$((bad + 1))
    printf '%-28s exit %s  %5.2f s  %s  %s\n' "$name" "$rc" "$secs" "$verdict" "$(head -c 160 "$tmp/err" | tr '\n' ' ')"
done
echo "${#cases[@]} cases, $bad broke the rule (finite result, or one line + exit 2, within 3 s in a 256 MiB heap)"
[ "$bad" = 0 ]
