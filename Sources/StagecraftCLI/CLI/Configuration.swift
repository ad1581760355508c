import Foundation
import StagecraftSyntax
import StagecraftLanguage
import StagecraftOutput

/// A `.stagecraft.json` configuration file (rule severities and exclude globs, docs/cli.md).
/// Entries it cannot use are reported as `config` diagnostics at the key and otherwise ignored.
public struct StagecraftConfiguration: Sendable {
    /// The file name looked for in each folder.
    public static let fileName = ".stagecraft.json"
    /// The rule ID of problems found in a configuration file. It is not a lint rule:
    /// it cannot be configured or suppressed.
    public static let ruleID = "config"

    /// Describes `config` diagnostics for SARIF, which needs a rule for every result.
    public static let ruleDescription = RuleDescription(
        id: ruleID, severity: .error,
        summary: "The .stagecraft.json configuration file names an unknown rule, severity or key.",
        rationale: "A misspelt setting is silently ignored by most tools; Stagecraft reports it so a rule the team meant to turn on or off really is.",
        triggering: [], nonTriggering: [])

    /// The configuration file, or nil when none was found (built-in defaults).
    public var source: SourceFile?
    /// The absolute folder that holds the file; exclude globs are relative to it.
    public var directory: String?
    /// The severities to check with.
    public var settings: RuleSettings
    /// The exclude globs, as written.
    public var excludes: [String]
    /// Problems in the file, as diagnostics on `source`.
    public var problems: [Diagnostic]

    /// No configuration file: every rule at its default, nothing excluded.
    public static let defaults = StagecraftConfiguration(source: nil, directory: nil, settings: .defaults,
                                                         excludes: [], problems: [])

    /// Parses a configuration file's bytes. `path` should be absolute: exclude globs are
    /// relative to its folder. Throws an `InputError` when the bytes are not a JSON object.
    public static func parse(_ bytes: [UInt8], path: String) throws -> StagecraftConfiguration {
        let source = SourceFile(path: path, bytes: bytes)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "not valid JSON"
            throw InputError("\(path): invalid JSON: \(reason)")
        }
        guard let root = object as? [String: Any] else {
            throw InputError("\(path): a configuration file holds one JSON object, like {\"rules\": {}, \"exclude\": []}")
        }
        var overrides: [String: Severity?] = [:]
        var excludes: [String] = []
        var problems: [Diagnostic] = []
        let locator = JSONLocator(bytes: bytes)
        func problem(_ message: String, at range: SourceRange, help: String? = nil) {
            problems.append(Diagnostic(rule: ruleID, severity: .error, message: message, range: range, help: help))
        }
        for key in root.keys.sorted() where key != "rules" && key != "exclude" {
            problem("unknown key '\(key)' in \(fileName)", at: locator.key(key),
                    help: didYouMean(key, in: ["rules", "exclude"]) ?? "the keys are 'rules' and 'exclude'")
        }
        if let rules = root["rules"] {
            let rulesKey = locator.key("rules")
            if let rules = rules as? [String: Any] {
                for id in rules.keys.sorted() {
                    let keyRange = locator.key(id, after: rulesKey.end)
                    guard RuleRegistry.descriptions[id] != nil else {
                        problem("unknown rule '\(id)'", at: keyRange,
                                help: didYouMean(id, in: RuleRegistry.ids) ?? "stagecraft explain --list lists every rule")
                        continue
                    }
                    let valueRange = locator.value(afterKey: keyRange)
                    guard let text = rules[id] as? String, ["error", "warning", "off"].contains(text) else {
                        problem("the severity of '\(id)' must be \"error\", \"warning\" or \"off\"", at: valueRange)
                        continue
                    }
                    if id == SyntaxRule.description.id && text != "error" {
                        problem("'syntax' cannot be turned down: a file that does not parse cannot be checked", at: valueRange)
                        continue
                    }
                    overrides[id] = .some(text == "off" ? nil : (text == "error" ? Severity.error : .warning))
                }
            } else {
                problem("'rules' must be an object of rule IDs and severities", at: rulesKey,
                        help: "\"rules\": {\"missing-sla\": \"off\"}")
            }
        }
        if let exclude = root["exclude"] {
            let excludeKey = locator.key("exclude")
            if let list = exclude as? [Any], list.allSatisfy({ $0 is String }) {
                excludes = list.compactMap { $0 as? String }
            } else {
                problem("'exclude' must be an array of glob strings", at: excludeKey,
                        help: "\"exclude\": [\"drafts/**\"]")
            }
        }
        problems.sort { ($0.range.start, $0.message) < ($1.range.start, $1.message) }
        let directory = ArtifactPath.parent(of: ArtifactPath.absolute(path, from: "/"))
        return StagecraftConfiguration(source: source, directory: directory,
                                       settings: RuleSettings(overrides: overrides), excludes: excludes,
                                       problems: problems)
    }

    /// Whether an exclude glob matches the absolute path `file` or one of the folders
    /// between the configuration's folder and it.
    public func excludes(_ file: String) -> Bool {
        guard let directory, !excludes.isEmpty,
              let relative = ArtifactPath.relative(file, to: directory) else { return false }
        let segments = relative.split(separator: "/").map(String.init)
        for pattern in excludes {
            for n in 1...max(1, segments.count) where Glob.matches(pattern, path: segments.prefix(n).joined(separator: "/")) {
                return true
            }
        }
        return false
    }

    /// The file's problems as a check result of their own (the file named relative to
    /// the current directory), or nil when there are none.
    public func problemsResult(currentDirectory: String) -> CheckResult? {
        guard let source, !problems.isEmpty else { return nil }
        let shown = SourceFile(path: ArtifactPath.display(source.path, currentDirectory: currentDirectory), bytes: source.bytes)
        let parsed = ParsedFile(source: shown, tree: FlowFile(workflow: nil, range: SourceRange(0, 0)), comments: [], diagnostics: [])
        return CheckResult(parsed: parsed, diagnostics: problems, model: nil)
    }

    /// `check --print-config`: the file used, each rule's effective severity, the excludes.
    public func describe(currentDirectory: String) -> String {
        var out = "config: "
        if let path = source?.path {
            out += ArtifactPath.display(path, currentDirectory: currentDirectory) + "\n"
        } else {
            out += "none (built-in defaults)\n"
        }
        out += "rules:\n"
        let width = (RuleRegistry.ids.map(\.count).max() ?? 0) + 2
        for rule in RuleRegistry.all {
            let d = rule.description
            let effective = settings.severity(of: d.id)?.rawValue ?? "off"
            var line = "  " + d.id.padding(width) + effective
            if settings.overrides[d.id] != nil {
                line = line.padding(width + 11) + "(set in config; default \(d.severity.rawValue))"
            }
            out += line + "\n"
        }
        out += "exclude:" + (excludes.isEmpty ? " none\n" : "\n" + excludes.map { "  \($0)\n" }.joined())
        return out
    }
}

/// Finds and caches the configuration of each folder: the nearest `.stagecraft.json` in
/// the folder or one of its parents, up to the file-system root.
public struct ConfigurationLookup {
    public let currentDirectory: String
    private var byDirectory: [String: StagecraftConfiguration] = [:]

    public init(currentDirectory: String) {
        self.currentDirectory = currentDirectory
    }

    /// The configuration for a file (its folder's), or for standard input (`-`: the current folder).
    public mutating func configuration(forFile path: String) throws -> StagecraftConfiguration {
        if path == "-" { return try configuration(forDirectory: currentDirectory) }
        let absolute = ArtifactPath.absolute(path, from: currentDirectory)
        return try configuration(forDirectory: ArtifactPath.parent(of: absolute))
    }

    /// The configuration that applies in an absolute or relative folder.
    public mutating func configuration(forDirectory directory: String) throws -> StagecraftConfiguration {
        let start = ArtifactPath.absolute(directory, from: currentDirectory)
        var visited: [String] = []
        var dir = start
        var found = StagecraftConfiguration.defaults
        while true {
            if let cached = byDirectory[dir] {
                found = cached
                break
            }
            visited.append(dir)
            let candidate = (dir == "/" ? "" : dir) + "/" + StagecraftConfiguration.fileName
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue {
                found = try StagecraftConfiguration.parse(Files.read(candidate), path: candidate)
                break
            }
            if dir == "/" { break }
            dir = ArtifactPath.parent(of: dir)
        }
        for v in visited { byDirectory[v] = found }
        return found
    }
}

/// Glob matching for `exclude`: `*` matches within one path segment, `**` matches any
/// number of whole segments (including none), `?` matches one character. A leading `./`
/// or `/` is ignored; patterns are matched against the whole relative path.
public enum Glob {
    public static func matches(_ pattern: String, path: String) -> Bool {
        var p = Substring(pattern)
        while p.hasPrefix("./") { p = p.dropFirst(2) }
        while p.hasPrefix("/") { p = p.dropFirst() }
        let ps = p.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.unicodeScalars) }
        let ss = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.unicodeScalars) }
        // match[i][j]: pattern segments from i match path segments from j.
        var match = [[Bool]](repeating: [Bool](repeating: false, count: ss.count + 1), count: ps.count + 1)
        match[ps.count][ss.count] = true
        for i in stride(from: ps.count - 1, through: 0, by: -1) {
            let doubleStar = ps[i] == ["*", "*"]
            for j in stride(from: ss.count, through: 0, by: -1) {
                if doubleStar {
                    match[i][j] = match[i + 1][j] || (j < ss.count && match[i][j + 1])
                } else {
                    match[i][j] = j < ss.count && segment(ps[i], ss[j]) && match[i + 1][j + 1]
                }
            }
        }
        return match[0][0]
    }

    /// `*` and `?` within one segment (iterative, with one backtracking point).
    static func segment(_ p: [Unicode.Scalar], _ s: [Unicode.Scalar]) -> Bool {
        var pi = 0, si = 0
        var star = -1, mark = 0
        while si < s.count {
            if pi < p.count && (p[pi] == "?" || (p[pi] != "*" && p[pi] == s[si])) {
                pi += 1; si += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi; mark = si; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; si = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

/// Finds where keys and values stand in a JSON text, so configuration problems point at
/// a line and column. Approximate by design (it looks for the quoted key followed by
/// `:`); when it cannot find one it points at the start of the file.
struct JSONLocator {
    let bytes: [UInt8]

    /// The range of `"key"` used as an object key at or after `offset`.
    func key(_ key: String, after offset: Int = 0) -> SourceRange {
        var quoted = ""
        JSON.writeString(key, into: &quoted)
        let needle = Array(quoted.utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return SourceRange(0, 0) }
        var i = max(0, offset)
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle {
                var j = i + needle.count
                while j < bytes.count && [0x20, 0x09, 0x0A, 0x0D].contains(bytes[j]) { j += 1 }
                if j < bytes.count && bytes[j] == UInt8(ascii: ":") { return SourceRange(i, i + needle.count) }
            }
            i += 1
        }
        return offset > 0 ? self.key(key, after: 0) : SourceRange(0, 0)
    }

    /// The range of the value that follows a key's range, or the key's range when unclear.
    func value(afterKey keyRange: SourceRange) -> SourceRange {
        guard !keyRange.isEmpty else { return keyRange }
        var j = keyRange.end
        func skipSpace() { while j < bytes.count && [0x20, 0x09, 0x0A, 0x0D].contains(bytes[j]) { j += 1 } }
        skipSpace()
        guard j < bytes.count, bytes[j] == UInt8(ascii: ":") else { return keyRange }
        j += 1
        skipSpace()
        guard j < bytes.count else { return keyRange }
        let start = j
        if bytes[j] == UInt8(ascii: "\"") {
            j += 1
            while j < bytes.count && bytes[j] != UInt8(ascii: "\"") {
                j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1
            }
            return SourceRange(start, min(j + 1, bytes.count))
        }
        if bytes[j] == UInt8(ascii: "{") || bytes[j] == UInt8(ascii: "[") { return keyRange }
        while j < bytes.count && ![0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[j]) {
            j += 1
        }
        return j > start ? SourceRange(start, j) : keyRange
    }
}
