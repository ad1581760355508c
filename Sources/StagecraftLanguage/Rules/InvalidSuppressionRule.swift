import StagecraftSyntax

/// `invalid-suppression`: a suppression comment must name known rules and give a reason.
public struct InvalidSuppressionRule: Rule {
    public static let description = RuleDescription(
        id: "invalid-suppression", severity: .warning,
        summary: "A `# stagecraft-ignore` comment gives no reason, names no rule, or names an unknown rule.",
        rationale: "Silencing a check is a decision reviewers should see the reason for; an unexplained or misspelt suppression hides problems without accountability.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              ↓# stagecraft-ignore missing-sla
              stage prd { owner pm }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd { owner pm } # stagecraft-ignore ↓missing-sal -- owned elsewhere
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              # stagecraft-ignore missing-sla -- the PRD is time-boxed by the planning cycle
              stage prd { owner pm }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        Suppression.parse(context.parsed).problems
    }
}
