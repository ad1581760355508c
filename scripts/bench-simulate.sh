#!/bin/sh
# Times the simulation engine in a release build (SimulationBenchmark.run: medians of 5).
#
# Until the CLI exposes `stagecraft bench-simulate`, this builds a throwaway executable
# package outside the repository that depends on it by path, so the project's
# Package.swift stays untouched. Usage: scripts/bench-simulate.sh [THREADS]
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${TMPDIR:-/tmp}/stagecraft-bench-simulate
mkdir -p "$work/Sources/bench"
cat >"$work/Package.swift" <<PKG
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "bench",
    dependencies: [.package(path: "$repo")],
    targets: [.executableTarget(name: "bench", dependencies: [.product(name: "StagecraftCore", package: "$(basename "$repo")")])]
)
PKG
threads=${1:-}
if [ -n "$threads" ]; then arg="threads: $threads"; else arg=""; fi
cat >"$work/Sources/bench/main.swift" <<SWIFT
import StagecraftCore
print(SimulationBenchmark.run(repeats: 5${arg:+, $arg}))
SWIFT
cd "$work"
swift build -c release >/dev/null
"$(swift build -c release --show-bin-path)/bench"
