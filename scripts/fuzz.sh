#!/usr/bin/env bash
# Builds the libFuzzer binary (every target in one: the library targets' sources and
# Tests/Fuzz/FuzzTargets.swift compiled together as one module, StagecraftCore, with
# -sanitize=fuzzer,address) and runs one target.
#
#   scripts/fuzz.sh TARGET [SECONDS] [extra libFuzzer flags…]
#   TARGET: flow, csv, xes, jsonl, gzip, lsp (or "build" to build only)
#
# Seeds come from Tests/Fuzz/corpus/TARGET (kept in the repository, small); inputs libFuzzer
# finds go to .build/fuzz/corpus/TARGET, crashes to .build/fuzz/artifacts/. A crash input
# reproduces with: STAGECRAFT_FUZZ_TARGET=TARGET .build/fuzz/stagecraft-fuzz FILE
# The binary is rebuilt only when a source is newer; SwiftPM's build is not touched.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=${1:?usage: scripts/fuzz.sh TARGET [SECONDS] (flow, csv, xes, jsonl, gzip, lsp, build)}
SECONDS_TO_RUN=${2:-60}
shift $(( $# >= 2 ? 2 : 1 ))

OUT=.build/fuzz
BIN=$OUT/stagecraft-fuzz
mkdir -p "$OUT"
# The library targets, lowest layer first (Package.swift); the executables are left out.
LIBRARIES="Sources/StagecraftSyntax Sources/StagecraftLanguage Sources/StagecraftHistory
  Sources/StagecraftAnalysis Sources/StagecraftSimulation Sources/StagecraftOutput Sources/StagecraftCLI"
# shellcheck disable=SC2086
SOURCES=$(find $LIBRARIES -name '*.swift' | sort)
# shellcheck disable=SC2086
if [ ! -x "$BIN" ] || [ -n "$(find $LIBRARIES Tests/Fuzz/FuzzTargets.swift scripts/fuzz.sh -newer "$BIN" -name '*.s*' -print -quit)" ]; then
  echo "== building $BIN (swiftc -sanitize=fuzzer,address -O)"
  # From a snapshot of the sources, so that editing them meanwhile does not fail the build.
  rm -rf "$OUT/src" && mkdir -p "$OUT/src"
  # shellcheck disable=SC2086
  cp --parents $SOURCES Tests/Fuzz/FuzzTargets.swift "$OUT/src/"
  # One module: the imports of the other layers name modules that do not exist here.
  find "$OUT/src" -name '*.swift' -exec sed -i -E '/^import Stagecraft[A-Za-z]+$/d' {} +
  # shellcheck disable=SC2046
  swiftc -sanitize=fuzzer,address -O -wmo -suppress-warnings -parse-as-library -module-name StagecraftCore \
    -package-name Stagecraft \
    -I Sources/CZlib $(find "$OUT/src" -name '*.swift' | sort) -lz -o "$BIN.tmp" 2>&1 \
    | grep -v "Cannot export local symbol '__asan" || true
  [ -x "$BIN.tmp" ] || { echo "fuzz build failed" >&2; exit 2; }
  mv "$BIN.tmp" "$BIN"
fi
[ "$TARGET" = build ] && exit 0

case "$TARGET" in
  flow|csv|xes|jsonl|gzip|lsp) ;;
  *) echo "unknown target '$TARGET': flow, csv, xes, jsonl, gzip or lsp" >&2; exit 2 ;;
esac

mkdir -p "$OUT/corpus/$TARGET" "$OUT/artifacts"
echo "== fuzzing $TARGET for ${SECONDS_TO_RUN}s"
STAGECRAFT_FUZZ_TARGET=$TARGET "$BIN" \
  -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$OUT/artifacts/$TARGET-" "$@" \
  "$OUT/corpus/$TARGET" "Tests/Fuzz/corpus/$TARGET"
