#!/usr/bin/env bash
# Fuzzes one Jazzer @FuzzTest for a bounded time (and at most a number of executions).
#
#   scripts/fuzz.sh TARGET DURATION [MAX_EXECUTIONS]
#     TARGET          TestClass#method, e.g. GgufFileFuzzTest#parse (the module is found from the class)
#     DURATION        Jazzer duration: 30s, 10m, 1h
#     MAX_EXECUTIONS  stop after this many inputs (default: no limit beyond DURATION)
#   scripts/fuzz.sh --list   prints every target
#
# Runs from the repository root, offline, niced. A crash stops the run and Jazzer writes its input to
# MODULE/src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>: fix the bug and commit that file,
# so `mvn verify` replays it from then on. Inputs that found new coverage accumulate in MODULE/.cifuzz-corpus/
# (not committed). Executions and the duration are on the last `#NNN DONE` line of the output.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--list" ]]; then
  grep -rl --include='*FuzzTest.java' '@FuzzTest' */src/test/java | while read -r file; do
    cls=$(basename "$file" .java)
    grep -A2 '@FuzzTest' "$file" | grep -oE 'void [a-zA-Z0-9_]+' | sed "s/void /${cls}#/"
  done
  exit 0
fi
if [[ $# -lt 2 ]]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
target=$1
duration=$2
executions=${3:-0}
cls=${target%%#*}
file=$(grep -rl --include="${cls}.java" '@FuzzTest' */src/test/java | head -1 || true)
if [[ -z "$file" ]]; then
  echo "no fuzz test class ${cls} (see scripts/fuzz.sh --list)" >&2
  exit 2
fi
module=${file%%/*}

export JAZZER_FUZZ=1
export JAZZER_MAX_DURATION="$duration"
[[ "$executions" != 0 ]] && export JAZZER_MAX_EXECUTIONS="$executions"
exec nice -n 19 mvn -B -ntp -o -pl "$module" -am \
  -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
  -Djazzer.max_duration="$duration" ${executions:+-Djazzer.max_executions=$executions} \
  test
