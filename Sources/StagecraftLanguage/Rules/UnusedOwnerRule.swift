import StagecraftSyntax

/// `unused-owner`: every declared owner should own, approve or tick something.
public struct UnusedOwnerRule: Rule {
    public static let description = RuleDescription(
        id: "unused-owner", severity: .warning,
        summary: "An owner is declared but owns no stage, approves no gate and ticks no checklist item.",
        rationale: "A team listed in the process but given nothing to do is usually a stage someone forgot to assign, or a stale entry that confuses readers.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              owner ↓legal
              stage prd { owner pm; sla 5bd }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              owner legal
              stage prd {
                owner pm
                sla 5bd
                checklist { "Terms reviewed" by legal }
              }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model else { return [] }
        return model.owners.indices.filter { !model.ownerIsUsed[$0] }.map {
            let owner = model.owners[$0]
            return diagnostic("owner '\(owner.id.name)' is never used", at: owner.id.range,
                              help: "give it a stage, make it an approver, or remove it")
        }
    }
}
