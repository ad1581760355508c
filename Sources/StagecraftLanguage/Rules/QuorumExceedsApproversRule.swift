import StagecraftSyntax

/// `quorum-exceeds-approvers`: a gate's quorum cannot exceed its approvers.
public struct QuorumExceedsApproversRule: Rule {
    public static let description = RuleDescription(
        id: "quorum-exceeds-approvers", severity: .error,
        summary: "A gate's quorum is larger than the number of its approvers.",
        rationale: "A quorum that cannot be reached means the review can never pass and the launch stalls at the gate.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              owner sec
              stage build { owner pm; sla 5bd }
              gate review { after build; approvers sec, pm; quorum ↓3; sla 1bd }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              owner sec
              owner legal
              stage build { owner pm; sla 5bd }
              gate review { after build; approvers sec, legal; quorum 2; sla 1bd }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model else { return [] }
        var out: [Diagnostic] = []
        for (i, summary) in model.summaries.enumerated() where summary.kind == .gate {
            guard let n = summary.quorumCount else { continue }
            let approvers = summary.distinctApproverCount
            if approvers > 0 && n.value > Double(approvers) {
                let node = model.nodes[i]
                out.append(diagnostic("quorum \(context.source.text(of: n.range)) exceeds the \(approvers) approver\(approvers == 1 ? "" : "s") of gate '\(node.id.name)'",
                                      at: n.range, help: "lower the quorum to at most \(approvers), or write 'quorum all'"))
            }
        }
        return out
    }
}
