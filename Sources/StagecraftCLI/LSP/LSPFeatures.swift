import StagecraftSyntax
import StagecraftLanguage
import StagecraftOutput

/// A document open in the editor, checked after every change.
public struct LSPOpenDocument: Sendable {
    public var uri: String
    public var version: Int
    public var text: LSPDocument
    /// The file's path, for `.stagecraft.json` lookup and diagnostics.
    public var path: String
    public var settings: RuleSettings
    public private(set) var result: CheckResult
    public private(set) var occurrences: [LSPOccurrence]

    public init(uri: String, version: Int, text: [UInt8], path: String, settings: RuleSettings = .defaults) {
        self.uri = uri
        self.version = version
        self.text = LSPDocument(text)
        self.path = path
        self.settings = settings
        result = Checker.check(SourceFile(path: path, bytes: text), settings: settings)
        occurrences = LSPSymbols.occurrences(in: result.parsed.tree)
    }

    /// Checks the text again after a change.
    public mutating func recheck() {
        result = Checker.check(SourceFile(path: path, bytes: text.bytes), settings: settings)
        occurrences = LSPSymbols.occurrences(in: result.parsed.tree)
    }

    var source: SourceFile { result.source }

    func range(_ r: SourceRange) -> JSON {
        .object([("start", position(text.position(of: r.start))), ("end", position(text.position(of: r.end)))])
    }

    func position(_ p: LSPPosition) -> JSON {
        .object([("line", .int(p.line)), ("character", .int(p.character))])
    }

    func location(_ r: SourceRange) -> JSON {
        .object([("uri", .string(uri)), ("range", range(r))])
    }
}

/// The language features, each answering one request about an open document.
enum LSPFeatures {
    // MARK: Diagnostics

    static func diagnostic(_ d: Diagnostic, in doc: LSPOpenDocument) -> JSON {
        let severity: Int
        switch d.severity {
        case .error: severity = 1
        case .warning: severity = 2
        case .note: severity = 3
        }
        return .object([
            ("range", doc.range(d.range)),
            ("severity", .int(severity)),
            ("code", .string(d.rule)),
            ("codeDescription", .object([("href", .string(SARIFFormatter.ruleHelpURI))])),
            ("source", .string("stagecraft")),
            ("message", .string(SARIFFormatter.messageText(d))),
        ])
    }

    /// The `textDocument/publishDiagnostics` parameters for a document.
    static func publishDiagnostics(_ doc: LSPOpenDocument) -> JSON {
        .object([
            ("uri", .string(doc.uri)),
            ("version", .int(doc.version)),
            ("diagnostics", .array(doc.result.diagnostics.map { diagnostic($0, in: doc) })),
        ])
    }

    // MARK: Hover

    static func hover(_ doc: LSPOpenDocument, at offset: Int) -> JSON {
        if let rule = ruleName(at: offset, in: doc), let description = RuleRegistry.descriptions[rule.name] {
            return hoverResult(RuleDocumentation.markdown(for: description), doc.range(rule.range))
        }
        guard let o = LSPSymbols.occurrence(at: offset, in: doc.occurrences),
              let workflow = doc.result.parsed.tree.workflow else { return .null }
        let text: String?
        switch o.kind {
        case .node:
            text = workflow.nodes.first { $0.id.name == o.name }.map { describe($0, workflow: workflow, source: doc.source) }
        case .owner:
            text = workflow.owners.first { $0.id.name == o.name }.map { describe($0, workflow: workflow, source: doc.source) }
        case .param:
            text = workflow.params.first { $0.name.name == o.name }.map {
                "**param** `\($0.name.name)`: \($0.typeName.name)\n\ndefault: `\(doc.source.text(of: $0.value.range))`"
            }
        }
        let noun = o.kind == .node ? "stage or gate" : o.kind.rawValue
        return hoverResult(text ?? "unknown \(noun) `\(o.name)`", doc.range(o.range))
    }

    static func hoverResult(_ markdown: String, _ range: JSON) -> JSON {
        .object([("contents", .object([("kind", .string("markdown")), ("value", .string(markdown))])), ("range", range)])
    }

    static func describe(_ n: NodeDecl, workflow: Workflow, source: SourceFile) -> String {
        var lines = ["**\(n.kind.rawValue)** `\(n.id.name)`" + (n.title.map { " — \($0.value)" } ?? "")]
        if let owner = n.owner {
            let title = workflow.owners.first { $0.id.name == owner.name }?.title?.value
            lines.append("owner: `\(owner.name)`" + (title.map { " (\($0))" } ?? ""))
        }
        let approvers = n.approvers
        if !approvers.isEmpty {
            var line = "approvers: " + approvers.map { "`\($0.name)`" }.joined(separator: ", ")
            if let q = n.quorum {
                switch q {
                case .count(let c): line += ", quorum \(source.text(of: c.range))"
                case .all: line += ", quorum all"
                }
            }
            lines.append(line)
        }
        lines.append("SLA: " + (n.sla.map { source.text(of: $0.range) } ?? "none"))
        if let e = n.estimate {
            switch e {
            case .range(let low, let high):
                lines.append("estimate: \(source.text(of: low.range))..\(source.text(of: high.range))")
            case .pert(let o, let m, let p):
                lines.append("estimate: \(source.text(of: o.range)) \(source.text(of: m.range)) \(source.text(of: p.range)) (optimistic, likely, pessimistic)")
            }
        }
        let after = n.after
        if !after.isEmpty { lines.append("after: " + after.map { "`\($0.name)`" }.joined(separator: ", ")) }
        if let r = n.reject { lines.append("reject: \(source.text(of: r.range))" + (n.onReject.map { ", on reject `\($0.name)`" } ?? "")) }
        return lines.joined(separator: "  \n")
    }

    static func describe(_ owner: OwnerDecl, workflow: Workflow, source: SourceFile) -> String {
        var lines = ["**owner** `\(owner.id.name)`" + (owner.title.map { " — \($0.value)" } ?? "")]
        if let c = owner.capacity { lines.append("capacity: \(source.text(of: c.range))") }
        let members = owner.members
        if !members.isEmpty { lines.append("members: " + members.map(\.value).joined(separator: ", ")) }
        if let c = owner.contact { lines.append("contact: \(c.value)") }
        let owns = workflow.nodes.filter { $0.owner?.name == owner.id.name }.map { "`\($0.id.name)`" }
        let approves = workflow.nodes.filter { $0.approvers.contains { $0.name == owner.id.name } }.map { "`\($0.id.name)`" }
        if !owns.isEmpty { lines.append("owns: " + owns.joined(separator: ", ")) }
        if !approves.isEmpty { lines.append("approves: " + approves.joined(separator: ", ")) }
        return lines.joined(separator: "  \n")
    }

    /// The word under the cursor inside a comment, when it names a rule (as in a
    /// `# stagecraft-ignore RULE -- reason` suppression).
    static func ruleName(at offset: Int, in doc: LSPOpenDocument) -> (name: String, range: SourceRange)? {
        guard doc.result.parsed.comments.contains(where: { $0.range.start <= offset && offset <= $0.range.end }) else { return nil }
        let b = doc.text.bytes
        func isRuleByte(_ c: UInt8) -> Bool { Lexer.isIdentifierContinue(c) || c == UInt8(ascii: "-") }
        var start = min(offset, b.count)
        while start > 0 && isRuleByte(b[start - 1]) { start -= 1 }
        var end = min(offset, b.count)
        while end < b.count && isRuleByte(b[end]) { end += 1 }
        guard start < end else { return nil }
        return (String(decoding: b[start..<end], as: UTF8.self), SourceRange(start, end))
    }

    // MARK: Definition, references, rename

    static func definition(_ doc: LSPOpenDocument, at offset: Int) -> JSON {
        guard let o = LSPSymbols.occurrence(at: offset, in: doc.occurrences) else { return .null }
        let declarations = doc.occurrences.filter { $0.isDeclaration && $0.kind == o.kind && $0.name == o.name }
        return .array(declarations.map { doc.location($0.range) })
    }

    static func references(_ doc: LSPOpenDocument, at offset: Int, includeDeclaration: Bool) -> JSON {
        guard let o = LSPSymbols.occurrence(at: offset, in: doc.occurrences) else { return .null }
        let all = doc.occurrences.filter { $0.kind == o.kind && $0.name == o.name && (includeDeclaration || !$0.isDeclaration) }
        return .array(all.map { doc.location($0.range) })
    }

    static func prepareRename(_ doc: LSPOpenDocument, at offset: Int) -> JSON {
        guard let o = LSPSymbols.occurrence(at: offset, in: doc.occurrences) else { return .null }
        return .object([("range", doc.range(o.range)), ("placeholder", .string(o.name))])
    }

    static func rename(_ doc: LSPOpenDocument, at offset: Int, to newName: String) throws -> JSON {
        guard let o = LSPSymbols.occurrence(at: offset, in: doc.occurrences) else { return .null }
        let bytes = Array(newName.utf8)
        guard let first = bytes.first, Lexer.isIdentifierStart(first), bytes.allSatisfy(Lexer.isIdentifierContinue) else {
            throw JSONRPCError(JSONRPCErrorCode.invalidParams,
                               "'\(newName)' is not an ID: use letters, digits and _, starting with a letter or _")
        }
        if newName != o.name, doc.occurrences.contains(where: { $0.isDeclaration && $0.kind == o.kind && $0.name == newName }) {
            throw JSONRPCError(JSONRPCErrorCode.requestFailed, "'\(newName)' is already declared")
        }
        let edits = doc.occurrences.filter { $0.kind == o.kind && $0.name == o.name }.map {
            JSON.object([("range", doc.range($0.range)), ("newText", .string(newName))])
        }
        return .object([("changes", .object([(doc.uri, .array(edits))]))])
    }

    // MARK: Outline

    static func documentSymbols(_ doc: LSPOpenDocument) -> JSON {
        guard let workflow = doc.result.parsed.tree.workflow else { return .array([]) }
        func symbol(_ name: String, _ detail: String?, kind: Int, _ range: SourceRange, _ selection: SourceRange,
                    children: [JSON] = []) -> JSON {
            var fields: [(String, JSON)] = [("name", .string(name.isEmpty ? "(unnamed)" : name))]
            if let detail { fields.append(("detail", .string(detail))) }
            fields += [("kind", .int(kind)), ("range", doc.range(range)), ("selectionRange", doc.range(selection))]
            if !children.isEmpty { fields.append(("children", .array(children))) }
            return .object(fields)
        }
        var children: [JSON] = []
        for member in workflow.members {
            if case .param(let p) = member {
                children.append(symbol(p.name.name, "param: \(p.typeName.name)", kind: 13, p.range, p.name.range))
            } else if case .owner(let o) = member {
                children.append(symbol(o.id.name, o.title?.value ?? "owner", kind: 5, o.range, o.id.range))
            } else if case .node(let n) = member {
                let detail = n.kind.rawValue + (n.title.map { ": " + $0.value } ?? "")
                children.append(symbol(n.id.name, detail, kind: n.kind == .stage ? 12 : 24, n.range, n.id.range))
            } else if case .calendar(let c) = member {
                children.append(symbol("calendar", nil, kind: 3, c.range, SourceRange(c.range.start, c.range.start + 8)))
            }
        }
        return .array([symbol(workflow.title?.value ?? "workflow", "workflow", kind: 2, workflow.range,
                              workflow.title?.range ?? workflow.keywordRange, children: children)])
    }

    // MARK: Formatting

    /// One edit replacing the whole text with `fmt`'s layout; no edits when the file is
    /// formatted already or does not parse.
    static func formatting(_ doc: LSPOpenDocument) -> JSON {
        guard let formatted = FlowFormatter.format(doc.result.parsed), Array(formatted.utf8) != doc.text.bytes else {
            return .array([])
        }
        return .array([.object([("range", doc.range(SourceRange(0, doc.text.bytes.count))), ("newText", .string(formatted))])])
    }

    // MARK: Code actions

    /// Quick fixes for diagnostics in `range` whose help says "did you mean 'X'?": replace
    /// the misspelt name with X.
    static func codeActions(_ doc: LSPOpenDocument, in range: SourceRange) -> JSON {
        var actions: [JSON] = []
        for d in doc.result.diagnostics where d.range.start <= range.end && range.start <= d.range.end {
            guard let help = d.help, let suggestion = didYouMean(help) else { continue }
            let written = doc.source.text(of: d.range)
            guard !written.isEmpty, written.utf8.allSatisfy(Lexer.isIdentifierContinue) else { continue }
            let edit = JSON.object([("changes", .object([(doc.uri, .array([
                .object([("range", doc.range(d.range)), ("newText", .string(suggestion))]),
            ]))]))])
            actions.append(.object([
                ("title", .string("Change '\(written)' to '\(suggestion)'")),
                ("kind", .string("quickfix")),
                ("diagnostics", .array([diagnostic(d, in: doc)])),
                ("isPreferred", .bool(true)),
                ("edit", edit),
            ]))
        }
        return .array(actions)
    }

    /// X in a help text "did you mean 'X'?".
    static func didYouMean(_ help: String) -> String? {
        guard let open = help.range(of: "did you mean '"),
              let close = help.range(of: "'?", range: open.upperBound..<help.endIndex) else { return nil }
        let s = String(help[open.upperBound..<close.lowerBound])
        return s.isEmpty ? nil : s
    }
}
