#!/bin/sh
# Times the simulation engine in a release build: SimulationBenchmark.run through the
# repository's stagecraft-bench executable, medians of 5.
# Usage: scripts/bench-simulate.sh [THREADS]   (default: all processors)
set -eu
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib -Xlinker -no-pie --product stagecraft-bench >/dev/null
"$(swift build -c release --static-swift-stdlib -Xlinker -no-pie --show-bin-path)/stagecraft-bench" simulate ${1:+"$1"}
