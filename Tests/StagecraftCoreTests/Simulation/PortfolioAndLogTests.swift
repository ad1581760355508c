import Testing
@testable import StagecraftSimulation

@Suite struct PortfolioAndLogTests {
    let day = Sim.day

    /// One 2 d stage, owner capacity 1, a launch every day: the owner is the bottleneck.
    var queuePlan: SimulationPlan {
        SimulationPlan(nodes: [Sim.stage("build", Sim.fixed(2))], owners: [SimOwner(id: "eng", capacity: 1)])
    }

    @Test func portfolioQueues() throws {
        let r = try Simulator.simulatePortfolio(
            queuePlan, portfolio: PortfolioOptions(cases: 3, arrival: Sim.d(1)), options: SimulationOptions(runs: 4))
        // Case i arrives at i d and finishes at 2(i + 1) d: lead times 2, 3, 4 d.
        #expect(r.caseLeadTimeMean == [2 * day, 3 * day, 4 * day])
        #expect(r.caseFinishedRuns == [4, 4, 4])
        #expect(r.finishedCases == 12 && r.unfinishedCases == 0)
        #expect(r.leadTime.mean == 3 * day)
        #expect(r.makespan.mean == 6 * day)
        #expect(r.owners[0].queueDelayMean == 1 * day)
        // Pooled delays 0, 1, 2 d four times each: rank 10.45 of 12 lies among the 2 d.
        #expect(r.owners[0].queueDelayP95 == 2 * day)
        #expect(r.owners[0].utilisation == 1)
        #expect(r.caseArrivals == [r.kickoff, r.kickoff + day, r.kickoff + 2 * day])
    }

    @Test func portfolioBusinessArrivals() throws {
        let friday9 = Sim.instant(2026, 11, 20, hour: 9)
        let r = try Simulator.simulatePortfolio(
            queuePlan, portfolio: PortfolioOptions(cases: 2, arrival: Sim.bd(1)),
            options: SimulationOptions(runs: 1, start: friday9))
        #expect(r.caseArrivals == [friday9, friday9 + 3 * day])
    }

    @Test func portfolioIsDeterministic() throws {
        let plan = SimulationPlan(nodes: [
            Sim.stage("a", .uniform(low: Sim.d(1), high: Sim.d(3))),
            Sim.gate("g", after: [0], approvers: [0, 1], quorum: 1, Sim.fixed(0.5), reject: 0.2, rework: 0),
        ], owners: Sim.owners(1, 1))
        let pf = PortfolioOptions(cases: 50, arrival: Sim.d(0.5))
        let a = try Simulator.simulatePortfolio(plan, portfolio: pf, options: SimulationOptions(runs: 20, seed: 1, threads: 1))
        let b = try Simulator.simulatePortfolio(plan, portfolio: pf, options: SimulationOptions(runs: 20, seed: 1, threads: 2))
        #expect(a == b)
        let c = try Simulator.simulatePortfolio(plan, portfolio: pf, options: SimulationOptions(runs: 20, seed: 2))
        #expect(a.caseLeadTimeMean != c.caseLeadTimeMean)
    }

    @Test func portfolioSizeIsBounded() {
        #expect(throws: SimulationError.self) {
            try Simulator.simulatePortfolio(queuePlan, portfolio: PortfolioOptions(cases: 10_000, arrival: Sim.d(1)),
                                            options: SimulationOptions(runs: 10_000))
        }
    }

    @Test func eventLogRowsAndCSV() throws {
        let start = Sim.instant(2026, 1, 5, hour: 9)
        let log = try Simulator.eventLog(queuePlan, options: SimulationOptions(start: start),
                                         portfolio: PortfolioOptions(cases: 2, arrival: Sim.d(1)))
        #expect(log.rows.map(\.caseID) == ["case-1", "case-2"])
        #expect(log.rows[1].start == start + 2 * day)
        #expect(log.csv == """
            case_id,activity,resource,start_time,end_time
            case-1,build,eng,2026-01-05T09:00:00Z,2026-01-07T09:00:00Z
            case-2,build,eng,2026-01-07T09:00:00Z,2026-01-09T09:00:00Z

            """)
    }

    @Test func eventLogGateRowsAndQuoting() throws {
        let plan = SimulationPlan(nodes: [
            Sim.stage("draft", Sim.fixed(1)),
            Sim.gate("sign, off", after: [0], approvers: [0, 1], Sim.fixed(0.5)),
        ], owners: [SimOwner(id: "pm"), SimOwner(id: "le\"gal")])
        let log = try Simulator.eventLog(plan, portfolio: PortfolioOptions(cases: 10, arrival: Sim.d(10)))
        #expect(log.rows.count == 30)
        #expect(log.rows.first?.caseID == "case-01")
        #expect(log.rows.last?.caseID == "case-10")
        let lines = log.csv.split(separator: "\n")
        #expect(lines[2] == "case-01,\"sign, off\",pm,2024-01-02T09:00:00Z,2024-01-02T21:00:00Z")
        #expect(lines[3] == "case-01,\"sign, off\",\"le\"\"gal\",2024-01-02T09:00:00Z,2024-01-02T21:00:00Z")
    }

    @Test func eventLogMatchesSimulatedRun() throws {
        // Run 0 of the log is run 0 of the forecast: with one run, the lead times agree.
        let plan = SimulationPlan(nodes: [
            Sim.stage("a", .uniform(low: Sim.d(1), high: Sim.d(3))),
            Sim.stage("b", after: [0], .pert(optimistic: Sim.d(1), likely: Sim.d(2), pessimistic: Sim.d(4))),
        ], owners: Sim.owners(1))
        let r = try Simulator.simulate(plan, options: SimulationOptions(runs: 1, seed: 77))
        let log = try Simulator.eventLog(plan, options: SimulationOptions(seed: 77))
        #expect(log.rows.last.map { $0.end - r.kickoff } == r.leadTime.mean)
    }
}

@Suite struct SimulationValidationTests {
    func plan(_ nodes: [SimNode], owners: [SimOwner] = Sim.owners(1)) -> SimulationPlan {
        SimulationPlan(nodes: nodes, owners: owners)
    }

    func error(_ p: SimulationPlan, _ options: SimulationOptions = SimulationOptions(runs: 1)) -> SimulationError? {
        do {
            _ = try Simulator.simulate(p, options: options)
            return nil
        } catch {
            return error
        }
    }

    @Test func rejectsBrokenPlans() {
        let f = Sim.fixed(1)
        #expect(error(plan([Sim.stage("a", after: [1], f), Sim.stage("b", after: [0], f)]))
            == .dependencyCycle(["b", "a", "b"]))
        #expect(error(plan([Sim.stage("a", after: [5], f)])) != nil)
        #expect(error(plan([Sim.stage("a", owner: 3, f)])) != nil)
        #expect(error(plan([Sim.stage("a", f)], owners: [SimOwner(id: "x", capacity: 0)]))
            == .invalidCapacity(owner: "x", capacity: 0))
        #expect(error(plan([Sim.gate("g", after: [], approvers: [0], quorum: 2, f)]))
            == .invalidQuorum(node: "g", quorum: 2, approvers: 1))
        #expect(error(plan([Sim.gate("g", after: [], approvers: [], quorum: 1, f)])) != nil)
        #expect(error(plan([Sim.stage("a", .empirical([]))])) != nil)
        #expect(error(plan([Sim.stage("a", .empirical([.nan]))])) != nil)
        #expect(error(plan([Sim.stage("a", .uniform(low: Sim.d(3), high: Sim.d(1)))])) != nil)
        #expect(error(plan([Sim.stage("a", .pert(optimistic: Sim.d(1), likely: Sim.d(5), pessimistic: Sim.d(3)))])) != nil)
        #expect(error(plan([Sim.stage("a", .fixed(Sim.d(-1)))])) != nil)
        #expect(error(plan([Sim.stage("a", .fixed(Sim.d(.infinity)))])) != nil)
        #expect(error(plan([Sim.stage("a", f), Sim.gate("g", after: [0], approvers: [0], f, reject: 1.5, rework: 0)]))
            == .invalidProbability(node: "g", value: 1.5))
        // The rework target must be upstream of the gate.
        #expect(error(plan([Sim.stage("a", f), Sim.gate("g", after: [], approvers: [0], f, reject: 0.5, rework: 0)]))
            == .invalidReworkTarget(node: "g", target: "a"))
        #expect(error(plan([Sim.stage("a", f)]), SimulationOptions(runs: 0)) != nil)
        #expect(error(plan([Sim.stage("a", f)]), SimulationOptions(runs: 1, start: .nan)) != nil)
    }
}
