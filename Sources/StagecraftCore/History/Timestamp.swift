import Foundation

/// Parses event-log timestamps from bytes into seconds since the epoch (UTC).
///
/// Accepted forms (surrounding spaces ignored):
/// - `YYYY-MM-DD` or `YYYY/MM/DD` alone (midnight);
/// - followed by `T`, `t` or a space and `HH:MM[:SS[.f…]]` with a fraction of 0–9 digits
///   (`.` or `,` as the separator);
/// - optionally followed (possibly after one space) by a zone: `Z`, `±HH:MM`, `±HHMM` or `±HH`.
///
/// Naive times (no zone) are wall-clock times in `timeZone`; the UTC offset is looked up once per
/// local hour and cached. Instants are computed from integer milliseconds (or nanoseconds when the
/// fraction is finer) so that millisecond values round-trip exactly.
struct TimestampParser {
    /// Nil for UTC (no lookups needed).
    let timeZone: TimeZone?
    private var offsetCache: [Int64: Int32] = [:]
    private var lastHour: Int64 = .min
    private var lastOffset: Int32 = 0
    private var lastDateWord: UInt64 = 0
    private var lastDateTail: UInt16 = 0
    private var lastDays: Int64 = 0
    private var hasLastDate = false
    /// Counts per layout code (see `layoutName`).
    private(set) var layoutCounts = [Int](repeating: 0, count: TimestampParser.layoutSlots)

    static let layoutSlots = 4 * 11 * 5

    init(timeZone: TimeZone?) {
        if let tz = timeZone, tz.identifier != "UTC", tz.identifier != "GMT" {
            self.timeZone = tz
        } else {
            self.timeZone = nil
        }
    }

    /// Parses `p[lo..<hi]`; nil when malformed.
    mutating func parse(_ p: UnsafePointer<UInt8>, _ lo0: Int, _ hi0: Int) -> Double? {
        var lo = lo0
        var hi = hi0
        while lo < hi && p[lo] == 32 { lo += 1 }
        while hi > lo && p[hi - 1] == 32 { hi -= 1 }
        @inline(__always) func digit(_ i: Int) -> Int64? {
            let c = p[i]
            return c >= 48 && c <= 57 ? Int64(c &- 48) : nil
        }
        @inline(__always) func two(_ i: Int) -> Int64? {
            guard i + 2 <= hi, let a = digit(i), let b = digit(i + 1) else { return nil }
            return a * 10 + b
        }
        guard hi - lo >= 10 else { return nil }
        let sep = p[lo + 4]
        // Consecutive rows usually share the date: reuse its day number when the 10 bytes match.
        let dateWord = UnsafeRawPointer(p + lo).loadUnaligned(as: UInt64.self)
        let dateTail = UnsafeRawPointer(p + lo + 8).loadUnaligned(as: UInt16.self)
        let days: Int64
        if hasLastDate && dateWord == lastDateWord && dateTail == lastDateTail {
            days = lastDays
        } else {
            guard let y0 = digit(lo), let y1 = digit(lo + 1), let y2 = digit(lo + 2), let y3 = digit(lo + 3),
                  sep == 45 || sep == 47, p[lo + 7] == sep, let month = two(lo + 5), let day = two(lo + 8)
            else { return nil }
            let year = y0 * 1000 + y1 * 100 + y2 * 10 + y3
            guard month >= 1, month <= 12, day >= 1,
                  day <= Int64(CivilDate.daysIn(month: Int(month), year: Int(year)))
            else { return nil }
            days = Int64(CivilDate(year: Int(year), month: Int(month), day: Int(day)).dayNumber)
            lastDateWord = dateWord
            lastDateTail = dateTail
            lastDays = days
            hasLastDate = true
        }
        var i = lo + 10
        var secondsOfDay: Int64 = 0
        var nanos: Int64 = 0
        var fracDigits = 0
        var sepKind = sep == 47 ? 2 : 0  // 0 "-T", 1 "- ", 2 "/ ", 3 date only
        if i == hi {
            sepKind = 3
        } else {
            let t = p[i]
            if t == 84 || t == 116 || t == 32 {
                if sep == 45 && t == 32 { sepKind = 1 }
                i += 1
                guard let hh = two(i), hh <= 23, i + 2 < hi, p[i + 2] == 58, let mm = two(i + 3), mm <= 59
                else { return nil }
                i += 5
                var ss: Int64 = 0
                if i < hi && p[i] == 58 {
                    guard let s = two(i + 1), s <= 60 else { return nil }
                    ss = s
                    i += 3
                    if i < hi && (p[i] == 46 || p[i] == 44) {
                        i += 1
                        while i < hi, let d = digit(i) {
                            guard fracDigits < 9 else { return nil }
                            nanos = nanos * 10 + d
                            fracDigits += 1
                            i += 1
                        }
                        guard fracDigits > 0 else { return nil }
                        var scale = fracDigits
                        while scale < 9 { nanos *= 10; scale += 1 }
                    }
                }
                secondsOfDay = hh * 3600 + mm * 60 + ss
            } else if t != 43 && t != 45 && t != 90 && t != 122 {
                return nil
            } else {
                sepKind = 3
            }
        }
        // Zone.
        var zoneKind = 0  // 0 naive, 1 Z, 2 ±HH:MM, 3 ±HHMM, 4 ±HH
        var offset: Int64 = 0
        if i < hi && p[i] == 32 && i + 1 < hi { i += 1 }
        if i < hi {
            let z = p[i]
            if (z == 90 || z == 122) && i + 1 == hi {
                zoneKind = 1
            } else if z == 43 || z == 45 {
                guard let oh = two(i + 1), oh <= 18 else { return nil }
                var om: Int64 = 0
                if i + 3 == hi {
                    zoneKind = 4
                } else if i + 6 == hi && p[i + 3] == 58, let m = two(i + 4), m <= 59 {
                    om = m
                    zoneKind = 2
                } else if i + 5 == hi, let m = two(i + 3), m <= 59 {
                    om = m
                    zoneKind = 3
                } else {
                    return nil
                }
                offset = (oh * 3600 + om * 60) * (z == 45 ? -1 : 1)
            } else {
                return nil
            }
        }
        let local = days * 86_400 + secondsOfDay
        var utc: Int64
        if zoneKind == 0 {
            utc = local - Int64(naiveOffset(local))
        } else {
            utc = local - offset
        }
        let code = (sepKind * 11 + (sepKind == 3 ? 10 : fracDigits)) * 5 + zoneKind
        if code >= 0 && code < layoutCounts.count { layoutCounts[code] += 1 }
        if nanos % 1_000_000 == 0 {
            return Double(utc * 1000 + nanos / 1_000_000) / 1000
        }
        return Double(utc) + Double(nanos) / 1e9
    }

    /// The message for a timestamp no layout reads, naming the layouts tried.
    static func malformed(_ text: String) -> String {
        "malformed timestamp '\(Excerpt.quoted(text, limit: 60))' (tried YYYY-MM-DD and YYYY/MM/DD, alone or with "
            + "THH:MM[:SS[.fff]] or ' HH:MM[:SS[.fff]]', and a zone Z, +HH:MM, +HHMM or +HH)"
    }

    /// Parses a Swift string (tests, XES attribute values after entity decoding).
    mutating func parse(_ s: String) -> Double? {
        var bytes = Array(s.utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return nil }
            return parse(base, 0, b.count - 1)
        }
    }

    /// Offset (seconds east of UTC) of the configured zone at a local wall-clock time.
    private mutating func naiveOffset(_ local: Int64) -> Int32 {
        guard let tz = timeZone else { return 0 }
        let hour = local >= 0 ? local / 3600 : (local - 3599) / 3600
        if hour == lastHour { return lastOffset }
        let off: Int32
        if let cached = offsetCache[hour] {
            off = cached
        } else {
            let guess = tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local)))
            let o = tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local - Int64(guess))))
            off = Int32(clamping: o)
            offsetCache[hour] = off
        }
        lastHour = hour
        lastOffset = off
        return off
    }

    /// Layouts seen, most frequent first.
    var layouts: [TimestampFormatCount] {
        var out: [TimestampFormatCount] = []
        for (code, n) in layoutCounts.enumerated() where n > 0 {
            out.append(TimestampFormatCount(format: TimestampParser.layoutName(code), count: n))
        }
        return out.sorted { ($0.count, $1.format) > ($1.count, $0.format) }
    }

    static func layoutName(_ code: Int) -> String {
        let zone = code % 5
        let frac = (code / 5) % 11
        let sep = code / 55
        var s: String
        switch sep {
        case 0: s = "YYYY-MM-DDTHH:MM:SS"
        case 1: s = "YYYY-MM-DD HH:MM:SS"
        case 2: s = "YYYY/MM/DD HH:MM:SS"
        default: s = "YYYY-MM-DD"
        }
        if sep != 3 && frac > 0 && frac < 10 { s += "." + String(repeating: "f", count: frac) }
        switch zone {
        case 1: s += "Z"
        case 2: s += "+HH:MM"
        case 3: s += "+HHMM"
        case 4: s += "+HH"
        default: break
        }
        return s
    }
}
