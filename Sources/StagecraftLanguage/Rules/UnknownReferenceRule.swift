import StagecraftSyntax

/// `unknown-reference`: every ID a statement names must be declared.
public struct UnknownReferenceRule: Rule {
    public static let description = RuleDescription(
        id: "unknown-reference", severity: .error,
        summary: "A stage, gate, owner or param named in a statement must be declared.",
        rationale: "A typo in an `after` list or an owner silently drops a dependency or leaves work unassigned; launches then start stages before their inputs exist.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd { owner pm; sla 5bd }
              stage build { after ↓prdd; owner ↓eng; sla 10bd }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              owner pm
              param region: string = "US"
              stage prd { owner pm; sla 5bd; when ↓regoin == "EU" }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              owner eng
              stage prd { owner pm; sla 5bd }
              stage build { after prd; owner eng; sla 10bd }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model, !model.unresolved.isEmpty else { return [] }
        let nodeNames = model.nodes.map(\.id.name)
        let ownerNames = model.owners.map(\.id.name)
        let paramNames = model.params.map(\.name.name)
        var out: [Diagnostic] = []

        func missing(_ ref: Identifier, kind: String, candidates: [String], otherKind: (String, Bool)? = nil) {
            var help: String?
            if let s = didYouMean(ref.name, in: candidates) {
                help = s
            } else if let (other, isOther) = otherKind, isOther {
                help = "'\(ref.name)' is \(other), not \(kind)"
            } else {
                help = "declare it in the workflow, or fix the spelling"
            }
            out.append(diagnostic("unknown \(kind) '\(ref.name)'", at: ref.range, help: help))
        }

        // Resolution collected them, from every statement of every node declaration.
        for u in model.unresolved {
            let r = u.name
            switch u.kind {
            case .node:
                missing(r, kind: "stage or gate", candidates: nodeNames,
                        otherKind: ("an owner", model.ownerIndex[r.name] != nil))
            case .owner:
                missing(r, kind: "owner", candidates: ownerNames,
                        otherKind: ("a stage or gate", model.nodeIndex[r.name] != nil))
            case .checklistOwner:
                missing(r, kind: "owner", candidates: ownerNames)
            case .param:
                missing(r, kind: "param", candidates: paramNames)
            }
        }
        return out
    }
}
