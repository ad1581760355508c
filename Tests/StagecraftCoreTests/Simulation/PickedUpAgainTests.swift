import Testing
@testable import StagecraftHistory
@testable import StagecraftSimulation

/// Work picked up again after a pause (a node run again directly, with no other node
/// between, as a work item suspended and resumed): calibrated from history apart from
/// rework, simulated as a repeat after the recorded pause, and weighed in a status forecast
/// when the log does not show yet whether a done node will be picked up again.
@Suite struct PickedUpAgainTests {
    let day = Sim.day

    @Test func aRepeatTakesItsPauseAndItsWorkAgainAGeometricNumberOfTimes() throws {
        // a works 1 day and is picked up again in half its runs after a 2-day pause: it
        // runs 1 / (1 − 0.5) = 2 times on average, and a case takes 1 + 3 · 1 = 4 days.
        let m = try PlanBuilderTests.model("""
            workflow "W" {
              owner o
              stage a { owner o; estimate 1d..1d }
            }
            """)
        var plan = PlanBuilder.build(model: m, values: m.paramValues()).plan
        plan.nodes[0].repeatShares = [0.5]
        plan.nodes[0].repeatWaits = [.fixed(Sim.d(2))]
        let r = try Simulator.simulate(plan, options: SimulationOptions(runs: 8000, seed: 3))
        #expect(r.unfinishedRuns == 0)
        let a = try #require(r.nodes.first)
        #expect(abs(a.executionsMean - 2) < 0.1)
        #expect(abs(r.leadTime.mean - 4 * day) < 0.2 * day)
        // A case ends after 1, 4 or 7 days in 1/2, 1/4 and 1/8 of runs: P85 is 7 days.
        #expect(r.leadTime.p85 == 7 * day)
    }

    @Test func eachRepeatPausesAsRecordedForItsPlaceInTheRun() throws {
        // a works 1 day; it is picked up again after its 1st and its 2nd run in half the
        // runs each, after 4 days the first time and 1 day the second, never after a 3rd.
        // A case takes 1 day (1/2), 1 + 4 + 1 = 6 days (1/4) or 6 + 1 + 1 = 8 days (1/4):
        // 4 days on average (one pause for both, drawn from 4 and 1 days, gives 3.625).
        let m = try PlanBuilderTests.model("""
            workflow "W" {
              owner o
              stage a { owner o; estimate 1d..1d }
            }
            """)
        var plan = PlanBuilder.build(model: m, values: m.paramValues()).plan
        plan.nodes[0].repeatShares = [0.5, 0.5, 0]
        plan.nodes[0].repeatWaits = [.fixed(Sim.d(4)), .fixed(Sim.d(1))]
        let r = try Simulator.simulate(plan, options: SimulationOptions(runs: 8000, seed: 3))
        #expect(abs(r.leadTime.mean - 4 * day) < 0.15 * day)
        #expect(r.leadTime.p85 == 8 * day)
    }

    /// `count` cases that each run a three times in a row, paused 4 days after the first
    /// run and 1 hour after the second.
    func threeRuns(_ count: Int) -> String {
        (0..<count).flatMap { i in [
            "c\(i),a,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z",
            "c\(i),a,2026-01-06T00:00:00Z,2026-01-07T00:00:00Z",
            "c\(i),a,2026-01-07T01:00:00Z,2026-01-08T01:00:00Z",
        ] }.joined(separator: "\n")
    }

    @Test func pausesAreCalibratedByPlaceInTheRunWhereAHundredShowIt() throws {
        let m = try PlanBuilderTests.model(model)
        let hour = 3600.0
        let apart = HistoryCalibration(log: try Sim.log(threeRuns(100)), model: m)
        #expect(apart.repeatWaits(0) == [[Double](repeating: 4 * day, count: 100), [Double](repeating: hour, count: 100)])
        let a = PlanBuilder.build(model: m, values: m.paramValues(), calibration: apart).plan.nodes[0]
        #expect(a.repeatWaits == [.empirical([Double](repeating: 4 * day, count: 100)),
                                  .empirical([Double](repeating: hour, count: 100))])
        // 99 at a place say too little about its rare long pause: they pool with the later ones.
        let pooled = HistoryCalibration(log: try Sim.log(threeRuns(99)), model: m)
        #expect(pooled.repeatWaits(0) == [[Double](repeating: 4 * day, count: 99) + [Double](repeating: hour, count: 99)])
    }

    @Test func aRunPastItsPlacesPausesIsNotPickedUpAgain() throws {
        // 120 cases run a twice (a 4-day pause), then b a day later; 120 run a a third time
        // an hour after the second, then b a day later. After a second run, half go on
        // after an hour. x ran a twice and ended it 12 hours ago: past every 1-hour pause,
        // a is done (a 4-day pause, as after a first run, would still be likely); b has 12
        // hours of its wait left and works 1 day, in every run.
        let m = try PlanBuilderTests.model(model)
        var rows: [String] = []
        for i in 0..<240 {
            rows.append("c\(i),a,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z")
            rows.append("c\(i),a,2026-01-06T00:00:00Z,2026-01-07T00:00:00Z")
            if i < 120 {
                rows.append("c\(i),b,2026-01-08T00:00:00Z,2026-01-09T00:00:00Z")
            } else {
                rows.append("c\(i),a,2026-01-07T01:00:00Z,2026-01-08T01:00:00Z")
                rows.append("c\(i),b,2026-01-09T01:00:00Z,2026-01-10T01:00:00Z")
            }
        }
        rows.append("x,a,2026-02-01T00:00:00Z,2026-02-02T00:00:00Z")
        rows.append("x,a,2026-02-06T00:00:00Z,2026-02-07T00:00:00Z")
        let r = try Status.run(model: m, log: try Sim.log(rows.joined(separator: "\n")), values: m.paramValues(),
                               options: Status.Options(asOf: Sim.instant(2026, 2, 7, hour: 12), runs: 300))
        let x = try #require(r.cases.first)
        #expect(r.cases.count == 1)
        #expect(x.nodes.map(\.state) == [.done, .ready])
        #expect(x.remainingP50 == 1.5 * day)
        #expect(x.remainingP85 == 1.5 * day)
    }

    /// y runs a twice back to back (a day's pause), z once; both then wait 5 days for b.
    let history = """
        y,a,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z
        y,a,2026-01-03T00:00:00Z,2026-01-04T00:00:00Z
        y,b,2026-01-09T00:00:00Z,2026-01-10T00:00:00Z
        z,a,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z
        z,b,2026-01-07T00:00:00Z,2026-01-08T00:00:00Z
        x,a,2026-01-10T00:00:00Z,2026-01-11T00:00:00Z
        """

    let model = """
        workflow "W" {
          owner o
          stage a { owner o; estimate 1d..1d }
          stage b { after a; owner o; estimate 1d..1d }
        }
        """

    @Test func pausesAndSharesAreCalibratedApartFromFirstWaits() throws {
        let m = try PlanBuilderTests.model(model)
        let c = HistoryCalibration(log: try Sim.log(history), model: m)
        // 1 of a's 4 executions is picked up again (every one judged: the log's cases are
        // taken as finished); its pause is the day between y's two runs.
        #expect(c.repeatShares(0) == [0.25])
        #expect(c.repeatWaits(0) == [[day]])
        let a = PlanBuilder.build(model: m, values: m.paramValues(), calibration: c).plan.nodes[0]
        #expect(a.repeatShares == [0.25])
        #expect(a.repeatWaits == [.empirical([day])])
        #expect(a.wait == .empirical([0, 0, 0]))
    }

    @Test func theChanceToBePickedUpAgainChangesWithTheRunSoFar() throws {
        // Twelve cases each run a twice in a row: after a first run it always runs again,
        // after a second never.
        let m = try PlanBuilderTests.model(model)
        var rows: [String] = []
        for i in 0..<12 {
            rows.append("c\(i),a,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z")
            rows.append("c\(i),a,2026-01-03T00:00:00Z,2026-01-04T00:00:00Z")
        }
        let c = HistoryCalibration(log: try Sim.log(rows.joined(separator: "\n")), model: m)
        #expect(c.repeatShares(0) == [1, 0])
        let plan = try CompiledPlan(PlanBuilder.build(model: m, values: m.paramValues(), calibration: c).plan)
        #expect(plan.repeatShare(0, after: 1) == CompiledPlan.maxRepeatShare)
        #expect(plan.repeatShare(0, after: 2) == 0)
        #expect(plan.repeatShare(0, after: 5) == 0)
        #expect(plan.repeatShare(1, after: 1) == 0)
    }

    @Test func aDoneNodeJustEndedMayStillBePickedUpAgain() throws {
        let m = try PlanBuilderTests.model(model)
        // x's a ended on the 11th, and nothing has started since. Twelve hours on, neither
        // a's 1-day pause nor b's 5-day wait has run out: a is picked up again with its
        // share, 1 in 3 (x's own run is not judged yet): on the 12th, worked a day, then b
        // after 5 days, 1 day: 7.5 days on. Otherwise b waits the 4.5 days left and works 1.
        let r = try Status.run(model: m, log: try Sim.log(history), values: m.paramValues(),
                               options: Status.Options(asOf: Sim.instant(2026, 1, 11, hour: 12), runs: 300))
        let x = try #require(r.cases.first)
        #expect(x.nodes.map(\.state) == [.done, .ready])
        #expect(x.remainingP50 == 5.5 * day)
        #expect(x.remainingP85 >= 7.5 * day)
    }

    @Test func aDoneNodeLongSinceEndedIsNotPickedUpAgain() throws {
        let m = try PlanBuilderTests.model(model)
        // Two days on, past every recorded pause: a is done for good; b has 3 days of its
        // wait left and works 1, in every run.
        let r = try Status.run(model: m, log: try Sim.log(history), values: m.paramValues(),
                               options: Status.Options(asOf: Sim.instant(2026, 1, 13), runs: 100))
        let x = try #require(r.cases.first)
        #expect(x.remainingP50 == 4 * day)
        #expect(x.remainingP85 == 4 * day)
    }
}
