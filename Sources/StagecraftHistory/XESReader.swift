import Foundation

/// A byte range of an attribute value in the input, possibly holding entity references.
struct ValueRange {
    var lo: Int
    var hi: Int
    var hasEntity: Bool
}

/// Decodes XML entity references (`&amp; &lt; &gt; &quot; &apos; &#NN; &#xNN;`) into `out`.
/// Unknown or malformed references are kept literally.
func decodeXMLEntities(_ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int, into out: inout [UInt8]) {
    out.removeAll(keepingCapacity: true)
    var i = lo
    while i < hi {
        let c = p[i]
        guard c == 38 else { out.append(c); i += 1; continue }
        var j = i + 1
        while j < hi && j - i <= 12 && p[j] != 59 { j += 1 }
        guard j < hi && p[j] == 59 else { out.append(c); i += 1; continue }
        let name = UnsafeBufferPointer(start: p + i + 1, count: j - i - 1)
        var decoded: UInt32? = nil
        if name.elementsEqual("amp".utf8) { decoded = 38 }
        else if name.elementsEqual("lt".utf8) { decoded = 60 }
        else if name.elementsEqual("gt".utf8) { decoded = 62 }
        else if name.elementsEqual("quot".utf8) { decoded = 34 }
        else if name.elementsEqual("apos".utf8) { decoded = 39 }
        else if name.count >= 2 && name[0] == 35 {
            var v: UInt32 = 0
            var ok = true
            let hex = name[1] == 120 || name[1] == 88
            let digits = name.dropFirst(hex ? 2 : 1)
            if digits.isEmpty || digits.count > 8 { ok = false }
            for d in digits where ok {
                let x: UInt32
                switch d {
                case 48...57: x = UInt32(d - 48)
                case 97...102 where hex: x = UInt32(d - 87)
                case 65...70 where hex: x = UInt32(d - 55)
                default: ok = false; x = 0
                }
                v = v &* (hex ? 16 : 10) &+ x
            }
            if ok { decoded = v }
        }
        guard let cp = decoded else { out.append(c); i += 1; continue }
        let scalar = Unicode.Scalar(cp) ?? "\u{FFFD}"
        out.append(contentsOf: String(Character(scalar)).utf8)
        i = j + 1
    }
}

/// Reads XES 1.0/2.0 event logs with a streaming tokenizer over bytes: only the trace and
/// event structure and the standard keys matter (docs/cli.md, "Recorded history", says which).
enum XESReader {
    // Context codes on the element stack.
    private static let ctxOther: UInt8 = 0, ctxLog: UInt8 = 1, ctxTrace: UInt8 = 2, ctxEvent: UInt8 = 3
    private static let ctxGlobalEvent: UInt8 = 4, ctxGlobalTrace: UInt8 = 5, ctxAttr: UInt8 = 6
    /// `history inspect` lists the keys of the event attributes found in the global
    /// declarations and in this many first events, and at most `keysListed` of them.
    static let eventsSampledForKeys = 1000
    static let keysListed = 64

    @inline(__always)
    static func eq(_ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int, _ lit: StaticString) -> Bool {
        hi - lo == lit.utf8CodeUnitCount && memcmp(p + lo, lit.utf8Start, hi - lo) == 0
    }

    @inline(__always)
    static func offset(_ p: UnsafePointer<UInt8>, _ r: UnsafeMutableRawPointer) -> Int {
        UnsafeRawPointer(r) - UnsafeRawPointer(p)
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 10 || c == 13 || c == 9 }

    static func isAttributeElement(_ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) -> Bool {
        eq(p, lo, hi, "string") || eq(p, lo, hi, "date") || eq(p, lo, hi, "int") || eq(p, lo, hi, "float")
            || eq(p, lo, hi, "boolean") || eq(p, lo, hi, "id") || eq(p, lo, hi, "list")
            || eq(p, lo, hi, "container")
    }

    /// Counts line feeds in `p[lo..<hi]` (a loop LLVM vectorises).
    static func newlines(_ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) -> Int {
        var count = 0
        var i = lo
        while i < hi {
            count &+= p[i] == 10 ? 1 : 0
            i += 1
        }
        return count
    }

    /// Reads an XES log held whole in `p[0..<n]`: each markup construct in turn (`Scan.step`),
    /// then the checks at the end of the file and what was detected.
    static func read(
        _ p: UnsafePointer<UInt8>, _ n: Int, builder b: inout LogBuilder, compressed: Bool
    ) throws -> HistoryDetection {
        var scan = Scan(p: p, n: n, file: b.file)
        while try scan.step(&b) {}
        try scan.finish(&b)
        return scan.detection(b, compressed: compressed)
    }

    /// A start tag's name and the attributes that matter (`key`, `value`, `scope`).
    private struct StartTag {
        var nameLo: Int
        var nameHi: Int
        var key: ValueRange?
        var value: ValueRange?
        var scope: ValueRange?
        var selfClosing: Bool
    }

    /// The state of one pass over an XES document: the element stack, the event and trace
    /// being read, the `<global scope="event">` defaults, and what `history inspect` reports.
    private struct Scan {
        let p: UnsafePointer<UInt8>
        let n: Int
        let file: String
        /// Offset of the next byte to look at.
        var i = 0
        var stack: [UInt8] = []
        /// Line numbers, counted lazily up to the offsets asked for.
        var countedTo = 0
        var countedLine = 1
        var decodeBuf: [UInt8] = []
        // The event being read.
        var evName: ValueRange? = nil, evRes: ValueRange? = nil, evLife: ValueRange? = nil, evTime: ValueRange? = nil
        var evLine = 0
        // Defaults from <global scope="event">.
        var gName: [UInt8]? = nil, gRes: [UInt8]? = nil, gLife: [UInt8]? = nil, gTime: [UInt8]? = nil
        // The trace being read.
        var traceID: [UInt8]? = nil
        var traceFirstEvent = 0
        var traceLine = 0
        var traceBad: HistoryError? = nil
        var traceCount = 0
        /// The trace's attributes asked for by `HistoryOptions.caseAttributes`: (name, key, value, line).
        var traceAttributes: [(name: String, key: String, value: String, line: Int)] = []
        var sawResource = false, sawLifecycle = false
        /// The event attributes' keys, for `history inspect`: those `<global scope="event">`
        /// declares and those of the first events, in the order first seen. Bounded, so a
        /// big log pays nothing for them after its start.
        var attributeKeys: [[UInt8]] = []
        /// Every `<event>` started, good or bad: the sample ends after the first events
        /// even when `skipBadRows` drops them all.
        var eventsSeen = 0

        init(p: UnsafePointer<UInt8>, n: Int, file: String) {
            self.p = p
            self.n = n
            self.file = file
            stack.reserveCapacity(32)
        }

        /// The line of byte `off` (offsets asked for only grow, so counting goes on from the last).
        mutating func lineAt(_ off: Int) -> Int {
            if off > countedTo {
                countedLine += newlines(p, countedTo, off)
                countedTo = off
            }
            return countedLine
        }

        // MARK: the document, construct by construct

        /// Reads the next markup construct (skipping the text before it); false at the end.
        mutating func step(_ b: inout LogBuilder) throws -> Bool {
            guard i < n, let lt = memchr(p + i, 60, n - i) else { return false }
            i = offset(p, lt)
            let tagStart = i
            guard i + 1 < n else { return false }
            switch p[i + 1] {
            case 63: i = try skipPast(p, n, i + 2, "?>", { lineAt($0) }, file)  // <? … ?>
            case 33: try skipDeclaration()
            case 47: try endTag(at: tagStart, &b)
            default: try startTag(at: tagStart, &b)
            }
            return true
        }

        /// Skips `<!-- -->`, `<![CDATA[ ]]>` or `<!DOCTYPE >` at `i`.
        mutating func skipDeclaration() throws {
            if i + 3 < n && p[i + 2] == 45 && p[i + 3] == 45 {
                i = try skipPast(p, n, i + 4, "-->", { lineAt($0) }, file)
            } else if i + 8 < n && memcmp(p + i + 2, "[CDATA[", 7) == 0 {
                i = try skipPast(p, n, i + 9, "]]>", { lineAt($0) }, file)
            } else {
                i = try skipPast(p, n, i + 2, ">", { lineAt($0) }, file)
            }
        }

        /// `</name>`: closes the innermost element, finishing an event or a trace.
        mutating func endTag(at tagStart: Int, _ b: inout LogBuilder) throws {
            guard let gt = memchr(p + i, 62, n - i) else {
                throw HistoryError(file: file, line: lineAt(tagStart), message: "unterminated end tag")
            }
            i = offset(p, gt) + 1
            guard let ctx = stack.popLast() else {
                throw HistoryError(file: file, line: lineAt(tagStart), message: "unbalanced end tag")
            }
            try close(ctx, &b)
        }

        /// A start tag: what element it opens in its parent's context, and what it records.
        mutating func startTag(at tagStart: Int, _ b: inout LogBuilder) throws {
            let tag = try scanStartTag(at: tagStart)
            let ctx = enter(tag, at: tagStart, &b)
            if tag.selfClosing { try close(ctx, &b) } else { stack.append(ctx) }
        }

        /// Ends an element: an event or a trace is finished, anything else just closes.
        mutating func close(_ ctx: UInt8, _ b: inout LogBuilder) throws {
            if ctx == ctxEvent { try finishEvent(&b) } else if ctx == ctxTrace { try finishTrace(&b) }
        }

        /// Reads a start tag's name and attributes, up to and past its `>` (or `/>`).
        mutating func scanStartTag(at tagStart: Int) throws -> StartTag {
            var j = i + 1
            while j < n && !isSpace(p[j]) && p[j] != 62 && p[j] != 47 { j += 1 }
            var tag = StartTag(nameLo: i + 1, nameHi: j, key: nil, value: nil, scope: nil, selfClosing: false)
            var closed = false
            while j < n {
                let c = p[j]
                if isSpace(c) { j += 1; continue }
                if c == 62 { closed = true; j += 1; break }
                if c == 47 {
                    if j + 1 < n && p[j + 1] == 62 { tag.selfClosing = true; closed = true; j += 2; break }
                    j += 1
                    continue
                }
                let aLo = j
                while j < n && p[j] != 61 && !isSpace(p[j]) && p[j] != 62 && p[j] != 47 { j += 1 }
                let aHi = j
                while j < n && isSpace(p[j]) { j += 1 }
                guard j < n && p[j] == 61 else { continue }  // attribute without value: ignore
                j += 1
                while j < n && isSpace(p[j]) { j += 1 }
                guard j < n, p[j] == 34 || p[j] == 39 else {
                    throw HistoryError(
                        file: file, line: lineAt(tagStart),
                        column: String(decoding: UnsafeBufferPointer(start: p + tag.nameLo, count: tag.nameHi - tag.nameLo), as: UTF8.self),
                        message: "attribute value is not quoted")
                }
                let q = p[j]
                j += 1
                let vLo = j
                guard let endQ = memchr(p + j, Int32(q), n - j) else {
                    throw HistoryError(file: file, line: lineAt(tagStart), message: "unterminated attribute value")
                }
                j = offset(p, endQ)
                let hasEntity = memchr(p + vLo, 38, j - vLo) != nil
                let v = ValueRange(lo: vLo, hi: j, hasEntity: hasEntity)
                j += 1
                if eq(p, aLo, aHi, "key") { tag.key = v } else if eq(p, aLo, aHi, "value") { tag.value = v }
                else if eq(p, aLo, aHi, "scope") { tag.scope = v }
            }
            guard closed else {
                throw HistoryError(file: file, line: lineAt(tagStart), message: "unterminated start tag")
            }
            i = j
            return tag
        }

        /// The context code of the element a start tag opens, given its parent's; starts an
        /// event or a trace, and records an attribute of an event, a trace or a global.
        mutating func enter(_ tag: StartTag, at tagStart: Int, _ b: inout LogBuilder) -> UInt8 {
            let parent = stack.last ?? ctxOther
            let (nameLo, nameHi) = (tag.nameLo, tag.nameHi)
            if parent == ctxEvent || parent == ctxTrace || parent == ctxGlobalEvent || parent == ctxGlobalTrace
                || parent == ctxAttr
            {
                if parent != ctxAttr, let k = tag.key, let v = tag.value, isAttributeElement(p, nameLo, nameHi) {
                    record(key: k, value: v, in: parent, at: tagStart, &b)
                } else if parent == ctxTrace && eq(p, nameLo, nameHi, "event") {
                    evName = nil; evRes = nil; evLife = nil; evTime = nil
                    evLine = lineAt(tagStart)
                    eventsSeen += 1
                    return ctxEvent
                }
                return ctxAttr
            }
            if eq(p, nameLo, nameHi, "trace") && parent == ctxLog {
                traceID = nil
                traceBad = nil
                traceAttributes.removeAll(keepingCapacity: true)
                traceFirstEvent = b.events.count
                traceLine = lineAt(tagStart)
                return ctxTrace
            }
            if eq(p, nameLo, nameHi, "log") && stack.isEmpty { return ctxLog }
            if eq(p, nameLo, nameHi, "global") && parent == ctxLog {
                let isTrace = tag.scope.map { eq(p, $0.lo, $0.hi, "trace") } ?? false
                return isTrace ? ctxGlobalTrace : ctxGlobalEvent
            }
            // Log-level attributes, extensions, classifiers: an ignored subtree.
            return parent == ctxLog ? ctxAttr : ctxOther
        }

        /// Records attribute `key` = `value` of the event, trace or global `parent`.
        mutating func record(key k: ValueRange, value v: ValueRange, in parent: UInt8, at tagStart: Int,
                             _ b: inout LogBuilder) {
            if parent == ctxGlobalEvent || (parent == ctxEvent && eventsSeen <= XESReader.eventsSampledForKeys) {
                noteKey(k)
            }
            if parent == ctxEvent {
                if eq(p, k.lo, k.hi, "concept:name") { evName = v }
                else if eq(p, k.lo, k.hi, "time:timestamp") { evTime = v }
                else if eq(p, k.lo, k.hi, "lifecycle:transition") { evLife = v }
                else if eq(p, k.lo, k.hi, "org:resource") { evRes = v }
            } else if parent == ctxTrace {
                if eq(p, k.lo, k.hi, "concept:name") { traceID = valueBytes(v) }
                else if !b.options.caseAttributes.isEmpty {
                    let key = String(decoding: valueBytes(k), as: UTF8.self)
                    if let name = b.options.caseAttribute(named: key) {
                        traceAttributes.append((name, key, String(decoding: valueBytes(v), as: UTF8.self), lineAt(tagStart)))
                    }
                }
            } else if parent == ctxGlobalEvent {
                if eq(p, k.lo, k.hi, "concept:name") { gName = valueBytes(v) }
                else if eq(p, k.lo, k.hi, "time:timestamp") { gTime = valueBytes(v) }
                else if eq(p, k.lo, k.hi, "lifecycle:transition") { gLife = valueBytes(v) }
                else if eq(p, k.lo, k.hi, "org:resource") { gRes = valueBytes(v) }
            }
        }

        // MARK: values

        mutating func noteKey(_ k: ValueRange) {
            guard attributeKeys.count < XESReader.keysListed else { return }
            let bytes = valueBytes(k)
            if !attributeKeys.contains(bytes) { attributeKeys.append(bytes) }
        }

        /// A value's bytes, entities decoded.
        mutating func valueBytes(_ v: ValueRange) -> [UInt8] {
            if v.hasEntity {
                decodeXMLEntities(p, v.lo, v.hi, into: &decodeBuf)
                return decodeBuf
            }
            return Array(UnsafeBufferPointer(start: p + v.lo, count: v.hi - v.lo))
        }

        /// Interns a value (entities decoded), else the global default; nil when neither is given.
        mutating func intern(_ interner: inout ByteInterner, _ v: ValueRange?, _ dflt: [UInt8]?) -> Int32? {
            if let v {
                if !v.hasEntity { return interner.intern(p + v.lo, v.hi - v.lo) }
                decodeXMLEntities(p, v.lo, v.hi, into: &decodeBuf)
                return interner.intern(decodeBuf)
            }
            if let d = dflt { return interner.intern(d) }
            return nil
        }

        // MARK: events and traces

        /// Adds the event just closed (defaults filled in), or records it as a bad row.
        mutating func finishEvent(_ b: inout LogBuilder) throws {
            let line = evLine
            guard let act = intern(&b.activities, evName, gName) else {
                try b.bad(HistoryError(file: file, line: line, column: "event", message: "event without concept:name"))
                return
            }
            var time: Double? = nil
            if let t = evTime {
                if t.hasEntity {
                    decodeXMLEntities(p, t.lo, t.hi, into: &decodeBuf)
                    time = decodeBuf.withUnsafeBufferPointer { bb in
                        bb.baseAddress.flatMap { b.times.parse($0, 0, bb.count) }
                    }
                } else {
                    time = b.times.parse(p, t.lo, t.hi)
                }
                if time == nil {
                    let text = String(decoding: UnsafeBufferPointer(start: p + t.lo, count: min(t.hi - t.lo, 200)), as: UTF8.self)
                    try b.bad(HistoryError(
                        file: file, line: line, column: "time:timestamp",
                        message: b.times.malformed(text, column: TimestampParser.column(p, offset: t.lo))))
                    return
                }
            } else if let g = gTime {
                time = g.withUnsafeBufferPointer { bb in bb.baseAddress.flatMap { b.times.parse($0, 0, bb.count) } }
            }
            guard let when = time else {
                try b.bad(HistoryError(file: file, line: line, column: "event", message: "event without time:timestamp"))
                return
            }
            let res = intern(&b.resources, evRes, gRes) ?? -1
            if res >= 0 { sawResource = true }
            var transition: Int32 = -1
            var kind = EventKind.complete
            var lifeBytes: [UInt8]? = nil
            if let l = evLife { lifeBytes = valueBytes(l) } else if let g = gLife { lifeBytes = g }
            if let lb = lifeBytes {
                sawLifecycle = true
                (transition, kind) = b.transition(b.transitions.intern(lb))
            }
            b.events.append(RawEvent(
                caseIndex: -1, activity: act, resource: res, transition: transition, kind: kind,
                start: .nan, end: when, line: line))
        }

        /// Gives the trace just closed its case (and attributes) on its events, or drops them
        /// as one bad row when it has no name or a conflicting attribute.
        mutating func finishTrace(_ b: inout LogBuilder) throws {
            traceCount += 1
            if let err = traceBad ?? (traceID == nil
                ? HistoryError(file: file, line: traceLine, column: "trace", message: "trace without concept:name")
                : nil)
            {
                b.events.removeSubrange(traceFirstEvent...)
                try b.bad(err)
                return
            }
            guard let id = traceID else { return }
            let c = b.cases.intern(id)
            for a in traceAttributes {
                guard try b.caseAttribute(case: c, name: a.name, column: a.key, value: a.value, line: a.line) else {
                    b.events.removeSubrange(traceFirstEvent...)
                    return
                }
            }
            var k = traceFirstEvent
            while k < b.events.count {
                b.events[k].caseIndex = c
                k += 1
            }
        }

        // MARK: the end

        /// Throws when the file ends inside an element, or holds no trace at all.
        mutating func finish(_ b: inout LogBuilder) throws {
            if let open = stack.last {
                let names: [UInt8: String] = [ctxLog: "log", ctxTrace: "trace", ctxEvent: "event"]
                throw HistoryError(
                    file: file, line: lineAt(n), column: names[open],
                    message: "unexpected end of file inside <\(names[open] ?? "element")>")
            }
            if traceCount == 0 && b.events.isEmpty && b.skippedCount == 0 {
                throw HistoryError(file: file, message: "no <trace> elements: not an XES log?")
            }
        }

        /// What was read, for `history inspect`: the standard keys used and the attribute keys seen.
        func detection(_ b: LogBuilder, compressed: Bool) -> HistoryDetection {
            var chosen: [HistoryField: String] = [
                .caseID: "concept:name (trace)", .activity: "concept:name", .end: "time:timestamp",
            ]
            if sawResource { chosen[.resource] = "org:resource" }
            if sawLifecycle { chosen[.lifecycle] = "lifecycle:transition" }
            return HistoryDetection(
                format: .xes, compressed: compressed, delimiter: nil, delimiterSniffed: false,
                columns: attributeKeys.map { String(decoding: $0, as: UTF8.self) },
                chosen: chosen, passedOver: [:], overridden: [], timestampFormats: b.times.layouts,
                timeZone: b.timeZoneName)
        }
    }

    /// Index just past the next occurrence of `end` at or after `from`.
    private static func skipPast(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ from: Int, _ end: StaticString, _ lineAt: (Int) -> Int,
        _ file: String
    ) throws -> Int {
        let m = end.utf8CodeUnitCount
        let first = end.utf8Start[0]
        var i = from
        while i + m <= n {
            guard let hit = memchr(p + i, Int32(first), n - i) else { break }
            i = offset(p, hit)
            if i + m <= n && memcmp(p + i, end.utf8Start, m) == 0 { return i + m }
            i += 1
        }
        throw HistoryError(file: file, line: lineAt(from), message: "unterminated '\(end)' construct")
    }
}
