import StagecraftSyntax
import StagecraftLanguage

/// The namespace of a name written in a `.flow` file.
public enum LSPSymbolKind: String, Sendable {
    case node, owner, param
}

/// One place a stage, gate, owner or param name is written: its declaration or a reference.
public struct LSPOccurrence: Hashable, Sendable {
    public var kind: LSPSymbolKind
    public var name: String
    public var range: SourceRange
    public var isDeclaration: Bool
}

/// Every occurrence of a name in a syntax tree, in source order, for hover, definition,
/// references and rename; read from the tree so a file with errors still has its names.
public enum LSPSymbols {
    public static func occurrences(in tree: FlowFile) -> [LSPOccurrence] {
        guard let workflow = tree.workflow else { return [] }
        var out: [LSPOccurrence] = []
        func add(_ kind: LSPSymbolKind, _ id: Identifier, declaration: Bool = false) {
            guard !id.name.isEmpty, !id.range.isEmpty else { return }
            out.append(LSPOccurrence(kind: kind, name: id.name, range: id.range, isDeclaration: declaration))
        }
        // `if case` rather than a switch: statements added to the language later need no
        // change here unless they name something.
        for member in workflow.members {
            if case .param(let p) = member { add(.param, p.name, declaration: true) }
            if case .owner(let o) = member { add(.owner, o.id, declaration: true) }
            guard case .node(let n) = member else { continue }
            add(.node, n.id, declaration: true)
            for s in n.statements {
                if case .after(let ids) = s.kind { ids.forEach { add(.node, $0) } }
                if case .onReject(let id) = s.kind { add(.node, id) }
                if case .owner(let id) = s.kind { add(.owner, id) }
                if case .approvers(let ids) = s.kind { ids.forEach { add(.owner, $0) } }
                if case .checklist(let c) = s.kind { c.items.compactMap(\.by).forEach { add(.owner, $0) } }
                if case .when(let e) = s.kind { names(in: e).forEach { add(.param, $0) } }
            }
        }
        return out.sorted { $0.range.start < $1.range.start }
    }

    /// The names an expression reads, walked without recursion (chains can be long).
    static func names(in expression: Expr) -> [Identifier] {
        var out: [Identifier] = []
        var stack = [expression]
        while let e = stack.popLast() {
            switch e {
            case .name(let id): out.append(id)
            case .paren(let inner, _), .not(let inner, _): stack.append(inner)
            case .binary(_, let l, let r, _): stack.append(r); stack.append(l)
            case .isIn(let l, let list, _): stack += list.reversed(); stack.append(l)
            case .string, .number, .bool, .invalid: break
            }
        }
        return out
    }

    /// The occurrence whose range holds `offset` (its end included, where a cursor sits
    /// after typing a name).
    public static func occurrence(at offset: Int, in occurrences: [LSPOccurrence]) -> LSPOccurrence? {
        occurrences.first { $0.range.start <= offset && offset <= $0.range.end }
    }
}
