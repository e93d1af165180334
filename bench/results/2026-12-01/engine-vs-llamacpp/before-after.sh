#!/bin/bash
# The jar of the previous stop (eb296e6, built in a worktree at /work/wt-before) and this stop's jar, alternating,
# on the Q4_K_M files: what this session's kernel and attention changes did, same sitting.
cd /work/main
M=/work/llamacpp-work/models
R=bench/results/2026-12-01/engine-vs-llamacpp
for round in 1 2; do
  for build in before after; do
    jar=jobs/target/prefixflow.jar; [ $build = before ] && jar=/work/wt-before/jobs/target/prefixflow.jar
    java -jar $jar bench-engine --threads 2 --json --no-machine-probe --model $M/rand110M-q4_k_m.gguf \
      --prompt-tokens 512 --decode-tokens 128 --concurrency 1,4,16 --repetitions 1 \
      > $R/$build-rand110M-q4_k_m-$round.json 2> $R/$build-rand110M-q4_k_m-$round.log
  done
done
for build in before after; do
  jar=jobs/target/prefixflow.jar; [ $build = before ] && jar=/work/wt-before/jobs/target/prefixflow.jar
  java -jar $jar bench-engine --threads 2 --json --no-machine-probe --model $M/llama1B-q4_k_m.gguf \
    --prompt-tokens 512 --decode-tokens 32 --concurrency 1,16 --repetitions 1 \
    > $R/$build-llama1B-q4_k_m.json 2> $R/$build-llama1B-q4_k_m.log
done
echo done > $R/DONE-before-after
