import Testing
@testable import StagecraftSyntax
@testable import StagecraftSimulation

/// Random plans: the engine must never trap, must respect capacities and precedence, and
/// must be deterministic.
@Suite struct SimulationFuzzTests {
    static func randomPlan(_ g: inout SeededGenerator, rework: Bool) -> SimulationPlan {
        let ownerCount = 1 + g.nextIndex(below: 4)
        let owners = (0..<ownerCount).map { SimOwner(id: "o\($0)", capacity: 1 + g.nextIndex(below: 3)) }
        let n = 1 + g.nextIndex(below: 12)
        var nodes: [SimNode] = []
        for i in 0..<n {
            var preds: [Int] = []
            if i > 0 { for _ in 0..<g.nextIndex(below: 3) { preds.append(g.nextIndex(below: i)) } }
            let unit: DurationUnit = g.nextIndex(below: 2) == 0 ? .days : .businessDays
            let lo = Duration(amount: Double(g.nextIndex(below: 3)), unit: unit)
            let hi = Duration(amount: lo.amount + Double(g.nextIndex(below: 4)), unit: unit)
            let model: DurationModel
            switch g.nextIndex(below: 4) {
            case 0: model = .fixed(lo)
            case 1: model = .uniform(low: lo, high: hi)
            case 2: model = .pert(optimistic: lo, likely: Duration(amount: (lo.amount + hi.amount) / 2, unit: unit), pessimistic: hi)
            default: model = .empirical([0, 3600, 86_400 * 2])
            }
            var node = SimNode(id: "n\(i)", predecessors: preds, owners: [g.nextIndex(below: ownerCount)],
                               duration: model, skipped: g.nextIndex(below: 8) == 0,
                               sla: g.nextIndex(below: 2) == 0 ? hi : nil)
            if i > 0 && g.nextIndex(below: 3) == 0 {
                node.isGate = true
                node.owners = Array(Set((0..<(1 + g.nextIndex(below: ownerCount))).map { _ in g.nextIndex(below: ownerCount) })).sorted()
                node.quorum = 1 + g.nextIndex(below: node.owners.count)
                if rework && !preds.isEmpty {
                    node.rejectProbability = g.nextUniform() * 0.6
                    node.reworkTarget = preds[0]
                }
            }
            nodes.append(node)
        }
        return SimulationPlan(nodes: nodes, owners: owners, deadline: Duration(amount: 10, unit: .businessDays))
    }

    @Test func randomPlansRespectCapacityAndAreDeterministic() throws {
        var g = SeededGenerator(seed: 2024)
        for round in 0..<150 {
            let plan = SimulationFuzzTests.randomPlan(&g, rework: round % 2 == 0)
            let options = SimulationOptions(runs: 40, seed: UInt64(round), start: Sim.instant(2026, 3, 6, hour: 15))
            let a = try Simulator.simulate(plan, options: options)
            let b = try Simulator.simulate(plan, options: SimulationOptions(runs: 40, seed: UInt64(round),
                                                                           start: options.start, threads: 1))
            #expect(a == b)
            #expect(a.finishedRuns + a.unfinishedRuns == 40)
            for node in a.nodes {
                #expect(node.criticality >= 0 && node.criticality <= 1)
                #expect(node.capacityDelayMean >= 0)
            }
            for o in a.owners { #expect(o.utilisation >= 0 && o.utilisation <= 1 + 1e-9) }

            let cases = 1 + g.nextIndex(below: 5)
            let log = try Simulator.eventLog(plan, options: options,
                                             portfolio: PortfolioOptions(cases: cases, arrival: Sim.d(0.5)), run: round)
            // No owner ever holds more items at once than its capacity.
            for (o, owner) in plan.owners.enumerated() {
                var points: [(Double, Int)] = []
                for r in log.rows where r.resource == owner.id && r.end > r.start {
                    points.append((r.start, 1))
                    points.append((r.end, -1))
                }
                points.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                var level = 0
                for p in points {
                    level += p.1
                    #expect(level <= plan.owners[o].capacity)
                }
            }
            // Without rework, a node starts after every execution of its ancestors ends.
            if round % 2 == 1 {
                var ancestors = [Set<String>](repeating: [], count: plan.nodes.count)
                for (i, node) in plan.nodes.enumerated() {
                    for p in node.predecessors { ancestors[i].formUnion(ancestors[p].union([plan.nodes[p].id])) }
                }
                for (i, node) in plan.nodes.enumerated() {
                    for r in log.rows where r.activity == node.id {
                        for q in log.rows where q.caseID == r.caseID && ancestors[i].contains(q.activity) {
                            #expect(q.end <= r.start)
                        }
                    }
                }
            }
        }
    }
}
