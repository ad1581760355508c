/// Unified diffs of two texts, line by line, as `fmt --diff` prints them: Myers' shortest
/// edit script, or past `maxEdits` the middle removed and re-added whole.
public enum FormatDiff {
    /// The most edits searched for before falling back to replacing the middle whole.
    public static let maxEdits = 2_000

    /// A unified diff (`--- a/…`, `+++ b/…`, `@@ -l,n +l,n @@` hunks with `context`
    /// lines around each change), or "" when the texts are equal.
    public static func unified(old: [UInt8], new: [UInt8], oldName: String, newName: String,
                               context: Int = 3) -> String {
        let a = splitLines(old)
        let b = splitLines(new)
        var ids: [ArraySlice<UInt8>: Int] = [:]
        func intern(_ lines: Lines) -> [Int] {
            lines.slices.enumerated().map { i, slice in
                // The last line of a file without a final newline differs from the same
                // text with one: 0xFF never occurs in UTF-8, so it marks the difference.
                let key = i == lines.slices.count - 1 && !lines.finalNewline ? ArraySlice(Array(slice) + [0xFF]) : slice
                if let id = ids[key] { return id }
                let id = ids.count
                ids[key] = id
                return id
            }
        }
        let ops = editScript(intern(a), intern(b))
        guard ops.contains(where: { $0.kind != .equal }) else { return "" }

        var out = "--- a/\(oldName)\n+++ b/\(newName)\n"
        // Group the changes into hunks: changes closer than 2 × context share one.
        var i = 0
        while i < ops.count {
            guard ops[i].kind != .equal else { i += 1; continue }
            let first = max(0, i - context)
            var last = i
            var j = i
            while j < ops.count {
                if ops[j].kind != .equal {
                    last = j
                    j += 1
                    continue
                }
                var run = j
                while run < ops.count && ops[run].kind == .equal { run += 1 }
                if run < ops.count && run - j <= 2 * context {
                    j = run
                } else {
                    break
                }
            }
            let end = min(ops.count, last + 1 + context)
            hunk(ops[first..<end], a, b, &out)
            i = end
        }
        return out
    }

    struct Lines {
        var slices: [ArraySlice<UInt8>]
        var finalNewline: Bool
    }

    static func splitLines(_ bytes: [UInt8]) -> Lines {
        var slices: [ArraySlice<UInt8>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            slices.append(bytes[start..<i])
            start = i + 1
        }
        if start < bytes.count { slices.append(bytes[start..<bytes.count]) }
        return Lines(slices: slices, finalNewline: start == bytes.count)
    }

    enum Kind { case equal, delete, insert }

    struct Op {
        var kind: Kind
        /// Zero-based line indices in the old and new text; for a deletion `new` is the
        /// index of the next new line, for an insertion `old` the index of the next old line.
        var old: Int
        var new: Int
    }

    static func hunk(_ ops: ArraySlice<Op>, _ a: Lines, _ b: Lines, _ out: inout String) {
        guard let head = ops.first else { return }
        let oldCount = ops.filter { $0.kind != .insert }.count
        let newCount = ops.filter { $0.kind != .delete }.count
        func range(_ start: Int, _ count: Int) -> String {
            // As diff and git do: the line before an empty range, and no ",1".
            if count == 0 { return "\(start),0" }
            if count == 1 { return "\(start + 1)" }
            return "\(start + 1),\(count)"
        }
        out += "@@ -\(range(head.old, oldCount)) +\(range(head.new, newCount)) @@\n"
        for op in ops {
            switch op.kind {
            case .equal: line(" ", a, op.old, &out)
            case .delete: line("-", a, op.old, &out)
            case .insert: line("+", b, op.new, &out)
            }
        }
    }

    static func line(_ prefix: String, _ lines: Lines, _ index: Int, _ out: inout String) {
        guard index >= 0 && index < lines.slices.count else { return }
        out += prefix
        out += String(decoding: lines.slices[index], as: UTF8.self)
        out += "\n"
        if index == lines.slices.count - 1 && !lines.finalNewline { out += "\\ No newline at end of file\n" }
    }

    /// The edit script turning `a` into `b`, in order.
    static func editScript(_ a: [Int], _ b: [Int]) -> [Op] {
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix
                && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        var ops: [Op] = []
        ops.reserveCapacity(a.count + b.count)
        for i in 0..<prefix { ops.append(Op(kind: .equal, old: i, new: i)) }
        let midA = Array(a[prefix..<(a.count - suffix)])
        let midB = Array(b[prefix..<(b.count - suffix)])
        for op in myers(midA, midB) {
            ops.append(Op(kind: op.kind, old: op.old + prefix, new: op.new + prefix))
        }
        for k in 0..<suffix {
            ops.append(Op(kind: .equal, old: a.count - suffix + k, new: b.count - suffix + k))
        }
        return ops
    }

    /// Myers' greedy shortest edit script, keeping each round's frontier for the walk back.
    static func myers(_ a: [Int], _ b: [Int]) -> [Op] {
        let n = a.count
        let m = b.count
        func replaceAll() -> [Op] {
            (0..<n).map { Op(kind: .delete, old: $0, new: 0) } + (0..<m).map { Op(kind: .insert, old: n, new: $0) }
        }
        if n == 0 || m == 0 { return replaceAll() }
        let maxD = min(n + m, maxEdits)
        let offset = maxD + 1
        var v = [Int](repeating: 0, count: 2 * maxD + 3)
        // trace[d] holds v[-d...d] as it was at the start of round d.
        var trace: [[Int]] = []
        var found: Int?
        search: for d in 0...maxD {
            trace.append(Array(v[(offset - d)...(offset + d)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n && y < m && a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n && y >= m {
                    found = d
                    break search
                }
            }
        }
        guard let total = found else { return replaceAll() }
        var reversed: [Op] = []
        var x = n
        var y = m
        var d = total
        while d > 0 {
            let frontier = trace[d]
            func at(_ k: Int) -> Int { frontier[k + d] }
            let k = x - y
            let previousK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1
            let previousX = at(previousK)
            let previousY = previousX - previousK
            while x > previousX && y > previousY {
                x -= 1
                y -= 1
                reversed.append(Op(kind: .equal, old: x, new: y))
            }
            if x == previousX {
                y -= 1
                reversed.append(Op(kind: .insert, old: x, new: y))
            } else {
                x -= 1
                reversed.append(Op(kind: .delete, old: x, new: y))
            }
            d -= 1
        }
        while x > 0 && y > 0 {
            x -= 1
            y -= 1
            reversed.append(Op(kind: .equal, old: x, new: y))
        }
        return reversed.reversed()
    }
}
