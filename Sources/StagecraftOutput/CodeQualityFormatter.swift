import StagecraftLanguage

/// Renders check results as a GitLab Code Quality report, which merge requests show as
/// findings on the changed lines; fingerprints are SARIF's, so they survive inserted lines.
public enum CodeQualityFormatter {
    public static func report(_ results: [CheckResult], currentDirectory: String) -> String {
        var issues: [JSON] = []
        for result in results {
            let source = result.source
            let path = ArtifactPath.display(source.path, currentDirectory: currentDirectory)
            let fingerprints = SARIFFormatter.fingerprints(result, uri: path)
            for (d, fingerprint) in zip(result.diagnostics, fingerprints) {
                let severity: String
                switch d.severity {
                case .error: severity = "major"
                case .warning: severity = "minor"
                case .note: severity = "info"
                }
                issues.append(.object([
                    ("type", .string("issue")),
                    ("check_name", .string(d.rule)),
                    ("description", .string(SARIFFormatter.messageText(d))),
                    ("categories", .array([.string(d.rule == SyntaxRule.description.id ? "Bug Risk" : "Style")])),
                    ("severity", .string(severity)),
                    ("fingerprint", .string(fingerprint)),
                    ("location", .object([
                        ("path", .string(path)),
                        ("lines", .object([
                            ("begin", .int(source.location(of: d.range.start).line)),
                            ("end", .int(source.location(of: d.range.end).line)),
                        ])),
                    ])),
                ]))
            }
        }
        return JSON.array(issues).serialized(pretty: true) + "\n"
    }
}
