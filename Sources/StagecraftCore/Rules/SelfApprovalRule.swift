/// `self-approval`: a gate's approver should not own the work the gate reviews.
public struct SelfApprovalRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "self-approval", severity: .warning,
        summary: "A gate's approver owns a node in the gate's `after` list (separation of duties).",
        rationale: "Reviews exist to get a second pair of eyes; an owner approving their own work defeats the gate and fails audits that expect separation of duties.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner eng
              owner sec
              stage build { owner eng; sla 5bd }
              gate review { after build; approvers sec, ↓eng; sla 1bd }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner eng
              owner sec
              stage build { owner eng; sla 5bd }
              gate review { after build; approvers sec; sla 1bd }
            }
            """),
        ])

    public func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model else { return [] }
        var out: [Diagnostic] = []
        for i in model.summaries.indices where model.summaries[i].kind == .gate && model.summaries[i].approverCount > 0 {
            let node = model.nodes[i]
            // The stages the gate waits for directly, each once, in the order written.
            let reviewed = model.graph.predecessors[i].map { model.nodes[$0] }
            var reported = Set<String>()
            for approver in node.approvers where reported.insert(approver.name).inserted {
                let own = reviewed.filter { $0.kind == .stage && $0.owner?.name == approver.name }
                if let first = own.first {
                    out.append(diagnostic("'\(approver.name)' approves gate '\(node.id.name)' but owns '\(first.id.name)', which the gate reviews",
                                          at: approver.range, help: "let someone who did not do the work approve it"))
                }
            }
        }
        return out
    }
}
