import StagecraftSyntax

/// `gate-without-approvers`: a gate must name at least one approver.
public struct GateWithoutApproversRule: Rule {
    public static let description = RuleDescription(
        id: "gate-without-approvers", severity: .error,
        summary: "A gate must list at least one approver.",
        rationale: "A review nobody is asked to approve is either skipped or blocks the launch forever; both are surprises on launch day.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage build { owner pm; sla 5bd }
              gate ↓review { after build; sla 1bd }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              owner sec
              stage build { owner pm; sla 5bd }
              gate review { after build; approvers sec; sla 1bd }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model else { return [] }
        return model.summaries.indices.filter { model.summaries[$0].kind == .gate && model.summaries[$0].approverCount == 0 }.map {
            let node = model.nodes[$0]
            return diagnostic("gate '\(node.id.name)' has no approvers", at: node.id.range,
                              help: "add 'approvers OWNER, …' naming who signs off")
        }
    }
}
