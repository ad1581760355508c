import Dispatch
import StagecraftSyntax

/// A fixed workload for measuring the simulator, for `stagecraft-bench simulate` and
/// `scripts/bench-simulate.sh`.
public enum SimulationBenchmark {
    /// A 40-node plan: 8 owners of capacity 1–3, layered dependencies, `bd` estimates
    /// (uniform and PERT) and some empirical histories, SLAs, and two rework gates.
    public static func plan40() -> SimulationPlan {
        let day = 86_400.0
        var owners: [SimOwner] = []
        for o in 0..<8 { owners.append(SimOwner(id: "team\(o)", capacity: 1 + o % 3)) }
        var nodes: [SimNode] = []
        for i in 0..<40 {
            // Five lanes of eight steps; each step after the same lane's previous step and,
            // every third step, after the neighbouring lane's previous step too.
            let lane = i % 5, step = i / 5
            var preds: [Int] = []
            if step > 0 {
                preds.append(i - 5)
                if step % 3 == 0 { preds.append((step - 1) * 5 + (lane + 1) % 5) }
            }
            let business = Duration(amount: Double(1 + i % 4), unit: .businessDays)
            let model: DurationModel
            switch i % 3 {
            case 0: model = .uniform(low: business, high: Duration(amount: business.amount * 2.5, unit: .businessDays))
            case 1: model = .pert(optimistic: business, likely: Duration(amount: business.amount * 1.5, unit: .businessDays),
                                  pessimistic: Duration(amount: business.amount * 4, unit: .businessDays))
            default: model = .empirical([0.5 * day, 1 * day, 1.5 * day, 2 * day, 4 * day, 7 * day])
            }
            var node = SimNode(id: "n\(i)", predecessors: preds, owners: [i % 8], duration: model,
                               sla: Duration(amount: business.amount * 3, unit: .businessDays))
            if i == 22 || i == 37 {
                node.isGate = true
                node.owners = [i % 8, (i + 3) % 8, (i + 5) % 8]
                node.quorum = 2
                node.rejectProbability = 0.25
                node.reworkTarget = i - 10
            }
            nodes.append(node)
        }
        return SimulationPlan(nodes: nodes, owners: owners, calendar: .standard,
                              deadline: Duration(amount: 60, unit: .businessDays))
    }

    /// A 12-node launch process with four shared teams and one rework gate, sized so that
    /// one launch a day loads the teams to roughly 60–90%.
    public static func plan12() -> SimulationPlan {
        func bd(_ x: Double) -> Duration { Duration(amount: x, unit: .businessDays) }
        let owners = [SimOwner(id: "pm", capacity: 8), SimOwner(id: "eng", capacity: 12),
                      SimOwner(id: "sec", capacity: 8), SimOwner(id: "support", capacity: 8)]
        var nodes: [SimNode] = []
        let preds: [[Int]] = [[], [0], [0], [1], [3], [4], [2], [5, 6], [7], [7], [8, 9], [10]]
        for i in 0..<12 {
            nodes.append(SimNode(id: "s\(i)", predecessors: preds[i], owners: [i % 4],
                                 duration: .pert(optimistic: bd(0.5), likely: bd(1), pessimistic: bd(3)),
                                 sla: bd(3)))
        }
        nodes[8].isGate = true
        nodes[8].owners = [2, 0]
        nodes[8].quorum = 2
        nodes[8].rejectProbability = 0.2
        nodes[8].reworkTarget = 4
        return SimulationPlan(nodes: nodes, owners: owners)
    }

    /// Times both workloads `repeats` times and reports the medians (milliseconds).
    public static func run(repeats: Int = 5, threads: Int? = nil) -> String {
        let reps = max(1, repeats)
        func median(_ f: () -> Void) -> Double {
            var times: [Double] = []
            for _ in 0..<reps {
                let t0 = DispatchTime.now().uptimeNanoseconds
                f()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            }
            times.sort()
            return SimulationStatistics.percentile(sorted: times, 0.5)
        }
        let p40 = plan40(), p12 = plan12()
        var lead = 0.0, crit = 0.0, caseLead = 0.0
        let plain = median {
            if let r = try? Simulator.simulate(p40, options: SimulationOptions(runs: 10_000, seed: 1, threads: threads)) {
                lead = r.leadTime.mean
                crit = r.nodes.map(\.criticality).reduce(0, +)
            }
        }
        let portfolio = median {
            if let r = try? Simulator.simulatePortfolio(
                p12, portfolio: PortfolioOptions(cases: 10_000, arrival: Duration(amount: 1, unit: .days)),
                options: SimulationOptions(runs: 1, seed: 1, threads: threads))
            {
                caseLead = r.leadTime.mean
            }
        }
        func ms(_ x: Double) -> String { String(Int(x.rounded())) + " ms" }
        func days(_ x: Double) -> String { formatNumber((x / 864).rounded() / 100) + " d" }
        return """
            simulate: 10000 runs x 40 nodes, 8 owners, 2 rework gates: \(ms(plain)) (median of \(reps); mean lead time \(days(lead)), sum of criticality \(formatNumber((crit * 100).rounded() / 100)))
            portfolio: 10000 cases x 12 nodes (one a day), 1 run: \(ms(portfolio)) (median of \(reps); mean case lead time \(days(caseLead)))
            """
    }
}
