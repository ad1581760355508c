import StagecraftSyntax

/// `type-mismatch`: `when` conditions and param defaults must be well typed.
public struct TypeMismatchRule: Rule {
    public static let description = RuleDescription(
        id: "type-mismatch", severity: .error,
        summary: "A condition compares values of different types, is not a bool, or a param's default does not fit its type.",
        rationale: "An ill-typed condition is silently false or true at launch time, so a privacy review can be skipped for exactly the launch that needed it.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              param seats: number = 10
              stage prd { owner pm; sla 5bd; when ↓seats == "many" }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              owner pm
              param region: string = "US"
              stage prd { owner pm; sla 5bd; when ↓region }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              owner pm
              param eu: bool = ↓"yes"
              stage prd { owner pm; sla 5bd; when eu }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              owner pm
              param seats: number = 10 { 10 80%; ↓"many" 20% }
              stage prd { owner pm; sla 5bd; when seats > 5 }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              param seats: number = 10
              param region: string = "US"
              stage prd { owner pm; sla 5bd; when seats > 5 and region in ["EU", "UK"] }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              owner pm
              param seats: number = 10 { 10 80%; 500 20% }
              stage prd { owner pm; sla 5bd; when seats > 5 }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model else { return [] }
        var types: [String: ParamType] = [:]
        for p in model.params { if let t = p.type { types[p.name.name] = t } }
        var out: [Diagnostic] = []
        for p in model.workflow.params {
            if let t = p.type, let value = Evaluator.literal(p.value), value.type != t {
                let v = p.value
                out.append(diagnostic("param '\(p.name.name)' is a \(t.rawValue), but its default is a \(value.type.rawValue)",
                                      at: v.range, help: t == .string ? "write strings in double quotes" : "write a \(t.rawValue) value"))
            }
            if let t = p.type, let shares = p.shares {
                for share in shares.items {
                    guard let value = Evaluator.literal(share.value), value.type != t else { continue }
                    out.append(diagnostic("param '\(p.name.name)' is a \(t.rawValue), but the share value \(value) is a \(value.type.rawValue)",
                                          at: share.value.range, help: t == .string ? "write strings in double quotes" : "write a \(t.rawValue) value"))
                }
            }
        }
        for (id, cond) in model.conditions {
            var errors: [Evaluator.TypeError] = []
            let t = Evaluator.typeCheck(cond, params: types, errors: &errors)
            for e in errors { out.append(diagnostic(e.message, at: e.range, help: e.help)) }
            if let t, t != .bool {
                out.append(diagnostic("the condition of '\(id.name)' is a \(t.rawValue), not a bool", at: cond.range,
                                      help: t == .string ? "compare it with a value, as in \(context.source.text(of: cond.range)) == \"EU\""
                                          : "compare it with a value, as in \(context.source.text(of: cond.range)) > 0"))
            }
        }
        return out
    }
}
