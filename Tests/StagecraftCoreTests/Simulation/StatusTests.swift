import Testing
@testable import StagecraftSyntax
@testable import StagecraftHistory
@testable import StagecraftSimulation

/// `stagecraft status`: node states read from a log at an instant, and forecasts from those
/// states computed by hand.
@Suite struct StatusTests {
    let day = Sim.day

    func instant(_ dd: Int, hour: Double = 0) -> Double { Sim.instant(2026, 1, dd, hour: hour) }

    @Test func aCaseHalfWayThroughAFixedStageFinishesTheRemainingHalfLater() throws {
        let m = try PlanBuilderTests.model("""
            workflow "W" {
              owner o
              stage a { owner o; estimate 4d..4d }
              stage b { after a; owner o; estimate 1d..1d }
            }
            """)
        // a started Monday 5 Jan and is still running on the 7th: 2 of its 4 days remain,
        // then b's day: done on the 10th, in every run.
        let l = try Sim.log("x,a,2026-01-05T00:00:00Z,")
        let r = try Status.run(model: m, log: l, values: m.paramValues(), options: Status.Options(asOf: instant(7), runs: 20))
        #expect(r.cases.count == 1)
        let c = try #require(r.cases.first)
        #expect(c.nodes.map(\.state) == [.running, .notReady])
        #expect(c.nodes[0].since == instant(5))
        #expect(c.remainingP50 == 3 * day)
        #expect(c.remainingP85 == 3 * day)
        // The 10th is a Saturday: the completion shown is Monday the 12th, when work resumes.
        #expect(c.completionP50 == instant(12))
    }

    @Test func aReadyNodeBehindAnOwnerAtCapacityWaitsForIt() throws {
        let m = try PlanBuilderTests.model("""
            workflow "W" {
              owner p { capacity 2 }
              owner o
              stage s { owner p; estimate 1d..1d }
              stage a { after s; owner o; estimate 4d..4d }
            }
            """)
        // As of the 7th: x's `a` started on the 6th (3 of its 4 days remain: o is free on the
        // 10th); y's `s` finished on the 7th, so y's `a` is ready and waits for o until the
        // 10th, then runs 4 days: the 14th.
        let l = try Sim.log("""
            x,s,2026-01-05T00:00:00Z,2026-01-06T00:00:00Z
            x,a,2026-01-06T00:00:00Z,
            y,s,2026-01-06T00:00:00Z,2026-01-07T00:00:00Z
            """)
        let r = try Status.run(model: m, log: l, values: m.paramValues(), options: Status.Options(asOf: instant(7), runs: 10))
        let byID = Dictionary(uniqueKeysWithValues: r.cases.map { ($0.id, $0) })
        let x = try #require(byID["x"]), y = try #require(byID["y"])
        #expect(x.nodes.map(\.state) == [.done, .running])
        #expect(y.nodes.map(\.state) == [.done, .ready])
        #expect(y.nodes[1].since == instant(7))
        #expect(y.nodes[1].owner == "o")
        #expect(y.waitingOn == ["o"])
        #expect(x.completionP50 == instant(12))  // the 10th, a Saturday: shown as Monday
        #expect(y.completionP50 == instant(14))
        #expect(y.completionP85 == instant(14))
        // Two forecast executions of o: x's (already running, no queue) and y's (3 days).
        let o = try #require(r.owners.first)
        #expect(o.id == "o")
        #expect(o.waitingCases == 1)
        #expect(o.queueMean == 1.5 * day)
        #expect(r.summary == "2 cases are in flight; 1 waits on o, whose queue is 2 days.")
    }

    @Test func aCaseWhoseFinalGateIsDoneIsNotInFlight() throws {
        let m = try PlanBuilderTests.model("""
            workflow "W" {
              deadline 10d
              owner o
              stage a { owner o; estimate 2d..2d; sla 1d }
              gate g { after a; approvers o }
            }
            """)
        // z passed g: finished, and it calibrates. w is still in a, past its 1 d SLA by a day.
        let l = try Sim.log("""
            z,a,2026-01-01T00:00:00Z,2026-01-03T00:00:00Z
            z,g,2026-01-03T00:00:00Z,2026-01-04T00:00:00Z
            w,a,2026-01-05T00:00:00Z,
            """)
        let r = try Status.run(model: m, log: l, values: m.paramValues(), options: Status.Options(asOf: instant(7), runs: 10))
        #expect(r.cases.map(\.id) == ["w"])
        #expect(r.calibrationCases == 1)
        let w = try #require(r.cases.first)
        #expect(w.overdue == [Status.Overdue(node: "a", overBySeconds: 1 * day)])
        // a took 2 d in z's history; w has run it 2 d: a fresh draw of 2 d, then g's 1 d → the
        // 10th, a Saturday, shown as Monday the 12th.
        #expect(w.completionP50 == instant(12))
        #expect(w.deadline == instant(15))
        #expect(w.deadlineProbability == 1)
        #expect(r.summary == "0 of 1 case is likely to miss its deadline.")
    }

    @Test func aFinalGateDoneBeforeWorkWasSentBackIsNotDone() throws {
        let m = try PlanBuilderTests.model("""
            workflow "W" {
              owner o
              stage a { owner o; estimate 1d..1d }
              gate g { after a; approvers o; on reject -> a }
            }
            """)
        // w's g was done on the 7th, but a ran again on the 8th: g rejected, and its pass is
        // to come. v's a ran again only before g: v is finished.
        let l = try Sim.log("""
            v,a,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z
            v,a,2026-01-02T00:00:00Z,2026-01-03T00:00:00Z
            v,g,2026-01-03T00:00:00Z,2026-01-04T00:00:00Z
            w,a,2026-01-05T00:00:00Z,2026-01-06T00:00:00Z
            w,g,2026-01-06T00:00:00Z,2026-01-07T00:00:00Z
            w,a,2026-01-08T00:00:00Z,
            """)
        let r = try Status.run(model: m, log: l, values: m.paramValues(), options: Status.Options(asOf: instant(8, hour: 12), runs: 10))
        #expect(r.cases.map(\.id) == ["w"])
        #expect(r.calibrationCases == 1)
        let w = try #require(r.cases.first)
        #expect(w.nodes.map(\.state) == [.running, .notReady])
        #expect(w.nodes[0].since == instant(8))
    }

    @Test func aStepRunAgainThatNoGateSendsWorkBackToUndoesNothing() throws {
        let m = try PlanBuilderTests.model("""
            workflow "W" {
              owner o
              stage a { owner o; estimate 1d..1d }
              stage b { after a; owner o; estimate 1d..1d }
            }
            """)
        // w's a ran again after b, but no gate sends work back to a: b stays done, and w is
        // finished (the log's order is noise, not a rejection).
        let l = try Sim.log("""
            w,a,2026-01-05T00:00:00Z,2026-01-06T00:00:00Z
            w,b,2026-01-06T00:00:00Z,2026-01-07T00:00:00Z
            w,a,2026-01-07T00:00:00Z,2026-01-08T00:00:00Z
            """)
        let seen = Status.observeAll(model: m, log: l, asOf: instant(9))
        #expect(seen.inFlight.isEmpty)
        #expect(seen.finished == [0])
    }

    @Test func newLaunchesCompeteForTheOwners() throws {
        let m = try PlanBuilderTests.model("""
            workflow "W" {
              owner o
              stage a { owner o; estimate 2d..2d }
              stage b { after a; owner o; estimate 1d..1d }
            }
            """)
        // As of Tue the 6th x has a day of a left. Without arrivals: b on the 7th, done on
        // the 8th. With a new launch every 18 h: the first arrives on the 6th at 18:00 and its
        // a waits for o; o is free on the 7th and serves it first (ready earlier than x's b),
        // until the 9th; then x's b (ready since the 7th, before the later launches' a): done
        // on the 10th, a Saturday, shown as Monday the 12th.
        let l = try Sim.log("x,a,2026-01-05T00:00:00Z,")
        let alone = try Status.run(model: m, log: l, values: m.paramValues(), options: Status.Options(asOf: instant(6), runs: 5))
        #expect(alone.cases.first?.remainingP85 == 2 * day)
        #expect(alone.newLaunches == 0)
        let busy = try Status.run(model: m, log: l, values: m.paramValues(),
                                  options: Status.Options(asOf: instant(6), runs: 5, arrival: Duration(amount: 18, unit: .hours)))
        let x = try #require(busy.cases.first)
        #expect(x.remainingP50 == 4 * day)
        #expect(x.remainingP85 == 4 * day)
        #expect(x.completionP50 == instant(12))
        // Launches up to twice the 2 days the forecast took without them, every 18 h: the
        // 6th 18:00, 7th 12:00, 8th 06:00, 9th 00:00 and 18:00.
        #expect(busy.newLaunches == 5)
        #expect(Status.newArrivalInstants(every: Duration(amount: 1, unit: .businessDays), asOf: instant(9, hour: 12),
                                          calendar: .standard, until: instant(14)) == [instant(12, hour: 12), instant(13, hour: 12)])
    }

    @Test func arrivalOptionIsChecked() {
        let flow = repositoryRoot + "/examples/portfolio/portfolio.flow", csv = repositoryRoot + "/examples/portfolio/history.csv"
        let zero = runCLI(["status", flow, "--history", csv, "--arrival", "0d"])
        #expect(zero.exitCode == 2)
        #expect(zero.stderr.contains("--arrival takes a duration above zero such as 30m, 4h, 2d, 1w or 3bd, not '0d'"))
        let backtest = runCLI(["status", flow, "--history", csv, "--arrival", "2d", "--backtest"])
        #expect(backtest.exitCode == 2)
        #expect(backtest.stderr.contains("--arrival goes without --backtest"))
        let ok = runCLI(["status", flow, "--history", csv, "--arrival", "2bd", "--runs", "10"])
        #expect(ok.exitCode == 0)
        #expect(ok.stdout.contains("; a new launch every 2bd ("))
    }

    @Test func conditionalDrawsKeepOnlyLongerSamples() throws {
        var d = CompiledDurations()
        try d.append(.empirical([1, 2, 3, 10]), node: "e", what: "estimate")
        try d.append(.fixed(Duration(amount: 4, unit: .hours)), node: "f", what: "estimate")
        var rng = SeededGenerator(seed: 5)
        var seen = Set<Double>()
        for _ in 0..<200 { seen.insert(d.sampleRemaining(0, elapsed: 2.5, &rng)) }
        #expect(seen == [0.5, 7.5])
        #expect(d.sampleRemaining(1, elapsed: 3 * 3600, &rng) == 3600)
        #expect(d.sampleRemaining(1, elapsed: 9 * 3600, &rng) == 0)
    }
}
