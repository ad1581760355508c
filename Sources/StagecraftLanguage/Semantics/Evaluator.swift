import StagecraftSyntax

/// A param value: what `--set NAME=VALUE` and a param's default hold.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)

    public var type: ParamType {
        switch self {
        case .string: return .string
        case .number: return .number
        case .bool: return .bool
        }
    }

    /// Parses a command-line value for a param of the given type.
    public static func parse(_ text: String, as type: ParamType) -> Value? {
        switch type {
        case .string: return .string(text)
        case .number: return Double(text).flatMap { $0.isFinite ? .number($0) : nil }
        case .bool:
            switch text {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return nil
            }
        }
    }

    public var description: String {
        switch self {
        case .string(let s): return "\"\(s)\""
        case .number(let n): return formatNumber(n)
        case .bool(let b): return b ? "true" : "false"
        }
    }
}

/// Evaluates `when` conditions and infers their static types.
public enum Evaluator {
    /// The value of a literal expression; nil for anything else.
    public static func literal(_ e: Expr) -> Value? {
        switch e {
        case .string(let s): return .string(s.value)
        case .number(let n): return .number(n.value)
        case .bool(let b, _): return .bool(b)
        case .paren(let inner, _): return literal(inner)
        default: return nil
        }
    }

    /// Evaluates a condition; nil when it refers to an unknown param or is ill-typed.
    /// Conditions are depth-limited by the parser, so recursion is safe here.
    public static func evaluate(_ e: Expr, values: [String: Value]) -> Value? {
        switch e {
        case .string, .number, .bool:
            return literal(e)
        case .name(let id):
            return values[id.name]
        case .paren(let inner, _):
            return evaluate(inner, values: values)
        case .not(let inner, _):
            guard case .bool(let b)? = evaluate(inner, values: values) else { return nil }
            return .bool(!b)
        case .binary(let op, let l, let r, _):
            if op == .and || op == .or {
                guard case .bool(let a)? = evaluate(l, values: values) else { return nil }
                if op == .and && !a { return .bool(false) }
                if op == .or && a { return .bool(true) }
                guard case .bool(let b)? = evaluate(r, values: values) else { return nil }
                return .bool(b)
            }
            guard let a = evaluate(l, values: values), let b = evaluate(r, values: values) else { return nil }
            return compare(op, a, b).map { .bool($0) }
        case .isIn(let l, let list, _):
            guard let a = evaluate(l, values: values) else { return nil }
            for item in list {
                guard let b = evaluate(item, values: values), b.type == a.type else { return nil }
                if a == b { return .bool(true) }
            }
            return .bool(false)
        case .invalid:
            return nil
        }
    }

    private static func compare(_ op: BinaryOperator, _ a: Value, _ b: Value) -> Bool? {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            switch op {
            case .equal: return x == y
            case .notEqual: return x != y
            case .less: return x < y
            case .lessEqual: return x <= y
            case .greater: return x > y
            case .greaterEqual: return x >= y
            default: return nil
            }
        case (.string, .string), (.bool, .bool):
            switch op {
            case .equal: return a == b
            case .notEqual: return a != b
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Appends the parameter names an expression reads, in source order.
    static func collectNames(in e: Expr, into out: inout [Identifier]) {
        switch e {
        case .name(let id): out.append(id)
        case .paren(let inner, _), .not(let inner, _): collectNames(in: inner, into: &out)
        case .binary(_, let l, let r, _):
            collectNames(in: l, into: &out)
            collectNames(in: r, into: &out)
        case .isIn(let l, let list, _):
            collectNames(in: l, into: &out)
            for item in list { collectNames(in: item, into: &out) }
        default: break
        }
    }

    /// A type error in a condition.
    public struct TypeError: Sendable {
        public var message: String
        public var range: SourceRange
        public var help: String?
    }

    /// Infers the type of an expression, collecting type errors. Unknown names have no
    /// type (nil) and produce no error here: `unknown-reference` reports them.
    public static func typeCheck(_ e: Expr, params: [String: ParamType], errors: inout [TypeError]) -> ParamType? {
        switch e {
        case .string: return .string
        case .number: return .number
        case .bool: return .bool
        case .name(let id): return params[id.name]
        case .paren(let inner, _): return typeCheck(inner, params: params, errors: &errors)
        case .not(let inner, _):
            let t = typeCheck(inner, params: params, errors: &errors)
            if let t, t != .bool {
                errors.append(TypeError(message: "'not' needs a bool condition, but this is a \(t.rawValue)",
                                        range: inner.range, help: nil))
            }
            return .bool
        case .binary(let op, let l, let r, _):
            let lt = typeCheck(l, params: params, errors: &errors)
            let rt = typeCheck(r, params: params, errors: &errors)
            if op == .and || op == .or {
                for (side, t) in [(l, lt), (r, rt)] {
                    if let t, t != .bool {
                        errors.append(TypeError(message: "'\(op.rawValue)' needs bool conditions on both sides, but this is a \(t.rawValue)",
                                                range: side.range,
                                                help: t == .string ? "compare it with a value, as in region == \"EU\"" : "compare it with a value, as in seats > 100"))
                    }
                }
                return .bool
            }
            if let lt, let rt, lt != rt {
                errors.append(TypeError(message: "cannot compare a \(lt.rawValue) with a \(rt.rawValue)",
                                        range: l.range.union(r.range),
                                        help: "compare values of the same type; strings are written in double quotes"))
            } else if let t = lt ?? rt, t != .number,
                      [BinaryOperator.less, .lessEqual, .greater, .greaterEqual].contains(op) {
                errors.append(TypeError(message: "'\(op.rawValue)' compares numbers, not \(t.rawValue)s",
                                        range: l.range.union(r.range), help: "use == or != for \(t.rawValue)s"))
            }
            return .bool
        case .isIn(let l, let list, _):
            let lt = typeCheck(l, params: params, errors: &errors)
            for item in list {
                let it = typeCheck(item, params: params, errors: &errors)
                if let lt, let it, lt != it {
                    errors.append(TypeError(message: "the list holds a \(it.rawValue), but the value tested is a \(lt.rawValue)",
                                            range: item.range, help: nil))
                }
            }
            return .bool
        case .invalid:
            return nil
        }
    }
}
