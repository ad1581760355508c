import StagecraftSyntax

/// `dependency-cycle`: `after` edges must not form a cycle.
public struct DependencyCycleRule: Rule {
    public static let description = RuleDescription(
        id: "dependency-cycle", severity: .error,
        summary: "Stages and gates wait for each other in a cycle, so none of them can start.",
        rationale: "A cycle of `after` dependencies deadlocks the launch: every stage in it waits for another. Rework loops are written with `on reject`, not `after`.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage a { after ↓c; owner pm; sla 1bd }
              stage b { after a; owner pm; sla 1bd }
              stage c { after b; owner pm; sla 1bd }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage a { after ↓a; owner pm; sla 1bd }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage a { owner pm; sla 1bd }
              stage b { after a; owner pm; sla 1bd }
              gate c { after b; approvers pm; sla 1bd; on reject -> a }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model else { return [] }
        return model.graph.cycles().compactMap { cycle in
            guard let first = cycle.first else { return nil }
            // The edge that closes the cycle: the first node's `after` reference to the last.
            let last = cycle[cycle.count - 1]
            let names = (cycle + [first]).map { model.nodes[$0].id.name }
            let ref = model.nodes[first].after.first { $0.name == model.nodes[last].id.name }
            return diagnostic("dependency cycle: \(pathText(names))",
                              at: ref?.range ?? model.nodes[first].id.range,
                              help: "remove one of these 'after' edges; to send work back after a review, use 'on reject -> ID' in a gate")
        }
    }
}
