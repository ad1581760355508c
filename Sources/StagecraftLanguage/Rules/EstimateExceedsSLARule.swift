import StagecraftSyntax

/// `estimate-exceeds-sla`: the high end of an estimate should fit the SLA.
public struct EstimateExceedsSLARule: Rule {
    public static let description = RuleDescription(
        id: "estimate-exceeds-sla", severity: .warning,
        summary: "A node's estimate allows more time than its SLA.",
        rationale: "If the team's own pessimistic estimate breaks the SLA, the SLA will be broken in practice; fix one of them before the plan is committed.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner eng
              stage build { owner eng; sla 10bd; estimate 5bd..↓15bd }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner eng
              stage build { owner eng; sla 10bd; estimate 5bd 7bd 10bd }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model else { return [] }
        var out: [Diagnostic] = []
        for (i, summary) in model.summaries.enumerated() {
            guard let sla = summary.sla, let high = summary.estimateHigh, sla.value.amount > 0 else { continue }
            if model.businessDays(high.value) > model.businessDays(sla.value) + 1e-9 {
                let node = model.nodes[i]
                out.append(diagnostic("the estimate of '\(node.id.name)' reaches \(high.value), over its SLA of \(sla.value)",
                                      at: high.range, help: "raise the SLA or revisit the estimate"))
            }
        }
        return out
    }
}
