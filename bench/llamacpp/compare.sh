#!/usr/bin/env bash
# Greedy comparison of PrefixFlow's CPU runner with llama.cpp on one GGUF file (see README.md, "Greedy comparison").
#   bench/llamacpp/compare.sh MODEL.gguf [greedy.mjs args, e.g. --steps 32 --prompts FILE.json]
# 1. greedy.mjs: llama.cpp greedy decoding at 1 and 2 threads, F32 KV cache, all logits of the 1-thread run
#    -> $LLAMACPP_WORK/results/NAME.llamacpp.json
# 2. io.prefixflow.runtime.cpu.LlamaCppComparison (gpu-runtime test classes): PrefixFlow teacher-forced along
#    llama.cpp's 1-thread tokens -> $LLAMACPP_WORK/results/NAME.prefixflow.json (its "total" is printed)
# Env: LLAMACPP_WORK (default /work/llamacpp-work), PREFIXFLOW_THREADS (default 2), PREFIXFLOW_ACTIVATIONS (none, the
# default, or ggml: round activations as llama.cpp does), PREFIXFLOW_CP (a ready
# classpath; default: compile gpu-runtime's tests offline and ask Maven for the dependencies).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
WORK="${LLAMACPP_WORK:-/work/llamacpp-work}"
NLC_VERSION=3.22.1
[ $# -ge 1 ] || { echo "usage: $0 MODEL.gguf [greedy.mjs args...]" >&2; exit 2; }
MODEL="$1"; shift
NAME="$(basename "$MODEL" .gguf)"
export NODE_LLAMA_CPP_SKIP_DOWNLOAD=true

mkdir -p "$WORK/results"
NLC_DIR="$WORK/node_modules/node-llama-cpp"
installed="$(node -e "try{console.log(require('$NLC_DIR/package.json').version)}catch{}" 2>/dev/null || true)"
if [ "$installed" != "$NLC_VERSION" ] || [ ! -d "$WORK/node_modules/@node-llama-cpp/linux-x64" ]; then
  echo "[compare.sh] installing node-llama-cpp@$NLC_VERSION into $WORK (npm packages only, no install scripts)" >&2
  [ -f "$WORK/package.json" ] || echo '{"name":"llamacpp-work","private":true}' > "$WORK/package.json"
  (cd "$WORK" && npm install --no-audit --no-fund --ignore-scripts "node-llama-cpp@$NLC_VERSION" >&2)
fi

LLAMA_JSON="$WORK/results/$NAME.llamacpp.json"
nice -n 19 node "$HERE/greedy.mjs" --model "$MODEL" --out "$LLAMA_JSON" --full-logits --nlc-dir "$NLC_DIR" "$@"

CP="${PREFIXFLOW_CP:-}"
if [ -z "$CP" ]; then
  DEPS="$(mktemp)"
  (cd "$REPO" && nice -n 19 mvn -B -ntp -o -q -pl gpu-runtime -am test-compile dependency:build-classpath \
      -Dmdep.outputFile="$DEPS" -Dmdep.includeScope=test >&2)
  CP="$REPO/gpu-runtime/target/classes:$REPO/gpu-runtime/target/test-classes:$(cat "$DEPS")"
  rm -f "$DEPS"
fi
ACTIVATIONS="${PREFIXFLOW_ACTIVATIONS:-none}"
PF_JSON="$WORK/results/$NAME.prefixflow$([ "$ACTIVATIONS" = none ] || echo "-$ACTIVATIONS").json"
nice -n 19 java --add-modules jdk.incubator.vector -cp "$CP" io.prefixflow.runtime.cpu.LlamaCppComparison \
    "$MODEL" "$LLAMA_JSON" "${PREFIXFLOW_THREADS:-2}" "$ACTIVATIONS" > "$PF_JSON"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(d["total"]))' "$PF_JSON"
echo "[compare.sh] saved $LLAMA_JSON and $PF_JSON" >&2
