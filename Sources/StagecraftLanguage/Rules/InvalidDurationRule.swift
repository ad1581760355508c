import StagecraftSyntax

/// `invalid-duration`: durations must be positive and estimates ordered.
public struct InvalidDurationRule: Rule {
    public static let description = RuleDescription(
        id: "invalid-duration", severity: .error,
        summary: "A duration is zero, negative or longer than 10,000 days, an estimate's low end exceeds its high end, or a unit is unknown.",
        rationale: "Schedules, SLA clocks and forecasts are computed from these numbers; a zero SLA is always broken and a reversed range cannot be sampled.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd { owner pm; sla ↓0bd }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd { owner pm; sla 10bd; estimate ↓8bd..3bd }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              deadline ↓-5bd
              owner pm
              stage prd { owner pm; sla 5bd; estimate 2bd ↓1bd 4bd }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd { owner pm; sla 5bd; wait ↓0d }
              stage build { after prd; owner pm; sla 10bd; wait ↓4d..1d }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              deadline 20bd
              owner pm
              stage prd { owner pm; sla 5bd; estimate 2bd 3bd 4bd }
              stage build { after prd; owner pm; sla 10bd; estimate 3bd..8bd }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage prd { owner pm; sla 5bd; wait 1d..4d }
              stage build { after prd; owner pm; sla 10bd; wait 4h }
              stage ship { after build; owner pm; sla 2bd; wait 1h 2h 8h }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let workflow = context.parsed.tree.workflow else { return [] }
        var out: [Diagnostic] = []
        func positive(_ d: DurationLiteral, _ what: String) {
            if d.value.amount <= 0 {
                out.append(diagnostic("\(what) must be longer than zero, but is \(d.value)", at: d.range,
                                      help: "write a positive duration such as 5bd"))
            } else if d.value.seconds > InvalidDurationRule.longest {
                out.append(diagnostic("\(what) of \(d.value) is longer than 10,000 days", at: d.range,
                                      help: "a process step that long is a typo; schedules and forecasts refuse it"))
            }
        }
        /// A range or PERT estimate (or wait): every value positive, in increasing order.
        func spread(_ e: Estimate, _ what: String) {
            let article = what == "wait" ? "a wait" : "an estimate"
            switch e {
            case .range(let low, let high):
                positive(low, article)
                positive(high, article)
                if low.value.amount > 0 && exceeds(low, high) {
                    out.append(diagnostic("the \(what)'s low end \(low.value) exceeds its high end \(high.value)",
                                          at: low.range.union(high.range), help: "write the range low..high, as in \(high.value)..\(low.value)"))
                }
            case .pert(let o, let m, let p):
                positive(o, article)
                positive(m, article)
                positive(p, article)
                if o.value.seconds > 0 && m.value.seconds > 0 && p.value.seconds > 0 {
                    if exceeds(o, m) {
                        out.append(diagnostic("the most likely \(what) \(m.value) is below the optimistic \(o.value)",
                                              at: m.range, help: "write \(what) OPTIMISTIC LIKELY PESSIMISTIC, in increasing order"))
                    } else if exceeds(m, p) {
                        out.append(diagnostic("the pessimistic \(what) \(p.value) is below the most likely \(m.value)",
                                              at: p.range, help: "write \(what) OPTIMISTIC LIKELY PESSIMISTIC, in increasing order"))
                    }
                }
            }
        }
        if let d = workflow.deadline { positive(d, "the deadline") }
        for m in workflow.members.indices {
            guard case .node(let node) = workflow.members[m] else { continue }
            for k in node.statements.indices {
                switch node.statements[k].kind {
                case .sla(let d):
                    positive(d, "the SLA")
                case .estimate(let e):
                    spread(e, "estimate")
                case .wait(.fixed(let d)):
                    positive(d, "a wait")
                case .wait(.spread(let e)):
                    spread(e, "wait")
                default:
                    break
                }
            }
        }
        return out
    }

    /// The longest duration a file may state: 10,000 days. Longer ones are typos, and
    /// calendar arithmetic over them would take as long as they are.
    static let longest: Double = 10_000 * 86_400

    /// Whether `a` is longer than `b`; `bd` and elapsed units compare by their nominal seconds.
    static func exceeds(_ a: DurationLiteral, _ b: DurationLiteral) -> Bool {
        a.value.seconds > b.value.seconds
    }
}
