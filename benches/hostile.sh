#!/usr/bin/env bash
# Hostile inputs that once took quadratic time or unbounded memory (issue 11, finding 5): each is
# generated here (none is committed), run through the release binary, and measured with
# /usr/bin/time -v: wall time, peak memory and how much was printed, against its target.
# Exit 1 if any case misses its target.
# Usage: benches/hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/netlink
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The inputs.
python3 - "$work" <<'PY'
import sys
w = sys.argv[1]
open(f"{w}/braces300k.netlink", "w").write("}" * 300_000 + "\n")
open(f"{w}/braces1m.netlink", "w").write("}" * 1_000_000 + "\n")
open(f"{w}/brace_lines.netlink", "w").write("}\n" * 500_000)  # 1 MB of `}\n`
open(f"{w}/keys100k.netlink", "w").write(
    'account acme { uid = "1234567890123456" }\nvpc v { '
    + " ".join(f"k{i} = 1" for i in range(100_000)) + " }\n")
# 8,500 accounts declared and 8,500 VPCs naming each a misspelt one: every unknown name is
# compared for a suggestion with a candidate set of 8,500.
blocks = []
for i in range(8_500):
    blocks.append(f'account team_{i:05d}_prod {{ uid = "{1000000000000000 + i}" }}')
for i in range(8_500):
    blocks.append(f"vpc v{i} {{\n  account = team_{i:05d}_prdo\n  region  = cn-hangzhou\n  cidr    = 10.0.0.0/16\n}}")
open(f"{w}/accounts8500.netlink", "w").write("\n".join(blocks) + "\n")
PY

# name | file | error format | seconds | MB
cases=(
  "300k } on one line (human)|braces300k.netlink|human|1|200"
  "300k } on one line (json)|braces300k.netlink|json|1|200"
  "1M } on one line (human)|braces1m.netlink|human|1|200"
  "1M } on one line (json)|braces1m.netlink|json|1|200"
  "1 MB of }\\n lines (human)|brace_lines.netlink|human|1|200"
  "100k unknown keys on one line (json)|keys100k.netlink|json|1|200"
  "8,500 unknown accounts (human)|accounts8500.netlink|human|0.5|200"
)
failed=0
printf '| case | input | wall s | peak MB | printed | target | |\n|---|---:|---:|---:|---:|---|---|\n'
for c in "${cases[@]}"; do
  IFS='|' read -r name file format secs mb <<< "$c"
  size=$(stat -c %s "$work/$file")
  /usr/bin/time -v "$bin" check --error-format "$format" "$work/$file" \
    > "$work/out.txt" 2> "$work/err.txt" || true
  # /usr/bin/time appends its report to stderr: the printed diagnostics are what comes before.
  report=$(grep -n 'Command being timed' "$work/err.txt" | head -1 | cut -d: -f1)
  printed=$(( $(stat -c %s "$work/out.txt") + $(head -n $(( report - 1 )) "$work/err.txt" | wc -c) ))
  wall=$(grep 'Elapsed (wall clock)' "$work/err.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  kb=$(grep 'Maximum resident set size' "$work/err.txt" | awk '{print $NF}')
  peak=$(( kb / 1024 ))
  verdict=ok
  if awk -v w="$wall" -v s="$secs" 'BEGIN { exit !(w > s) }' || [ "$peak" -gt "$mb" ]; then
    verdict=MISSED; failed=1
  fi
  printf '| %s | %s B | %s | %s | %s B | < %s s, < %s MB | %s |\n' \
    "$name" "$size" "$wall" "$peak" "$printed" "$secs" "$mb" "$verdict"
done
exit $failed
