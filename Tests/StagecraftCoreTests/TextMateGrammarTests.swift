import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftCLI

/// `grammar/stagecraft.tmLanguage.json` against the lexer: a small interpreter of the
/// grammar's patterns (first match leftmost, ties to the earlier pattern; `match` with
/// captures, `begin`/`end` regions) scopes every line of the corpus, and each token the
/// lexer finds must be covered, exactly, by a scope of its kind.
@Suite struct TextMateGrammarTests {
    struct Pattern {
        var name: String?
        var regex: NSRegularExpression
        var end: NSRegularExpression?
        var captures: [Int: String]
    }

    struct Region: Equatable {
        var line: Int
        var start: Int
        var end: Int
        var scope: String
    }

    /// The top-level patterns, with `include`s resolved, in order.
    static func patterns() throws -> [Pattern] {
        let data = try Files.read(repositoryRoot + "/grammar/stagecraft.tmLanguage.json")
        let grammar = try #require(try JSONSerialization.jsonObject(with: Data(data)) as? [String: Any])
        #expect(grammar["scopeName"] as? String == "source.stagecraft")
        #expect(grammar["fileTypes"] as? [String] == ["flow"])
        let repository = grammar["repository"] as? [String: Any] ?? [:]
        func resolve(_ list: [[String: Any]]) throws -> [Pattern] {
            var out: [Pattern] = []
            for p in list {
                if let include = p["include"] as? String {
                    let key = String(include.dropFirst())
                    let entry = try #require(repository[key] as? [String: Any], "missing repository entry \(key)")
                    if entry["match"] != nil || entry["begin"] != nil {
                        out += try resolve([entry])
                    } else {
                        out += try resolve(entry["patterns"] as? [[String: Any]] ?? [])
                    }
                    continue
                }
                var captures: [Int: String] = [:]
                for (k, v) in (p["captures"] as? [String: [String: String]]) ?? [:] {
                    if let i = Int(k), let name = v["name"] { captures[i] = name }
                }
                if let match = p["match"] as? String {
                    out.append(Pattern(name: p["name"] as? String, regex: try NSRegularExpression(pattern: match),
                                       end: nil, captures: captures))
                } else if let begin = p["begin"] as? String, let end = p["end"] as? String {
                    out.append(Pattern(name: p["name"] as? String, regex: try NSRegularExpression(pattern: begin),
                                       end: try NSRegularExpression(pattern: end, options: [.anchorsMatchLines]), captures: captures))
                }
            }
            return out
        }
        return try resolve(grammar["patterns"] as? [[String: Any]] ?? [])
    }

    /// The scoped regions of each line (columns in UTF-16 code units, as NSString counts).
    static func scope(_ lines: [String], _ patterns: [Pattern]) -> [Region] {
        var regions: [Region] = []
        for (number, line) in lines.enumerated() {
            let text = line as NSString
            var p = 0
            while p < text.length {
                var best: (match: NSTextCheckingResult, pattern: Pattern)?
                for pattern in patterns {
                    guard let m = pattern.regex.firstMatch(in: line, range: NSRange(location: p, length: text.length - p)) else { continue }
                    if best == nil || m.range.location < best!.match.range.location { best = (m, pattern) }
                }
                guard let (m, pattern) = best else { break }
                var end = m.range.location + m.range.length
                if let endRegex = pattern.end {
                    let e = endRegex.firstMatch(in: line, range: NSRange(location: end, length: text.length - end))
                    end = e.map { $0.range.location + $0.range.length } ?? text.length
                }
                if let name = pattern.name { regions.append(Region(line: number, start: m.range.location, end: end, scope: name)) }
                for (index, name) in pattern.captures where index < m.numberOfRanges {
                    let r = m.range(at: index)
                    if r.location != NSNotFound {
                        regions.append(Region(line: number, start: r.location, end: r.location + r.length, scope: name))
                    }
                }
                p = max(end, p + 1)
            }
        }
        return regions
    }

    /// The scope a token of this kind must get; nil where any scope will do (a kind this
    /// table does not know yet).
    static func expectedScope(_ kind: TokenKind) -> String? {
        switch kind {
        case .string: return "string.quoted.double"
        case .number: return "constant.numeric.decimal"
        case .percent: return "constant.numeric.percent"
        case .duration: return "constant.numeric.duration"
        case .date: return "constant.numeric.date"
        case .comment: return "comment.line.number-sign"
        case .leftBrace: return "punctuation.section.block.begin"
        case .rightBrace: return "punctuation.section.block.end"
        case .leftParen: return "punctuation.section.parens.begin"
        case .rightParen: return "punctuation.section.parens.end"
        case .leftBracket: return "punctuation.section.brackets.begin"
        case .rightBracket: return "punctuation.section.brackets.end"
        case .comma: return "punctuation.separator.comma"
        case .semicolon: return "punctuation.terminator.statement"
        case .colon: return "punctuation.separator.type"
        case .equal: return "keyword.operator.assignment"
        case .arrow: return "keyword.operator.arrow"
        case .dotDot: return "keyword.operator.range"
        case .equalEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual: return "keyword.operator.comparison"
        default: return nil
        }
    }

    static let keywordScopes = ["storage.type", "keyword.other", "support.type", "keyword.operator.logical", "constant.language"]
    static let nameScopes = ["entity.name", "variable.other"]

    static func files() -> [String] {
        let examples = ["workflows", "examples/launch", "examples/review-rework"].flatMap {
            (try? Files.flowFiles([repositoryRoot + "/" + $0])) ?? []
        }
        return corpusFiles() + examples
    }

    @Test(arguments: files())
    func everyTokenGetsTheScopeOfItsKind(_ path: String) throws {
        let patterns = try Self.patterns()
        let bytes = try Files.read(path)
        let document = LSPDocument(bytes)
        let lines = (0..<document.lineStarts.count).map {
            String(decoding: bytes[document.lineStarts[$0]..<document.lineEnd($0)], as: UTF8.self)
        }
        let regions = Self.scope(lines, patterns)
        let source = SourceFile(path: path, bytes: bytes)
        let lexed = Lexer.lex(source)
        var checked = 0
        for token in lexed.tokens + lexed.comments {
            if [.newline, .endOfFile, .invalid].contains(token.kind) { continue }
            let start = document.position(of: token.range.start)
            let end = document.position(of: token.range.end)
            guard start.line == end.line else { continue }
            let exact = regions.filter { $0.line == start.line && $0.start == start.character && $0.end == end.character }.map(\.scope)
            let text = source.text(of: token.range)
            let allowed: [String]
            if token.kind == .identifier {
                allowed = Keyword(rawValue: text) != nil ? Self.keywordScopes + Self.nameScopes : Self.nameScopes
            } else if let scope = Self.expectedScope(token.kind) {
                allowed = [scope]
            } else {
                allowed = [""]
            }
            #expect(exact.contains { scope in allowed.contains { scope.hasPrefix($0) } },
                    "\(path):\(start.line + 1):\(start.character + 1): \(token.kind) '\(text)' scoped \(exact), wants \(allowed)")
            checked += 1
        }
        #expect(checked > 0)
    }

    /// Every keyword the lexer knows is highlighted as one, and so are the statements
    /// being added (`wait`, `chance`, `hours`, `shares`) and time-of-day ranges.
    @Test func keywordsAndNewStatements() throws {
        let patterns = try Self.patterns()
        let words = Keyword.allCases.map(\.rawValue) + ["wait", "chance", "hours", "shares"]
        for word in words {
            let regions = Self.scope(["  \(word) x"], patterns)
            #expect(regions.contains { $0.start == 2 && $0.end == 2 + word.utf16.count && Self.keywordScopes.contains(where: $0.scope.hasPrefix) },
                    "\(word): \(regions)")
        }
        let hours = Self.scope(["  hours 09:00-17:00"], patterns)
        // Each time of day is a token of its own, and so is the dash between them.
        #expect(hours.contains { $0.start == 8 && $0.end == 13 && $0.scope.hasPrefix("constant.numeric.time") })
        #expect(hours.contains { $0.start == 13 && $0.end == 14 && $0.scope.hasPrefix("keyword.operator.range") })
        #expect(hours.contains { $0.start == 14 && $0.end == 19 && $0.scope.hasPrefix("constant.numeric.time") })
        let suppression = Self.scope(["# stagecraft-ignore unused-owner -- later"], patterns)
        #expect(suppression == [Region(line: 0, start: 0, end: 41, scope: "comment.line.number-sign.stagecraft")])
        // The escape and suppression patterns compile too (they are nested, not top level).
        let text = String(decoding: try Files.read(repositoryRoot + "/grammar/stagecraft.tmLanguage.json"), as: UTF8.self)
        #expect(text.contains("keyword.other.suppression") && text.contains("constant.character.escape"))
    }
}
