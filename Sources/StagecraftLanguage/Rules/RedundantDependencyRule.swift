import StagecraftSyntax

/// `redundant-dependency`: `after a, b` where `a` already precedes `b`.
public struct RedundantDependencyRule: Rule {
    public static let description = RuleDescription(
        id: "redundant-dependency", severity: .warning,
        summary: "An `after` entry is implied by another one (`after a, b` where `a` already precedes `b`).",
        rationale: "Redundant edges clutter graphs and hide the real structure; when the process changes, they keep dependencies alive that nobody meant.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd { owner pm; sla 5bd }
              stage build { after prd; owner pm; sla 5bd }
              stage launch { after ↓prd, build; owner pm; sla 1bd }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd { owner pm; sla 5bd }
              stage build { after prd, ↓prd; owner pm; sla 5bd }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd { owner pm; sla 5bd }
              stage docs { owner pm; sla 5bd }
              stage launch { after prd, docs; owner pm; sla 1bd }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model, model.graph.topologicalOrder != nil else { return [] }
        var out: [Diagnostic] = []
        for i in model.summaries.indices where model.summaries[i].afterCount > 1 {
            let node = model.nodes[i]
            let refs = node.after
            var seen = Set<String>()
            let resolved = refs.map { model.nodeIndex[$0.name] }
            for (k, ref) in refs.enumerated() {
                if !seen.insert(ref.name).inserted {
                    out.append(diagnostic("'\(ref.name)' is listed twice in the 'after' of '\(node.id.name)'", at: ref.range,
                                          help: "remove the repeated entry"))
                    continue
                }
                guard let a = resolved[k] else { continue }
                for (m, other) in resolved.enumerated() where m != k {
                    guard let b = other, b != a, b != i else { continue }
                    if model.graph.precedes(a, b) {
                        out.append(diagnostic("'\(ref.name)' already precedes '\(refs[m].name)', so '\(node.id.name)' need not wait for it directly",
                                              at: ref.range, help: "remove '\(ref.name)' from this 'after' list"))
                        break
                    }
                }
            }
        }
        return out
    }
}
