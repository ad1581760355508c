#!/usr/bin/env bash
# Benchmark `stagecraft replay` (release build) on a generated interval log of 25,000 cases and
# 1,000,000 events (~57 MB CSV, written by `stagecraft-bench replay-log` with a matching .flow).
# Target on the 2-core reference machine: under 1 s wall and under 120 MB peak memory for
# `replay --format json` (the log is read in blocks, never whole: docs/benchmarks.md).
# Prints medians of 5 runs, and as a baseline measured in the same run the
# time `wc -l` takes over the same file (the machine is shared and noisy: compare ratios).
# Also times BPIC_2017_W.csv.gz from ../shared/data when present (with a drafted .flow).
# Nothing is written to the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
for product in stagecraft stagecraft-bench; do
  swift build -c release --static-swift-stdlib -Xlinker -no-pie --product $product >/dev/null 2>"${TMPDIR:-/tmp}/stagecraft-bench-replay-build.log" ||
    { cat "${TMPDIR:-/tmp}/stagecraft-bench-replay-build.log" >&2; exit 1; }
done
BIN=$PWD/.build/release/stagecraft
BENCH=$PWD/.build/release/stagecraft-bench
WORK=$(mktemp -d /tmp/stagecraft-bench-replay.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

EVENTS=$($BENCH replay-log "$WORK/log.csv" "$WORK/bench.flow")
BYTES=$(wc -c < "$WORK/log.csv")

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Wall seconds (from date, in ns) and peak RSS in KB (from /usr/bin/time) of one run.
measure() {
  local s e
  s=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  e=$(date +%s.%N)
  echo "$(echo "$e - $s" | bc -l) $(cat "$WORK/time")"
}

runs() {
  : > "$WORK/runs"
  for _ in $(seq "$RUNS"); do measure "$@" >> "$WORK/runs"; done
  echo "$(cut -d' ' -f1 "$WORK/runs" | median) $(cut -d' ' -f2 "$WORK/runs" | median)"
}

read -r replay_s replay_kb <<< "$(runs "$BIN" replay "$WORK/bench.flow" --history "$WORK/log.csv" --format json)"
read -r wc_s _ <<< "$(runs wc -l "$WORK/log.csv")"

printf 'generated log: %d events, 25000 cases, %.1f MB\n' "$EVENTS" "$(echo "$BYTES / 1000000" | bc -l)"
printf '  replay --format json  %.3f s  %.0f MB peak  (median of %d; limits 1 s, 120 MB)\n' \
  "$replay_s" "$(echo "$replay_kb / 1024" | bc -l)" "$RUNS"
printf '  wc -l                 %.3f s  ratio replay/wc %.1fx\n' "$wc_s" "$(echo "$replay_s / $wc_s" | bc -l)"
status=0
if (( $(echo "$replay_s >= 1.0" | bc -l) )); then echo "  OVER the 1 s limit"; status=1; fi
if (( replay_kb >= 120 * 1024 )); then echo "  OVER the 120 MB limit"; status=1; fi

for dir in ../shared/data /work/shared/data; do
  bpic="$dir/BPIC_2017_W.csv.gz"
  if [ -f "$bpic" ]; then
    "$BIN" history draft "$bpic" -o "$WORK/bpic2017.flow" 2>/dev/null
    read -r b_s b_kb <<< "$(runs "$BIN" replay "$WORK/bpic2017.flow" --history "$bpic" --format json)"
    read -r z_s _ <<< "$(runs sh -c "gzip -dc '$bpic' | wc -l")"
    printf 'BPIC_2017_W.csv.gz (240,854 events, gzip)\n'
    printf '  replay --format json  %.3f s  %.0f MB peak\n' "$b_s" "$(echo "$b_kb / 1024" | bc -l)"
    printf '  gzip -dc | wc -l      %.3f s  ratio %.1fx\n' "$z_s" "$(echo "$b_s / $z_s" | bc -l)"
    break
  fi
done
exit $status
