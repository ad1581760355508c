import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftSimulation

/// The hand-computed answers of the simulation brief.
@Suite struct SimulationEngineTests {
    let day = Sim.day

    @Test func chainOfUniformStages() throws {
        // Each stage U(1, 3) d: mean 2 d, variance 4/12 d²; ten in a chain: mean 20 d,
        // sd √(10/3) ≈ 1.826 d.
        let nodes = (0..<10).map { i in
            Sim.stage("s\(i)", after: i == 0 ? [] : [i - 1], .uniform(low: Sim.d(1), high: Sim.d(3)))
        }
        let r = try Simulator.simulate(SimulationPlan(nodes: nodes, owners: Sim.owners(1)),
                                       options: SimulationOptions(runs: 10_000, seed: 1))
        #expect(r.finishedRuns == 10_000)
        #expect(abs(r.leadTime.mean / day - 20) < 0.1)
        #expect(abs(r.leadTime.stdev / day - 1.826) < 0.05)
        #expect(r.leadTimeSamples.count == 10_000)
        #expect(r.leadTimeSamples == r.leadTimeSamples.sorted())
        // A chain: every node is always critical.
        #expect(r.nodes.allSatisfy { $0.criticality == 1 })
    }

    @Test func ownerCapacity() throws {
        let nodes = [Sim.stage("a", Sim.fixed(5)), Sim.stage("b", Sim.fixed(5))]
        let one = try Simulator.simulate(SimulationPlan(nodes: nodes, owners: Sim.owners(1)),
                                         options: SimulationOptions(runs: 10))
        #expect(one.leadTime.mean == 10 * day)
        #expect(one.leadTime.p95 == 10 * day)
        // b waits 5 d for a: mean delay 2.5 d over the two items; 10 d busy / 10 d.
        #expect(one.nodes[0].capacityDelayMean == 0)
        #expect(one.nodes[1].capacityDelayMean == 5 * day)
        #expect(one.owners[0].queueDelayMean == 2.5 * day)
        #expect(one.owners[0].utilisation == 1)
        // The wait for capacity puts both on the critical path.
        #expect(one.nodes.map(\.criticality) == [1, 1])

        let two = try Simulator.simulate(SimulationPlan(nodes: nodes, owners: Sim.owners(2)),
                                         options: SimulationOptions(runs: 10))
        #expect(two.leadTime.mean == 5 * day)
        #expect(two.owners[0].queueDelayMean == 0)
        #expect(two.owners[0].utilisation == 1)
    }

    @Test func reworkLoop() throws {
        // Each round costs 2 d and repeats with probability ½: 2 rounds expected → 4 d.
        let nodes = [
            Sim.stage("work", Sim.fixed(1)),
            Sim.gate("review", after: [0], approvers: [1], Sim.fixed(1), reject: 0.5, rework: 0),
        ]
        let r = try Simulator.simulate(SimulationPlan(nodes: nodes, owners: Sim.owners(1, 1)),
                                       options: SimulationOptions(runs: 10_000, seed: 7))
        #expect(abs(r.leadTime.mean / day - 4) < 0.1)
        #expect(abs(r.nodes[1].executionsMean - 2) < 0.05)
        #expect(r.nodes.map(\.criticality) == [1, 1])
        #expect(r.leadTime.min == 2 * day)
    }

    @Test func pertMean() throws {
        let nodes = [Sim.stage("p", .pert(optimistic: Sim.d(2), likely: Sim.d(4), pessimistic: Sim.d(9)))]
        let r = try Simulator.simulate(SimulationPlan(nodes: nodes, owners: Sim.owners(1)),
                                       options: SimulationOptions(runs: 10_000, seed: 3))
        #expect(abs(r.leadTime.mean / day - 4.5) < 0.05)
        #expect(r.leadTime.min >= 2 * day)
        #expect(r.leadTime.max <= 9 * day)
        // sd of beta-PERT: 7 · √(αβ / ((α+β)²(α+β+1))) with α = 15/7, β = 27/7 → ≈ 1.268 d.
        #expect(abs(r.leadTime.stdev / day - 1.268) < 0.05)
    }

    @Test func degeneratePertIsFixed() throws {
        let nodes = [Sim.stage("p", .pert(optimistic: Sim.d(2), likely: Sim.d(2), pessimistic: Sim.d(2)))]
        let r = try Simulator.simulate(SimulationPlan(nodes: nodes, owners: Sim.owners(1)),
                                       options: SimulationOptions(runs: 100))
        #expect(r.leadTime.min == 2 * day && r.leadTime.max == 2 * day)
    }

    @Test func skippedNodeTakesNoTime() throws {
        let nodes = [
            Sim.stage("a", Sim.fixed(1)),
            Sim.stage("b", after: [0], Sim.fixed(1), skipped: true),
            Sim.stage("c", after: [1], Sim.fixed(1)),
        ]
        let r = try Simulator.simulate(SimulationPlan(nodes: nodes, owners: Sim.owners(1)),
                                       options: SimulationOptions(runs: 50))
        #expect(r.leadTime.mean == 2 * day)
        #expect(r.leadTime.stdev == 0)
        #expect(r.nodes[1].executionsMean == 0)
        #expect(r.nodes.map(\.criticality) == [1, 0, 1])
    }

    @Test func empiricalHistory() throws {
        let nodes = [Sim.stage("e", .empirical([1 * day, 3 * day]))]
        let r = try Simulator.simulate(SimulationPlan(nodes: nodes, owners: Sim.owners(1)),
                                       options: SimulationOptions(runs: 10_000, seed: 11))
        #expect(abs(r.leadTime.mean / day - 2) < 0.05)
        #expect(r.leadTime.min == 1 * day && r.leadTime.max == 3 * day)
        #expect(Set(r.leadTimeSamples) == [1 * day, 3 * day])
    }

    @Test func businessDaysAcrossWeekend() throws {
        let friday9 = Sim.instant(2026, 11, 20, hour: 9)
        let monday9 = Sim.instant(2026, 11, 23, hour: 9)
        let nodes = [Sim.stage("b", .fixed(Sim.bd(1)), sla: Sim.bd(1))]
        let r = try Simulator.simulate(SimulationPlan(nodes: nodes, owners: Sim.owners(1)),
                                       options: SimulationOptions(runs: 5, start: friday9))
        #expect(r.completionP50 == monday9)
        #expect(r.leadTime.mean == 3 * day)
        // Ready → done is 1 business day: exactly the SLA, not a breach.
        #expect(r.nodes[0].slaBreachProbability == 0)
        let log = try Simulator.eventLog(SimulationPlan(nodes: nodes, owners: Sim.owners(1)),
                                         options: SimulationOptions(start: friday9))
        #expect(log.rows.first?.end == monday9)
    }

    @Test func alwaysRejectingGateDoesNotFinish() throws {
        let nodes = [
            Sim.stage("work", Sim.fixed(1)),
            Sim.gate("review", after: [0], approvers: [0], Sim.fixed(1), reject: 1, rework: 0),
        ]
        let plan = SimulationPlan(nodes: nodes, owners: Sim.owners(1), deadline: Sim.d(100))
        let r = try Simulator.simulate(plan, options: SimulationOptions(runs: 20))
        #expect(r.finishedRuns == 0)
        #expect(r.unfinishedRuns == 20)
        #expect(r.leadTime == .empty)
        #expect(r.deadlineProbability == 0)
        #expect(r.completionP50 == nil)
        // The event log of such a run shows the 21 reviews (20 rejections, then the one
        // that exceeds the limit).
        let log = try Simulator.eventLog(plan)
        #expect(log.rows.filter { $0.activity == "review" }.count == 21)
        #expect(log.rows.filter { $0.activity == "work" }.count == 21)
    }

    @Test func gateReviewedAgainWithoutTarget() throws {
        let nodes = [
            Sim.stage("work", Sim.fixed(1)),
            Sim.gate("review", after: [0], approvers: [0], Sim.fixed(1), reject: 0.5),
        ]
        let r = try Simulator.simulate(SimulationPlan(nodes: nodes, owners: Sim.owners(1)),
                                       options: SimulationOptions(runs: 10_000, seed: 5))
        // 1 d of work, then a geometric number (mean 2) of 1 d reviews.
        #expect(abs(r.leadTime.mean / day - 3) < 0.1)
        #expect(r.nodes[0].executionsMean == 1)
    }

    @Test func seedsAreReproducible() throws {
        let plan = SimulationPlan(nodes: [
            Sim.stage("a", .uniform(low: Sim.d(1), high: Sim.d(3))),
            Sim.stage("b", after: [0], .pert(optimistic: Sim.d(1), likely: Sim.d(2), pessimistic: Sim.d(5))),
            Sim.gate("g", after: [1], approvers: [0, 1], quorum: 1, .uniform(low: Sim.d(0.5), high: Sim.d(1)),
                     reject: 0.3, rework: 0),
        ], owners: Sim.owners(1, 2))
        let a = try Simulator.simulate(plan, options: SimulationOptions(runs: 2_000, seed: 42))
        let b = try Simulator.simulate(plan, options: SimulationOptions(runs: 2_000, seed: 42))
        let c = try Simulator.simulate(plan, options: SimulationOptions(runs: 2_000, seed: 43))
        #expect(a == b)
        #expect(a.leadTimeSamples != c.leadTimeSamples)
        // Threads do not change anything.
        let one = try Simulator.simulate(plan, options: SimulationOptions(runs: 2_000, seed: 42, threads: 1))
        let four = try Simulator.simulate(plan, options: SimulationOptions(runs: 2_000, seed: 42, threads: 4))
        #expect(one == a && four == a)
        // A shorter simulation is a prefix of a longer one: run r always uses stream r.
        let log0 = try Simulator.eventLog(plan, options: SimulationOptions(seed: 42), run: 0)
        let log0Again = try Simulator.eventLog(plan, options: SimulationOptions(seed: 42), run: 0)
        #expect(log0.csv == log0Again.csv)
    }

    @Test func criticalityOfParallelBranches() throws {
        // a (2–3 d) and b (0.5–1 d) in parallel, both before c: a is always the longer one.
        let nodes = [
            Sim.stage("start", Sim.fixed(1)),
            Sim.stage("a", after: [0], owner: 0, .uniform(low: Sim.d(2), high: Sim.d(3))),
            Sim.stage("b", after: [0], owner: 1, .uniform(low: Sim.d(0.5), high: Sim.d(1))),
            Sim.stage("c", after: [1, 2], owner: 0, Sim.fixed(1)),
        ]
        let r = try Simulator.simulate(SimulationPlan(nodes: nodes, owners: Sim.owners(1, 1)),
                                       options: SimulationOptions(runs: 1_000, seed: 9))
        #expect(r.nodes.map(\.criticality) == [1, 1, 0, 1])
    }

    @Test func slaBreaches() throws {
        let nodes = [
            Sim.stage("slow", Sim.fixed(2), sla: Sim.d(1)),
            Sim.stage("ok", after: [0], Sim.fixed(2), sla: Sim.d(3)),
            Sim.stage("half", after: [1], .empirical([1 * day, 3 * day]), sla: Sim.d(2)),
        ]
        let r = try Simulator.simulate(SimulationPlan(nodes: nodes, owners: Sim.owners(1)),
                                       options: SimulationOptions(runs: 10_000, seed: 2))
        #expect(r.nodes[0].slaBreachProbability == 1)
        #expect(r.nodes[1].slaBreachProbability == 0)
        #expect(abs(r.nodes[2].slaBreachProbability - 0.5) < 0.03)
    }

    @Test func deadlineProbability() throws {
        let nodes = [Sim.stage("e", .empirical([1 * day, 3 * day]))]
        let elapsed = SimulationPlan(nodes: nodes, owners: Sim.owners(1), deadline: Sim.d(2))
        let r = try Simulator.simulate(elapsed, options: SimulationOptions(runs: 10_000, seed: 4))
        #expect(abs((r.deadlineProbability ?? -1) - 0.5) < 0.03)
        // 1 bd from Friday 09:00 ends Monday 09:00: 3 elapsed days but 1 business day. The
        // deadline is counted like an SLA in the checklist, the kickoff day being day 1: a
        // 2bd deadline from Friday ends with Monday, and is met; a 1bd one ends with Friday.
        let friday9 = Sim.instant(2026, 11, 20, hour: 9)
        let business = SimulationPlan(nodes: [Sim.stage("b", .fixed(Sim.bd(1)))], owners: Sim.owners(1),
                                      deadline: Sim.bd(2))
        let b = try Simulator.simulate(business, options: SimulationOptions(runs: 5, start: friday9))
        #expect(b.deadlineProbability == 1)
        var sameDay = business
        sameDay.deadline = Sim.bd(1)
        #expect(try Simulator.simulate(sameDay, options: SimulationOptions(runs: 5, start: friday9)).deadlineProbability == 0)
        let tight = SimulationPlan(nodes: [Sim.stage("b", .fixed(Sim.bd(1)))], owners: Sim.owners(1),
                                   deadline: Sim.d(2))
        #expect(try Simulator.simulate(tight, options: SimulationOptions(runs: 5, start: friday9)).deadlineProbability == 0)
    }

    @Test func gateQuorumPicksEarliestFreeApprovers() throws {
        // Approver 0 is busy with a 3 d stage; a quorum-2 gate of approvers 0, 1, 2 picks
        // 1 and 2 and starts at once.
        let nodes = [
            Sim.stage("busy", owner: 0, Sim.fixed(3)),
            Sim.gate("g", after: [], approvers: [0, 1, 2], quorum: 2, Sim.fixed(1)),
        ]
        let plan = SimulationPlan(nodes: nodes, owners: Sim.owners(1, 1, 1))
        let r = try Simulator.simulate(plan, options: SimulationOptions(runs: 3))
        #expect(r.leadTime.mean == 3 * day)
        #expect(r.nodes[1].capacityDelayMean == 0)
        let log = try Simulator.eventLog(plan)
        #expect(log.rows.filter { $0.activity == "g" }.map(\.resource) == ["o1", "o2"])
        // Quorum all waits for approver 0.
        var all = plan
        all.nodes[1].quorum = 3
        let q = try Simulator.simulate(all, options: SimulationOptions(runs: 3))
        #expect(q.leadTime.mean == 4 * day)
        #expect(q.nodes[1].capacityDelayMean == 3 * day)
        #expect(q.nodes.map(\.criticality) == [1, 1])
    }

    @Test func defaultKickoffIsMondayNineWithoutHolidays() throws {
        // 2024-01-01 is a holiday in this calendar, but without a start the simulation
        // ignores holidays: 1 bd from Monday 09:00 ends Tuesday 09:00.
        let monday = CivilDate(year: 2024, month: 1, day: 1)
        #expect(monday.weekday == 0)
        let cal = BusinessCalendar(workdays: BusinessCalendar.standard.workdays, holidays: [monday.dayNumber: "New year"])
        let plan = SimulationPlan(nodes: [Sim.stage("b", .fixed(Sim.bd(1)))], owners: Sim.owners(1), calendar: cal)
        let r = try Simulator.simulate(plan, options: SimulationOptions(runs: 2))
        #expect(r.kickoff == Double(monday.dayNumber) * day + 9 * 3600)
        #expect(r.leadTime.mean == 1 * day)
        #expect(r.completionP50 == nil)
        // With that start given, the holiday applies: the work starts Tuesday 00:00.
        let given = try Simulator.simulate(plan, options: SimulationOptions(runs: 2, start: r.kickoff))
        #expect(given.leadTime.mean == 2 * day - 9 * 3600)
    }

    @Test func emptyAndAllSkippedPlans() throws {
        let empty = try Simulator.simulate(SimulationPlan(nodes: [], owners: []), options: SimulationOptions(runs: 3))
        #expect(empty.finishedRuns == 3 && empty.leadTime.mean == 0)
        let skipped = SimulationPlan(nodes: [Sim.stage("a", Sim.fixed(1), skipped: true)], owners: Sim.owners(1))
        let s = try Simulator.simulate(skipped, options: SimulationOptions(runs: 3))
        #expect(s.finishedRuns == 3 && s.leadTime.mean == 0 && s.nodes[0].criticality == 0)
    }

    @Test func reworkResetsOnlyThePathToTheGate() throws {
        // prd → build → gate (rework to prd); prd → docs. docs is not between prd and the
        // gate, so it runs once even when the gate rejects.
        let nodes = [
            Sim.stage("prd", owner: 0, Sim.fixed(1)),
            Sim.stage("build", after: [0], owner: 1, Sim.fixed(1)),
            Sim.gate("gate", after: [1], approvers: [2], Sim.fixed(1), reject: 0.5, rework: 0),
            Sim.stage("docs", after: [0], owner: 3, Sim.fixed(1)),
        ]
        let r = try Simulator.simulate(SimulationPlan(nodes: nodes, owners: Sim.owners(1, 1, 1, 1)),
                                       options: SimulationOptions(runs: 5_000, seed: 8))
        #expect(r.nodes[3].executionsMean == 1)
        #expect(abs(r.nodes[0].executionsMean - 2) < 0.1)
        #expect(abs(r.nodes[1].executionsMean - 2) < 0.1)
    }
}
