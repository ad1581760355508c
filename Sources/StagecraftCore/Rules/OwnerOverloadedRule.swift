/// `owner-overloaded`: on the SLA schedule no owner works on more nodes at once than its capacity.
public struct OwnerOverloadedRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "owner-overloaded", severity: .warning,
        summary: "On the SLA schedule an owner has more nodes open at once than its `capacity`.",
        rationale: "Parallel branches that land on the same team queue behind each other; the plan assumes work that cannot happen in parallel, and SLAs break downstream.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              owner ↓eng
              stage prd { owner pm; sla 2bd }
              stage api { after prd; owner eng; sla 5bd }
              stage ui { after prd; owner eng; sla 5bd }
              gate ship { after api, ui; approvers pm; sla 1bd }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              owner eng { capacity 2 }
              stage prd { owner pm; sla 2bd }
              stage api { after prd; owner eng; sla 5bd }
              stage ui { after prd; owner eng; sla 5bd }
              gate ship { after api, ui; approvers pm; sla 1bd }
            }
            """),
        ])

    public func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model, let schedule = context.slaSchedule else { return [] }
        var out: [Diagnostic] = []
        // One pass over the nodes: the intervals [start, end) each owner works on or approves.
        var eventsByOwner = [[(time: Double, delta: Int, node: Int)]](repeating: [], count: model.owners.count)
        for i in model.nodes.indices where !schedule.skipped[i] && schedule.end[i] > schedule.start[i] {
            for o in model.loadedOwners(ofNode: i) {
                eventsByOwner[o].append((schedule.start[i], 1, i))
                eventsByOwner[o].append((schedule.end[i], -1, i))
            }
        }
        for (o, owner) in model.owners.enumerated() {
            var events = eventsByOwner[o]
            events.sort { $0.time < $1.time || ($0.time == $1.time && $0.delta < $1.delta) }
            // Count first; collect the nodes open at the peak only when over capacity.
            var open = 0
            var peakCount = 0
            var peakTime = 0.0
            for e in events {
                open += e.delta
                if open > peakCount {
                    peakCount = open
                    peakTime = e.time
                }
            }
            let capacity = model.capacity(ofOwner: o)
            if peakCount > capacity {
                let peak = model.nodes.indices.filter { i in
                    !schedule.skipped[i] && schedule.start[i] <= peakTime && schedule.end[i] > peakTime
                        && model.loadedOwners(ofNode: i).contains(o)
                }
                let names = peak.map { model.nodes[$0].id.name }
                let start = peak.map { schedule.start[$0] }.max() ?? 0
                out.append(diagnostic("owner '\(owner.id.name)' has \(peakCount) nodes at once on the SLA schedule (\(names.joined(separator: ", ")), from business day \(formatNumber((start * 100).rounded() / 100))) but capacity \(capacity)",
                                      at: owner.id.range,
                                      help: "raise its capacity, give one of these nodes another owner, or order them with 'after'"))
            }
        }
        return out
    }
}
