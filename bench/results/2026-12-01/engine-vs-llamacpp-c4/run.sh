#!/bin/bash
# After the partial 4x5 tile for 3-4 token decode batches: the 110M files again beside llama.cpp, same sitting.
cd /work/main
M=/work/llamacpp-work/models
R=bench/results/2026-12-01/engine-vs-llamacpp-c4
NLC=/work/llamacpp-work/node_modules/node-llama-cpp
for f in rand110M-q4_k_m-as-f32 rand110M-q8_0 rand110M-q4_k_m; do
  java -jar jobs/target/prefixflow.jar bench-engine --threads 2 --json --no-machine-probe --model $M/$f.gguf \
    --prompt-tokens 512 --decode-tokens 128 --concurrency 1,4,16 --repetitions 2 > $R/prefixflow-$f.json 2> $R/prefixflow-$f.log
  node bench/llamacpp/bench.mjs --threads 2 --nlc-dir $NLC --model $M/$f.gguf --concurrency 1,4,16 --prompt 512 \
    --gen 128 --reps 2 > $R/llamacpp-$f.json 2> $R/llamacpp-$f.log
done
echo done > $R/DONE
