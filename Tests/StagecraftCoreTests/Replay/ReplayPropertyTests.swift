import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftAnalysis
@testable import StagecraftSimulation
@testable import StagecraftOutput

/// Random logs against the conformance workflow: no crash, and the invariants that follow from
/// the definitions hold for every log.
@Suite struct ReplayPropertyTests {
    @Test func invariantsOnRandomLogs() throws {
        let model = try checkedModel(try replayFixture("conformance.flow"))
        var rng = SplitMix64(state: 2024)
        let activities = ["Build", "Review", "Docs", "Ship", "Other"]
        let resources = ["alice", "carol", "dave", "CAROL", "zed", ""]
        for round in 0..<60 {
            var csv = "case,activity,start,end,resource\n"
            let cases = 1 + Int(rng.next() % 12)
            for c in 0..<cases {
                var t = 1_704_067_200 + Int(rng.next() % 1_000_000)
                for _ in 0..<Int(rng.next() % 9) {
                    t += Int(rng.next() % 200_000)
                    let start = t
                    t += Int(rng.next() % 90_000)
                    let a = activities[Int(rng.next() % UInt64(activities.count))]
                    let r = resources[Int(rng.next() % UInt64(resources.count))]
                    // Every fourth event has no recorded start.
                    let s = rng.next() % 4 == 0 ? "" : formatInstant(Double(start))
                    csv += "k\(c),\(a),\(s),\(formatInstant(Double(t))),\(r)\n"
                }
            }
            let log = try readLog(csv)
            let r = Replay.run(model: model, log: log)
            #expect(r.caseCount == log.cases.count)
            #expect(r.conformingCases >= 0 && r.conformingCases <= r.caseCount)
            #expect(r.finishedCases <= r.caseCount)
            #expect(r.stages.reduce(0) { $0 + $1.count } == r.mappedOccurrenceCount, "round \(round)")
            let unmappedEvents = r.unmappedActivities.reduce(0) { $0 + $1.events }
            #expect(r.mappedOccurrenceCount + unmappedEvents == r.occurrenceCount, "round \(round)")
            for v in r.violations { #expect(v.count <= r.caseCount && v.examples.count == min(5, v.count)) }
            for s in r.stages {
                #expect(s.cases <= s.count && s.reworkCases <= s.cases && s.slaBreaches <= s.count)
                #expect(s.leadTimeShare >= 0 && s.waitedAtCapacity >= -1e-6)
                if let w = s.waiting { #expect(w.median >= 0 && w.mean >= 0 && w.p95 >= w.median) }
                // Ready never comes after the start: sojourn ≥ processing, in total.
                if let p = s.processing, let sj = s.sojourn { #expect(sj.total >= p.total - 1e-6) }
                if let sj = s.sojourn { #expect(sj.p85 <= sj.p95 && sj.median <= sj.p85 + 1e-9) }
            }
            for o in r.owners { #expect(o.busy <= o.processing + 1e-6 && o.atCapacity <= o.busy + 1e-6) }
            // Every output format renders.
            let f = ReplayFormatter(model: model, result: r, file: "x.flow", log: log)
            #expect(!f.text().isEmpty && !f.markdown().isEmpty)
            #expect((try? JSONSerialization.jsonObject(with: Data(f.json().utf8))) != nil)
        }
    }

    @Test func emptyLogReplays() throws {
        let model = try checkedModel(try replayFixture("conformance.flow"))
        let r = Replay.run(model: model, log: try readLog("case,activity,end\n"))
        #expect(r.caseCount == 0 && r.leadTime == nil && r.bottlenecks.isEmpty && r.conformingShare == 1)
        #expect(r.unobservedNodes.count == 4)
        let out = runCLI(["history", "draft", "-"], stdin: "case,activity,end\n")
        #expect(out.exitCode == 2 && out.stderr.contains("no completed events to draft from"))
    }
}
