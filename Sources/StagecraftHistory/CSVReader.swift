/// A field of a CSV record: byte range and whether it needs unescaping.
struct CSVField {
    var lo: Int
    var hi: Int
    /// 0 plain, 1 quoted (range is the inside), 2 quoted with doubled quotes to collapse.
    var quoting: UInt8
}

/// Splits RFC 4180 records out of a byte buffer, in place.
///
/// Quoted fields may hold delimiters, doubled quotes and line breaks; records end at LF, CRLF
/// or a lone CR. A quote inside an unquoted field is taken literally.
struct CSVScanner {
    var p: UnsafePointer<UInt8>
    var n: Int
    let delim: UInt8
    var pos: Int
    /// Line number (1-based) at `pos`.
    var line: Int
    /// Set when the last record was malformed: (field index, message).
    var problem: (Int, String)?

    /// Marks (0x80) the bytes of `v` that are zero; exact for the lowest zero byte.
    @inline(__always)
    static func zeroBytes(_ v: UInt64) -> UInt64 {
        (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080
    }

    var delimWord: UInt64 { UInt64(delim) &* 0x0101_0101_0101_0101 }

    /// Reads the next record's fields; returns false at end of input.
    mutating func next(_ fields: inout [CSVField]) -> Bool {
        fields.removeAll(keepingCapacity: true)
        problem = nil
        guard pos < n else { return false }
        var i = pos
        while true {
            if i < n && p[i] == 34 {
                // Quoted field.
                let lo = i + 1
                var j = lo
                var escapes = false
                var closed = false
                while j < n {
                    let c = p[j]
                    if c == 34 {
                        if j + 1 < n && p[j + 1] == 34 { escapes = true; j += 2; continue }
                        closed = true
                        break
                    }
                    if c == 10 { line += 1 } else if c == 13 && !(j + 1 < n && p[j + 1] == 10) { line += 1 }
                    j += 1
                }
                if !closed {
                    if problem == nil { problem = (fields.count, "unterminated quoted field") }
                    fields.append(CSVField(lo: lo, hi: n, quoting: escapes ? 2 : 1))
                    i = n
                } else {
                    fields.append(CSVField(lo: lo, hi: j, quoting: escapes ? 2 : 1))
                    i = j + 1
                    if i < n {
                        let c = p[i]
                        if c != delim && c != 10 && c != 13 {
                            if problem == nil { problem = (fields.count - 1, "unexpected text after closing quote") }
                            while i < n && p[i] != delim && p[i] != 10 && p[i] != 13 { i += 1 }
                        }
                    }
                }
            } else {
                let lo = i
                // Eight bytes at a time: find the first delimiter, LF or CR (SWAR, little-endian).
                var found = false
                while i + 8 <= n {
                    let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                    let m = CSVScanner.zeroBytes(w ^ delimWord) | CSVScanner.zeroBytes(w ^ 0x0A0A_0A0A_0A0A_0A0A)
                        | CSVScanner.zeroBytes(w ^ 0x0D0D_0D0D_0D0D_0D0D)
                    if m != 0 {
                        i += m.trailingZeroBitCount >> 3
                        found = true
                        break
                    }
                    i += 8
                }
                if !found {
                    while i < n {
                        let c = p[i]
                        if c == delim || c == 10 || c == 13 { break }
                        i += 1
                    }
                }
                fields.append(CSVField(lo: lo, hi: i, quoting: 0))
            }
            if i >= n { pos = n; return true }
            let c = p[i]
            if c == delim { i += 1; if i >= n { fields.append(CSVField(lo: n, hi: n, quoting: 0)); pos = n; return true }; continue }
            // End of record.
            if c == 13 && i + 1 < n && p[i + 1] == 10 { i += 2 } else { i += 1 }
            line += 1
            pos = i
            return true
        }
    }
}

/// Reads CSV event logs: the header (the first non-blank record) names the columns, and each
/// row is an interval or a lifecycle event (docs/cli.md, "Recorded history").
enum CSVReader {
    /// Picks the delimiter among `, ; \t |` by counting occurrences outside quotes in the header
    /// line; nil when the line goes on past `n` and the input has more (`complete` false).
    static func sniff(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, complete: Bool = true) -> UInt8? {
        let choices: [UInt8] = [44, 59, 9, 124]
        var counts = [0, 0, 0, 0]
        var i = start
        var quoted = false
        while i < n {
            let c = p[i]
            if c == 34 { quoted.toggle() } else if !quoted {
                if c == 10 || c == 13 {
                    if counts.allSatisfy({ $0 == 0 }) && i == start { i += 1; continue }
                    break
                }
                if let k = choices.firstIndex(of: c) { counts[k] += 1 }
            }
            i += 1
        }
        if i >= n && !complete { return nil }
        var best = 0
        for k in 1..<4 where counts[k] > counts[best] { best = k }
        return choices[best]
    }

    /// The next record of the window into `fields`, reading more of the input when the
    /// record may go on past the bytes read so far (then it is scanned again, whole). False
    /// at the end of the input.
    @inline(__always)
    static func next(_ sc: inout CSVScanner, _ window: inout InputWindow, _ fields: inout [CSVField]) throws -> Bool {
        let line = sc.line, rowLo = sc.pos
        while true {
            let got = sc.next(&fields)
            if window.atEnd || (got && sc.pos < sc.n) { return got }
            sc.pos = rowLo
            sc.line = line
            try window.more(keeping: rowLo)
            sc.p = window.p
            sc.n = window.end
        }
    }

    /// Reads a CSV log from `window`, a block at a time: only the record in hand is kept.
    static func read(_ window: inout InputWindow, builder b: inout LogBuilder) throws -> HistoryDetection {
        var start = 0
        try window.ensure(3, keeping: 0)
        var p = window.p
        if window.end >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { start = 3 }
        var sniffed = b.options.delimiter
        while sniffed == nil {
            sniffed = sniff(window.p, start, window.end, complete: window.atEnd)
            if sniffed == nil { try window.more(keeping: 0) }
        }
        let delim = sniffed ?? 44
        p = window.p
        var sc = CSVScanner(p: p, n: window.end, delim: delim, pos: start, line: 1, problem: nil)
        var fields: [CSVField] = []
        fields.reserveCapacity(64)
        var scratch = Scratch()
        defer { scratch.free() }

        // Header: first non-blank record.
        var header: [String] = []
        var headerLine = 1
        while true {
            headerLine = sc.line
            guard try next(&sc, &window, &fields) else {
                throw HistoryError(file: b.file, line: nil, message: "empty CSV file: no header row")
            }
            if fields.count == 1 && fields[0].quoting == 0 && fields[0].lo == fields[0].hi { continue }
            for f in fields {
                let (q, len) = scratch.bytes(sc.p, f)
                header.append(String(decoding: UnsafeBufferPointer(start: q, count: len), as: UTF8.self))
            }
            break
        }
        let mapping = try ColumnDetection.detect(
            columns: header, overrides: b.options.columns, file: b.file, line: headerLine)
        let caseCol = mapping.index[.caseID] ?? 0
        let actCol = mapping.index[.activity] ?? 0
        let startCol = mapping.index[.start] ?? -1
        let endCol = mapping.index[.end] ?? -1
        let resCol = mapping.index[.resource] ?? -1
        let lifeCol = mapping.index[.lifecycle] ?? -1
        let needed = max(caseCol, actCol, startCol, endCol, resCol, lifeCol) + 1
        // Case attributes asked for (a deadline, params): (column index, kept name).
        let mapped = Set([caseCol, actCol, startCol, endCol, resCol, lifeCol])
        let attributeColumns: [(Int, String)] = header.indices.compactMap { i in
            mapped.contains(i) ? nil : b.options.caseAttribute(named: header[i]).map { (i, $0) }
        }
        let intervalMode = startCol >= 0
        // Reserve the event array from the row density of the first 64 KB and the expected
        // size of the input (avoids regrowth copies).
        try window.ensure(sc.pos + 65_536, keeping: sc.pos)
        sc.p = window.p
        sc.n = window.end
        if let n = window.sizeHint {
            let sampleEnd = min(window.end, sc.pos + 65_536)
            var rows = 0
            var k = sc.pos
            while k < sampleEnd { rows &+= sc.p[k] == 10 ? 1 : 0; k += 1 }
            if rows > 0 && sampleEnd > sc.pos && n > sc.pos {
                let estimate = Double(n - sc.pos) * Double(rows) / Double(sampleEnd - sc.pos)
                let cap = Int(min(estimate * 1.02, Double(n))) + 16
                b.events.reserveCapacity(cap)
                b.rowHashes.reserveCapacity(cap)
            }
        }

        while true {
            let line = sc.line
            let rowLo = sc.pos
            guard try next(&sc, &window, &fields) else { break }
            let p = sc.p
            let fc = fields.count
            if fc == 1 && fields[0].quoting == 0 && fields[0].lo == fields[0].hi { continue }
            if let (col, msg) = sc.problem {
                try b.bad(HistoryError(file: b.file, line: line, column: col < header.count ? header[col] : nil, message: msg))
                continue
            }
            if fc < needed {
                var missingCol = 0
                for c in [caseCol, actCol, startCol, endCol, resCol, lifeCol] where c >= fc { missingCol = max(missingCol, c) }
                try b.bad(HistoryError(
                    file: b.file, line: line, column: header[missingCol],
                    message: "row has \(fc) field\(fc == 1 ? "" : "s") but the header has \(header.count)"))
                continue
            }
            // Case.
            var (q, len) = scratch.bytes(p, fields[caseCol])
            if len == 0 {
                try b.bad(HistoryError(file: b.file, line: line, column: header[caseCol], message: "empty case id"))
                continue
            }
            let caseIndex = b.cases.intern(q, len)
            (q, len) = scratch.bytes(p, fields[actCol])
            if len == 0 {
                try b.bad(HistoryError(file: b.file, line: line, column: header[actCol], message: "empty activity"))
                continue
            }
            let activity = b.activities.intern(q, len)
            var resource: Int32 = -1
            if resCol >= 0 {
                (q, len) = scratch.bytes(p, fields[resCol])
                if len > 0 { resource = b.resources.intern(q, len) }
            }
            var startT = Double.nan
            var endT = Double.nan
            var badTime = -1
            if startCol >= 0 {
                (q, len) = scratch.bytes(p, fields[startCol])
                if len > 0 {
                    if let t = b.times.parse(q, 0, len) { startT = t } else { badTime = startCol }
                }
            }
            if endCol >= 0 && badTime < 0 {
                (q, len) = scratch.bytes(p, fields[endCol])
                if len > 0 {
                    if let t = b.times.parse(q, 0, len) { endT = t } else { badTime = endCol }
                }
            }
            if badTime >= 0 {
                let (bq, bl) = scratch.bytes(p, fields[badTime])
                let text = String(decoding: UnsafeBufferPointer(start: bq, count: min(bl, 200)), as: UTF8.self)
                let at = fields[badTime].lo
                try b.bad(HistoryError(
                    file: b.file, line: line, column: header[badTime],
                    message: b.times.malformed(text, column: TimestampParser.column(p, offset: at, lineFloor: rowLo))))
                continue
            }
            if startT.isNaN && endT.isNaN {
                try b.bad(HistoryError(
                    file: b.file, line: line, column: header[endCol >= 0 ? endCol : startCol],
                    message: "missing timestamp"))
                continue
            }
            if !startT.isNaN && !endT.isNaN && startT > endT {
                try b.bad(HistoryError(
                    file: b.file, line: line, column: header[startCol], message: "start is after end"))
                continue
            }
            var transition: Int32 = -1
            var kind: EventKind = intervalMode ? (endT.isNaN ? .openInterval : .interval) : .complete
            if lifeCol >= 0 {
                (q, len) = scratch.bytes(p, fields[lifeCol])
                let (t, k) = b.transition(b.transitions.intern(q, len))
                transition = t
                if !intervalMode { kind = k }
            }
            var attributesOK = true
            for (col, name) in attributeColumns where col < fc && attributesOK {
                (q, len) = scratch.bytes(p, fields[col])
                let value = String(decoding: UnsafeBufferPointer(start: q, count: len), as: UTF8.self)
                attributesOK = try b.caseAttribute(case: caseIndex, name: name, column: header[col],
                                                   value: value, line: line)
            }
            if !attributesOK { continue }
            b.noteRow(p, rowLo, sc.pos)
            b.events.append(RawEvent(
                caseIndex: caseIndex, activity: activity, resource: resource, transition: transition, kind: kind,
                start: startT, end: endT, line: line))
        }
        return HistoryDetection(
            format: .csv, compressed: window.compressed, delimiter: delim, delimiterSniffed: b.options.delimiter == nil,
            columns: header, chosen: mapping.chosen, passedOver: mapping.passedOver, overridden: mapping.overridden,
            timestampFormats: b.times.layouts, timeZone: b.timeZoneName)
    }
}

/// A growable byte buffer for unescaped field values, valid until the next call.
struct Scratch {
    private var base: UnsafeMutablePointer<UInt8>?
    private var capacity = 0
    private var empty: UInt8 = 0

    /// Bytes of a CSV field: a pointer into the input, or into the scratch when unescaping.
    mutating func bytes(_ p: UnsafePointer<UInt8>, _ f: CSVField) -> (UnsafePointer<UInt8>, Int) {
        if f.quoting != 2 { return (p + f.lo, f.hi - f.lo) }
        let buf = reserve(f.hi - f.lo)
        var k = 0
        var i = f.lo
        while i < f.hi {
            let c = p[i]
            buf[k] = c
            k += 1
            i += (c == 34 && i + 1 < f.hi && p[i + 1] == 34) ? 2 : 1
        }
        return (UnsafePointer(buf), k)
    }

    /// A buffer of at least `count` bytes.
    mutating func reserve(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if let base, capacity >= count { return base }
        base?.deallocate()
        let cap = max(count, 256)
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
        base = b
        capacity = cap
        return b
    }

    mutating func free() {
        base?.deallocate()
        base = nil
        capacity = 0
    }
}
