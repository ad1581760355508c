import StagecraftSyntax

/// `invalid-rework-target`: `on reject -> ID` must name a node upstream of the gate.
public struct InvalidReworkTargetRule: Rule {
    public static let description = RuleDescription(
        id: "invalid-rework-target", severity: .error,
        summary: "A gate's `on reject` target must be upstream of the gate.",
        rationale: "Rework sends work back to a stage that fed the review; a target downstream or on another branch would loop the process through work the review never saw.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              owner sec
              stage build { owner pm; sla 5bd }
              stage docs { owner pm; sla 5bd }
              gate review { after build; approvers sec; sla 1bd; on reject -> ↓docs }
              stage launch { after review, docs; owner pm; sla 1bd }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              owner pm
              owner sec
              stage build { owner pm; sla 5bd }
              gate review { after build; approvers sec; sla 1bd; on reject -> ↓review }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              owner sec
              stage build { owner pm; sla 5bd }
              gate review { after build; approvers sec; sla 1bd; on reject -> build }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model else { return [] }
        var out: [Diagnostic] = []
        for i in model.summaries.indices {
            guard let t = model.summaries[i].reworkTarget else { continue }
            // Most gates send rework upstream: answer from the graph before reading the
            // gate's statements, which only a finding needs.
            if t != i && model.graph.precedes(t, i) { continue }
            let node = model.nodes[i]
            guard let target = node.onReject else { continue }
            if t == i {
                out.append(diagnostic("gate '\(node.id.name)' sends rework to itself", at: target.range,
                                      help: "name the stage that must redo its work, one the gate waits for"))
            } else {
                let upstream = node.after.map(\.name)
                out.append(diagnostic("'\(target.name)' is not upstream of gate '\(node.id.name)'", at: target.range,
                                      help: upstream.isEmpty ? "add 'after \(target.name)' to the gate, or name a node it waits for"
                                          : "name a node the gate waits for, such as '\(upstream[0])'"))
            }
        }
        return out
    }
}
