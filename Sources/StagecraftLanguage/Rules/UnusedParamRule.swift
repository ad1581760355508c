import StagecraftSyntax

/// `unused-param`: every param should be read by some `when` condition.
public struct UnusedParamRule: Rule {
    public static let description = RuleDescription(
        id: "unused-param", severity: .warning,
        summary: "A param is declared but no `when` condition reads it.",
        rationale: "A param that changes nothing misleads whoever sets it: they expect the process to adapt to a region or a risk level, and it does not.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              param ↓region: string = "US"
              owner pm
              stage prd { owner pm; sla 5bd }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              param region: string = "US"
              owner pm
              stage prd { owner pm; sla 5bd }
              stage eu_review { after prd; owner pm; sla 5bd; when region == "EU" }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model else { return [] }
        return model.params.indices.filter { !model.paramIsUsed[$0] }.map {
            let p = model.params[$0]
            return diagnostic("param '\(p.name.name)' is never used", at: p.name.range,
                              help: "use it in a 'when' condition, or remove it")
        }
    }
}
