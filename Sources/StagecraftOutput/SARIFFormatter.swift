import Foundation
import StagecraftSyntax
import StagecraftLanguage

/// Renders check results as SARIF 2.1.0 for GitHub code scanning (columns in UTF-16 code
/// units, fingerprints without line numbers: docs/cli.md, `--format sarif`).
public enum SARIFFormatter {
    /// The SARIF schema URI GitHub expects.
    public static let schema = "https://json.schemastore.org/sarif-2.1.0.json"
    /// Where users learn about the tool: the README on the project's home page.
    public static let informationURI = StagecraftVersion.homepage + "#readme"
    /// Where a rule is documented: the README's rules table (`stagecraft explain RULE`
    /// prints the same text locally).
    public static let ruleHelpURI = StagecraftVersion.homepage + "#rules"
    /// The key of the fingerprint in `partialFingerprints`.
    public static let fingerprintKey = "stagecraftFingerprint/v1"

    /// The SARIF log for `results`, with paths relative to `currentDirectory`.
    ///
    /// `extraRules` describes rule IDs that are not in `RuleRegistry` (such as the `config`
    /// diagnostics of `.stagecraft.json`); one appears in `rules[]` only when a result uses it.
    public static func sarif(_ results: [CheckResult], currentDirectory: String,
                             extraRules: [RuleDescription] = []) -> String {
        var rules = RuleRegistry.all.map { $0.description }
        let used = Set(results.flatMap { $0.diagnostics.map(\.rule) })
        rules += extraRules.filter { used.contains($0.id) && RuleRegistry.descriptions[$0.id] == nil }
        var ruleIndex: [String: Int] = [:]
        for (i, r) in rules.enumerated() where ruleIndex[r.id] == nil { ruleIndex[r.id] = i }

        var sarifResults: [JSON] = []
        for result in results {
            let source = result.source
            let relative = ArtifactPath.relative(source.path, to: currentDirectory)
            let uri = relative.map(ArtifactPath.percentEncoded)
                ?? "file://" + ArtifactPath.percentEncoded(ArtifactPath.absolute(source.path, from: currentDirectory))
            let fingerprints = Self.fingerprints(result, uri: uri)
            for (d, fingerprint) in zip(result.diagnostics, fingerprints) {
                let start = source.location(of: d.range.start)
                let end = source.location(of: d.range.end)

                var artifact: [(String, JSON)] = [("uri", .string(uri))]
                if relative != nil { artifact.append(("uriBaseId", .string("%SRCROOT%"))) }
                let region = JSON.object([
                    ("startLine", .int(start.line)),
                    ("startColumn", .int(utf16Column(source, d.range.start))),
                    ("endLine", .int(end.line)),
                    ("endColumn", .int(utf16Column(source, d.range.end))),
                ])
                var fields: [(String, JSON)] = [("ruleId", .string(d.rule))]
                if let i = ruleIndex[d.rule] { fields.append(("ruleIndex", .int(i))) }
                fields += [
                    ("level", .string(d.severity.rawValue)),
                    ("message", .object([("text", .string(messageText(d)))])),
                    ("locations", .array([.object([
                        ("physicalLocation", .object([
                            ("artifactLocation", .object(artifact)),
                            ("region", region),
                        ])),
                    ])])),
                    ("partialFingerprints", .object([(fingerprintKey, .string(fingerprint))])),
                ]
                sarifResults.append(.object(fields))
            }
        }

        let driver = JSON.object([
            ("name", .string("stagecraft")),
            ("version", .string(StagecraftVersion.number)),
            ("semanticVersion", .string(StagecraftVersion.number)),
            ("informationUri", .string(informationURI)),
            ("rules", .array(registryDescriptors + rules.dropFirst(registryDescriptors.count).map(ruleDescriptor))),
        ])
        let log = JSON.object([
            ("$schema", .string(schema)),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", driver)])),
                ("columnKind", .string("utf16CodeUnits")),
                ("results", .array(sarifResults)),
            ])])),
        ])
        return log.serialized(pretty: true) + "\n"
    }

    /// The fingerprint of each diagnostic of `result` (see the type's documentation), for
    /// the file named `uri`.
    static func fingerprints(_ result: CheckResult, uri: String) -> [String] {
        let source = result.source
        var occurrences: [String: Int] = [:]
        return result.diagnostics.map { d in
            let lineText = source.lineText(source.location(of: d.range.start).line).trimmingCharacters(in: .whitespaces)
            let key = [d.rule, uri, lineText, d.message].joined(separator: "\u{0}")
            let occurrence = occurrences[key, default: 0]
            occurrences[key] = occurrence + 1
            return FNV1a.hex64(key + "\u{0}" + String(occurrence))
        }
    }

    /// The message shown in the alert: the diagnostic's message, then its help on a new line.
    package static func messageText(_ d: Diagnostic) -> String {
        d.help.map { d.message + "\nhelp: " + $0 } ?? d.message
    }

    /// The descriptors of every registered rule, built once: their help checks each
    /// rule's wrong example, which is the same on every run.
    static let registryDescriptors: [JSON] = RuleRegistry.all.map { ruleDescriptor($0.description) }

    static func ruleDescriptor(_ r: RuleDescription) -> JSON {
        let helpText = r.rationale + "\n\nRun `stagecraft explain \(r.id)` for a wrong and a right example."
        return .object([
            ("id", .string(r.id)),
            ("name", .string(pascalCase(r.id))),
            ("shortDescription", .object([("text", .string(r.summary))])),
            ("fullDescription", .object([("text", .string(r.summary + " " + r.rationale))])),
            ("help", .object([
                ("text", .string(helpText)),
                ("markdown", .string(RuleDocumentation.markdown(for: r))),
            ])),
            ("helpUri", .string(ruleHelpURI)),
            ("defaultConfiguration", .object([("level", .string(r.severity.rawValue))])),
        ])
    }

    /// `unknown-reference` → `UnknownReference`.
    static func pascalCase(_ id: String) -> String {
        id.split(whereSeparator: { $0 == "-" || $0 == "_" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The one-based UTF-16 column of a byte offset on its line.
    static func utf16Column(_ source: SourceFile, _ offset: Int) -> Int {
        let clamped = min(max(0, offset), source.bytes.count)
        let lineStart = source.lineStart(source.lineIndex(of: clamped))
        return source.text(of: SourceRange(lineStart, clamped)).utf16.count + 1
    }
}
