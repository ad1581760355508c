import StagecraftSyntax

/// `multiple-endings`: a process should end in one final node.
public struct MultipleEndingsRule: Rule {
    public static let description = RuleDescription(
        id: "multiple-endings", severity: .warning,
        summary: "More than one stage or gate is final (nothing comes after it).",
        rationale: "With several loose ends nobody declares the launch done; a final gate makes the finish explicit and gives the deadline one node to measure.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd { owner pm; sla 5bd }
              stage docs { after prd; owner pm; sla 5bd }
              stage ↓build { after prd; owner pm; sla 5bd }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              owner lead
              stage prd { owner pm; sla 5bd }
              stage docs { after prd; owner pm; sla 5bd }
              stage build { after prd; owner pm; sla 5bd }
              gate done { after docs, build; approvers lead; sla 1bd }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model, model.nodes.count > 1 else { return [] }
        let finals = model.nodes.indices.filter { model.graph.successors.count(of: $0) == 0 }
        guard finals.count > 1 else { return [] }
        let names = finals.map { model.nodes[$0].id.name }
        let shown = names.count > 6 ? names.prefix(6).joined(separator: ", ") + ", …" : names.joined(separator: ", ")
        return [diagnostic("the process has \(finals.count) final nodes (\(shown))",
                           at: model.nodes[finals[1]].id.range,
                           help: "add a final gate with 'after \(names.prefix(3).joined(separator: ", "))\(names.count > 3 ? ", …" : "")' so the process has one finish")]
    }
}
