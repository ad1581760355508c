import StagecraftSyntax

/// `duplicate-match`: two nodes claim the same activity of recorded history.
public struct DuplicateMatchRule: Rule {
    public static let description = RuleDescription(
        id: "duplicate-match", severity: .warning,
        summary: "Two stages or gates answer to the same activity name (their `matches`, or their ID or title without `matches`), compared ignoring case, spaces, `_` and `-`.",
        rationale: "An event of that activity counts only as the first node declared, so the other is reported as never seen in `replay`, gets no calibration in `simulate`, and every case looks non-conforming. Names differing only in case, spaces or `_`/`-` are one activity to Stagecraft.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage review { owner pm; sla 1bd; matches "Review draft" }
              stage review_2 { after review; owner pm; sla 1bd; matches ↓"review_draft" }
            }
            """),
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage sign_off { owner pm; sla 1bd }
              stage approve { after sign_off; owner pm; sla 1bd; matches "Approve", ↓"Sign-Off" }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              owner pm
              stage review "Review" { owner pm; sla 1bd; matches "Review draft", "review-draft" }
              stage rework { after review; owner pm; sla 1bd; matches "Rework draft" }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model else { return [] }
        // The first node (in declaration order) to claim each normalised name.
        var claimedBy: [String: (node: Int, written: String)] = [:]
        var out: [Diagnostic] = []
        for i in model.nodes.indices {
            let node = model.nodes[i]
            let explicit = node.matches
            var names: [(written: String, range: SourceRange)] = explicit.map { ($0.value, $0.range) }
            if explicit.isEmpty {
                names = [(node.id.name, node.id.range)]
                if let title = node.title { names.append((title.value, title.range)) }
            }
            for (written, range) in names {
                let key = ActivityMatcher.normalize(written)
                if key.isEmpty { continue }
                guard let first = claimedBy[key] else {
                    claimedBy[key] = (i, written)
                    continue
                }
                guard first.node != i else { continue }
                let other = model.nodes[first.node].id.name
                out.append(diagnostic(
                    "'\(written)' names the same activity as '\(first.written)' of '\(other)'; its events count only as '\(other)'",
                    at: range,
                    help: "names compare ignoring case, spaces, '_' and '-': keep the activity in one node's matches"))
            }
        }
        return out
    }
}
