#!/usr/bin/env bash
# On a GPU machine: runs the cuda backend's tests and benchmark from the bundle that build-bundle.sh made.
#
#   scripts/gpu/run-on-device.sh [OUT_DIR]        (from the repository, bundle in scripts/gpu/bundle/)
#   ./run-on-device.sh [OUT_DIR]                  (from inside an extracted bundle)
#
# OUT_DIR (default $OUT, else /tmp/prefixflow-gpu-out) receives: nvidia-smi.txt, tests.txt (every test, with
# the reason of any skip), cuda-bench.json (copy bandwidth, roofline, prefill and decode tokens/s at 1/16/64/256 sequences on
# dummy:llama-1b with BF16 weights), hf-baseline.json (PyTorch + transformers on the same shape) and a summary.
# Exits non-zero when a test failed or was skipped (a skip here means the GPU was not usable).
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-${OUT:-/tmp/prefixflow-gpu-out}}"
mkdir -p "$out"
if [[ -x "$here/jre/bin/java" ]]; then
  bundle="$here"
else
  archive="$here/bundle/prefixflow-gpu.tar.gz"
  [[ -f "$archive" ]] || { echo "error: no $archive; run scripts/gpu/build-bundle.sh first" >&2; exit 2; }
  rm -rf /tmp/prefixflow-gpu && tar -C /tmp -xzf "$archive"
  bundle=/tmp/prefixflow-gpu
fi
java="$bundle/jre/bin/java"
runtime_cp="$(ls "$bundle"/lib/*.jar | tr '\n' ':')"
if [[ -d "$bundle/cuda" ]]; then
  # The jar was built where nvcc was missing: compile the kernels here, ahead of the jar on the class path.
  nvcc="$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)"
  kernels="$bundle/kernels"
  echo "== compiling the kernels with $nvcc ($("$nvcc" --version | tail -n 1))"
  bash "$bundle/cuda/build-kernels.sh" "$nvcc" "$kernels/io/prefixflow/runtime/cuda" "$out/cuda-ptxas-report.txt" || exit 1
  runtime_cp="$kernels:$runtime_cp"
fi
test_cp="$bundle/test/classes:$(ls "$bundle"/test/lib/*.jar 2>/dev/null | tr '\n' ':')$runtime_cp"
status=0

echo "== bundle of commit $(cat "$bundle/COMMIT" 2>/dev/null || echo unknown)"
nvidia-smi | tee "$out/nvidia-smi.txt" || echo "nvidia-smi failed" | tee "$out/nvidia-smi.txt"

echo "== cuda tests (host-side and @Tag(gpu))"
# The tree lists every test, with the reason of each skip; the summary's counts decide the exit status.
"$java" -Dprefixflow.shared.dir="$bundle/shared" -Xmx8g \
    -jar "$bundle"/test/junit-platform-console-standalone-*.jar execute \
    --class-path "$test_cp" --select-package io.prefixflow.runtime.cuda \
    --details=tree --details-theme=ascii --disable-banner --disable-ansi-colors >"$out/tests.txt" 2>&1 || status=1
tail -n 20 "$out/tests.txt"
count() { grep -oE "\[ +[0-9]+ tests $1" "$out/tests.txt" | grep -oE '[0-9]+' | head -n 1; }
# JUnit's console counts a failed assumption (our "no usable GPU" skip) as aborted.
skipped=$(( $(count skipped || echo 0) + $(count aborted || echo 0) ))
if (( skipped > 0 )); then
  echo "WARNING: ${skipped} test(s) skipped or aborted: the GPU was not usable here (reasons in $out/tests.txt)"
  status=1
fi

echo "== cuda benchmark: dummy:llama-1b, BF16 weights on the GPU"
"$java" -Xmx24g -cp "$runtime_cp" io.prefixflow.runtime.cuda.CudaBench --model dummy:llama-1b --dtype f32 \
    --weights bf16 --prompt-tokens 512 --decode-tokens 128 --concurrency 1,16,64,256 --repetitions 3 \
    >"$out/cuda-bench.json" 2>"$out/cuda-bench.log" || status=1
cat "$out/cuda-bench.log"

echo "== baseline: PyTorch + transformers, same shape, same machine"
python3 "$bundle/hf_baseline.py" --batch-sizes 1,16,64 --prompt-tokens 512 --decode-tokens 128 \
    >"$out/hf-baseline.json" 2>"$out/hf-baseline.log" || { status=1; tail -n 30 "$out/hf-baseline.log"; }

echo "== summary"
echo "cuda:        $(cat "$out/cuda-bench.json")"
echo "transformers: $(cat "$out/hf-baseline.json")"
exit "$status"
