/// Path arithmetic for reports that name files relative to the current directory
/// (SARIF artifact URIs, GitHub annotations, configuration lookup). Pure string work on
/// `/`-separated paths, so it is deterministic and needs no file system.
public enum ArtifactPath {
    /// `path` made absolute against `directory` (when relative), with `.` and `..`
    /// segments resolved and repeated or trailing slashes removed. `..` at the root stays at the root.
    public static func absolute(_ path: String, from directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : directory + "/" + path
        // Strings and a hand-made join, not the generic `[Substring]` join, which is slow to start.
        var parts: [String] = []
        for segment in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(String(segment))
        }
        guard !parts.isEmpty else { return "/" }
        var out = ""
        for part in parts { out += "/" + part }
        return out
    }

    /// The folder holding a resolved absolute path (as `absolute` gives it): `/a/b` for
    /// `/a/b/c`, and `/` for `/a` and for `/` itself.
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// `path` relative to `directory` (both resolved), or nil when it lies outside it.
    /// A path equal to `directory` gives nil too: it names no file below it.
    public static func relative(_ path: String, to directory: String) -> String? {
        let base = absolute(directory, from: "/")
        let full = absolute(path, from: base)
        let prefix = base == "/" ? "/" : base + "/"
        guard full.hasPrefix(prefix), full.count > prefix.count else { return nil }
        return String(full.dropFirst(prefix.count))
    }

    /// The name to show for a checked file: relative to the current directory when it is
    /// below it, else the resolved absolute path. Standard input names (`<stdin>`, or a
    /// `--stdin-filename`) are resolved the same way.
    public static func display(_ path: String, currentDirectory: String) -> String {
        relative(path, to: currentDirectory) ?? absolute(path, from: currentDirectory)
    }

    /// Percent-encodes a path for a URI: every byte outside RFC 3986's unreserved set and
    /// `/` is written as `%XX` (upper-case hex), so spaces, `%`, `#`, `?`, `<`, `>` and
    /// non-ASCII names all survive.
    public static func percentEncoded(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
