import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftOutput

/// Properties every schedule must have, over many random workflows: dependencies and
/// capacities respected, `bd` work only on business days, a connected critical path.
@Suite struct ScheduleInvariantTests {
    /// A random, well-formed workflow: a DAG over `n` nodes with mixed SLA units,
    /// capacities, gates with quorums, `when` conditions, holidays and missing SLAs.
    static func randomWorkflow(_ rng: inout TestRandom) -> String {
        let owners = 1 + rng.below(4)
        let n = 1 + rng.below(14)
        var text = "workflow \"r\" {\n  deadline \(1 + rng.below(30))\(["bd", "d", "w"][rng.below(3)])\n"
        text += "  calendar {\n    holiday 2026-12-25\n    holiday 2027-01-01\n"
        if rng.below(4) == 0 { text += "    workdays mon wed thu sat\n" }
        text += "  }\n  param flag: bool = \(rng.below(2) == 0)\n"
        for o in 0..<owners { text += "  owner o\(o) { capacity \(1 + rng.below(3)) }\n" }
        let units = ["bd", "bd", "bd", "d", "w", "h", "m"]
        for i in 0..<n {
            let gate = rng.below(4) == 0
            text += "  \(gate ? "gate" : "stage") n\(i) {\n"
            let preds = (0..<i).filter { _ in rng.below(3) == 0 }
            if !preds.isEmpty { text += "    after " + preds.map { "n\($0)" }.joined(separator: ", ") + "\n" }
            if rng.below(6) == 0 { text += "    when flag\n" }
            if gate {
                let approvers = Array(Set((0...rng.below(owners)).map { _ in rng.below(owners) })).sorted()
                text += "    approvers " + approvers.map { "o\($0)" }.joined(separator: ", ") + "\n"
                text += "    quorum \(1 + rng.below(approvers.count))\n"
            } else {
                text += "    owner o\(rng.below(owners))\n"
            }
            switch rng.below(8) {
            case 0: text += "    estimate 1bd..\(2 + rng.below(4))bd\n"
            case 1: break
            default:
                let unit = units[rng.below(units.count)]
                let amount = unit == "h" ? 1 + rng.below(60) : unit == "m" ? 1 + rng.below(3000) : 1 + rng.below(7)
                text += "    sla \(amount)\(unit)\n"
            }
            text += "  }\n"
        }
        return text + "}\n"
    }

    @Test func randomWorkflowsKeepEveryInvariant() throws {
        var rng = TestRandom(state: 2026)
        var scheduled = 0
        for round in 0..<400 {
            let text = Self.randomWorkflow(&rng)
            let result = Checker.check(SourceFile(path: "r.flow", text: text))
            guard result.errorCount == 0, let model = result.model else { continue }
            let start = CivilDate(dayNumber: CivilDate(year: 2026, month: 12, day: 14).dayNumber + rng.below(28))
            let s = try #require(Schedule(model: model, start: start))
            let cal = model.calendar
            scheduled += 1
            for e in s.entries {
                let name = "round \(round), n\(e.index)"
                #expect(e.ready >= s.kickoff, "\(name)")
                #expect(e.start >= e.ready, "\(name)")
                if e.skipped || e.unscheduled {
                    #expect(e.due == nil && !e.critical, "\(name)")
                    #expect(e.skipped || e.start == e.ready, "\(name)")
                    continue
                }
                let due = try #require(e.due)
                #expect(due >= e.start, "\(name)")
                if e.isBusiness {
                    #expect(cal.isBusinessDay(e.start) && cal.isBusinessDay(due), "\(name)\n\(text)")
                    #expect(e.start == cal.nextBusinessDay(onOrAfter: e.ready) + e.capacityWait, "\(name)")
                } else {
                    #expect(due - e.start + 1 == e.days, "\(name)")
                    #expect(e.start == e.ready + e.capacityWait, "\(name)")
                }
                // Dependencies: ready only after every predecessor is done.
                for p in model.graph.predecessors[e.index] {
                    let pe = s.entries[p]
                    #expect(e.ready > (pe.due ?? pe.ready - 1), "\(name) after n\(p)")
                }
                // A gate holds its quorum of approvers; a stage its owner.
                let expected = model.nodes[e.index].kind == .gate ? model.quorum(ofNode: e.index) : 1
                #expect(e.assignedOwners.count == expected, "\(name)")
            }
            // Capacity: on no day does an owner hold more nodes than its capacity.
            for o in 0..<model.owners.count {
                var load: [Int: Int] = [:]
                for e in s.entries where e.assignedOwners.contains(o) {
                    for d in e.start...(e.due ?? e.start) { load[d, default: 0] += 1 }
                }
                #expect((load.values.max() ?? 0) <= model.capacity(ofOwner: o), "round \(round), o\(o)\n\(text)")
            }
            // The critical path is a chain ending at the finish.
            if let finish = s.finish {
                #expect(s.criticalPath.last.flatMap { s.entries[$0].due } == finish)
                for (a, b) in zip(s.criticalPath, s.criticalPath.dropFirst()) {
                    #expect(s.entries[b].start > (s.entries[a].due ?? .max), "round \(round)")
                }
            } else {
                #expect(s.criticalPath.isEmpty)
            }
            let plan = ChecklistPlan(model: model, schedule: s)
            #expect(!ChecklistFormatter.markdown(plan).isEmpty)
        }
        #expect(scheduled > 200)
    }

    @Test func brokenModelsNeverTrap() {
        // The public API takes any model, even one `check` rejects.
        let words = ["workflow", "\"T\"", "{", "}", "stage", "gate", "owner", "after", "when", "sla", "5bd", "0d",
                     "1e300w", "4h", "estimate", "..", "approvers", "quorum", "all", "0", "a", "b", "pm", "param",
                     "x", ":", "bool", "=", "true", "\n", "2026-12-25", "calendar", "workdays", "holiday", "capacity",
                     "999999999", "deadline", "99999999bd"]
        var rng = TestRandom(state: 11)
        for _ in 0..<1500 {
            let text = (0..<rng.below(80)).map { _ in words[rng.below(words.count)] }.joined(separator: " ")
            let r = Checker.check(SourceFile(path: "s", text: text))
            guard let model = r.model, let s = Schedule(model: model, start: CivilDate(year: 2026, month: 12, day: 21)) else { continue }
            let plan = ChecklistPlan(model: model, schedule: s)
            _ = ChecklistFormatter.ics(plan) + ChecklistFormatter.csv(plan) + ChecklistFormatter.json(plan)
        }
    }

    @Test func hugeDurationsAndManyNodesStayFast() throws {
        var text = "workflow \"big\" {\n  deadline 99999999bd\n  calendar {\n"
        for k in 0..<200 { text += "    holiday \(CivilDate(dayNumber: 20_000 + 3 * k))\n" }
        text += "  }\n  owner o { capacity 2 }\n"
        for i in 0..<600 {
            text += "  stage n\(i) { \(i > 0 ? "after n\(i - 1), n\(i / 2)" : ""); owner o; sla \(i % 50 == 0 ? "99999999bd" : "3bd") }\n"
        }
        text += "}\n"
        let result = Checker.check(SourceFile(path: "big.flow", text: text))
        let model = try #require(result.model)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            let s = try #require(Schedule(model: model, start: CivilDate(year: 2026, month: 12, day: 21)))
            // Twelve nodes at the cap of 100,000 business days each, in one chain.
            #expect((s.finish ?? 0) > s.kickoff + 12 * Schedule.maximumDays)
        }
        #expect(elapsed < .seconds(10))
    }
}
