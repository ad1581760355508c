import StagecraftLanguage

/// `--set NAME=VALUE` options, shared by the subcommands that run a workflow with params
/// (`graph`, `checklist`, `simulate`).
public enum ParamOverrides {
    /// Parses every `NAME=VALUE` against the workflow's params. A later `--set` of the same
    /// name wins. Throws a `UsageError` (exit 2) for a missing `=`, an unknown param (with a
    /// did-you-mean) or a value that does not fit the param's type.
    public static func parse(_ sets: [String], model: WorkflowModel) throws -> [String: Value] {
        var values: [String: Value] = [:]
        for set in sets {
            guard let eq = set.firstIndex(of: "="), eq != set.startIndex else {
                throw UsageError("--set takes NAME=VALUE, not '\(set)'", help: "e.g. --set handles_pii=true")
            }
            let name = String(set[..<eq])
            let text = String(set[set.index(after: eq)...])
            guard let index = model.paramIndex[name] else {
                let known = model.params.map(\.name.name)
                let help = didYouMean(name, in: known)
                    ?? (known.isEmpty ? "the workflow declares no params" : "the params are: " + known.joined(separator: ", "))
                throw UsageError("unknown param '\(name)' in --set", help: help)
            }
            let param = model.params[index]
            guard let type = param.type else {
                throw UsageError("param '\(name)' has no valid type, so --set cannot give it a value")
            }
            guard let value = Value.parse(text, as: type) else {
                throw UsageError("param '\(name)' is a \(type.rawValue), so --set \(name)= takes \(type.expected), not '\(text)'")
            }
            values[name] = value
        }
        return values
    }
}
