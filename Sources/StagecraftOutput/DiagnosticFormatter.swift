import StagecraftSyntax
import StagecraftLanguage

/// Renders check results as compiler-style text, JSON, SARIF or GitHub annotations.
public enum DiagnosticFormatter {
    /// `file:line:col: error: message [rule]`, the source line, a `^~~~` marker, `help:`.
    public static func text(_ results: [CheckResult], color: Bool) -> String {
        var out = ""
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        for r in results {
            for d in r.diagnostics {
                let start = r.source.location(of: d.range.start)
                let severity: String
                switch d.severity {
                case .error: severity = paint("error", "1;31")
                case .warning: severity = paint("warning", "1;33")
                case .note: severity = paint("note", "1;36")
                }
                out += paint("\(r.source.path):\(start.line):\(start.column):", "1") + " \(severity): \(Excerpt.escaped(d.message)) [\(d.rule)]\n"
                if r.source.hasLine(start.line) {
                    let lineRange = r.source.lineRange(start.line)
                    let lineText = r.source.text(of: lineRange)
                    // Control characters are shown escaped (`\x1b`), never sent to the terminal.
                    out += Excerpt.escaped(lineText) + "\n"
                    // Keep tabs so the marker lines up; as many spaces as each other scalar shows as.
                    var pad = ""
                    for (k, ch) in lineText.unicodeScalars.enumerated() where k < start.column - 1 {
                        pad += ch == "\t" ? "\t" : String(repeating: " ", count: Excerpt.width(ch))
                    }
                    let endOffset = min(d.range.end, lineRange.end)
                    let width = endOffset > d.range.start
                        ? r.source.text(of: SourceRange(d.range.start, endOffset)).unicodeScalars.reduce(0) { $0 + Excerpt.width($1) } : 1
                    out += pad + paint("^" + String(repeating: "~", count: max(0, width - 1)), "1;32") + "\n"
                }
                if let help = d.help { out += paint("help:", "1;36") + " \(Excerpt.escaped(help))\n" }
            }
        }
        return out
    }

    /// The one-line summary printed after text output.
    public static func summary(_ results: [CheckResult]) -> String {
        let errors = results.reduce(0) { $0 + $1.errorCount }
        let warnings = results.reduce(0) { $0 + $1.warningCount }
        let files = results.count
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        if errors == 0 && warnings == 0 { return "checked \(plural(files, "file")): no problems\n" }
        return "\(plural(errors, "error")), \(plural(warnings, "warning")) in \(plural(files, "file"))\n"
    }

    /// The JSON format of CLI.md.
    public static func json(_ results: [CheckResult]) -> String {
        let diagnostics = results.flatMap { r in
            r.diagnostics.map { d -> JSON in
                let start = r.source.location(of: d.range.start), end = r.source.location(of: d.range.end)
                return .object([
                    ("file", .string(r.source.path)),
                    ("line", .int(start.line)),
                    ("column", .int(start.column)),
                    ("end_line", .int(end.line)),
                    ("end_column", .int(end.column)),
                    ("severity", .string(d.severity.rawValue)),
                    ("rule", .string(d.rule)),
                    ("message", .string(d.message)),
                    ("help", .optional(d.help)),
                ])
            }
        }
        let value = JSON.object([
            ("format_version", .int(1)),
            ("files", .int(results.count)),
            ("diagnostics", .array(diagnostics)),
            ("summary", .object([
                ("errors", .int(results.reduce(0) { $0 + $1.errorCount })),
                ("warnings", .int(results.reduce(0) { $0 + $1.warningCount })),
            ])),
        ])
        return value.serialized(pretty: true) + "\n"
    }
}
