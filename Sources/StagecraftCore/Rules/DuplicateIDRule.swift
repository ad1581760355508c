/// `duplicate-id`: an ID must be unique within its namespace (owners, nodes, params).
public struct DuplicateIDRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "duplicate-id", severity: .error,
        summary: "An ID is declared twice in the same namespace (owners, stages and gates, params).",
        rationale: "Two stages with one ID make history, schedules and reports ambiguous: nobody can tell which one a recorded event or a due date belongs to.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd { owner pm; sla 5bd }
              gate ↓prd { approvers pm; sla 1bd; after prd }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              owner pm
              owner ↓pm "Product"
              stage prd { owner pm; sla 5bd }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner security
              stage build { owner security; sla 5bd }
              gate security { after build; approvers security; sla 1bd }
            }
            """),
        ])

    public func check(_ context: RuleContext) -> [Diagnostic] {
        guard let workflow = context.parsed.tree.workflow else { return [] }
        var out: [Diagnostic] = []
        var owners: [String: Identifier] = [:]
        var nodes: [String: Identifier] = [:]
        var params: [String: Identifier] = [:]
        func claim(_ id: Identifier, in table: inout [String: Identifier], kind: String) {
            if let first = table[id.name] {
                out.append(diagnostic("\(kind) '\(id.name)' is declared twice", at: id.range,
                                      help: "the first declaration is at line \(context.line(of: first.range.start)); rename one of them"))
            } else {
                table[id.name] = id
            }
        }
        for member in workflow.members {
            switch member {
            case .owner(let o): claim(o.id, in: &owners, kind: "owner")
            case .node(let n): claim(n.id, in: &nodes, kind: n.kind.rawValue)
            case .param(let p): claim(p.name, in: &params, kind: "param")
            default: break
            }
        }
        return out
    }
}
