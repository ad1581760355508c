import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftHistory
@testable import StagecraftSimulation
@testable import StagecraftCLI

/// The adapter from `WorkflowModel` to `SimulationPlan`, and history calibration.
@Suite struct PlanBuilderTests {
    static func model(_ text: String) throws -> WorkflowModel {
        let r = Checker.check(SourceFile(path: "t.flow", text: text))
        #expect(r.errorCount == 0, "\(r.diagnostics.map(\.message))")
        return try #require(r.model)
    }

    static let mapping = """
        workflow "Mapping" {
          deadline 20bd
          param handles_pii: bool = false
          owner pm { capacity 3 }
          owner eng
          owner sec
          stage uni { owner pm; sla 5bd; estimate 1bd..3bd }
          stage pert { after uni; owner eng; sla 6d; estimate 1d 2d 4d }
          stage slaonly { after uni; owner eng; sla 2bd }
          stage bare { after uni; owner pm }
          gate review {
            after pert, slaonly, bare
            approvers pm, sec
            quorum 1
            sla 1bd
            reject 20%
            on reject -> pert
          }
          stage pii { after review; when handles_pii; owner sec }
        }
        """

    @Test func estimatesSLAsAndRejectsMapOntoTheEngine() throws {
        let m = try Self.model(Self.mapping)
        let built = PlanBuilder.build(model: m, values: m.paramValues())
        let nodes = built.plan.nodes
        #expect(nodes.map(\.id) == ["uni", "pert", "slaonly", "bare", "review", "pii"])
        #expect(nodes[0].duration == .uniform(low: Duration(amount: 1, unit: .businessDays), high: Duration(amount: 3, unit: .businessDays)))
        #expect(nodes[1].duration == .pert(optimistic: Duration(amount: 1, unit: .days), likely: Duration(amount: 2, unit: .days),
                                           pessimistic: Duration(amount: 4, unit: .days)))
        #expect(nodes[2].duration == .fixed(Duration(amount: 2, unit: .businessDays)))
        #expect(nodes[3].duration == .fixed(Duration(amount: 0, unit: .days)))
        #expect(built.provenance.map(\.duration) == [.estimate, .estimate, .sla, .none, .sla, .skipped])
        // The gate: approvers by owner index, quorum, 20% as 0.2, rework to `pert` (index 1).
        #expect(nodes[4].isGate)
        #expect(nodes[4].owners == [0, 2])
        #expect(nodes[4].quorum == 1)
        #expect(nodes[4].rejectProbability == 0.2)
        #expect(nodes[4].reworkTarget == 1)
        #expect(built.provenance[4].reject == .declared)
        #expect(nodes[4].predecessors == [1, 2, 3])
        #expect(nodes[1].sla == Duration(amount: 6, unit: .days))
        #expect(built.plan.owners == [SimOwner(id: "pm", capacity: 3), SimOwner(id: "eng", capacity: 1), SimOwner(id: "sec", capacity: 1)])
        #expect(built.plan.deadline == Duration(amount: 20, unit: .businessDays))
        // `pii` is skipped (handles_pii is false), so it is not warned about.
        #expect(nodes[5].skipped)
        #expect(built.warnings == [
            "no estimate for slaonly, review: the SLA is used as a fixed duration, so the forecast has no spread for them",
            "no estimate or SLA for bare: it takes no time in the forecast",
        ])
    }

    @Test func setMakesASkippedNodeRun() throws {
        let m = try Self.model(Self.mapping)
        let on = PlanBuilder.build(model: m, values: m.paramValues(overrides: ["handles_pii": .bool(true)]))
        #expect(!on.plan.nodes[5].skipped)
        #expect(on.provenance[5].duration == .none)
        #expect(on.warnings.last == "no estimate or SLA for bare, pii: they take no time in the forecast")
    }

    static let twoParallel = """
        workflow "Two" {
          deadline 7d
          owner eng
          stage a { owner eng; sla 5d; estimate 5d..5d }
          stage b { owner eng; sla 5d; estimate 5d..5d }
        }
        """

    @Test func capacityOverrideRunsTwoParallelStagesAtOnce() throws {
        let m = try Self.model(Self.twoParallel)
        let options = SimulationOptions(runs: 20, seed: 3)
        let serial = try Simulator.simulate(PlanBuilder.build(model: m, values: [:]).plan, options: options)
        #expect(serial.leadTime.min == 10 * 86_400)
        #expect(serial.leadTime.max == 10 * 86_400)
        #expect(serial.deadlineProbability == 0)
        let built = PlanBuilder.build(model: m, values: [:], capacities: ["eng": 2, "nobody": 5])
        #expect(built.plan.owners[0].capacity == 2)
        let parallel = try Simulator.simulate(built.plan, options: options)
        #expect(parallel.leadTime.min == 5 * 86_400)
        #expect(parallel.leadTime.max == 5 * 86_400)
        #expect(parallel.deadlineProbability == 1)
    }

    static let reviewed = """
        workflow "Reviewed" {
          owner eng
          owner sec
          stage build { owner eng; sla 5d; estimate 1d..2d }
          gate security { after build; approvers sec; sla 1d; reject 50%; on reject -> build }
          stage ship { after security; owner eng; sla 1d; estimate 1h..2h }
        }
        """

    static let history = """
        case_id,activity,resource,start_time,end_time
        c1,build,eng,2026-01-05T09:00:00Z,2026-01-07T09:00:00Z
        c1,security,sec,2026-01-07T09:00:00Z,2026-01-08T09:00:00Z
        c1,build,eng,2026-01-08T09:00:00Z,2026-01-09T09:00:00Z
        c1,security,sec,2026-01-09T09:00:00Z,2026-01-09T21:00:00Z
        c2,build,eng,2026-01-05T09:00:00Z,2026-01-08T09:00:00Z
        c2,security,sec,2026-01-08T09:00:00Z,2026-01-08T15:00:00Z
        c2,security,sec2,2026-01-08T09:00:00Z,2026-01-08T15:00:00Z
        c2,Coffee break,eng,2026-01-08T10:00:00Z,2026-01-08T10:30:00Z

        """

    @Test func historyGivesEmpiricalDurationsAndReworkShares() throws {
        let m = try Self.model(Self.reviewed)
        let log = try HistoryReader.read(bytes: Array(Self.history.utf8), name: "h.csv")
        let c = HistoryCalibration(log: log, model: m)
        let day = 86_400.0
        #expect(c.cases == 2)
        #expect(c.processingTimes[0] == [2 * day, 1 * day, 3 * day])
        // c2's review has two approvers: two rows, one review.
        #expect(c.processingTimes[1] == [day, day / 2, day / 4, day / 4])
        #expect(c.executions == [3, 3, 0])
        // Three reviews, one followed by a rebuild in the same case.
        #expect(c.rejectShares[1] == 1.0 / 3.0)
        #expect(c.rejectShares[0] == nil)
        #expect(c.unmapped.map(\.activity) == ["Coffee break"])
        #expect(c.unmapped.map(\.occurrences) == [1])

        let built = PlanBuilder.build(model: m, values: [:], calibration: c)
        #expect(built.plan.nodes[0].duration == .empirical([2 * day, 1 * day, 3 * day]))
        #expect(built.plan.nodes[1].rejectProbability == 1.0 / 3.0)
        #expect(built.provenance.map(\.duration) == [.history, .history, .estimate])
        #expect(built.provenance.map(\.samples) == [3, 4, 0])
        #expect(built.provenance[1].reject == .history)
    }

    /// Case a runs g twice back to back: that is g picked up again (1 of the 4 executions,
    /// every one judged in finished cases), not a rejection; the run's end approves.
    @Test func aGateRunAgainDirectlyIsPickedUpAgainNotRejected() throws {
        let m = try Self.model("""
            workflow "Self" {
              owner sec
              gate g { approvers sec; sla 1d }
            }
            """)
        let log = try HistoryReader.read(bytes: Array("""
            case_id,activity,start_time,end_time
            a,g,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z
            a,g,2026-01-05T10:00:00Z,2026-01-05T11:00:00Z
            b,g,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z
            c,g,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z

            """.utf8), name: "h.csv")
        let c = HistoryCalibration(log: log, model: m)
        #expect(c.rejectShares[0] == 0)
        // By run position: a's first run of g is repeated, its second is not, b's and c's
        // are not; fewer than 10 at a position pool with the positions after it.
        #expect(c.repeats[0].prefix(2) == [1, 0])
        #expect(c.repeatsJudged[0].prefix(2) == [3, 1])
        #expect(c.repeatShares(0) == [0.25])
        #expect(c.repeatWaits(0) == [[0]])
        #expect(c.processingTimes[0] == [3600, 3600, 3600, 3600])
        // Still in flight, each case's last execution does not show yet whether it repeats.
        let open = HistoryCalibration(log: log, model: m, inFlight: true)
        #expect(open.repeatsJudged[0].prefix(2) == [1, 0])
        #expect(open.repeatShares(0) == [1])
    }

    @Test func emittedActivityNamesMapBackToTheirNodes() throws {
        let m = try Self.model(String(decoding: try Files.read(repositoryRoot + "/examples/launch/launch.flow"), as: UTF8.self))
        // prd lists `matches "Write PRD"`, so its ID would not map back; build's ID matches "Build".
        let names = PlanBuilder.activityNames(model: m)
        #expect(names == ["Write PRD", "build", "Write docs", "Security review", "privacy_review", "launch"])
        let matcher = ActivityMatcher(model: m)
        #expect(names.map { matcher.node(forActivity: $0) } == [0, 1, 2, 3, 4, 5])
    }
}
