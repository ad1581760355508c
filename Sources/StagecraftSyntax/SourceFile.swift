import Foundation

/// A half-open range of byte offsets into a source file.
///
/// Positions are kept as byte offsets (compact, cheap to compare); line and column are
/// computed on demand by `SourceFile.location(of:)`. The offsets are stored in 32 bits,
/// which keeps tokens and syntax nodes small; `SourceFile.maxSize` keeps every file
/// within that, and offsets outside it are clamped rather than trapping.
public struct SourceRange: Hashable, Sendable {
    private var storedStart: UInt32
    private var storedEnd: UInt32

    public var start: Int {
        get { Int(storedStart) }
        set { storedStart = UInt32(clamping: newValue) }
    }

    public var end: Int {
        get { Int(storedEnd) }
        set { storedEnd = UInt32(clamping: newValue) }
    }

    public init(_ start: Int, _ end: Int) {
        self.storedStart = UInt32(clamping: start)
        self.storedEnd = UInt32(clamping: max(start, end))
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }

    public var isEmpty: Bool { start == end }
}

/// A one-based line and column; columns count Unicode scalars, so a caret lands under
/// the right character of `"Revisión"`.
public struct SourceLocation: Hashable, Sendable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// The bytes of one `.flow` file and the table of its line starts.
///
/// The table is built with the file: tokens and diagnostics keep byte offsets, and
/// line and column are looked up in it when a diagnostic is reported.
public struct SourceFile: Sendable {
    /// The largest file Stagecraft reads as a workflow: byte offsets are stored in 32 bits.
    public static let maxSize = Int(UInt32.max)

    /// The path as the user named it (or the `--stdin-filename`).
    public let path: String
    /// The file's bytes, exactly as read.
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line (32 bits, like every offset: see
    /// `maxSize`). LF, CR LF and a lone CR each end a line.
    public let lineStarts: [UInt32]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        var starts: [UInt32] = [0]
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x0A {
                starts.append(UInt32(clamping: i + 1))
            } else if c == 0x0D {
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                starts.append(UInt32(clamping: i + 1))
            }
            i += 1
        }
        self.lineStarts = starts
    }

    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// The byte offset where the line at zero-based `index` starts, or the end of the
    /// file for an index past the last line.
    public func lineStart(_ index: Int) -> Int {
        index >= 0 && index < lineStarts.count ? Int(lineStarts[index]) : bytes.count
    }

    /// The zero-based index of the line holding `offset`.
    public func lineIndex(of offset: Int) -> Int {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(lineStarts[mid]) <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Line and column (both one-based, column in Unicode scalars) of a byte offset.
    public func location(of offset: Int) -> SourceLocation {
        let clamped = min(max(0, offset), bytes.count)
        let li = lineIndex(of: clamped)
        var column = 1
        var i = lineStart(li)
        while i < clamped {
            // Count every byte that is not a UTF-8 continuation byte.
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourceLocation(line: li + 1, column: column)
    }

    /// Whether the file has a one-based line `line` (it has at least one, even when empty).
    public func hasLine(_ line: Int) -> Bool {
        line >= 1 && line <= lineStarts.count
    }

    /// The byte range of a one-based line, without its line terminator.
    public func lineRange(_ line: Int) -> SourceRange {
        guard hasLine(line) else { return SourceRange(bytes.count, bytes.count) }
        let start = lineStart(line - 1)
        var end = lineStart(line)
        while end > start && (bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D) { end -= 1 }
        return SourceRange(start, end)
    }

    /// The text of a one-based line, invalid UTF-8 replaced by U+FFFD.
    public func lineText(_ line: Int) -> String {
        text(of: lineRange(line))
    }

    /// The text in a byte range, invalid UTF-8 replaced by U+FFFD.
    public func text(of range: SourceRange) -> String {
        let s = max(0, min(range.start, bytes.count))
        let e = max(s, min(range.end, bytes.count))
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
}
