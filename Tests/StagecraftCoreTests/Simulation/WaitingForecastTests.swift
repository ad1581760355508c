import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftHistory
@testable import StagecraftSimulation

/// Hand-computed answers for waiting, per-case variation, working hours, arrivals and
/// calibration of the forecast.
@Suite struct WaitingForecastTests {
    let day = Sim.day

    @Test func aFixedWaitAddsExactlyItsDurationAndLeavesTheOwnerFree() throws {
        // a (2d) then b: wait 3d, then 1d of work. One case: 2 + 3 + 1 = 6 d.
        var b = Sim.stage("b", after: [0], Sim.fixed(1))
        b.wait = .fixed(Sim.d(3))
        let plan = SimulationPlan(nodes: [Sim.stage("a", Sim.fixed(2)), b], owners: Sim.owners(1))
        let r = try Simulator.simulate(plan, options: SimulationOptions(runs: 5))
        #expect(r.leadTime.mean == 6 * day)
        #expect(r.nodes[1].waitingMean == 3 * day)
        #expect(r.nodes[1].capacityDelayMean == 0)
        #expect(r.leadTimeParts == LeadTimeParts(waiting: 3 * day, queueing: 0, processing: 3 * day))

        // Two cases a day apart share the one owner. Case 2's a runs on day 2..4 while case
        // 1's b waits (days 2..5): the wait does not hold the owner. Case 1: 6 d. Case 2:
        // a 2..4, wait 4..7, b 7..8 → 7 d from its arrival at day 1.
        let p = try Simulator.simulatePortfolio(plan, portfolio: PortfolioOptions(cases: 2, arrival: Sim.d(1)),
                                                options: SimulationOptions(runs: 1))
        #expect(p.caseLeadTimeMean == [6 * day, 7 * day])
    }

    @Test func chanceFiftyPercentSkipsAboutHalfTheCases() throws {
        var b = Sim.stage("b", Sim.fixed(1))
        b.chance = 0.5
        let plan = SimulationPlan(nodes: [b], owners: Sim.owners(1))
        let r = try Simulator.simulate(plan, options: SimulationOptions(runs: 20_000, seed: 3))
        // Executions per run ~ Binomial(20000, 0.5)/20000: sd 0.0035.
        #expect(abs(r.nodes[0].executionsMean - 0.5) < 0.015)
        #expect(abs(r.leadTime.mean / day - 0.5) < 0.015)
    }

    @Test func aVaryingParamReproducesItsShares() throws {
        let m = try PlanBuilderTests.model("""
            workflow "V" {
              param region: string = "US" {
                "US" 60%
                "EU" 30%
                "APAC" 10%
              }
              owner o
              stage eu { owner o; estimate 1d..1d; when region == "EU" }
              stage apac { owner o; estimate 1d..1d; when region == "APAC" }
            }
            """)
        let built = PlanBuilder.build(model: m, values: m.paramValues())
        #expect(built.plan.variants.map(\.probability) == [0.6, 0.3, 0.1])
        #expect(built.plan.variants.map(\.skipped) == [[0, 1], [1], [0]])
        let r = try Simulator.simulate(built.plan, options: SimulationOptions(runs: 20_000, seed: 7))
        #expect(abs(r.nodes[0].executionsMean - 0.3) < 0.01)
        #expect(abs(r.nodes[1].executionsMean - 0.1) < 0.01)
        // --set pins it: no variation.
        let pinned = PlanBuilder.build(model: m, values: m.paramValues(overrides: ["region": .string("EU")]), pinned: ["region"])
        #expect(pinned.plan.variants.isEmpty)
        #expect(pinned.plan.nodes.map(\.skipped) == [false, true])
    }

    @Test func workingHoursCarryATaskOverTheWeekend() throws {
        // 09:00-17:00, Mon-Fri. A 10 h task started Friday 16:00: 1 h on Friday, 8 h on
        // Monday, 1 h on Tuesday: done Tuesday 10:00.
        let hours = WorkingHours(start: 9 * 60, end: 17 * 60)
        var calendar = BusinessCalendar.standard
        let friday = Sim.instant(2026, 12, 4, hour: 16)
        let done = hours.advance(friday, byWorkingSeconds: 10 * 3600, days: &calendar)
        #expect(done == Sim.instant(2026, 12, 8, hour: 10))
        #expect(hours.workingSeconds(from: friday, to: done, days: &calendar) == 10 * 3600)
        #expect(hours.nextWorkingInstant(Sim.instant(2026, 12, 5, hour: 12), days: &calendar) == Sim.instant(2026, 12, 7, hour: 9))

        // The same through the engine: an owner with those hours, kickoff Friday 16:00.
        let plan = SimulationPlan(nodes: [Sim.stage("t", .fixed(Duration(amount: 10, unit: .hours)))],
                                  owners: [SimOwner(id: "o", capacity: 1, hours: hours)])
        let r = try Simulator.simulate(plan, options: SimulationOptions(runs: 1, start: friday))
        #expect(r.completionP50 == Sim.instant(2026, 12, 8, hour: 10))
        // Ready Monday 20:00: it starts Tuesday 09:00, works 8 h, and ends Wednesday 11:00.
        let night = Sim.instant(2026, 12, 7, hour: 20)
        let r2 = try Simulator.simulate(plan, options: SimulationOptions(runs: 1, start: night))
        #expect(r2.completionP50 == Sim.instant(2026, 12, 9, hour: 11))
    }

    @Test func exponentialArrivalsHaveTheirMean() throws {
        let plan = SimulationPlan(nodes: [Sim.stage("a", Sim.fixed(0))], owners: Sim.owners(1))
        let pf = PortfolioOptions(cases: 2_001, arrivals: .exponential(mean: Sim.d(2)))
        let log = try Simulator.eventLog(plan, options: SimulationOptions(runs: 1, seed: 5), portfolio: pf)
        let starts = log.rows.map(\.start).sorted()
        let meanGap = (starts[starts.count - 1] - starts[0]) / Double(starts.count - 1)
        // 2000 exponential gaps of mean 2 d: sd of the mean 0.045 d.
        #expect(abs(meanGap / day - 2) < 0.15)
        // Recorded instants are used as given.
        let exact = PortfolioOptions(cases: 2, arrivals: .instants([100, 5_000]))
        let l2 = try Simulator.eventLog(plan, options: SimulationOptions(runs: 1), portfolio: exact)
        #expect(l2.rows.map(\.start) == [100, 5_000])
    }

    @Test func aLogWithKnownWaitsRecalibratesThem() throws {
        // Each case: a runs 09:00-10:00, then b starts 5 h later (waits 5 h) and runs 2 h.
        // Twenty cases a day apart; b's wait must come back as 5 h, within 1%.
        var csv = "case_id,activity,start_time,end_time\n"
        for c in 0..<20 {
            let d = String(format: "2026-01-%02d", c + 1)
            csv += "c\(c),a,\(d)T09:00:00Z,\(d)T10:00:00Z\n"
            csv += "c\(c),b,\(d)T15:00:00Z,\(d)T17:00:00Z\n"
        }
        let log = try HistoryReader.read(bytes: Array(csv.utf8), name: "w.csv")
        let m = try PlanBuilderTests.model("""
            workflow "W" {
              owner o
              stage a { owner o; sla 1d }
              stage b { after a; owner o; sla 1d }
            }
            """)
        let c = HistoryCalibration(log: log, model: m)
        #expect(c.waitingTimes[1].count == 20)
        #expect(c.waitingTimes[1].allSatisfy { abs($0 - 5 * 3600) <= 0.01 * 5 * 3600 })
        #expect(c.waitingTimes[0].allSatisfy { $0 == 0 })
        let built = PlanBuilder.build(model: m, values: m.paramValues(), calibration: c)
        let r = try Simulator.simulate(built.plan, options: SimulationOptions(runs: 100))
        // 1 h + 5 h + 2 h.
        #expect(r.leadTime.mean == 8 * 3600)
        #expect(r.nodes[1].waitingMean == 5 * 3600)
        // The in-sample check reproduces the history.
        let inSample = try #require(Backtest.inSample(plan: built.plan, calibration: c))
        #expect(inSample.recorded == 8 * 3600)
        #expect(inSample.simulated == 8 * 3600)
    }

    @Test func wassersteinDistanceByHand() {
        // {0, 2} against {1, 1}: |F| differences 0.5 over [0,1) and 0.5 over [1,2) → 1.
        #expect(Backtest.wasserstein([0, 2], [1, 1]) == 1)
        #expect(Backtest.wasserstein([3, 1, 2], [1, 2, 3]) == 0)
        // Shifting a sample by 5 moves it by 5.
        #expect(Backtest.wasserstein([1, 4, 9], [6, 9, 14]) == 5)
    }
}

extension WaitingForecastTests {
    @Test func sharesComeFromTheCasesThatRanEachBranch() throws {
        // 10 cases: privacy runs in 3 of them. `pii` true guards it; false has no node of
        // its own and takes the rest: 30% / 70%, whatever the declared 50/50.
        var csv = "case_id,activity,start_time,end_time\n"
        for c in 0..<10 {
            let d = String(format: "2026-02-%02d", c + 1)
            csv += "c\(c),build,\(d)T09:00:00Z,\(d)T10:00:00Z\n"
            if c < 3 { csv += "c\(c),privacy,\(d)T11:00:00Z,\(d)T12:00:00Z\n" }
        }
        let log = try HistoryReader.read(bytes: Array(csv.utf8), name: "p.csv")
        let m = try PlanBuilderTests.model("""
            workflow "P" {
              param pii: bool = true {
                true 50%
                false 50%
              }
              owner o
              stage build { owner o; sla 1d }
              stage privacy { after build; when pii; owner o; sla 1d }
            }
            """)
        let c = HistoryCalibration(log: log, model: m)
        let built = PlanBuilder.build(model: m, values: m.paramValues(), calibration: c)
        let p = built.plan.variants.map(\.probability)
        #expect(p.count == 2 && abs(p[0] - 0.3) < 1e-12 && abs(p[1] - 0.7) < 1e-12)
        #expect(built.plan.variants.map(\.skipped) == [[], [1]])
    }
}
