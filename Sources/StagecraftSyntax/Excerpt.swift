/// Text from an input file made safe to print in a message: control characters (and the
/// invisible characters that reorder text) written as escapes such as `\x1b`, so that a
/// hostile file cannot drive the terminal, and long text cut to a short prefix.
public enum Excerpt {
    /// `scalar` as printed in an excerpt: itself, or an escape (`\x1b`, `\u{202e}`).
    /// A tab stays a tab so that markers under the line still line up.
    public static func shown(_ scalar: Unicode.Scalar) -> String? {
        let v = scalar.value
        if v == 0x09 { return nil }
        if v < 0x20 || (0x7F...0x9F).contains(v) {
            let hex = String(v, radix: 16)
            return "\\x" + (hex.count == 1 ? "0" + hex : hex)
        }
        if (0x200B...0x200F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
            return "\\u{" + String(v, radix: 16) + "}"
        }
        return nil
    }

    /// How many columns `scalar` takes in an excerpt.
    public static func width(_ scalar: Unicode.Scalar) -> Int {
        shown(scalar)?.unicodeScalars.count ?? 1
    }

    /// `text` with every control character escaped.
    public static func escaped(_ text: String) -> String {
        var clean = true
        for s in text.unicodeScalars where shown(s) != nil {
            clean = false
            break
        }
        if clean { return text }
        var out = ""
        for s in text.unicodeScalars {
            if let e = shown(s) { out += e } else { out.unicodeScalars.append(s) }
        }
        return out
    }

    /// `text` escaped and cut to at most `limit` characters of the original, with `…`
    /// and the full length when it was cut.
    public static func quoted(_ text: String, limit: Int = 60) -> String {
        let count = text.unicodeScalars.count
        guard count > limit else { return escaped(text) }
        var head = String.UnicodeScalarView()
        head.append(contentsOf: text.unicodeScalars.prefix(limit))
        return escaped(String(head)) + "… (\(count) characters)"
    }
}
