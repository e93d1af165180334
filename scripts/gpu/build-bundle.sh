#!/usr/bin/env bash
# Builds what a GPU machine (no JDK, no Maven, no network) needs to run the cuda backend's tests and benchmark,
# as one archive under 64 MiB: scripts/gpu/bundle/prefixflow-gpu.tar.gz, holding
#
#   jre/          a jlink'd Java runtime (java.base, java.logging, jdk.unsupported, java.management,
#                 jdk.incubator.vector) with --add-modules=jdk.incubator.vector baked in
#   lib/          the gpu-runtime jar (kernels inside) and its runtime dependencies; the JCuda natives jar cut
#                 down to libJCudaDriver (the driver binding is all the backend loads)
#   test/         gpu-runtime's test classes, their test-only dependencies and JUnit's console launcher
#   shared/       the stories260K models and the greedy reference the gpu tests compare against
#   run-on-device.sh, hf_baseline.py
#
# Run from anywhere: scripts/gpu/build-bundle.sh [--skip-build]. Needs JDK 17's jlink (the GPU machines have
# glibc >= 2.34) and Maven. Where /usr/local/bin/nvcc exists the jar carries the kernels; where it does not, the
# bundle carries the kernel sources (cuda/) and run-on-device.sh compiles them with the GPU machine's nvcc.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
shared="${PREFIXFLOW_SHARED_DIR:-$repo/../shared}"
out="$here/bundle"
stage="$out/prefixflow-gpu"
junit_console="org.junit.platform:junit-platform-console-standalone:1.13.4"

rm -rf "$stage"
mkdir -p "$stage/lib" "$stage/test/lib" "$stage/shared/models" "$stage/shared/reference"

# Two reactor runs (no install), each packaging gpu-runtime and kv-state so copy-dependencies gets kv-state's jar
# from the reactor: the first compiles (unless --skip-build: the classes already in target/) and copies the
# runtime dependencies, the second copies the test-only ones.
main_skip=""
if [[ "${1:-}" == "--skip-build" ]]; then
  main_skip="-Dmaven.main.skip"
fi
(cd "$repo" && mvn -B -ntp -q package dependency:copy-dependencies -DskipTests $main_skip -pl gpu-runtime -am \
    -DincludeScope=runtime -DoutputDirectory="$stage/lib")
(cd "$repo" && mvn -B -ntp -q package dependency:copy-dependencies -DskipTests -Dmaven.main.skip -pl gpu-runtime -am \
    -DincludeScope=test -DexcludeScope=runtime \
    -DexcludeGroupIds=org.junit,org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian,net.jqwik \
    -DoutputDirectory="$stage/test/lib")
jar="$(ls "$repo"/gpu-runtime/target/gpu-runtime-*.jar | grep -v -- '-sources\|-tests' | head -n 1)"
# (not `unzip -l | grep -q`: grep's early exit kills unzip with SIGPIPE, which pipefail reports as a failure)
if ! unzip -l "$jar" 'io/prefixflow/runtime/cuda/gemm.cubin' >/dev/null 2>&1; then
  echo "note: $jar has no CUDA kernels (no nvcc here): the bundle carries their sources for the GPU machine's nvcc"
  cp -r "$repo/gpu-runtime/src/main/cuda" "$stage/cuda"
fi

jlink --add-modules java.base,java.logging,jdk.unsupported,java.management,jdk.incubator.vector,jdk.zipfs \
      --strip-debug --no-header-files --no-man-pages --compress=2 \
      "--add-options= --add-modules=jdk.incubator.vector" \
      --output "$stage/jre"

cp "$jar" "$stage/lib/"
# copy-dependencies with includeScope=test also copies the runtime ones: keep each jar once, in lib/.
for j in "$stage"/test/lib/*.jar; do
  [[ -f "$stage/lib/$(basename "$j")" ]] && rm "$j"
done
(cd "$repo" && mvn -B -ntp -q dependency:copy -Dartifact="$junit_console" -DoutputDirectory="$stage/test")
cp -r "$repo/gpu-runtime/target/test-classes" "$stage/test/classes"

# JCuda's natives jar carries NVRTC, the PTX compiler and the runtime API too (26 MB): keep the driver binding.
natives="$(ls "$stage"/lib/jcuda-natives-*-linux-x86_64.jar)"
python3 - "$natives" <<'PY'
import sys, zipfile, os
path = sys.argv[1]
tmp = path + ".tmp"
with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
    for item in src.infolist():
        if item.filename.startswith("lib/") and "JCudaDriver" not in item.filename and not item.is_dir():
            continue
        dst.writestr(item, src.read(item.filename))
os.replace(tmp, path)
PY

cp "$shared/models/stories260K.bin" "$shared/models/stories260K.gguf" "$shared/models/tok512.bin" "$stage/shared/models/"
cp "$shared/reference/stories260K-greedy.json" "$stage/shared/reference/"
cp "$here/run-on-device.sh" "$here/hf_baseline.py" "$stage/"
(cd "$repo" && git rev-parse HEAD) >"$stage/COMMIT"

tar -C "$out" -czf "$out/prefixflow-gpu.tar.gz" prefixflow-gpu
size_mib=$(( $(stat -c %s "$out/prefixflow-gpu.tar.gz") / 1048576 ))
echo "bundle: $out/prefixflow-gpu.tar.gz (${size_mib} MiB)"
if (( size_mib >= 64 )); then
  echo "error: the bundle is ${size_mib} MiB; the device tool carries at most 64 MiB" >&2
  exit 1
fi
