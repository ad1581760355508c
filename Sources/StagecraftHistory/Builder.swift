import Foundation

/// What a raw event means for occurrences.
enum EventKind: UInt8 {
    /// A one-row interval (start and end columns); start may be missing (an instant).
    case interval
    /// A one-row interval with a start but a blank end: unfinished.
    case openInterval
    /// Lifecycle `start`.
    case start
    /// Lifecycle `complete` (or a value outside the XES lifecycle model, see `classifyTransition`).
    case complete
    /// Lifecycle transition that is not an occurrence (schedule, assign, …): a ready hint.
    case hint
}

/// One row/event as read, before pairing. Times use NaN for "absent". Stored compactly, since
/// a log holds one per event until it is assembled: the line in 40 bits.
struct RawEvent {
    var caseIndex: Int32
    var activity: Int32
    var resource: Int32  // -1 = none
    var transition: Int32  // -1 = none
    private var lineLow: UInt32
    private var lineHigh: UInt8
    var kind: EventKind
    var start: Double
    var end: Double

    init(caseIndex: Int32, activity: Int32, resource: Int32, transition: Int32, kind: EventKind,
         start: Double, end: Double, line: Int) {
        self.caseIndex = caseIndex
        self.activity = activity
        self.resource = resource
        self.transition = transition
        let clamped = UInt64(clamping: max(0, min(line, 1 << 40 - 1)))
        lineLow = UInt32(truncatingIfNeeded: clamped)
        lineHigh = UInt8(truncatingIfNeeded: clamped >> 32)
        self.kind = kind
        self.start = start
        self.end = end
    }

    /// The line of the row or `<event>`.
    var line: Int { Int(lineHigh) << 32 | Int(lineLow) }

    /// Primary sort key: start ?? end (lifecycle events carry their time in `end`).
    @inline(__always) var key1: Double { start.isNaN ? end : start }
    @inline(__always) var key2: Double { end.isNaN ? .infinity : end }
}

/// Classifies a lifecycle transition value (case-insensitive): `start`, a ready hint (the other
/// transitions of the XES lifecycle model), or `complete` (docs/cli.md, "Recorded history").
func classifyTransition(_ raw: String) -> EventKind {
    switch raw.lowercased().trimmingCharacters(in: .whitespaces) {
    case "start": return .start
    case "complete", "": return .complete
    case "schedule", "assign", "reassign", "suspend", "resume", "withdraw", "ate_abort", "pi_abort",
         "autoskip", "manualskip":
        return .hint
    default: return .complete
    }
}

/// Accumulates raw events from a reader, then assembles the `EventLog`.
struct LogBuilder {
    let file: String
    let options: HistoryOptions
    var cases = ByteInterner()
    var activities = ByteInterner()
    var resources = ByteInterner()
    var transitions = ByteInterner()
    private var transitionKinds: [EventKind] = []
    private var transitionCounts: [Int] = []
    var events: [RawEvent] = []
    /// A hash of each event's row as written (line ending aside), for CSV and JSONL: rows
    /// with equal hashes count as byte-identical duplicates (the input is not kept for a
    /// byte comparison; two different rows agree on 64 bits by chance once in 2^64).
    var rowHashes: [UInt64] = []
    var times: TimestampParser
    var skippedCount = 0
    var skippedLines: [Int] = []
    var skippedMessages: [String] = []
    /// Case attributes asked for by `options.caseAttributes`, per case index.
    var attributes: [Int32: [String: CaseAttribute]] = [:]

    init(file: String, options: HistoryOptions) throws {
        self.file = file
        self.options = options
        var tz: TimeZone? = nil
        if let id = options.timeZone {
            guard let zone = TimeZone(identifier: id) else {
                throw HistoryError(file: file, message: "unknown time zone '\(id)'")
            }
            tz = zone
        }
        times = TimestampParser(timeZone: tz, format: options.timestampFormat)
    }

    var timeZoneName: String { options.timeZone ?? "UTC" }

    /// Counts lifecycle value `t` (its index in `transitions`) and returns it with its kind.
    @inline(__always)
    mutating func transition(_ t: Int32) -> (Int32, EventKind) {
        let i = Int(t)
        if i == transitionKinds.count {
            transitionKinds.append(classifyTransition(transitions.strings[i]))
            transitionCounts.append(0)
        }
        transitionCounts[i] += 1
        return (t, transitionKinds[i])
    }

    /// Records a bad row: throws unless `skipBadRows`.
    mutating func bad(_ error: HistoryError) throws {
        guard options.skipBadRows else { throw error }
        skippedCount += 1
        if skippedLines.count < 10 {
            skippedLines.append(error.line ?? 0)
            skippedMessages.append(error.description)
        }
    }

    /// Records case attribute `name` of case `c`. A case has one value per attribute: a
    /// different non-blank value on a later row is a bad row (returns false when skipped).
    mutating func caseAttribute(case c: Int32, name: String, column: String, value raw: String, line: Int) throws -> Bool {
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { return true }
        if let old = attributes[c]?[name] {
            guard old.value != value else { return true }
            try bad(HistoryError(
                file: file, line: line, column: column,
                message: "case '\(cases.strings[Int(c)])' has \(name) '\(value)' here but '\(old.value)' on line \(old.line): "
                    + "a case has one \(name)"))
            return false
        }
        attributes[c, default: [:]][name] = CaseAttribute(value: value, column: column, line: line)
        return true
    }

    /// Groups, sorts, detects duplicates, pairs lifecycle events, and builds the log.
    func finish(detection: HistoryDetection) -> EventLog {
        var identical = 0
        let caseCount = cases.count
        let n = events.count
        // Counting sort by case, stable (file order within a case).
        var bounds = [Int](repeating: 0, count: caseCount + 1)
        for e in events { bounds[Int(e.caseIndex) + 1] += 1 }
        for c in 0..<caseCount { bounds[c + 1] += bounds[c] }
        var order = [Int](repeating: 0, count: n)
        var fill = bounds
        for (i, e) in events.enumerated() {
            let c = Int(e.caseIndex)
            order[fill[c]] = i
            fill[c] += 1
        }
        var dupLines: [Int] = []
        var dupCount = 0
        var outCases: [HistoryCase] = []
        outCases.reserveCapacity(caseCount)
        var queues: [Int32: [Int]] = [:]
        events.withUnsafeBufferPointer { ev in
            order.withUnsafeMutableBufferPointer { ord in
                for c in 0..<caseCount {
                    let lo = bounds[c]
                    let hi = bounds[c + 1]
                    // A case whose every row was skipped (--skip-bad-rows) is no case. (An XES
                    // trace with no events at all is still one.)
                    if lo == hi && skippedCount > 0 { continue }
                    let slice = UnsafeMutableBufferPointer(rebasing: ord[lo..<hi])
                    sortCase(slice, ev)
                    // Duplicates: equal rows are adjacent within runs of equal (key1, key2).
                    var dropped: Set<Int> = []
                    var r = 0
                    while r < slice.count {
                        var s = r + 1
                        let a = ev[slice[r]]
                        while s < slice.count {
                            let b = ev[slice[s]]
                            if !(sameTime(a.key1, b.key1) && sameTime(a.key2, b.key2)) { break }
                            s += 1
                        }
                        if s - r > 1 {
                            var run = Array(slice[r..<s])
                            run.sort { x, y in
                                let ex = ev[x], ey = ev[y]
                                return (ex.activity, ex.resource, ex.transition, ex.line)
                                    < (ey.activity, ey.resource, ey.transition, ey.line)
                            }
                            var groupStart = 0
                            for k in 1..<run.count {
                                let p = ev[run[k - 1]], q = ev[run[k]]
                                if p.activity == q.activity && p.resource == q.resource
                                    && p.transition == q.transition && sameTime(p.start, q.start)
                                    && sameTime(p.end, q.end)
                                {
                                    dupCount += 1
                                    dupLines.append(q.line)
                                    if options.dedupe { dropped.insert(run[k]) }
                                    if run[k] < rowHashes.count {
                                        for g in groupStart..<k where rowHashes[run[g]] == rowHashes[run[k]] {
                                            identical += 1
                                            break
                                        }
                                    }
                                } else {
                                    groupStart = k
                                }
                            }
                        }
                        r = s
                    }
                    outCases.append(assemble(c, slice, ev, dropped, &queues))
                }
            }
        }
        dupLines.sort()
        var perActivity = [Int](repeating: 0, count: activities.count)
        for e in events { perActivity[Int(e.activity)] += 1 }
        var kinds: [TransitionCount] = []
        for (i, name) in transitions.strings.enumerated() where transitionCounts[i] > 0 {
            kinds.append(TransitionCount(transition: name, count: transitionCounts[i]))
        }
        kinds.sort { ($0.count, $1.transition) > ($1.count, $0.transition) }
        return EventLog(
            source: file, activities: activities.strings, activityEventCounts: perActivity, resources: resources.strings, cases: outCases,
            eventCount: n, duplicates: LineReport(count: dupCount, firstLines: Array(dupLines.prefix(10))),
            identicalDuplicateRows: rowHashes.isEmpty ? nil : identical,
            dedupeApplied: options.dedupe,
            skipped: LineReport(count: skippedCount, firstLines: skippedLines, firstMessages: skippedMessages),
            transitions: kinds, detection: detection)
    }

    /// Records the row of the event just appended: `p[lo..<hi]`, without its line ending.
    @inline(__always)
    mutating func noteRow(_ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) {
        var end = hi
        while end > lo && (p[end - 1] == 10 || p[end - 1] == 13) { end -= 1 }
        rowHashes.append(LogBuilder.rowHash(p + lo, end - lo))
    }

    /// A 64-bit hash of `n` bytes (xxHash64's rounds, eight bytes at a time; not for
    /// adversaries, only to tell rows apart).
    static func rowHash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let prime1: UInt64 = 0x9E37_79B1_85EB_CA87, prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        let prime3: UInt64 = 0x1656_67B1_9E37_79F9
        var h = prime3 &+ UInt64(truncatingIfNeeded: n)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            var k = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) &* prime2
            k = (k << 31 | k >> 33) &* prime1
            h ^= k
            h = (h << 27 | h >> 37) &* prime1 &+ prime3
            i += 8
        }
        while i < n {
            h ^= UInt64(p[i]) &* prime1
            h = (h << 11 | h >> 53) &* prime2
            i += 1
        }
        h ^= h >> 33
        h = h &* prime2
        h ^= h >> 29
        h = h &* prime3
        h ^= h >> 32
        return h
    }

    @inline(__always)
    private func sameTime(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }

    private func sortCase(_ slice0: UnsafeMutableBufferPointer<Int>, _ ev: UnsafeBufferPointer<RawEvent>) {
        // Most logs are already in time order within a case: check before sorting.
        var slice = slice0
        var sorted = true
        var i = 1
        while i < slice.count {
            if less(ev[slice[i]], ev[slice[i - 1]]) { sorted = false; break }
            i += 1
        }
        if !sorted { slice.sort { less(ev[$0], ev[$1]) } }
    }

    @inline(__always)
    private func less(_ a: RawEvent, _ b: RawEvent) -> Bool {
        let a1 = a.key1, b1 = b.key1
        if a1 != b1 { return a1 < b1 }
        let a2 = a.key2, b2 = b.key2
        if a2 != b2 { return a2 < b2 }
        return a.line < b.line
    }

    private func assemble(
        _ c: Int, _ slice: UnsafeMutableBufferPointer<Int>, _ ev: UnsafeBufferPointer<RawEvent>,
        _ dropped: Set<Int>, _ queues: inout [Int32: [Int]]
    ) -> HistoryCase {
        var occ: [Occurrence] = []
        occ.reserveCapacity(slice.count)
        var hints: [ReadyHint] = []
        var unfinished: [UnfinishedStart] = []
        var paired = false
        queues.removeAll(keepingCapacity: true)
        @inline(__always) func res(_ r: Int32) -> Int? { r < 0 ? nil : Int(r) }
        for idx in slice where dropped.isEmpty || !dropped.contains(idx) {
            let e = ev[idx]
            switch e.kind {
            case .interval:
                occ.append(Occurrence(
                    activity: Int(e.activity), resource: res(e.resource), start: e.start.isNaN ? nil : e.start,
                    end: e.end, line: e.line))
            case .openInterval:
                unfinished.append(UnfinishedStart(
                    activity: Int(e.activity), resource: res(e.resource), start: e.start, line: e.line))
            case .start:
                queues[e.activity, default: []].append(idx)
            case .complete:
                if var q = queues[e.activity], !q.isEmpty {
                    let s = ev[q.removeFirst()]
                    queues[e.activity] = q
                    paired = true
                    occ.append(Occurrence(
                        activity: Int(e.activity), resource: res(e.resource >= 0 ? e.resource : s.resource),
                        start: s.end, end: e.end, line: s.line))
                } else {
                    occ.append(Occurrence(
                        activity: Int(e.activity), resource: res(e.resource), start: nil, end: e.end, line: e.line))
                }
            case .hint:
                hints.append(ReadyHint(
                    activity: Int(e.activity), transition: transitions.strings[Int(e.transition)],
                    resource: res(e.resource), time: e.end, line: e.line))
            }
        }
        if !queues.isEmpty {
            var rest: [Int] = []
            for q in queues.values { rest.append(contentsOf: q) }
            rest.sort { less(ev[$0], ev[$1]) }
            for idx in rest {
                let s = ev[idx]
                unfinished.append(UnfinishedStart(
                    activity: Int(s.activity), resource: res(s.resource), start: s.end, line: s.line))
            }
            unfinished.sort { ($0.start, $0.line) < ($1.start, $1.line) }
        }
        if paired {
            occ.sort { a, b in
                let a1 = a.start ?? a.end, b1 = b.start ?? b.end
                if a1 != b1 { return a1 < b1 }
                if a.end != b.end { return a.end < b.end }
                return a.line < b.line
            }
        }
        return HistoryCase(id: cases.strings[c], occurrences: occ, readyHints: hints, unfinished: unfinished,
                           attributes: attributes[Int32(c)] ?? [:])
    }
}
