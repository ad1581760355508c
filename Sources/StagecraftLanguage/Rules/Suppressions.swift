import Foundation
import StagecraftSyntax

/// An inline suppression: `# stagecraft-ignore RULE[, RULE…] -- reason`.
///
/// On a line of its own it silences the named rules on the next line of code; at the end
/// of a line it silences them on that line.
public struct Suppression: Sendable {
    public var rules: [Identifier]
    public var reason: String?
    /// The comment's range.
    public var range: SourceRange
    /// The one-based line it silences.
    public var targetLine: Int

    static let marker = "stagecraft-ignore"

    /// Finds the suppressions among a file's comments, reporting malformed ones.
    static func parse(_ parsed: ParsedFile) -> (suppressions: [Suppression], problems: [Diagnostic]) {
        let source = parsed.source
        var suppressions: [Suppression] = []
        var problems: [Diagnostic] = []
        let invalid = InvalidSuppressionRule.description
        func problem(_ message: String, _ range: SourceRange, help: String? = nil) {
            problems.append(Diagnostic(rule: invalid.id, severity: invalid.severity, message: message, range: range, help: help))
        }
        let bytes = source.bytes
        let markerBytes = Array(marker.utf8)
        for comment in parsed.comments {
            // Skip '#' and spaces, then look for the marker. Compared in place: most
            // comments are not suppressions, and a big file has tens of thousands.
            var i = comment.range.start + 1
            while i < comment.range.end && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 }
            guard comment.range.end - i >= markerBytes.count,
                  markerBytes.indices.allSatisfy({ bytes[i + $0] == markerBytes[$0] }) else { continue }
            i += markerBytes.count
            if i < comment.range.end && Lexer.isIdentifierContinue(bytes[i]) { continue }
            // Rule names up to '--'.
            var rules: [Identifier] = []
            var reason: String?
            while i < comment.range.end {
                let c = bytes[i]
                if c == 0x2D && i + 1 < comment.range.end && bytes[i + 1] == 0x2D {
                    let text = source.text(of: SourceRange(i + 2, comment.range.end))
                    let trimmed = text.trimmingCharacters(in: .whitespaces)
                    reason = trimmed.isEmpty ? nil : trimmed
                    break
                }
                if c == 0x20 || c == 0x09 || c == 0x2C {
                    i += 1
                    continue
                }
                let start = i
                while i < comment.range.end && bytes[i] != 0x20 && bytes[i] != 0x09 && bytes[i] != 0x2C
                        && !(bytes[i] == 0x2D && i + 1 < comment.range.end && bytes[i + 1] == 0x2D) {
                    i += 1
                }
                rules.append(Identifier(name: source.text(of: SourceRange(start, i)), range: SourceRange(start, i)))
            }
            if rules.isEmpty {
                problem("the suppression names no rule", comment.range,
                        help: "write # stagecraft-ignore RULE -- reason")
                continue
            }
            if reason == nil {
                problem("the suppression gives no reason", comment.range,
                        help: "say why after '--': # stagecraft-ignore \(rules.map(\.name).joined(separator: ", ")) -- reason")
            }
            var valid: [Identifier] = []
            for r in rules {
                if r.name == SyntaxRule.description.id {
                    problem("syntax errors cannot be suppressed", r.range)
                } else if RuleRegistry.descriptions[r.name] == nil {
                    let s = didYouMean(r.name, in: RuleRegistry.ids)
                    problem("unknown rule '\(r.name)' in a suppression", r.range,
                            help: s ?? "stagecraft explain --list shows the rules")
                } else {
                    valid.append(r)
                }
            }
            // Trailing comment: this line. Own line: the next line with code on it.
            let line = source.location(of: comment.range.start).line
            let lineStart = source.lineStart(line - 1)
            let before = source.bytes[lineStart..<comment.range.start].contains { $0 != 0x20 && $0 != 0x09 }
            var target = line
            if !before {
                target = line + 1
                while source.hasLine(target) {
                    let text = source.lineText(target).trimmingCharacters(in: .whitespaces)
                    if !text.isEmpty && !text.hasPrefix("#") { break }
                    target += 1
                }
            }
            if !valid.isEmpty {
                suppressions.append(Suppression(rules: valid, reason: reason, range: comment.range, targetLine: target))
            }
        }
        return (suppressions, problems)
    }

    /// Removes the diagnostics the suppressions silence; reports the suppressions that
    /// silenced nothing (except for rules that are `off`).
    static func apply(_ suppressions: [Suppression], to diagnostics: [Diagnostic], source: SourceFile,
                      isOff: (String) -> Bool) -> (kept: [Diagnostic], unused: [Diagnostic]) {
        guard !suppressions.isEmpty else { return (diagnostics, []) }
        var byLine: [Int: [(suppression: Int, rule: Int)]] = [:]
        for (s, sup) in suppressions.enumerated() {
            for r in sup.rules.indices { byLine[sup.targetLine, default: []].append((s, r)) }
        }
        var used = Set<[Int]>()
        var kept: [Diagnostic] = []
        let exempt: Set<String> = [SyntaxRule.description.id, InvalidSuppressionRule.description.id,
                                   UnusedSuppressionRule.description.id]
        for d in diagnostics {
            let line = source.location(of: d.range.start).line
            if !exempt.contains(d.rule), let entries = byLine[line],
               let hit = entries.first(where: { suppressions[$0.suppression].rules[$0.rule].name == d.rule }) {
                used.insert([hit.suppression, hit.rule])
                continue
            }
            kept.append(d)
        }
        let rule = UnusedSuppressionRule.description
        var unused: [Diagnostic] = []
        for (s, sup) in suppressions.enumerated() {
            for (r, name) in sup.rules.enumerated() where !used.contains([s, r]) && !isOff(name.name) {
                unused.append(Diagnostic(rule: rule.id, severity: rule.severity,
                                         message: "the suppression of '\(name.name)' silences nothing on line \(sup.targetLine)",
                                         range: name.range, help: "remove it, or move it next to the line it is meant for"))
            }
        }
        return (kept, unused)
    }
}
