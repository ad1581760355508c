import StagecraftSyntax

/// `unused-suppression`: a suppression must silence something.
public struct UnusedSuppressionRule: Rule {
    public static let description = RuleDescription(
        id: "unused-suppression", severity: .warning,
        summary: "A `# stagecraft-ignore` comment silences nothing on the line it applies to.",
        rationale: "Stale suppressions outlive the problem they excused and would silently hide the next real one on that line.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              # stagecraft-ignore ↓missing-sla -- time-boxed
              stage prd { owner pm; sla 5bd }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd { owner pm } # stagecraft-ignore missing-sla -- time-boxed by planning
            }
            """),
        ])

    /// Reported by `Checker` after every other rule has run, since it needs their results.
    public static func check(_ context: RuleContext) -> [Diagnostic] { [] }
}
