#!/usr/bin/env bash
# Whole `netlink build` runs as processes on generated projects of N VPCs: input size, wall time,
# MB/s, peak memory (/usr/bin/time -v) and the time ratio between consecutive sizes.
# Usage: benches/scale.sh [N...]   (default: 1000 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/netlink
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
printf '%8s %10s %9s %8s %10s %11s %8s\n' N "input MB" "wall s" "MB/s" "peak MB" "peak/input" ratio
prev=""
for n in "${sizes[@]}"; do
  rm -rf "$work/p"
  "$bin" gen "$n" --split "$work/p" 2>/dev/null
  bytes=$(cat "$work"/p/*.netlink | wc -c)
  /usr/bin/time -v "$bin" build "$work/p" --out "$work/out" 2> "$work/time.txt" >/dev/null || {
    echo "build failed for N=$n:"; tail -20 "$work/time.txt"; exit 1; }
  wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  peak_kb=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
  ratio="-"
  [ -n "$prev" ] && ratio=$(awk -v a="$wall" -v b="$prev" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
  awk -v n="$n" -v by="$bytes" -v w="$wall" -v pk="$peak_kb" -v r="$ratio" 'BEGIN {
    mb = by / 1048576; printf "%8d %10.2f %9.2f %8.1f %10.1f %11.1f %8s\n", n, mb, w, (w > 0 ? mb / w : 0), pk / 1024, (pk / 1024) / mb, r }'
  prev=$wall
  rm -rf "$work/out"
done
