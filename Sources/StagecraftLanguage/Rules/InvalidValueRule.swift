import StagecraftSyntax

/// `invalid-value`: numbers, percentages, dates and weekday names must make sense.
public struct InvalidValueRule: Rule {
    public static let description = RuleDescription(
        id: "invalid-value", severity: .error,
        summary: "A value is out of range: capacity or quorum not a positive whole number, a percentage over 100, a date that does not exist, an unknown weekday, or a statement given twice.",
        rationale: "Impossible values make schedules and forecasts meaningless; catching them in review is cheaper than explaining a wrong launch date.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm { capacity ↓0 }
              owner sec
              stage build { owner pm; sla 5bd }
              gate review { after build; approvers sec; sla 1bd; reject ↓120% }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              calendar {
                workdays mon ↓tues
                holiday ↓2026-02-30
              }
              owner pm
              stage prd { owner pm; sla 5bd; ↓sla 6bd }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              calendar { hours ↓17:00-09:00 }
              param tier: string = "standard" ↓{ "standard" 70%; "enterprise" 20% }
              owner pm { hours ↓25:00-18:00 }
              stage prd { owner pm; sla 5bd; when tier == "enterprise"; chance ↓130% }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              calendar {
                workdays mon tue wed thu
                holiday 2026-12-25 "Christmas"
              }
              owner pm { capacity 2 }
              owner sec
              stage build { owner pm; sla 5bd }
              gate review { after build; approvers sec; sla 1bd; reject 20%; quorum 1 }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              calendar { hours 09:00-17:00 }
              param tier: string = "standard" { "standard" 70%; "enterprise" 30% }
              owner pm { hours 08:00-24:00 }
              stage prd { owner pm; sla 5bd; when tier == "enterprise"; chance 30% }
            }
            """),
        ])

    /// A bit for each statement a node may give only once; nil for the statements that
    /// may repeat (their lists add up).
    static func onceBit(_ kind: NodeStatementKind) -> UInt16? {
        switch kind {
        case .after, .matches, .checklist, .approvers: return nil
        case .when: return 1 << 0
        case .sla: return 1 << 1
        case .estimate: return 1 << 2
        case .owner: return 1 << 3
        case .quorum: return 1 << 4
        case .reject: return 1 << 5
        case .onReject: return 1 << 6
        case .wait: return 1 << 7
        case .chance: return 1 << 8
        }
    }

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let workflow = context.parsed.tree.workflow else { return [] }
        var out: [Diagnostic] = []
        func wholePositive(_ n: NumberLiteral, _ what: String) {
            if n.value < 1 || n.value != n.value.rounded() || n.value > 1_000_000 {
                out.append(diagnostic("\(what) must be a whole number from 1 up, but is \(context.source.text(of: n.range))", at: n.range))
            }
        }
        /// A percentage that must lie between 0% and 100%.
        func percent(_ p: PercentLiteral, _ what: String) {
            if p.value < 0 || p.value > 100 {
                out.append(diagnostic("\(what) must be between 0% and 100%, but is \(context.source.text(of: p.range))", at: p.range))
            }
        }
        /// Working hours: real times, the start before the end.
        func hours(_ h: HoursLiteral) {
            for t in [h.start, h.end] where t.minutes == nil {
                out.append(diagnostic("\(context.source.text(of: t.range)) is not a time of day", at: t.range,
                                      help: "write a time from 00:00 to 24:00 as HH:MM"))
            }
            if let a = h.start.minutes, let b = h.end.minutes, a >= b {
                out.append(diagnostic("working hours must start before they end, but \(h.description) does not", at: h.range,
                                      help: "write the start first, as in hours 09:00-17:00; hours cannot run past midnight"))
            }
        }
        /// Reports `keyword` given a second time in one body (`seen` holds that body's firsts).
        func once(_ keyword: String, _ range: SourceRange, in seen: inout [String: SourceRange]) {
            if let first = seen[keyword] {
                out.append(diagnostic("'\(keyword)' is given twice", at: range,
                                      help: "keep one; the first is at line \(context.line(of: first.start))"))
            } else {
                seen[keyword] = range
            }
        }
        var seenWorkflowStatements: [String: SourceRange] = [:]
        // Members are switched on by index rather than iterated as copies, and a node's
        // statements are checked against bits rather than a list of keywords built for
        // each node: a big workflow has hundreds of thousands of statements.
        for m in workflow.members.indices {
            switch workflow.members[m] {
            case .description(_, let r): once("description", r, in: &seenWorkflowStatements)
            case .deadline(_, let r): once("deadline", r, in: &seenWorkflowStatements)
            case .calendar(let c):
                once("calendar", c.range, in: &seenWorkflowStatements)
                var holidays: [Int: SourceRange] = [:]
                var seenItems: [String: SourceRange] = [:]
                for item in c.items {
                    switch item {
                    case .workdays(let days, _):
                        var seen = Set<String>()
                        for d in days {
                            if !WorkflowModel.weekdayNames.contains(d.name) {
                                let s = didYouMean(d.name, in: WorkflowModel.weekdayNames)
                                out.append(diagnostic("unknown weekday '\(d.name)'", at: d.range,
                                                      help: s ?? "the weekdays are mon tue wed thu fri sat sun"))
                            } else if !seen.insert(d.name).inserted {
                                out.append(diagnostic("weekday '\(d.name)' is listed twice", at: d.range))
                            }
                        }
                    case .holiday(let date, _, _):
                        if let day = date.date?.dayNumber {
                            if holidays[day] != nil {
                                out.append(diagnostic("holiday \(date.text) is declared twice", at: date.range))
                            }
                            holidays[day] = date.range
                        } else {
                            out.append(diagnostic("\(date.text) is not a calendar date", at: date.range,
                                                  help: "write a real date as YYYY-MM-DD"))
                        }
                    case .hours(let h, let range):
                        hours(h)
                        once("hours", range, in: &seenItems)
                    }
                }
            case .owner(let o):
                var seen: [String: SourceRange] = [:]
                for item in o.items {
                    let key: String
                    switch item {
                    case .capacity(let n, _): wholePositive(n, "capacity"); key = "capacity"
                    case .members: key = "members"
                    case .contact: key = "contact"
                    case .hours(let h, _): hours(h); key = "hours"
                    }
                    if key != "members" { once(key, item.range, in: &seen) }
                }
            case .node(let node):
                // One bit per statement seen; the first of a repeat is looked up only
                // when there is one to report.
                var seen: UInt16 = 0
                let statements = node.statements
                for k in statements.indices {
                    if let bit = InvalidValueRule.onceBit(statements[k].kind) {
                        if seen & bit != 0,
                           let first = statements[..<k].first(where: { InvalidValueRule.onceBit($0.kind) == bit }) {
                            let key = statements[k].kind.keyword
                            out.append(diagnostic("'\(key)' is given twice in '\(node.id.name)'", at: statements[k].keywordRange,
                                                  help: "keep one; the first is at line \(context.line(of: first.range.start))"))
                        }
                        seen |= bit
                    }
                    switch statements[k].kind {
                    case .quorum(.count(let n)): wholePositive(n, "quorum")
                    case .reject(let p): percent(p, "a rejection chance")
                    case .chance(let p): percent(p, "the chance that a node runs")
                    default: break
                    }
                }
            case .param(let p):
                guard let shares = p.shares else { break }
                var total = 0.0
                var inRange = true
                var values: [Value] = []
                for share in shares.items {
                    percent(share.share, "a share")
                    if share.share.value < 0 || share.share.value > 100 { inRange = false }
                    total += share.share.value
                    if let v = Evaluator.literal(share.value) {
                        if values.contains(v) {
                            out.append(diagnostic("\(v) is listed twice in the shares of '\(p.name.name)'", at: share.value.range,
                                                  help: "give each value one share"))
                        }
                        values.append(v)
                    }
                }
                // Rounded percentages such as 33.33% three times are allowed a little slack.
                if inRange && abs(total - 100) > 0.01 {
                    out.append(diagnostic("the shares of '\(p.name.name)' add up to \(formatNumber((total * 1000).rounded() / 1000))%, not 100%",
                                          at: shares.range, help: "make the shares of the values sum to 100%"))
                }
            }
        }
        return out
    }
}
