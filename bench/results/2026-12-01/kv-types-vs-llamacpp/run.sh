#!/bin/bash
# KV cache types, same sitting, 2 threads: PrefixFlow --kv-dtype f32|f16|q8_0 beside llama.cpp's K/V cache types
# (f16 default; K q8_0; K and V q8_0, which llama.cpp allows only with flash attention, so f16 with flash attention
# too), on the same Q8_0 file; then the summarization workload of `bench` at a fixed 96 MiB KV budget.
cd /work/main
M=/work/llamacpp-work/models
R=bench/results/2026-12-01/kv-types-vs-llamacpp
NLC=/work/llamacpp-work/node_modules/node-llama-cpp
F=$M/rand110M-q8_0.gguf
for t in f32 f16 q8_0; do
  java -jar jobs/target/prefixflow.jar bench-engine --threads 2 --json --model $F --prompt-tokens 512 \
    --decode-tokens 128 --concurrency 1,4,16 --kv-dtype $t --no-machine-probe > $R/prefixflow-$t.json 2> $R/prefixflow-$t.log
done
ll() { node bench/llamacpp/bench.mjs --threads 2 --nlc-dir $NLC --model $F --concurrency 1,4,16 --prompt 512 --gen 128 --reps 1 "$@"; }
ll > $R/llamacpp-f16.json 2> $R/llamacpp-f16.log
ll --cache-type-k q8_0 > $R/llamacpp-kq8_0.json 2> $R/llamacpp-kq8_0.log
ll --flash-attention > $R/llamacpp-f16-fa.json 2> $R/llamacpp-f16-fa.log
ll --flash-attention --cache-type-k q8_0 --cache-type-v q8_0 > $R/llamacpp-q8_0-fa.json 2> $R/llamacpp-q8_0-fa.log
for t in f32 f16 q8_0; do
  java -jar jobs/target/prefixflow.jar bench --model dummy:llama-110m --workload summarization --request-rate inf \
    --parallelism 1 --kv-cache-size 96mb --kv-dtype $t --num-requests 16 --output $R/summarization-96mb-$t \
    > $R/summarization-96mb-$t.txt 2>&1
done
echo done > $R/DONE
