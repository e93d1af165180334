#!/usr/bin/env bash
# Compiles every kernel file in this folder to PTX for compute_90 (the driver JIT-compiles it for newer
# GPUs) and to an sm_90 cubin (Hopper runs it as is). The Maven profile `cuda-kernels` runs this when
# /usr/local/bin/nvcc exists; by hand: build-kernels.sh NVCC OUT_DIR REPORT_FILE.
#
# Outputs OUT_DIR/NAME.ptx and OUT_DIR/NAME.cubin per NAME.cu; ptxas's register/shared-memory/spill report
# goes to REPORT_FILE. A file whose outputs are newer than it and than common.cuh is skipped.
set -euo pipefail

nvcc="${1:?usage: build-kernels.sh NVCC OUT_DIR REPORT_FILE}"
out_dir="${2:?usage: build-kernels.sh NVCC OUT_DIR REPORT_FILE}"
report="${3:?usage: build-kernels.sh NVCC OUT_DIR REPORT_FILE}"
src_dir="$(cd "$(dirname "$0")" && pwd)"
flags=(-O3 -std=c++17 -lineinfo -I "$src_dir")

mkdir -p "$out_dir" "$(dirname "$report")"
: >>"$report"
for cu in "$src_dir"/*.cu; do
  name="$(basename "$cu" .cu)"
  ptx="$out_dir/$name.ptx"
  cubin="$out_dir/$name.cubin"
  if [[ -f "$ptx" && -f "$cubin" && "$ptx" -nt "$cu" && "$cubin" -nt "$cu" \
        && "$ptx" -nt "$src_dir/common.cuh" && "$cubin" -nt "$src_dir/common.cuh" ]]; then
    continue
  fi
  echo "nvcc: $name.cu -> $name.ptx (compute_90), $name.cubin (sm_90)"
  "$nvcc" "${flags[@]}" -ptx -arch=compute_90 -o "$ptx" "$cu"
  {
    echo "== $name.cu (sm_90)"
    "$nvcc" "${flags[@]}" -cubin -arch=sm_90 -Xptxas -v -o "$cubin" "$cu" 2>&1
  } >>"$report"
done
