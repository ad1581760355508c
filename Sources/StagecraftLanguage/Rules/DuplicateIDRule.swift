import StagecraftSyntax

/// `duplicate-id`: an ID must be unique within its namespace (owners, nodes, params).
public struct DuplicateIDRule: Rule {
    public static let description = RuleDescription(
        id: "duplicate-id", severity: .error,
        summary: "An ID is declared twice in the same namespace (owners, stages and gates, params).",
        rationale: "Two stages with one ID make history, schedules and reports ambiguous: nobody can tell which one a recorded event or a due date belongs to.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd { owner pm; sla 5bd }
              gate ↓prd { approvers pm; sla 1bd; after prd }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              owner pm
              owner ↓pm "Product"
              stage prd { owner pm; sla 5bd }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner security
              stage build { owner security; sla 5bd }
              gate security { after build; approvers security; sla 1bd }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        // Resolution found them: the model keeps the first declaration of each ID.
        guard let model = context.model else { return [] }
        return model.duplicates.map { d in
            diagnostic("\(d.kind) '\(d.id.name)' is declared twice", at: d.id.range,
                       help: "the first declaration is at line \(context.line(of: d.first.start)); rename one of them")
        }
    }
}
