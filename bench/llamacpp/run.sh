#!/usr/bin/env bash
# Run the llama.cpp CPU throughput harness (node-llama-cpp prebuilt llama.cpp) on a rand110M GGUF.
#   bench/llamacpp/run.sh f32|f16|q8_0 [--quick] [extra bench.mjs args, e.g. --reps 5 --concurrency 1,4]
# Env: LLAMACPP_WORK (default /work/llamacpp-work: node_modules, models/, results/), THREADS (default 2).
# Prints one JSON object on stdout and saves it under $LLAMACPP_WORK/results/.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${LLAMACPP_WORK:-/work/llamacpp-work}"
NLC_VERSION=3.22.1
THREADS="${THREADS:-2}"

usage() { echo "usage: $0 f32|f16|q8_0 [--quick] [bench.mjs args...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
DTYPE="$1"; shift
case "$DTYPE" in f32|f16|q8_0) ;; *) usage ;; esac
QUICK=0
if [ "${1:-}" = "--quick" ]; then QUICK=1; shift; fi

# Never let node-llama-cpp download or build llama.cpp: its postinstall exits at once with this set
# (and --ignore-scripts below skips it anyway); at run time bench.mjs passes build:"never", skipDownload:true.
export NODE_LLAMA_CPP_SKIP_DOWNLOAD=true

mkdir -p "$WORK/models" "$WORK/results"
NLC_DIR="$WORK/node_modules/node-llama-cpp"
installed="$(node -e "try{console.log(require('$NLC_DIR/package.json').version)}catch{}" 2>/dev/null || true)"
if [ "$installed" != "$NLC_VERSION" ] || [ ! -d "$WORK/node_modules/@node-llama-cpp/linux-x64" ]; then
  echo "[run.sh] installing node-llama-cpp@$NLC_VERSION into $WORK (npm packages only, no install scripts)" >&2
  [ -f "$WORK/package.json" ] || echo '{"name":"llamacpp-work","private":true}' > "$WORK/package.json"
  (cd "$WORK" && npm install --no-audit --no-fund --ignore-scripts "node-llama-cpp@$NLC_VERSION" >&2)
fi

MODEL="$WORK/models/rand110M-$DTYPE.gguf"
if [ ! -f "$MODEL" ]; then
  echo "[run.sh] generating $MODEL" >&2
  python3 "$HERE/make_gguf.py" --dtype "$DTYPE" --out "$MODEL"
fi

if [ "$QUICK" = 1 ]; then
  SIZE_ARGS=(--prompt 64 --gen 8 --reps 1)
  TAG=quick
else
  SIZE_ARGS=(--prompt 512 --gen 128 --reps 3)
  TAG=full
fi
OUT="$WORK/results/rand110M-$DTYPE-$TAG-$(date +%Y%m%d-%H%M%S).json"
node "$HERE/bench.mjs" --model "$MODEL" --threads "$THREADS" --nlc-dir "$NLC_DIR" \
  --concurrency 1,4,16 "${SIZE_ARGS[@]}" "$@" | tee "$OUT"
echo "[run.sh] saved $OUT" >&2
