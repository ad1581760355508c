import StagecraftSyntax

/// `deadline-unreachable`: the SLA critical path must fit within the deadline.
public struct DeadlineUnreachableRule: Rule {
    public static let description = RuleDescription(
        id: "deadline-unreachable", severity: .warning,
        summary: "The longest chain of SLAs (the critical path) is longer than the workflow's deadline.",
        rationale: "If every stage uses its full SLA the launch misses its date; the plan is late before it starts, and the message names the path to shorten.",
        triggering: [
            RuleExample("""
            workflow "Launch" {
              ↓deadline 10bd
              owner pm
              owner eng
              stage prd { owner pm; sla 5bd }
              stage build { after prd; owner eng; sla 8bd }
            }
            """),
        ],
        nonTriggering: [
            RuleExample("""
            workflow "Launch" {
              deadline 15bd
              owner pm
              owner eng
              stage prd { owner pm; sla 5bd }
              stage build { after prd; owner eng; sla 8bd }
            }
            """),
        ])

    public static func check(_ context: RuleContext) -> [Diagnostic] {
        guard let model = context.model, let deadline = model.workflow.deadline, deadline.value.amount > 0,
              let schedule = context.slaSchedule else { return [] }
        let limit = model.businessDays(deadline.value)
        let length = schedule.length
        guard length > limit + 1e-9 else { return [] }
        let path = schedule.criticalPath
        let deadlineRange = model.workflow.members.first { if case .deadline = $0 { return true } else { return false } }?.range ?? deadline.range
        return [diagnostic("the SLA critical path \(pathText(path, name: { model.nodes[$0].id.name })) takes \(formatNumber((length * 100).rounded() / 100))bd, over the deadline of \(deadline.value)",
                           at: deadlineRange,
                           help: "shorten SLAs on that path, run some of its stages in parallel, or move the deadline")]
    }
}
