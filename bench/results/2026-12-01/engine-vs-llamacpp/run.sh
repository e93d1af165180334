#!/bin/bash
# Same sitting, 2 threads each, PrefixFlow (the jar in jobs/target) beside llama.cpp (node-llama-cpp 3.22.1
# prebuilt) on the same GGUF files.
#
#   run.sh [OUT_DIR] [--only-110m|--only-long]   OUT_DIR relative to bench/results/2026-12-01 (default engine-vs-llamacpp)
#   REPS (default 2) and REPS_1B (default 1): timed runs per figure, for both engines
#
# engine-vs-llamacpp/ and engine-vs-llamacpp-final/ were made with `run.sh` and `run.sh engine-vs-llamacpp-final`,
# engine-vs-llamacpp-c4/ with the 110M loop only (`--only-110m`; that run also skipped the machine probe),
# engine-vs-llamacpp-spans/ with `run.sh engine-vs-llamacpp-spans` at the commit in its commit.txt;
# avx2-zen3-vs-llamacpp/ (an AMD EPYC Zen 3, AVX2) with `run.sh avx2-zen3-vs-llamacpp`, avx2-zen3-warm/ with
# `REPS=3 REPS_1B=2 run.sh avx2-zen3-warm` after bench-engine's warm-up became "until steady", avx2-zen3-long/ with
# `REPS=3 run.sh avx2-zen3-long --only-long` after the attention change of its commit.txt.
cd /work/main
M=/work/llamacpp-work/models
R=bench/results/2026-12-01/${1:-engine-vs-llamacpp}
NLC=/work/llamacpp-work/node_modules/node-llama-cpp
mkdir -p $R
REPS=${REPS:-2}
REPS_1B=${REPS_1B:-1}
lscpu > $R/lscpu.txt
git rev-parse HEAD > $R/commit.txt
pf() { java -jar jobs/target/prefixflow.jar bench-engine --threads 2 --json "$@"; }
ll() { node bench/llamacpp/bench.mjs --threads 2 --nlc-dir $NLC "$@"; }
PROBE=""
FILES="rand110M-q4_k_m-as-f32 rand110M-q8_0 rand110M-q4_k_m"
[ "$2" = --only-long ] && FILES=""
for f in $FILES; do
  pf --model $M/$f.gguf --prompt-tokens 512 --decode-tokens 128 --concurrency 1,4,16 --repetitions $REPS $PROBE \
     > $R/prefixflow-$f.json 2> $R/prefixflow-$f.log
  PROBE=--no-machine-probe
  ll --model $M/$f.gguf --concurrency 1,4,16 --prompt 512 --gen 128 --reps $REPS > $R/llamacpp-$f.json 2> $R/llamacpp-$f.log
done
if [ "$2" != --only-110m ] && [ "$2" != --only-long ]; then
  pf --model $M/llama1B-q4_k_m.gguf --prompt-tokens 512 --decode-tokens 32 --concurrency 1,4,16 --repetitions $REPS_1B \
     --no-machine-probe > $R/prefixflow-llama1B-q4_k_m.json 2> $R/prefixflow-llama1B-q4_k_m.log
  ll --model $M/llama1B-q4_k_m.gguf --concurrency 1,4,16 --prompt 512 --gen 32 --reps $REPS_1B \
     > $R/llamacpp-llama1B-q4_k_m.json 2> $R/llamacpp-llama1B-q4_k_m.log
fi
if [ "$2" != --only-110m ]; then
  for p in 2048 4096; do
    pf --model $M/rand110M-q4_k_m-as-f32.gguf --prompt-tokens $p --decode-tokens 8 --concurrency 1 --repetitions $REPS \
       --context-length 4608 --no-machine-probe > $R/prefixflow-long-$p.json 2> $R/prefixflow-long-$p.log
    ll --model $M/rand110M-q4_k_m-as-f32.gguf --concurrency 1 --prompt $p --gen 8 --reps $REPS \
       > $R/llamacpp-long-$p.json 2> $R/llamacpp-long-$p.log
  done
fi
echo done > $R/DONE
