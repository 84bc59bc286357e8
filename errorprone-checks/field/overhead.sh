#!/usr/bin/env bash
# Compile-time cost of the Teardown Guard checks: compiles one project's main sources with Error
# Prone alone (its default checks, errors reported as warnings so that every file is analysed)
# and with Error Prone plus teardown-guard-errorprone.jar (the
# same checks and ours), alternating, RUNS times each, and prints each pair's CPU and wall times
# and CPU-time ratio, then the median and spread of the ratios.
# Usage: errorprone-checks/field/overhead.sh [FIELD_DIR] [PROJECT] [RUNS]
#   (defaults /work/field tomcat 10; run run.sh first: it fetches the sources, the class path and
#   the list of files that compile)
# Runs under nice -n 19 (TG_NICE=n: another niceness; on a machine so loaded that 19 starves it):
# it must not disturb other work on the machine, and both variants see the
# same conditions because they alternate.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib.sh" "${1:-/work/field}"
project=${2:-tomcat}
runs=${3:-10}
errorprone_cp=$(cat "$field/deps/error-prone/cp.txt")
cp=$(cat "$field/deps/$project/cp.txt")
mapfile -t files < "$field/out/$project.files"
out=$(mktemp -d)

# Prints "cpu wall" in milliseconds for one compilation with processor path $1. CPU time (user +
# system, all of javac's threads) is the measure: on a shared machine, wall time mostly measures
# the other load.
compile_millis() {
  local TIMEFORMAT='%3U %3S %3R' times
  rm -rf "$out/classes" && mkdir -p "$out/classes"
  times=$( { time nice -n "${TG_NICE:-19}" "$jdk/bin/javac" "${exports[@]}" -XDcompilePolicy=simple \
    --should-stop=ifError=FLOW -Xmaxwarns 1 -encoding UTF-8 -proc:none -implicit:none -processorpath "$1" \
    "-Xplugin:ErrorProne -XepAllErrorsAsWarnings" -cp "$cp" -d "$out/classes" "${files[@]}" \
    > "$out/log" 2>&1 || { cat "$out/log" >&2; exit 1; } ; } 2>&1 )
  awk '{ printf "%d %d\n", ($1 + $2) * 1000, $3 * 1000 }' <<< "$times"
}

echo "# $project: ${#files[@]} files, $runs alternating runs"
echo "# run cpu-ms-without cpu-ms-with cpu-ratio wall-ms-without wall-ms-with load-1min"
[ "${TG_WARM:-1}" = 0 ] || compile_millis "$errorprone_cp" > /dev/null   # warm the file cache (TG_WARM=0: skip)
ratios=()
for i in $(seq 1 "$runs"); do
  if (( i % 2 )); then
    without=$(compile_millis "$errorprone_cp"); with=$(compile_millis "$errorprone_cp:$jar")
  else
    with=$(compile_millis "$errorprone_cp:$jar"); without=$(compile_millis "$errorprone_cp")
  fi
  read -r cpu_without wall_without <<< "$without"
  read -r cpu_with wall_with <<< "$with"
  ratio=$(awk -v a="$cpu_with" -v b="$cpu_without" 'BEGIN { printf "%.4f", a / b }')
  ratios+=("$ratio")
  # the machine's load after the pair: what else ran while it did (both halves saw the same)
  echo "$i $cpu_without $cpu_with $ratio $wall_without $wall_with $(cut -d' ' -f1 /proc/loadavg)"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ r[NR] = $1 } END {
  m = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
  q1 = r[int((NR + 3) / 4)]; q3 = r[int((3 * NR + 3) / 4)]
  printf "median cpu ratio %.4f (overhead %+.1f%%), min %.4f, max %.4f, quartiles %.4f..%.4f\n", m, (m - 1) * 100, r[1], r[NR], q1, q3 }'
rm -rf "$out"
