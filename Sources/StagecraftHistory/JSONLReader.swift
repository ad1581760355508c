import Foundation

/// Reads JSON Lines event logs: one JSON object per line, its keys matched like CSV columns
/// (docs/cli.md, "Recorded history").
enum JSONLReader {
    private struct KeyInfo {
        var field: HistoryField
        var priority: Int
    }

    /// A parse failure inside one line.
    private struct Failure: Error {
        var message: String
        /// Where in the input the problem is, when it is at one place.
        var at: Int? = nil
    }

    /// The one-based column, in characters of the line, of byte `offset` of a line that
    /// starts at `lineStart` (UTF-8 continuation bytes do not count).
    static func column(_ p: UnsafePointer<UInt8>, lineStart: Int, offset: Int) -> Int {
        var column = 1
        for i in lineStart..<offset where p[i] & 0xC0 != 0x80 { column += 1 }
        return column
    }

    /// Reads a JSON Lines log from `window`, a block at a time: only the line in hand is kept.
    static func read(_ window: inout InputWindow, builder b: inout LogBuilder) throws -> HistoryDetection {
        var keys = ByteInterner()
        var keyInfo: [KeyInfo?] = []
        var chosen: [HistoryField: String] = [:]
        var passedOver: [HistoryField: [String]] = [:]
        var seenKeys: [String] = []
        let overrides = b.options.columns
        let overrideNames = Set(overrides.values.map(ColumnDetection.normalise))

        func info(_ k: Int32) -> KeyInfo? {
            let idx = Int(k)
            if idx == keyInfo.count {
                let name = keys.strings[idx]
                seenKeys.append(name)
                let norm = ColumnDetection.normalise(name)
                var found: KeyInfo? = nil
                for (field, names) in ColumnDetection.candidates {
                    if let o = overrides[field] {
                        if ColumnDetection.normalise(o) == norm { found = KeyInfo(field: field, priority: 0) }
                        continue
                    }
                    if overrideNames.contains(norm) { continue }
                    if let pr = names.firstIndex(of: norm) { found = KeyInfo(field: field, priority: pr); break }
                }
                keyInfo.append(found)
            }
            return keyInfo[idx]
        }

        // Per key: the case attribute name it is kept under, if asked for (see `HistoryOptions`).
        var attributeName: [String?] = []
        func attribute(_ k: Int32) -> String? {
            let idx = Int(k)
            while attributeName.count <= idx {
                attributeName.append(b.options.caseAttribute(named: keys.strings[attributeName.count]))
            }
            return attributeName[idx]
        }
        var attributeBuf: [UInt8] = []
        var lineAttributes: [(name: String, key: String, value: String)] = []
        var buf: [UInt8] = []
        var values: [HistoryField: (Int32, [UInt8])] = [:]  // field → (key, value bytes)
        var i = 0
        var line = 0
        var sawAny = false
        // Field → offset of its value in the input (set with `values`, so never stale when read).
        var valueStarts: [HistoryField: Int] = [:]
        var p = window.p
        while true {
            // The next line, whole: read on until its line feed (or the end of the input).
            let lineLo = i
            var scanned = i
            var lineHi = -1
            while lineHi < 0 {
                if scanned < window.end, let lf = memchr(p + scanned, 10, window.end - scanned) {
                    lineHi = UnsafeRawPointer(lf) - UnsafeRawPointer(p)
                } else if window.atEnd {
                    lineHi = window.end
                } else {
                    scanned = window.end
                    try window.more(keeping: lineLo)
                    p = window.p
                }
            }
            if lineLo >= window.end && window.atEnd { break }
            line += 1
            i = lineHi + 1
            var hi = lineHi
            if hi > lineLo && p[hi - 1] == 13 { hi -= 1 }
            var k = lineLo
            if line == 1 && hi - k >= 3 && p[k] == 0xEF && p[k + 1] == 0xBB && p[k + 2] == 0xBF { k += 3 }
            while k < hi && isWS(p[k]) { k += 1 }
            if k == hi { continue }
            sawAny = true
            values.removeAll(keepingCapacity: true)
            lineAttributes.removeAll(keepingCapacity: true)
            do {
                try parseObject(p, &k, hi) { keyBytes, kind, vlo, vhi, escaped in
                    let key = keys.intern(p + keyBytes.lowerBound, keyBytes.count)
                    let inf = info(key)
                    if !b.options.caseAttributes.isEmpty, inf == nil, let name = attribute(key), kind == 1 || kind == 2 {
                        if escaped {
                            try unescape(p, vlo, vhi, into: &attributeBuf)
                        } else {
                            attributeBuf.removeAll(keepingCapacity: true)
                            attributeBuf.append(contentsOf: UnsafeBufferPointer(start: p + vlo, count: vhi - vlo))
                        }
                        lineAttributes.append((name, keys.strings[Int(key)], String(decoding: attributeBuf, as: UTF8.self)))
                        return
                    }
                    guard let inf else { return }
                    if kind == 0 { return }  // null
                    guard kind == 1 || kind == 2 else { throw Failure(message: "value of '\(keys.strings[Int(key)])' is not a string") }
                    if kind == 2 && inf.field != .caseID && inf.field != .resource {
                        throw Failure(message: "value of '\(keys.strings[Int(key)])' must be a string")
                    }
                    if let (other, _) = values[inf.field] {
                        let oi = keyInfo[Int(other)]?.priority ?? 0
                        if oi <= inf.priority {
                            noteLoser(inf.field, keys.strings[Int(key)], &passedOver)
                            return
                        }
                        noteLoser(inf.field, keys.strings[Int(other)], &passedOver)
                    }
                    if escaped {
                        try unescape(p, vlo, vhi, into: &buf)
                    } else {
                        buf.removeAll(keepingCapacity: true)
                        buf.append(contentsOf: UnsafeBufferPointer(start: p + vlo, count: vhi - vlo))
                    }
                    values[inf.field] = (key, buf)
                    valueStarts[inf.field] = vlo
                }
                while k < hi && isWS(p[k]) { k += 1 }
                if k != hi { throw Failure(message: "unexpected text after the object", at: k) }
            } catch let f as Failure {
                let message = f.at.map { "\(f.message) at column \(column(p, lineStart: lineLo, offset: min($0, hi)))" } ?? f.message
                try b.bad(HistoryError(file: b.file, line: line, message: message))
                continue
            }
            for (field, (key, _)) in values where chosen[field] == nil { chosen[field] = keys.strings[Int(key)] }
            func col(_ f: HistoryField) -> String {
                if let (key, _) = values[f] { return keys.strings[Int(key)] }
                return overrides[f] ?? f.rawValue
            }
            guard let caseV = values[.caseID]?.1, !caseV.isEmpty else {
                try b.bad(HistoryError(file: b.file, line: line, column: col(.caseID), message: "missing case id"))
                continue
            }
            guard let actV = values[.activity]?.1, !actV.isEmpty else {
                try b.bad(HistoryError(file: b.file, line: line, column: col(.activity), message: "missing activity"))
                continue
            }
            var startT = Double.nan, endT = Double.nan
            var badField: HistoryField? = nil
            for f in [HistoryField.start, .end] {
                guard let v = values[f]?.1, !v.isEmpty else { continue }
                let t = v.withUnsafeBufferPointer { bb in bb.baseAddress.flatMap { b.times.parse($0, 0, bb.count) } }
                guard let t else { badField = f; break }
                if f == .start { startT = t } else { endT = t }
            }
            if let f = badField {
                let text = String(decoding: (values[f]?.1 ?? []).prefix(200), as: UTF8.self)
                let at = valueStarts[f].map { column(p, lineStart: lineLo, offset: $0) }
                try b.bad(HistoryError(file: b.file, line: line, column: col(f), message: b.times.malformed(text, column: at)))
                continue
            }
            if startT.isNaN && endT.isNaN {
                try b.bad(HistoryError(file: b.file, line: line, column: col(.end), message: "missing timestamp"))
                continue
            }
            if !startT.isNaN && !endT.isNaN && startT > endT {
                try b.bad(HistoryError(file: b.file, line: line, column: col(.start), message: "start is after end"))
                continue
            }
            let caseIndex = b.cases.intern(caseV)
            let activity = b.activities.intern(actV)
            var resource: Int32 = -1
            if let r = values[.resource]?.1, !r.isEmpty { resource = b.resources.intern(r) }
            // A line with a start key is an interval; otherwise its time is a lifecycle event's.
            let interval = values[.start] != nil
            var kind: EventKind = interval ? (endT.isNaN ? .openInterval : .interval) : .complete
            var transition: Int32 = -1
            if let l = values[.lifecycle]?.1 {
                let (t, k2) = b.transition(b.transitions.intern(l))
                transition = t
                if !interval { kind = k2 }
            }
            if !interval && endT.isNaN { endT = startT; startT = .nan }
            var attributesOK = true
            for a in lineAttributes where attributesOK {
                attributesOK = try b.caseAttribute(case: caseIndex, name: a.name, column: a.key, value: a.value, line: line)
            }
            if !attributesOK { continue }
            b.noteRow(p, lineLo, hi)
            b.events.append(RawEvent(
                caseIndex: caseIndex, activity: activity, resource: resource, transition: transition, kind: kind,
                start: startT, end: endT, line: line))
        }
        if !sawAny {
            throw HistoryError(file: b.file, message: "empty JSON Lines file")
        }
        if b.events.isEmpty && b.skippedCount == 0 {
            throw HistoryError(file: b.file, message: "no usable events")
        }
        if chosen[.caseID] == nil || chosen[.activity] == nil || (chosen[.end] == nil && chosen[.start] == nil) {
            throw HistoryError(
                file: b.file,
                message: "no recognisable case, activity or timestamp key; keys found: "
                    + seenKeys.map { "'\($0)'" }.joined(separator: ", "))
        }
        return HistoryDetection(
            format: .jsonl, compressed: window.compressed, delimiter: nil, delimiterSniffed: false, columns: seenKeys,
            chosen: chosen, passedOver: passedOver, overridden: Set(overrides.keys), timestampFormats: b.times.layouts,
            timeZone: b.timeZoneName)
    }

    private static func noteLoser(_ f: HistoryField, _ name: String, _ passed: inout [HistoryField: [String]]) {
        if !(passed[f]?.contains(name) ?? false) { passed[f, default: []].append(name) }
    }

    @inline(__always)
    private static func isWS(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 || c == 10 }

    /// Parses `{ "k": v, … }` at `k`, calling `visit(keyRange, kind, valueLo, valueHi, escaped)` for
    /// each member; kind 0 null, 1 string (range inside quotes), 2 number/bool text, 3 nested.
    private static func parseObject(
        _ p: UnsafePointer<UInt8>, _ k: inout Int, _ hi: Int,
        _ visit: (Range<Int>, Int, Int, Int, Bool) throws -> Void
    ) throws {
        guard k < hi && p[k] == 123 else { throw Failure(message: "expected a JSON object") }
        k += 1
        func ws() { while k < hi && isWS(p[k]) { k += 1 } }
        ws()
        if k < hi && p[k] == 125 { k += 1; return }
        while true {
            ws()
            guard k < hi && p[k] == 34 else { throw Failure(message: "expected a key string", at: k) }
            let (klo, khi, kesc) = try string(p, &k, hi)
            if kesc { throw Failure(message: "escaped characters in keys are not supported") }
            ws()
            guard k < hi && p[k] == 58 else { throw Failure(message: "expected ':'", at: k) }
            k += 1
            ws()
            guard k < hi else { throw Failure(message: "missing value") }
            let c = p[k]
            if c == 34 {
                let (vlo, vhi, esc) = try string(p, &k, hi)
                try visit(klo..<khi, 1, vlo, vhi, esc)
            } else if c == 123 || c == 91 {
                try skipNested(p, &k, hi)
                try visit(klo..<khi, 3, 0, 0, false)
            } else {
                let vlo = k
                while k < hi && p[k] != 44 && p[k] != 125 && !isWS(p[k]) { k += 1 }
                if k - vlo == 4 && memcmp(p + vlo, "null", 4) == 0 {
                    try visit(klo..<khi, 0, vlo, k, false)
                } else {
                    guard k > vlo else { throw Failure(message: "missing value") }
                    try visit(klo..<khi, 2, vlo, k, false)
                }
            }
            ws()
            guard k < hi else { throw Failure(message: "unterminated object") }
            if p[k] == 44 { k += 1; continue }
            if p[k] == 125 { k += 1; return }
            throw Failure(message: "expected ',' or '}'")
        }
    }

    /// Scans a string at `k` (on its opening quote); returns the inside range and whether it has escapes.
    private static func string(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ hi: Int) throws -> (Int, Int, Bool) {
        k += 1
        let lo = k
        var esc = false
        while k < hi {
            let c = p[k]
            if c == 34 { k += 1; return (lo, k - 1, esc) }
            if c == 92 { esc = true; k += 2; continue }
            k += 1
        }
        throw Failure(message: "unterminated string")
    }

    private static func skipNested(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ hi: Int) throws {
        var depth = 0
        while k < hi {
            let c = p[k]
            if c == 34 { _ = try string(p, &k, hi); continue }
            if c == 123 || c == 91 { depth += 1 } else if c == 125 || c == 93 {
                depth -= 1
                if depth == 0 { k += 1; return }
            }
            k += 1
        }
        throw Failure(message: "unterminated nested value")
    }

    /// Decodes JSON string escapes (including `\uXXXX` surrogate pairs) into `out`.
    private static func unescape(_ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int, into out: inout [UInt8]) throws {
        out.removeAll(keepingCapacity: true)
        var i = lo
        func hex4(_ at: Int) throws -> UInt32 {
            guard at + 4 <= hi else { throw Failure(message: "bad \\u escape") }
            var v: UInt32 = 0
            for d in 0..<4 {
                let c = p[at + d]
                let x: UInt32
                switch c {
                case 48...57: x = UInt32(c - 48)
                case 97...102: x = UInt32(c - 87)
                case 65...70: x = UInt32(c - 55)
                default: throw Failure(message: "bad \\u escape")
                }
                v = v * 16 + x
            }
            return v
        }
        while i < hi {
            let c = p[i]
            guard c == 92 else { out.append(c); i += 1; continue }
            guard i + 1 < hi else { throw Failure(message: "bad escape") }
            let e = p[i + 1]
            i += 2
            switch e {
            case 34, 92, 47: out.append(e)
            case 98: out.append(8)
            case 102: out.append(12)
            case 110: out.append(10)
            case 114: out.append(13)
            case 116: out.append(9)
            case 117:
                var cp = try hex4(i)
                i += 4
                if cp >= 0xD800 && cp < 0xDC00, i + 6 <= hi, p[i] == 92, p[i + 1] == 117 {
                    let lo2 = try hex4(i + 2)
                    if lo2 >= 0xDC00 && lo2 < 0xE000 {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo2 - 0xDC00)
                        i += 6
                    }
                }
                let scalar = Unicode.Scalar(cp) ?? "\u{FFFD}"
                out.append(contentsOf: String(Character(scalar)).utf8)
            default: throw Failure(message: "bad escape '\\\(Character(Unicode.Scalar(e)))'")
            }
        }
    }
}
