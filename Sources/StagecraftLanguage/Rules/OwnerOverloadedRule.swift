import StagecraftSyntax

/// `owner-overloaded`: on the SLA schedule no owner works on more nodes at once than its capacity.
public struct OwnerOverloadedRule: Rule {
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

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model, let schedule = context.slaSchedule else { return [] }
        var out: [Diagnostic] = []
        // Two passes over the nodes: count each owner's intervals [start, end), then lay
        // them out in one array, owner by owner (a big workflow has a hundred thousand,
        // and an array per owner grown one at a time copies them many times over).
        let counted = model.nodes.indices.filter { !schedule.skipped[$0] && schedule.end[$0] > schedule.start[$0] }
        var eventStart = [Int](repeating: 0, count: model.owners.count + 1)
        for i in counted {
            model.forEachLoadedOwner(ofNode: i) { o in eventStart[o + 1] += 2 }
        }
        // An owner with no more nodes than its capacity cannot be over it: its intervals
        // are left out.
        var overCapacity = [Bool](repeating: false, count: model.owners.count)
        for o in model.owners.indices {
            overCapacity[o] = eventStart[o + 1] / 2 > model.capacity(ofOwner: o)
            if !overCapacity[o] { eventStart[o + 1] = 0 }
        }
        guard overCapacity.contains(true) else { return [] }
        for o in model.owners.indices { eventStart[o + 1] += eventStart[o] }
        var fill = eventStart
        var events = [(time: Double, delta: Int)](repeating: (0, 0), count: eventStart[model.owners.count])
        for i in counted {
            model.forEachLoadedOwner(ofNode: i) { o in
                guard overCapacity[o] else { return }
                events[fill[o]] = (schedule.start[i], 1)
                events[fill[o] + 1] = (schedule.end[i], -1)
                fill[o] += 2
            }
        }
        for (o, owner) in model.owners.enumerated() where overCapacity[o] {
            let mine = eventStart[o]..<eventStart[o + 1]
            events[mine].sort { $0.time < $1.time || ($0.time == $1.time && $0.delta < $1.delta) }
            // Count first; collect the nodes open at the peak only when over capacity.
            var open = 0
            var peakCount = 0
            var peakTime = 0.0
            for e in events[mine] {
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
                        && model.owners(ofNode: i).contains(o)
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
