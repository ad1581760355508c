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
        guard let model = context.model, let schedule = SLASchedule(model: model) else { return [] }
        var out: [Diagnostic] = []
        for (o, owner) in model.owners.enumerated() {
            // Sweep the intervals [start, end) of the nodes the owner works on or approves.
            var events: [(time: Double, delta: Int, node: Int)] = []
            for i in model.nodes.indices where !schedule.skipped[i] && schedule.end[i] > schedule.start[i] {
                if model.owners(ofNode: i).contains(o) {
                    events.append((schedule.start[i], 1, i))
                    events.append((schedule.end[i], -1, i))
                }
            }
            events.sort { $0.time < $1.time || ($0.time == $1.time && $0.delta < $1.delta) }
            var open: [Int] = []
            var peak: [Int] = []
            for e in events {
                if e.delta > 0 {
                    open.append(e.node)
                    if open.count > peak.count { peak = open }
                } else {
                    open.removeAll { $0 == e.node }
                }
            }
            let capacity = model.capacity(ofOwner: o)
            if peak.count > capacity {
                let names = peak.map { model.nodes[$0].id.name }
                let start = peak.map { schedule.start[$0] }.max() ?? 0
                out.append(diagnostic("owner '\(owner.id.name)' has \(peak.count) nodes at once on the SLA schedule (\(names.joined(separator: ", ")), from business day \(formatNumber((start * 100).rounded() / 100))) but capacity \(capacity)",
                                      at: owner.id.range,
                                      help: "raise its capacity, give one of these nodes another owner, or order them with 'after'"))
            }
        }
        return out
    }
}
