#!/usr/bin/env bash
# Benchmark `stagecraft check`: a corpus of 2,000 realistic .flow files (~60 lines each),
# the goal (at least 1,000,000 lines/s; the script fails below it), and one 10 MB file for
# information only. Reports medians of 5 runs and the time `cat` takes over the same
# bytes, measured in the same run (the machine is shared and noisy: compare ratios).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
swift build -c release --static-swift-stdlib -Xlinker -no-pie --product stagecraft >/dev/null
swift build -c release --static-swift-stdlib -Xlinker -no-pie --product stagecraft-bench >/dev/null
BIN=.build/release/stagecraft
BENCH=.build/release/stagecraft-bench
WORK=$(mktemp -d /tmp/stagecraft-bench-check.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

LINES=$($BENCH flow-corpus "$WORK/corpus" 2000)
BIGLINES=$($BENCH flow-big "$WORK/big.flow" 10)
BIGBYTES=$(wc -c < "$WORK/big.flow")

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

corpus_check=$(for i in $(seq $RUNS); do timeit $BIN check "$WORK/corpus"; done | median)
corpus_cat=$(for i in $(seq $RUNS); do timeit sh -c "cat $WORK/corpus/*.flow"; done | median)
corpus_fmt=""
if $BIN fmt --help >/dev/null 2>&1; then
  corpus_fmt=$(for i in $(seq $RUNS); do timeit $BIN fmt --check "$WORK/corpus"; done | median)
fi
big_check=$(for i in $(seq $RUNS); do timeit $BIN check "$WORK/big.flow"; done | median)
big_inproc=$($BENCH check-file "$WORK/big.flow" $RUNS)
big_cat=$(for i in $(seq $RUNS); do timeit cat "$WORK/big.flow"; done | median)

printf 'corpus: 2000 files, %d lines\n' "$LINES"
printf '  check         %.3f s  %.0f lines/s  (cat %.3f s, ratio %.1fx)\n' "$corpus_check" "$(echo "$LINES / $corpus_check" | bc -l)" "$corpus_cat" "$(echo "$corpus_check / $corpus_cat" | bc -l)"
if [ -n "$corpus_fmt" ]; then
  printf '  fmt --check   %.3f s  %.0f lines/s\n' "$corpus_fmt" "$(echo "$LINES / $corpus_fmt" | bc -l)"
fi
printf 'big file (for information): %d bytes, %d lines\n' "$BIGBYTES" "$BIGLINES"
printf '  check (process)     %.3f s  %.1f MB/s\n' "$big_check" "$(echo "$BIGBYTES / 1000000 / $big_check" | bc -l)"
printf '  lex+parse+check     %.3f s  %.1f MB/s  (in-process)\n' "$big_inproc" "$(echo "$BIGBYTES / 1000000 / $big_inproc" | bc -l)"
printf '  cat                 %.3f s  ratio check/cat %.1fx\n' "$big_cat" "$(echo "$big_check / $big_cat" | bc -l)"

rate=$(echo "$LINES / $corpus_check" | bc -l)
if [ "$(echo "$rate < 1000000" | bc -l)" -eq 1 ]; then
  printf 'goal missed: check of the corpus at %.0f lines/s, below 1,000,000\n' "$rate" >&2
  exit 1
fi
printf 'goal met: check of the corpus at %.0f lines/s (at least 1,000,000)\n' "$rate"
