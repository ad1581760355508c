#!/usr/bin/env bash
# Benchmarks the event-log readers (release build) on a generated 1,000,000-event CSV interval log
# (25,000 cases) and on any logs given as arguments, e.g. ../shared/data/bpic2012.xes.gz.
# Builds a throwaway package in a temp dir that depends on this repo; nothing is written to the repo.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${TMPDIR:-/tmp}/stagecraft-bench-history"
mkdir -p "$work/Sources/bench"
cat > "$work/Package.swift" <<SWIFT
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "bench",
    dependencies: [.package(path: "$repo")],
    targets: [.executableTarget(name: "bench", dependencies: [.product(name: "StagecraftHistory", package: "$(basename "$repo")")])]
)
SWIFT
cat > "$work/Sources/bench/main.swift" <<'SWIFT'
import Foundation
import StagecraftHistory
for path in CommandLine.arguments.dropFirst() {
    let t0 = Date()
    do {
        let log = try HistoryReader.read(path: path)
        let dt = Date().timeIntervalSince(t0)
        let raw = log.detection.compressed ? " (compressed)" : ""
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print(String(format: "%@: %d cases, %d events, %.3f s, %.1f MB on disk%@, %.0f MB/s",
                     path, log.cases.count, log.eventCount, dt, Double(size) / 1e6, raw, Double(size) / 1e6 / dt))
    } catch { print("\(path): \(error)") }
}
SWIFT
csv="$work/big.csv"
if [ ! -f "$csv" ]; then
python3 - "$csv" <<'PY'
import random, datetime, sys
random.seed(1)
acts = ["Receive order", "Check credit", "Approve order", "Pick items", "Pack shipment", "Ship goods",
        "Send invoice", "Receive payment", "Archive", "Handle complaint"]
res = [f"User_{i}" for i in range(60)]
base = datetime.datetime(2024, 1, 1)
with open(sys.argv[1], "w") as f:
    f.write("case_id,activity,start_time,end_time,resource\n")
    for c in range(25000):
        t = base + datetime.timedelta(minutes=random.randint(0, 500000))
        for k in range(40):
            s = t + datetime.timedelta(seconds=random.randint(0, 3600))
            e = s + datetime.timedelta(seconds=random.randint(0, 7200), milliseconds=random.randint(0, 999))
            f.write(f"case-{c:06d},{random.choice(acts)},{s:%Y-%m-%dT%H:%M:%S},"
                    f"{e.strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3]},{random.choice(res)}\n")
            t = e
PY
fi
(cd "$work" && swift build -c release >/dev/null)
"$work/.build/release/bench" "$csv" "$@"
