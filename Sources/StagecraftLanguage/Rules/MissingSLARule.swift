import StagecraftSyntax

/// `missing-sla`: every stage and gate should have an SLA.
public struct MissingSLARule: Rule {
    public static let description = RuleDescription(
        id: "missing-sla", severity: .warning,
        summary: "A stage or gate has no `sla`.",
        rationale: "Without an SLA nobody knows when a stage is late; schedules cannot place it and replay cannot report breaches.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage ↓prd { owner pm }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd { owner pm; sla 5bd }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model else { return [] }
        return model.summaries.indices.filter { model.summaries[$0].sla == nil }.map {
            let node = model.nodes[$0]
            return diagnostic("\(node.kind.rawValue) '\(node.id.name)' has no SLA", at: node.id.range,
                              help: "add 'sla DURATION', e.g. sla 5bd, so lateness can be measured")
        }
    }
}
