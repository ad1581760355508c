import StagecraftSyntax

/// `stage-without-owner`: every stage has exactly one owner.
public struct StageWithoutOwnerRule: Rule {
    public static let description = RuleDescription(
        id: "stage-without-owner", severity: .error,
        summary: "A stage must name its owner.",
        rationale: "Work with no owner is work nobody does: the stage will wait until someone notices, usually after its due date.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd { owner pm; sla 5bd }
              stage ↓build { after prd; sla 10bd }
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
        return model.summaries.indices.filter { model.summaries[$0].kind == .stage && !model.summaries[$0].hasOwner }.map {
            let node = model.nodes[$0]
            return diagnostic("stage '\(node.id.name)' has no owner", at: node.id.range,
                              help: "add 'owner ID' naming the team or role that does the work")
        }
    }
}
