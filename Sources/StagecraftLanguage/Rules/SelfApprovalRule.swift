import StagecraftSyntax

/// `self-approval`: a gate's approver should not own the work the gate reviews.
public struct SelfApprovalRule: Rule {
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

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model else { return [] }
        var out: [Diagnostic] = []
        var seen: [String] = []
        for i in model.summaries.indices where model.summaries[i].kind == .gate && model.summaries[i].approverCount > 0 {
            // Most gates are cleared from the model's flat tables alone. When every
            // approver name is a declared owner (as many owners resolved as names
            // written), only a stage whose owner is one of them can trigger.
            let approverOwners = model.owners(ofNode: i)
            if model.summaries[i].distinctApproverCount == approverOwners.count {
                let suspect = model.graph.predecessors[i].contains { p in
                    guard model.summaries[p].kind == .stage, let o = model.owners(ofNode: p).first else { return false }
                    return approverOwners.contains(o)
                }
                guard suspect else { continue }
            }
            // Each approver once, in the order written; the stages the gate waits for
            // directly, in the order written. No copies: a big workflow has many gates.
            seen.removeAll(keepingCapacity: true)
            let statements = model.nodes[i].statements
            for k in statements.indices {
                guard case .approvers(let approvers) = statements[k].kind else { continue }
                for approver in approvers where !seen.contains(approver.name) {
                    seen.append(approver.name)
                    // A declared approver is compared by index with the owner each stage
                    // loads (its first, resolved), which spares reading the stage's
                    // statements; an undeclared one by name, as written.
                    let declared = model.ownerIndex[approver.name]
                    for p in model.graph.predecessors[i] where model.summaries[p].kind == .stage {
                        let owns = declared.map { model.owners(ofNode: p).first == $0 }
                            ?? (model.nodes[p].owner?.name == approver.name)
                        guard owns else { continue }
                        out.append(diagnostic("'\(approver.name)' approves gate '\(model.nodes[i].id.name)' but owns '\(model.nodes[p].id.name)', which the gate reviews",
                                              at: approver.range, help: "let someone who did not do the work approve it"))
                        break
                    }
                }
            }
        }
        return out
    }
}
