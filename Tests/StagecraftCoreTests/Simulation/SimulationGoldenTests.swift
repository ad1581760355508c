import Testing
@testable import StagecraftSimulation

/// Pinned outputs for one seed. Every random draw goes through basic IEEE operations, so
/// these bits must be the same on every machine (x86-64 and arm64, Linux and macOS); a
/// failure here means forecasts published for a seed would change.
@Suite struct SimulationGoldenTests {
    static var plan: SimulationPlan {
        SimulationPlan(nodes: [
            Sim.stage("prd", owner: 0, .pert(optimistic: Sim.bd(2), likely: Sim.bd(3), pessimistic: Sim.bd(6))),
            Sim.stage("build", after: [0], owner: 1, .uniform(low: Sim.bd(8), high: Sim.bd(20))),
            Sim.gate("security", after: [1], approvers: [2], .fixed(Sim.bd(1)), reject: 0.2, rework: 1),
            Sim.stage("docs", after: [0], owner: 3, .empirical([86_400, 3 * 86_400, 5.5 * 86_400])),
            Sim.gate("go", after: [2, 3], approvers: [0, 1, 3], quorum: 2, .fixed(Sim.bd(1))),
        ], owners: [SimOwner(id: "pm", capacity: 3), SimOwner(id: "eng", capacity: 2),
                    SimOwner(id: "sec"), SimOwner(id: "support")],
        deadline: Sim.bd(30))
    }

    @Test func pinnedForecast() throws {
        let r = try Simulator.simulate(Self.plan, options: SimulationOptions(runs: 1_000, seed: 123,
                                                                            start: Sim.instant(2026, 11, 2, hour: 9)))
        #expect(r.leadTime.mean.bitPattern == 4_703_116_777_730_012_641)
        #expect(r.leadTime.p95.bitPattern == 4_707_167_792_738_659_430)
        // The deadline ends with its 30th business day counting the kickoff day (as the
        // checklist has it), nine hours before kickoff + 30bd: one run of 1,000 more misses.
        #expect(r.deadlineProbability == 0.827)
    }

    @Test func pinnedEventLog() throws {
        let log = try Simulator.eventLog(Self.plan, options: SimulationOptions(seed: 123, start: Sim.instant(2026, 11, 2, hour: 9)))
        #expect(log.csv == """
            case_id,activity,resource,start_time,end_time
            case-1,prd,pm,2026-11-02T09:00:00Z,2026-11-06T00:06:35.803Z
            case-1,build,eng,2026-11-06T00:06:35.803Z,2026-11-19T04:54:00.807Z
            case-1,docs,support,2026-11-06T00:06:35.803Z,2026-11-07T00:06:35.803Z
            case-1,security,sec,2026-11-19T04:54:00.807Z,2026-11-20T04:54:00.807Z
            case-1,build,eng,2026-11-20T04:54:00.807Z,2026-12-09T23:06:00.027Z
            case-1,security,sec,2026-12-09T23:06:00.027Z,2026-12-10T23:06:00.027Z
            case-1,build,eng,2026-12-10T23:06:00.027Z,2026-12-23T15:28:52.396Z
            case-1,security,sec,2026-12-23T15:28:52.396Z,2026-12-24T15:28:52.396Z
            case-1,go,pm,2026-12-24T15:28:52.396Z,2026-12-25T15:28:52.396Z
            case-1,go,support,2026-12-24T15:28:52.396Z,2026-12-25T15:28:52.396Z

            """)
    }
}
