import StagecraftSyntax

/// `empty-checklist`: a checklist block should hold items.
public struct EmptyChecklistRule: Rule {
    public static let description = RuleDescription(
        id: "empty-checklist", severity: .warning,
        summary: "A `checklist` block has no items.",
        rationale: "An empty checklist prints as a heading with nothing to tick, which reads as 'nothing to check' when someone meant to fill it in.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd {
                owner pm
                sla 5bd
                ↓checklist {
                }
              }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd {
                owner pm
                sla 5bd
                checklist { "Success metrics agreed" }
              }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model else { return [] }
        var out: [Diagnostic] = []
        for i in model.summaries.indices where model.summaries[i].hasEmptyChecklist {
            let node = model.nodes[i]
            for c in node.checklists where c.items.isEmpty {
                out.append(diagnostic("the checklist of '\(node.id.name)' is empty", at: c.range,
                                      help: "add the items to tick, or remove the block"))
            }
        }
        return out
    }
}
