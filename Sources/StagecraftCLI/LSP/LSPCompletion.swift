import StagecraftSyntax
import StagecraftLanguage
import StagecraftOutput

/// Completion: keywords where a statement starts, and IDs where a statement takes them.
/// The context comes from the lexer's tokens, so it works on a file that does not parse.
enum LSPCompletion {
    /// Statement keywords by the keyword that opens the enclosing block ("" at the top).
    static let statementKeywords: [String: [String]] = [
        "": ["workflow"],
        "workflow": ["description", "deadline", "calendar", "param", "owner", "stage", "gate"],
        "stage": ["after", "when", "owner", "sla", "estimate", "matches", "checklist"],
        "gate": ["after", "when", "approvers", "quorum", "sla", "estimate", "reject", "on", "matches", "checklist"],
        "owner": ["capacity", "members", "contact"],
        "calendar": ["workdays", "holiday"],
    ]

    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    struct Item {
        var label: String
        var kind: Int
        var detail: String
    }

    static func items(_ doc: LSPOpenDocument, at offset: Int) -> [Item] {
        let b = doc.text.bytes
        let offset = min(max(0, offset), b.count)
        // The name being typed is not part of the context.
        var wordStart = offset
        while wordStart > 0 && Lexer.isIdentifierContinue(b[wordStart - 1]) { wordStart -= 1 }
        let source = SourceFile(path: doc.path, bytes: Array(b[0..<wordStart]))
        let tokens = Lexer.lex(source).tokens
        var blocks: [String] = []
        var statement: [Token] = []
        for t in tokens {
            switch t.kind {
            case .leftBrace:
                let opener = statement.first.map { source.text(of: $0.range) } ?? ""
                blocks.append(opener)
                statement = []
            case .rightBrace:
                _ = blocks.popLast()
                statement = []
            case .semicolon, .newline:
                statement = []
            case .endOfFile, .comment:
                break
            default:
                statement.append(t)
            }
        }
        // A line that ends in a comma goes on (lists may span lines): not handled, as the
        // list keyword is then on an earlier line; completion offers the keywords.
        let block = blocks.last ?? ""
        let words = statement.map { source.text(of: $0.range) }
        let declared = doc.occurrences.filter(\.isDeclaration)
        func ids(_ kind: LSPSymbolKind, _ detail: String, _ itemKind: Int) -> [Item] {
            var seen = Set<String>()
            return declared.filter { $0.kind == kind && seen.insert($0.name).inserted }
                .map { Item(label: $0.name, kind: itemKind, detail: detail) }
        }
        let nodes = ids(.node, "stage or gate", 7)
        let owners = ids(.owner, "owner", 5)
        let params = ids(.param, "param", 6)
        func keywords(_ list: [String]) -> [Item] { list.map { Item(label: $0, kind: 14, detail: "keyword") } }

        guard let first = words.first else {
            return keywords(statementKeywords[block] ?? [])
        }
        let inNode = block == "stage" || block == "gate"
        switch first {
        case "after" where inNode:
            return nodes
        case "on" where inNode:
            return words.count >= 2 ? nodes : keywords(["reject"])
        case "owner" where inNode, "approvers" where inNode:
            return owners
        case "when" where inNode:
            return params + keywords(["not", "and", "or", "in", "true", "false"])
        case "quorum" where inNode:
            return keywords(["all"])
        case "workdays" where block == "calendar":
            return keywords(weekdays)
        case "param" where block == "workflow" && words.contains(":"):
            return words.last == ":" ? keywords(ParamType.allCases.map(\.rawValue)) : []
        default:
            if block == "checklist" {
                return words.last == "by" ? owners : keywords(["by"])
            }
            return []
        }
    }

    static func completion(_ doc: LSPOpenDocument, at offset: Int) -> JSON {
        .object([
            ("isIncomplete", .bool(false)),
            ("items", .array(items(doc, at: offset).map {
                .object([("label", .string($0.label)), ("kind", .int($0.kind)), ("detail", .string($0.detail))])
            })),
        ])
    }
}
