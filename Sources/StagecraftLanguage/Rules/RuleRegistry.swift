/// Every rule Stagecraft knows, in the order `explain --list` shows them (errors first).
public enum RuleRegistry {
    public static let all: [any Rule.Type] = [
        SyntaxRule.self,
        UnknownReferenceRule.self,
        DuplicateIDRule.self,
        DependencyCycleRule.self,
        InvalidReworkTargetRule.self,
        GateWithoutApproversRule.self,
        QuorumExceedsApproversRule.self,
        StageWithoutOwnerRule.self,
        TypeMismatchRule.self,
        InvalidDurationRule.self,
        InvalidValueRule.self,
        MissingSLARule.self,
        SelfApprovalRule.self,
        DeadlineUnreachableRule.self,
        OwnerOverloadedRule.self,
        UnusedOwnerRule.self,
        UnusedParamRule.self,
        MultipleEndingsRule.self,
        RedundantDependencyRule.self,
        EstimateExceedsSLARule.self,
        EmptyChecklistRule.self,
        DuplicateMatchRule.self,
        InvalidSuppressionRule.self,
        UnusedSuppressionRule.self,
    ]

    /// Descriptions of every rule, by ID.
    public static let descriptions: [String: RuleDescription] = {
        var d: [String: RuleDescription] = [:]
        for r in all { d[r.description.id] = r.description }
        return d
    }()

    /// Every rule ID, in `all` order.
    public static var ids: [String] { all.map { $0.description.id } }
}
