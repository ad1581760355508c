import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftHistory
@testable import StagecraftSimulation

/// `status --backtest` forecasts from the log as it stood at the cut, and scores every case
/// really in flight there. Durations are fixed so every figure is computed by hand.
@Suite struct StatusBacktestTests {
    let day = Sim.day

    /// Midnight UTC of day `d` of 2026 (1: January 1st), as an instant and in ISO 8601.
    func instant(_ d: Int) -> Double { Sim.instant(2026, 1, 1) + Double(d - 1) * day }
    func iso(_ d: Int) -> String {
        let date = CivilDate(dayNumber: CivilDate(year: 2026, month: 1, day: 1).dayNumber + d - 1)
        return String(format: "%04d-%02d-%02dT00:00:00Z", date.year, date.month, date.day)
    }

    @Test func theLogAsItStoodAtTheCut() throws {
        // Cut on the 4th: x's a is done, its b under way (a start without a completion), its
        // c not begun; y had not started.
        let l = try Sim.log("""
            x,a,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z
            x,b,2026-01-03T00:00:00Z,2026-01-05T00:00:00Z
            x,c,2026-01-06T00:00:00Z,2026-01-07T00:00:00Z
            y,a,2026-01-05T00:00:00Z,2026-01-06T00:00:00Z
            """)
        let seen = StatusBacktest.truncated(l, at: Sim.instant(2026, 1, 4))
        #expect(seen.cases.map(\.id) == ["x"])
        let x = try #require(seen.cases.first)
        #expect(x.occurrences.map { seen.activities[$0.activity] } == ["a"])
        #expect(x.unfinished.map { seen.activities[$0.activity] } == ["b"])
        #expect(x.unfinished.map(\.start) == [Sim.instant(2026, 1, 3)])
    }

    @Test func everyCaseReallyInFlightIsScoredAsStatusShowedIt() throws {
        let m = try PlanBuilderTests.model("""
            workflow "W" {
              owner o
              stage a { owner o; estimate 1d..1d }
              stage b { after a; owner o; estimate 2d..2d }
            }
            """)
        // Cut on the 7th. f1 and f2 finished long before; x's b has run 1 of its 2 days;
        // w's b was done on the 6th (status counts w finished) but w runs b again after the
        // cut, to the 10th; z's b is ready but z never records anything again.
        let l = try Sim.log("""
            f1,a,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z
            f1,b,2026-01-02T00:00:00Z,2026-01-04T00:00:00Z
            f2,a,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z
            f2,b,2026-01-02T00:00:00Z,2026-01-04T00:00:00Z
            x,a,2026-01-05T00:00:00Z,2026-01-06T00:00:00Z
            x,b,2026-01-06T00:00:00Z,2026-01-08T00:00:00Z
            w,a,2026-01-03T00:00:00Z,2026-01-04T00:00:00Z
            w,b,2026-01-04T00:00:00Z,2026-01-06T00:00:00Z
            w,b,2026-01-08T00:00:00Z,2026-01-10T00:00:00Z
            z,a,2026-01-06T00:00:00Z,2026-01-07T00:00:00Z
            """)
        let r = try StatusBacktest.run(model: m, log: l, values: m.paramValues(), cut: Sim.instant(2026, 1, 7),
                                       runs: 50, seed: 1)
        // Calibrated on f1, f2 and w (as the log stood, w had finished): lead times 3 days.
        #expect(r.calibrationCases == 3)
        // Scored: x (1 day left, forecast exactly) and w (3 days left, shown as finished);
        // not z, which status shows in flight but which ended.
        #expect(r.cases.map(\.id) == ["w", "x"])
        #expect(r.cases.map(\.realRemaining) == [3 * day, 1 * day])
        #expect(r.cases.map(\.p50) == [0, 1 * day])
        #expect(r.cases.map(\.p85) == [0, 1 * day])
        // Naive: the 3-day mean lead time less the 4 and 2 days spent, floored at 0.
        #expect(r.cases.map(\.naive) == [0, 1 * day])
        #expect(r.mae == 1.5 * day)
        #expect(r.naiveMAE == 1.5 * day)
        #expect(r.coverageP50 == 0.5)
        #expect(r.coverageP85 == 0.5)
    }

    @Test func waitsAreMeasuredWhereTheHistoryIsRecent() throws {
        let m = try PlanBuilderTests.model("""
            workflow "W" {
              owner o
              stage a { owner o; estimate 1d..1d }
              stage b { after a; owner o; estimate 1d..1d }
            }
            """)
        // Ten cases early on wait 1 day for b; ten in the last fifth of the history wait 4
        // days. Looking from the 101st, the case in flight has just finished a, so b waits
        // as it waits now: 4 days, then works 1.
        var rows: [String] = []
        func row(_ id: String, _ act: String, _ from: Int, _ to: Int) {
            rows.append("\(id),\(act),\(iso(from)),\(iso(to))")
        }
        for i in 0..<10 {
            row("old\(i)", "a", 1 + i, 2 + i)
            row("old\(i)", "b", 3 + i, 4 + i)
            row("new\(i)", "a", 82 + i, 83 + i)
            row("new\(i)", "b", 87 + i, 88 + i)
        }
        row("x", "a", 100, 101)
        let r = try Status.run(model: m, log: try Sim.log(rows.joined(separator: "\n")), values: m.paramValues(),
                               options: Status.Options(asOf: instant(101), runs: 20))
        let x = try #require(r.cases.first)
        #expect(x.remainingP50 == 5 * day)
        #expect(x.remainingP85 == 5 * day)
    }

    @Test func aFinalGateJustDoneMayStillSendWorkBack() throws {
        let m = try PlanBuilderTests.model("""
            workflow "W" {
              owner o
              stage a { owner o; estimate 1d..1d }
              gate g { after a; approvers o; reject 10%; on reject -> a; estimate 1d..1d }
            }
            """)
        // g rejected 1 of its 3 reviews (z's first, after which a waited a day); x's review
        // ended on the 12th and nothing has started since.
        let l = try Sim.log("""
            z,a,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z
            z,g,2026-01-02T00:00:00Z,2026-01-03T00:00:00Z
            z,a,2026-01-04T00:00:00Z,2026-01-05T00:00:00Z
            z,g,2026-01-05T00:00:00Z,2026-01-06T00:00:00Z
            y,a,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z
            y,g,2026-01-02T00:00:00Z,2026-01-03T00:00:00Z
            x,a,2026-01-10T00:00:00Z,2026-01-11T00:00:00Z
            x,g,2026-01-11T00:00:00Z,2026-01-12T00:00:00Z
            """)
        // Twelve hours on, within the day a rejection waits: x may still have been sent back,
        // 1 in 3, so it is in flight. Nothing is left in about 2 of 3 runs (shown apart); in the
        // others a starts half a day on, works a day and g reviews a day: 2.5 days, and g
        // rejects again 1 in 3 of them: a day's rework wait, a and g again, 5.5 days.
        let soon = try Status.run(model: m, log: l, values: m.paramValues(),
                                  options: Status.Options(asOf: Sim.instant(2026, 1, 12, hour: 12), runs: 300))
        let x = try #require(soon.cases.first)
        #expect(soon.cases.map(\.id) == ["x"])
        #expect(soon.calibrationCases == 2)
        #expect((170...230).contains(x.endedRuns))
        #expect(x.remainingP50 == 2.5 * day)
        #expect(x.remainingP85 == 5.5 * day)
        // Two days on, past every recorded rework wait: g approved, and x is finished.
        let later = try Status.run(model: m, log: l, values: m.paramValues(),
                                   options: Status.Options(asOf: Sim.instant(2026, 1, 14), runs: 50))
        #expect(later.cases.isEmpty)
        #expect(later.calibrationCases == 3)
    }
}
