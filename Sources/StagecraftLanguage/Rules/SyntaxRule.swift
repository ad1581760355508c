import StagecraftSyntax

/// `syntax`: the file must lex and parse. The lexer and parser report these diagnostics;
/// the rule exists so the ID has a description, examples and documentation.
public struct SyntaxRule: Rule {
    public static let description = RuleDescription(
        id: "syntax", severity: .error,
        summary: "The file must follow the .flow grammar.",
        rationale: "A process file that does not parse cannot be checked, replayed or scheduled; the rest of the team sees nothing until it is fixed.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              stage prd {
                owner pm
                sla ↓5
              }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              ↓stge prd {
              }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              description ↓"unterminated
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
        if context.parsed.tree.workflow == nil && !context.parsed.hasErrors {
            return [diagnostic("the file holds no workflow", at: SourceRange(0, 0),
                               help: "a .flow file holds one block: workflow \"Title\" { … }")]
        }
        return []
    }
}
