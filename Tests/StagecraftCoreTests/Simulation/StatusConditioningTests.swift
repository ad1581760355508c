import Foundation
import Testing
import StagecraftLanguage
@testable import StagecraftHistory
@testable import StagecraftSimulation

/// What the time already spent says about the steps of a case in flight that the log has
/// not shown yet: a `chance` node that may never run, a gate whose outcome is not known, a
/// case idle past every recorded wait, and a `chance` inside a rework loop. Durations are
/// fixed so every figure is computed by hand.
@Suite struct StatusConditioningTests {
    let day = Sim.day

    func instant(_ dd: Int, hour: Double = 0) -> Double { Sim.instant(2026, 1, dd, hour: hour) }

    /// `b` runs in half the cases, 2 days after it is ready, for 20 days; `c` runs 10 days
    /// beside it, so the case stays in flight either way.
    let chanceModel = """
        workflow "W" {
          owner o
          owner p
          owner q
          stage a { owner o; estimate 1d..1d }
          stage b { after a; owner p; chance 50%; wait 2d; estimate 20d..20d }
          stage c { owner q; estimate 10d..10d }
        }
        """

    @Test func aChanceNodeReadyLongerThanItsWaitIsTakenNotToRun() throws {
        let m = try PlanBuilderTests.model(chanceModel)
        // a ran the 4th to the 5th, c runs the 4th to the 14th.
        let l = try Sim.log("""
            x,a,2026-01-04T00:00:00Z,2026-01-05T00:00:00Z
            x,c,2026-01-04T00:00:00Z,
            """)
        // On the 8th, b has been ready 3 days, past its 2-day wait: had it been going to run
        // it would have started, so it does not, and the case ends with c on the 14th.
        let late = try Status.run(model: m, log: l, values: m.paramValues(), options: Status.Options(asOf: instant(8), runs: 100))
        let x = try #require(late.cases.first)
        #expect(x.nodes.map(\.state) == [.done, .ready, .running])
        #expect(x.remainingP50 == 6 * day)
        #expect(x.remainingP85 == 6 * day)
        // On the 6th, 1 of its 2 days has passed: it still runs in half the runs, starting
        // on the 7th and ending 20 days later, the 27th (21 days on); P85 is such a run.
        let early = try Status.run(model: m, log: l, values: m.paramValues(), options: Status.Options(asOf: instant(6), runs: 100))
        let y = try #require(early.cases.first)
        #expect(y.remainingP85 == 21 * day)
    }

    /// `g` rejects half its reviews back to `a`; `a` waits a day after it is ready (as
    /// recorded), `b` five days after `g` approves.
    let gateModel = """
        workflow "W" {
          owner o
          owner p
          stage s { owner o; estimate 1d..1d }
          stage a { after s; owner o; estimate 1d..1d }
          gate g { after a; approvers p; reject 50%; on reject -> a; estimate 1d..1d }
          stage b { after g; owner o; wait 5d; estimate 1d..1d }
        }
        """

    let gateLog = """
        x,s,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z
        x,a,2026-01-03T00:00:00Z,2026-01-04T00:00:00Z
        x,g,2026-01-04T00:00:00Z,2026-01-05T00:00:00Z
        """

    @Test func aGateLongSinceDoneWithoutReworkHasApproved() throws {
        let m = try PlanBuilderTests.model(gateModel)
        let l = try Sim.log(gateLog)
        // On the 7th, 2 days after g: a rejection would have had a ready again within its
        // recorded 1-day wait, and nothing has started, so g approved: b waits the 3 days
        // left of its 5, then works 1: 4 days in every run.
        let r = try Status.run(model: m, log: l, values: m.paramValues(), options: Status.Options(asOf: instant(7), runs: 100))
        let x = try #require(r.cases.first)
        #expect(x.nodes.map(\.state) == [.done, .done, .done, .ready])
        #expect(x.remainingP50 == 4 * day)
        #expect(x.remainingP85 == 4 * day)
    }

    @Test func aGateJustDoneMayStillHaveRejected() throws {
        let m = try PlanBuilderTests.model(gateModel)
        let l = try Sim.log(gateLog)
        // Twelve hours after g neither wait has run out, so g rejected with its 50%: a then
        // starts on the 6th (half a day of its wait left), works a day, and g reviews again
        // for a day (the 8th); approved then, b waits 5 days and works 1: the 14th, 8.5
        // days on. Approved at once: b starts on the 10th, done on the 11th, 5.5 days on.
        let r = try Status.run(model: m, log: l, values: m.paramValues(),
                               options: Status.Options(asOf: instant(5, hour: 12), runs: 200))
        let x = try #require(r.cases.first)
        #expect(x.remainingP50 == 5.5 * day || x.remainingP50 == 8.5 * day)
        #expect(x.remainingP85 >= 8.5 * day)
    }

    @Test func aCaseIdlePastEveryRecordedWaitHasEnded() throws {
        let m = try PlanBuilderTests.model("""
            workflow "W" {
              owner o
              stage a { owner o; estimate 1d..1d }
              stage b { after a; owner o; chance 50%; wait 2d; estimate 1d..1d }
            }
            """)
        // x's b has been ready 4 days (its wait is 2): x ended without it. y's b, 1 day.
        let l = try Sim.log("""
            x,a,2026-01-04T00:00:00Z,2026-01-05T00:00:00Z
            y,a,2026-01-07T00:00:00Z,2026-01-08T00:00:00Z
            """)
        let r = try Status.run(model: m, log: l, values: m.paramValues(), options: Status.Options(asOf: instant(9), runs: 20))
        #expect(r.cases.map(\.id) == ["y"])
        #expect(r.staleCases == 1)
        #expect(r.calibrationCases == 1)
        #expect(r.warnings.contains("1 case has waited longer than 99% of recorded waits at every ready node with nothing running: counted as ended, not in flight"))
    }

    @Test func waitsStillUnderWayCountAsAtLeastThatLong() {
        // Kaplan–Meier over 1, 2, 3 and one still under way after 2.5: 1/4 at 1, then 1/3
        // of the rest at 2, then all the rest at 3; four equal samples.
        #expect(Status.kaplanMeierSample(exact: [3, 1, 2], weighted: [(2.5, 1)]) == [1, 2, 3, 3])
        // One still under way after 5, past every exact one: the quarter left beyond 3 goes
        // on as the exponential tail through (5, 1/4): the sample at 7/8 is 5 ln(1/8) / ln(1/4).
        #expect(Status.kaplanMeierSample(exact: [1, 2, 3], weighted: [(5, 1)]) == [1, 2, 3, 7.5])
        #expect(Status.kaplanMeierSample(exact: [1, 2], weighted: []) == [1, 2])
        // Weighed by the chance it is such a wait at all: at weight 0 it changes nothing (the
        // samples are those of 1, 2, 3 at four equal steps); at weight 1 it is as above.
        #expect(Status.kaplanMeierSample(exact: [3, 1, 2], weighted: [(2.5, 0)]) == [1, 2, 2, 3])
        #expect(Status.kaplanMeierSample(exact: [3, 1, 2], weighted: [(2.5, 1)]) == [1, 2, 3, 3])
        // Half a wait beyond every exact one keeps (1 − 1/3.5)(1 − 1/2.5)(1 − 1/1.5), a
        // seventh of the mass, beyond 3; the tail through (4, 1/7) puts the sample at 7/8 at
        // 4 ln(1/8) / ln(1/7).
        let half = Status.kaplanMeierSample(exact: [1, 2, 3], weighted: [(4, 0.5)])
        #expect(half.prefix(3) == [1, 2, 3])
        #expect(abs(half[3] - 4 * log(1.0 / 8) / log(1.0 / 7)) < 1e-12)
        // With nothing exact past the start of the tail the estimate keeps no mass there: a
        // censored wait longer than every exact one and at weight 0 changes nothing.
        #expect(Status.kaplanMeierSample(exact: [1, 2, 3], weighted: [(5, 0)]) == [1, 2, 2, 3])
    }

    /// What censoring starts from in `l` on the `date`th, with x the only case in flight:
    /// the calibration before it, and the plan that weighs what may be under way.
    func measured(_ m: WorkflowModel, _ l: EventLog, asOf date: Int) throws
        -> (inFlight: [Status.Observed], base: HistoryCalibration, plan: CompiledPlan) {
        let seen = Status.observeAll(model: m, log: l, asOf: instant(date))
        #expect(seen.inFlight.map { l.cases[$0.index].id } == ["x"])
        let base = Status.calibrate(model: m, log: l, finished: seen.finished, inFlight: seen.inFlight,
                                    asOf: instant(date), since: -.infinity)
        let plan = try CompiledPlan(PlanBuilder.build(model: m, values: m.paramValues(), calibration: base).plan)
        return (seen.inFlight, base, plan)
    }

    @Test func aWaitAtANodeThatMayNotRunCountsByTheChanceItRuns() throws {
        // b ran in y1 and y2, 1 and 3 days after a; y3 and y4 passed it by. By the 9th, x's
        // b has been ready 4 days, longer than both recorded waits: b runs in half the
        // cases, but none of those waited that long, so x's wait is not one of b's at all
        // (weight 0) and b's waits stay those recorded: three samples of 1, 1 and 3 days.
        let history = """
            x,a,2026-01-04T00:00:00Z,2026-01-05T00:00:00Z
            x,c,2026-01-04T00:00:00Z,
            y1,a,2025-12-01T00:00:00Z,2025-12-02T00:00:00Z
            y1,c,2025-12-01T00:00:00Z,2025-12-11T00:00:00Z
            y1,b,2025-12-03T00:00:00Z,2025-12-23T00:00:00Z
            y2,a,2025-12-01T00:00:00Z,2025-12-02T00:00:00Z
            y2,c,2025-12-01T00:00:00Z,2025-12-11T00:00:00Z
            y2,b,2025-12-05T00:00:00Z,2025-12-25T00:00:00Z
            y3,a,2025-12-01T00:00:00Z,2025-12-02T00:00:00Z
            y3,c,2025-12-01T00:00:00Z,2025-12-11T00:00:00Z
            y4,a,2025-12-01T00:00:00Z,2025-12-02T00:00:00Z
            y4,c,2025-12-01T00:00:00Z,2025-12-11T00:00:00Z
            """
        func bWaits(_ source: String) throws -> [Double] {
            let m = try PlanBuilderTests.model(source)
            let (inFlight, base, plan) = try measured(m, try Sim.log(history), asOf: 9)
            #expect(base.waitingTimes[1] == [day, 3 * day])
            return Status.censor(base, model: m, inFlight: inFlight, asOf: instant(9), judgedBy: plan).waitingTimes[1]
        }
        #expect(try bWaits(chanceModel) == [day, day, 3 * day])
        // Without `chance`, b runs in every case: x's wait is one of b's for sure and lasts
        // at least 4 days. Kaplan–Meier keeps 2/3 after 1 day and 1/3 after 3; the third
        // left goes on as the tail through (4 days, 1/3): the sample at 5/6 is
        // 4 days × ln(1/6) / ln(1/3).
        let always = try bWaits(chanceModel.replacingOccurrences(of: "chance 50%; ", with: ""))
        #expect(always.prefix(2) == [day, 3 * day])
        #expect(abs((always.last ?? 0) - 4 * day * log(1.0 / 6) / log(1.0 / 3)) < 1e-6)
    }

    @Test func aWaitThatMayBeUnderWayAfterAnUndecidedGateCountsByItsChance() throws {
        let m = try PlanBuilderTests.model(gateModel)
        // y and z each had g reject once: a was ready again 1 day (y) and 4 days (z) after
        // g, and b 6 days after g approved. x's g ended on the 5th and nothing has started
        // since.
        let l = try Sim.log(gateLog + """

            y,s,2025-12-20T00:00:00Z,2025-12-21T00:00:00Z
            y,a,2025-12-21T00:00:00Z,2025-12-22T00:00:00Z
            y,g,2025-12-22T00:00:00Z,2025-12-23T00:00:00Z
            y,a,2025-12-24T00:00:00Z,2025-12-25T00:00:00Z
            y,g,2025-12-25T00:00:00Z,2025-12-26T00:00:00Z
            y,b,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z
            z,s,2025-12-20T00:00:00Z,2025-12-21T00:00:00Z
            z,a,2025-12-21T00:00:00Z,2025-12-22T00:00:00Z
            z,g,2025-12-22T00:00:00Z,2025-12-23T00:00:00Z
            z,a,2025-12-27T00:00:00Z,2025-12-28T00:00:00Z
            z,g,2025-12-28T00:00:00Z,2025-12-29T00:00:00Z
            z,b,2026-01-04T00:00:00Z,2026-01-05T00:00:00Z
            """)
        func reworkWaits(asOf date: Int) throws -> [Double] {
            let (inFlight, base, plan) = try measured(m, l, asOf: date)
            #expect(base.reworkWaitingTimes[1] == [day, 4 * day])
            #expect(base.rejectShares[2] == 0.5)
            return Status.censor(base, model: m, inFlight: inFlight, asOf: instant(date), judgedBy: plan)
                .reworkWaitingTimes[1]
        }
        // By the 8th, 3 days on: g rejected with its share, 1/2, times the share of a's
        // rework waits that long, 1/2, against approval times b's waits that long, all:
        // 1/4 against 1/2, so the wait under way counts with weight 1/3. Kaplan–Meier over
        // 1 day, 4 days and 3 days (weight 1/3) leaves 4/7 after 1 day: three samples, at
        // 1/6, 1/2 and 5/6, of 1, 4 and 4 days.
        #expect(try reworkWaits(asOf: 8) == [day, 4 * day, 4 * day])
        // By the 10th, 5 days on, longer than any rework wait recorded: g approved, and
        // a's rework waits stay as recorded.
        #expect(try reworkWaits(asOf: 10) == [day, 4 * day])
    }

    @Test func aChanceInsideAReworkLoopIsDrawnAgainEachPass() throws {
        // The review runs in half the passes and always sends the work back: once the loop
        // has run, a new pass draws the review's chance again, so the case leaves the loop
        // after 2 passes on average (a geometric count) instead of spinning until abandoned.
        let m = try PlanBuilderTests.model("""
            workflow "W" {
              owner o
              stage a { owner o; estimate 1d..1d }
              gate g { after a; approvers o; chance 50%; reject 100%; on reject -> a; estimate 1d..1d }
            }
            """)
        let built = PlanBuilder.build(model: m, values: m.paramValues())
        let r = try Simulator.simulate(built.plan, options: SimulationOptions(runs: 4000, seed: 7))
        #expect(r.unfinishedRuns == 0)
        let a = try #require(r.nodes.first { $0.id == "a" })
        #expect(abs(a.executionsMean - 2) < 0.1)
    }
}

/// Work sent back by a gate waits as recorded for repeats, apart from first passes.
@Suite struct ReworkPassTests {
    @Test func repeatsAreCalibratedApartFromFirstPasses() throws {
        let m = try PlanBuilderTests.model("""
            workflow "W" {
              owner o
              stage a { owner o }
              gate g { after a; approvers o; on reject -> a }
            }
            """)
        // a is picked up at once the first time and 5 days after g sent it back.
        let l = try HistoryReader.read(bytes: Array("""
            case_id,activity,start_time,end_time
            x,a,2026-01-05T00:00:00Z,2026-01-06T00:00:00Z
            x,g,2026-01-06T00:00:00Z,2026-01-07T00:00:00Z
            x,a,2026-01-12T00:00:00Z,2026-01-13T00:00:00Z
            x,g,2026-01-13T00:00:00Z,2026-01-14T00:00:00Z
            """.utf8), name: "h.csv")
        let calibration = HistoryCalibration(log: l, model: m)
        #expect(calibration.waitingTimes[0] == [0, 5 * Sim.day])
        #expect(calibration.reworkWaitingTimes[0] == [5 * Sim.day])
        let plan = PlanBuilder.build(model: m, values: m.paramValues(), calibration: calibration).plan
        #expect(plan.nodes[0].wait == .empirical([0]))
        #expect(plan.nodes[0].reworkWait == .empirical([5 * Sim.day]))
        // g's second review followed a at once, as its first did.
        #expect(plan.nodes[1].wait == .empirical([0]))
        #expect(plan.nodes[1].reworkWait == .empirical([0]))
    }

    @Test func workSentBackWaitsItsReworkWait() throws {
        // a (1d) → g (1d) rejects → a waits its 5-day rework wait, runs 1d → g does not run
        // again (repeat chance 0): 8 days in every run; a first pass has no wait at all.
        var a = Sim.stage("a", Sim.fixed(1))
        a.reworkWait = Sim.fixed(5)
        var g = Sim.gate("g", after: [0], approvers: [0], Sim.fixed(1), reject: 1, rework: 0)
        g.repeatChance = 0
        let r = try Simulator.simulate(SimulationPlan(nodes: [a, g], owners: Sim.owners(1)),
                                       options: SimulationOptions(runs: 10))
        #expect(r.unfinishedRuns == 0)
        #expect(r.leadTime.mean == 8 * Sim.day)
        #expect(r.leadTime.p95 == 8 * Sim.day)
    }
}
