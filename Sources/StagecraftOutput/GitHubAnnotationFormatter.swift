import StagecraftLanguage

/// Renders check results as GitHub Actions workflow commands, which the runner turns
/// into annotations on the pull request (the line format is in docs/cli.md, `--format github`).
public enum GitHubAnnotationFormatter {
    /// Every diagnostic of `results` as one workflow command line.
    public static func annotations(_ results: [CheckResult], currentDirectory: String) -> String {
        var out = ""
        for result in results {
            let source = result.source
            let file = ArtifactPath.display(source.path, currentDirectory: currentDirectory)
            for d in result.diagnostics {
                let start = source.location(of: d.range.start)
                let end = source.location(of: d.range.end)
                let command: String
                switch d.severity {
                case .error: command = "error"
                case .warning: command = "warning"
                case .note: command = "notice"
                }
                let properties = [
                    ("file", file),
                    ("line", String(start.line)),
                    ("col", String(SARIFFormatter.utf16Column(source, d.range.start))),
                    ("endLine", String(end.line)),
                    ("endColumn", String(SARIFFormatter.utf16Column(source, d.range.end))),
                    ("title", d.rule),
                ].map { $0.0 + "=" + escapeProperty($0.1) }.joined(separator: ",")
                out += "::\(command) \(properties)::\(escapeData(SARIFFormatter.messageText(d)))\n"
            }
        }
        return out
    }

    /// Escapes a command's data (the message): `%` → `%25`, CR → `%0D`, LF → `%0A`.
    public static func escapeData(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes a property value: as data, plus `:` → `%3A` and `,` → `%2C`.
    public static func escapeProperty(_ s: String) -> String {
        var out = ""
        for scalar in escapeData(s).unicodeScalars {
            switch scalar {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
