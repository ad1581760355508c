#!/usr/bin/env bash
# A big file is mapped into memory to be checked. If another program truncates it
# meanwhile, the process must say so and exit with 2, not crash: map a generated 2 MB
# workflow, cut it to nothing, and touch its last byte.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib -Xlinker -no-pie --product stagecraft-bench >/dev/null
BENCH=.build/release/stagecraft-bench
WORK=$(mktemp -d /tmp/stagecraft-cut-short.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
$BENCH flow-big "$WORK/big.flow" 2 >/dev/null
status=0
$BENCH cut-short "$WORK/big.flow" >"$WORK/out" 2>"$WORK/err" || status=$?
if [ "$status" -ne 2 ] || ! grep -q "a file was cut short while it was being checked" "$WORK/err"; then
  echo "a file cut short while mapped: expected exit 2 and the message, got exit $status:" >&2
  cat "$WORK/err" >&2
  exit 1
fi
echo "a file cut short while mapped: reported, exit 2"
