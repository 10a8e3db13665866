#!/usr/bin/env bash
# Whole `netlink build` runs as processes on generated projects of N VPCs: input size, wall time,
# MB/s, peak memory (/usr/bin/time -v) and the time ratio between consecutive sizes.
# The sizes are built in turn, RUNS rounds (default 3), so every size meets the same machine
# load; the table shows each size's fastest and median wall time (shared and virtual machines
# are noisy: the fastest run is the least disturbed) and its largest peak memory. The ratio
# compares fastest runs.
# Usage: [RUNS=n] benches/scale.sh [N...]   (default: 1000 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/netlink
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
for n in "${sizes[@]}"; do
  "$bin" gen "$n" --split "$work/p$n" 2>/dev/null
done
# walls[n] = space-separated wall times; peaks[n] = largest peak KiB.
declare -A walls peaks
for ((r = 0; r < runs; r++)); do
  for n in "${sizes[@]}"; do
    rm -rf "$work/out"
    /usr/bin/time -v "$bin" build "$work/p$n" --out "$work/out" 2> "$work/time.txt" >/dev/null || {
      echo "build failed for N=$n:"; tail -20 "$work/time.txt"; exit 1; }
    wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    kb=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
    walls[$n]="${walls[$n]:-} $wall"
    [ "$kb" -gt "${peaks[$n]:-0}" ] && peaks[$n]=$kb
  done
done
printf '%8s %10s %8s %9s %8s %9s %11s %6s\n' N "input MiB" "best s" "median s" "MiB/s" "peak MiB" "peak/input" ratio
prev=""
for n in "${sizes[@]}"; do
  bytes=$(cat "$work/p$n"/*.netlink | wc -c)
  sorted=($(printf '%s\n' ${walls[$n]} | sort -g))
  best=${sorted[0]}
  median=${sorted[$((runs / 2))]}
  ratio="-"
  [ -n "$prev" ] && ratio=$(awk -v a="$best" -v b="$prev" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
  awk -v n="$n" -v by="$bytes" -v w="$best" -v md="$median" -v pk="${peaks[$n]}" -v r="$ratio" 'BEGIN {
    mb = by / 1048576; printf "%8d %10.2f %8.2f %9.2f %8.1f %9.1f %11.1f %6s\n", n, mb, w, md, (w > 0 ? mb / w : 0), pk / 1024, (pk / 1024) / mb, r }'
  prev=$best
done
