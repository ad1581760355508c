/// A position as the Language Server Protocol counts it: a zero-based line and a
/// zero-based column in UTF-16 code units.
public struct LSPPosition: Hashable, Sendable {
    public var line: Int
    public var character: Int

    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }
}

/// The text of a document open in the editor, as UTF-8 bytes, with conversions between
/// LSP positions and byte offsets (past the end of a line or the text clamps to it).
public struct LSPDocument: Sendable {
    public private(set) var bytes: [UInt8]
    /// The byte offset of each line's first byte.
    public private(set) var lineStarts: [Int] = [0]

    public init(_ text: [UInt8]) {
        bytes = text
        lineStarts = Self.lineStarts(of: text)
    }

    static func lineStarts(of b: [UInt8]) -> [Int] {
        var starts = [0]
        var i = 0
        while i < b.count {
            if b[i] == 10 {
                starts.append(i + 1)
            } else if b[i] == 13 {
                if i + 1 < b.count && b[i + 1] == 10 { i += 1 }
                starts.append(i + 1)
            }
            i += 1
        }
        return starts
    }

    /// The offset where line `line`'s text ends (before its terminator).
    func lineEnd(_ line: Int) -> Int {
        guard line + 1 < lineStarts.count else { return bytes.count }
        var end = lineStarts[line + 1]
        if end > lineStarts[line] && bytes[end - 1] == 10 { end -= 1 }
        if end > lineStarts[line] && bytes[end - 1] == 13 { end -= 1 }
        return end
    }

    /// The byte offset of an LSP position, clamped to the text.
    public func offset(of p: LSPPosition) -> Int {
        guard p.line >= 0 else { return 0 }
        guard p.line < lineStarts.count else { return bytes.count }
        var i = lineStarts[p.line]
        let end = lineEnd(p.line)
        var units = 0
        while i < end && units < p.character {
            let (length, width) = Self.scalar(at: i, in: bytes)
            if units + width > p.character { break }
            units += width
            i = min(end, i + length)
        }
        return i
    }

    /// The LSP position of a byte offset.
    public func position(of offset: Int) -> LSPPosition {
        let offset = min(max(0, offset), bytes.count)
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        var i = lineStarts[low]
        var units = 0
        while i < offset {
            let (length, width) = Self.scalar(at: i, in: bytes)
            units += width
            i += length
        }
        return LSPPosition(line: low, character: units)
    }

    /// The byte length of the UTF-8 sequence at `i` and how many UTF-16 code units it
    /// makes; a byte that starts no valid sequence counts as one unit (U+FFFD).
    static func scalar(at i: Int, in b: [UInt8]) -> (length: Int, width: Int) {
        let c = b[i]
        let length: Int
        switch c {
        case 0..<0x80: return (1, 1)
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return (1, 1)
        }
        guard i + length <= b.count else { return (1, 1) }
        for k in 1..<length where b[i + k] & 0xC0 != 0x80 { return (1, 1) }
        return (length, length == 4 ? 2 : 1)
    }

    /// Replaces the text between two positions (the whole text when `range` is nil), as a
    /// `didChange` content change asks.
    public mutating func replace(_ range: (start: LSPPosition, end: LSPPosition)?, with text: String) {
        guard let range else {
            bytes = Array(text.utf8)
            lineStarts = Self.lineStarts(of: bytes)
            return
        }
        let a = offset(of: range.start)
        let b = max(a, offset(of: range.end))
        bytes.replaceSubrange(a..<b, with: text.utf8)
        lineStarts = Self.lineStarts(of: bytes)
    }
}
