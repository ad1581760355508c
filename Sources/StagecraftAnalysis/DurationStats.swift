/// Mean, median and upper percentiles of a set of durations (seconds).
///
/// Percentiles interpolate linearly between the closest ranks at position `(n − 1) · q`
/// (NumPy's and pandas' default); the median is the mean of the two middle values when
/// there is an even number of them.
public struct DurationStats: Sendable, Hashable {
    /// How many values.
    public var count: Int
    /// Sum of the values.
    public var total: Double
    /// Arithmetic mean.
    public var mean: Double
    /// 50th percentile.
    public var median: Double
    /// 85th percentile.
    public var p85: Double
    /// 95th percentile.
    public var p95: Double

    /// Statistics of values sorted in ascending order; nil when there are none.
    public init?(sorted values: [Double]) {
        guard let s = values.withUnsafeBufferPointer({ DurationStats(sortedBuffer: $0) }) else { return nil }
        self = s
    }

    /// Statistics of a buffer of values sorted in ascending order; nil when there are none.
    init?(sortedBuffer values: UnsafeBufferPointer<Double>) {
        let n = values.count
        guard n > 0 else { return nil }
        var sum = 0.0
        for v in values { sum += v }
        count = n
        total = sum
        mean = sum / Double(n)
        median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2
        p85 = DurationStats.quantile(values, 0.85)
        p95 = DurationStats.quantile(values, 0.95)
    }

    /// Statistics of values in any order (sorts a copy).
    public init?(_ values: [Double]) {
        self.init(sorted: values.sorted())
    }

    /// The `q`-quantile (0…1) of ascending values by linear interpolation at `(n − 1) · q`;
    /// nil for no values.
    public static func quantile(sorted values: [Double], _ q: Double) -> Double {
        values.withUnsafeBufferPointer { quantile($0, q) }
    }

    static func quantile(_ values: UnsafeBufferPointer<Double>, _ q: Double) -> Double {
        let n = values.count
        guard n > 1 else { return values.first ?? 0 }
        let position = Double(n - 1) * min(max(q, 0), 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, n - 1)
        let fraction = position - Double(lower)
        return values[lower] + (values[upper] - values[lower]) * fraction
    }
}

/// Formats seconds for people: `12s`, `45m`, `5h12m`, `3.2d` (and `140d` from 100 days on).
public func humanDuration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "–" }
    // Beyond any real log (about 30 million years): never convert such values to Int.
    guard abs(seconds) < 1e15 else { return seconds < 0 ? "-∞" : "∞" }
    if seconds < 0 { return "-" + humanDuration(-seconds) }
    if seconds < 59.5 { return "\(Int(seconds.rounded()))s" }
    let minutes = Int((seconds / 60).rounded())
    if minutes < 60 { return "\(minutes)m" }
    if minutes < 24 * 60 {
        let h = minutes / 60, m = minutes % 60
        return m == 0 ? "\(h)h" : "\(h)h\(m)m"
    }
    let days = seconds / 86_400
    if days >= 99.95 { return "\(Int(days.rounded()))d" }
    let tenths = Int((days * 10).rounded())
    return tenths % 10 == 0 ? "\(tenths / 10)d" : "\(tenths / 10).\(tenths % 10)d"
}

/// Formats a share (0…1) as a percentage: `41%`, `4.5%`, `0%`.
public func percentText(_ share: Double) -> String {
    guard share.isFinite, abs(share) < 1e12 else { return "–" }
    if share < 0 { return "-" + percentText(-share) }
    let p = share * 100
    if p >= 9.95 || p == 0 { return "\(Int(p.rounded()))%" }
    let tenths = Int((p * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)%"
}
