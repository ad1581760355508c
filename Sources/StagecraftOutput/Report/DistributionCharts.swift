/// Distributions of durations: histograms and cumulative curves, with labelled markers.

import Foundation
import StagecraftLanguage
import StagecraftSimulation
import StagecraftSyntax

/// One histogram bin: `[lower, upper)`, the last bin closed `[lower, upper]`.
public struct HistogramBin: Hashable, Sendable {
    public var lower: Double
    public var upper: Double
    public var count: Int
}

/// Deterministic binning.
public enum Histogram {
    /// Bins for `values` (non-finite values are left out): the Freedman–Diaconis width
    /// (2 · IQR / ∛n), with the bin count clamped to `minBins…maxBins`, then rounded to the
    /// nearest 1, 2, 2.5 or 5 × 10^k (in log distance) so edges are round numbers, and
    /// moved one step coarser or finer if that leaves more than `maxBins` or fewer than half
    /// of `minBins`. Bins start at a multiple of the width at or below the minimum. All
    /// equal values give one bin of width 1 around them. No values give no bins.
    public static func bins(_ values: [Double], minBins: Int = 10, maxBins: Int = 40) -> [HistogramBin] {
        let xs = values.filter(\.isFinite).sorted()
        guard let lo = xs.first, let hi = xs.last else { return [] }
        let minB = max(1, minBins), maxB = max(minB, maxBins)
        let range = hi - lo
        // Beyond ±10^12 days nothing is meaningful to bin finely: one bin holds it all.
        guard range.isFinite, range < 1e12 else { return [HistogramBin(lower: lo, upper: hi, count: xs.count)] }
        guard range > 1e-12 * max(1, abs(hi)) else {
            return [HistogramBin(lower: lo - 0.5, upper: lo + 0.5, count: xs.count)]
        }
        let iqr = SimulationStatistics.percentile(sorted: xs, 0.75) - SimulationStatistics.percentile(sorted: xs, 0.25)
        var width = 2 * iqr / cbrt(Double(xs.count))
        if !(width > 0) || !width.isFinite { width = range / Double(minB) }
        let count = min(Double(maxB), max(Double(minB), (range / width).rounded(.up)))
        width = range / count
        var candidates = niceSteps(around: width)
        var index = candidates.index
        func binCount(_ w: Double) -> Int {
            let start = (lo / w).rounded(.down) * w
            return max(1, Int(((hi - start) / w).rounded(.down)) + 1)
        }
        var guardSteps = 0
        while binCount(candidates.steps[index]) > maxB && guardSteps < 8 {
            index += 1
            if index >= candidates.steps.count {
                candidates = niceSteps(around: candidates.steps[candidates.steps.count - 1] * 10)
                index = candidates.index
            }
            guardSteps += 1
        }
        while binCount(candidates.steps[index]) * 2 < minB && index > 0 && binCount(candidates.steps[index - 1]) <= maxB {
            index -= 1
        }
        width = candidates.steps[index]
        let start = (lo / width).rounded(.down) * width
        // The maximum falls in the last bin, also when it lies exactly on an edge.
        var n = max(1, Int(((hi - start) / width).rounded(.up)))
        if start + Double(n) * width < hi { n += 1 }
        var counts = [Int](repeating: 0, count: n)
        for x in xs {
            let k = Int(((x - start) / width).rounded(.down))
            counts[min(n - 1, max(0, k))] += 1
        }
        var bins: [HistogramBin] = []
        bins.reserveCapacity(n)
        for i in 0..<n {
            let lower = start + Double(i) * width
            bins.append(HistogramBin(lower: lower, upper: lower + width, count: counts[i]))
        }
        return bins
    }

    /// The round steps near `w`: 1, 2, 2.5, 5 × 10^(k−1…k+1), ascending, and the index of
    /// the one nearest `w` in log distance.
    static func niceSteps(around width: Double) -> (steps: [Double], index: Int) {
        let w = width.isFinite && width > 1e-12 ? min(width, 1e13) : 1
        var magnitude = 1.0
        if w >= 1 {
            while magnitude * 10 <= w { magnitude *= 10 }
        } else {
            while magnitude > w && magnitude > 1e-12 { magnitude /= 10 }
        }
        var steps: [Double] = []
        for m in [magnitude / 10, magnitude, magnitude * 10] {
            for k in [1.0, 2, 2.5, 5] { steps.append(k * m) }
        }
        var best = 0
        var bestDistance = Double.infinity
        for (i, s) in steps.enumerated() {
            let d = abs(s / w - 1) + abs(w / s - 1)
            if d < bestDistance {
                best = i
                bestDistance = d
            }
        }
        return (steps, best)
    }
}

/// A labelled vertical line on a distribution chart.
public struct ChartMarker: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case percentile, deadline, reference
    }

    public var label: String
    /// Position on the value axis (days).
    public var value: Double
    public var kind: Kind = .percentile
}

/// Durations to draw as a histogram or a cumulative curve.
public struct DistributionInput: Hashable, Sendable {
    /// Durations in days (non-finite values are left out).
    public var values: [Double]
    public var markers: [ChartMarker] = []
    /// The value axis title, e.g. "Lead time (calendar days from kickoff)".
    public var axisTitle = "Days"
    /// What one count is, e.g. "runs" or "cases".
    public var countName = "count"
    /// The unit after numbers in notes and tooltips: `d` (calendar days) or `bd`.
    public var unit = "d"
    /// When set, the value axis ends here: a long tail beyond it is not drawn but counted in
    /// a note ("12 runs above 48.0 d not shown"), so the body of the distribution stays legible.
    public var clipAbove: Double?

    /// A cut-off for a long right tail: when the largest value is more than 25% beyond
    /// both the 99th percentile and every marker, cut at the larger of those two plus 5%;
    /// otherwise nil (draw everything).
    public static func tailClip(_ values: [Double], markers: [ChartMarker]) -> Double? {
        let xs = values.filter(\.isFinite).sorted()
        guard let hi = xs.last, xs.count >= 20 else { return nil }
        let p99 = SimulationStatistics.percentile(sorted: xs, 0.99)
        let limit = max(p99, markers.map(\.value).filter(\.isFinite).max() ?? p99)
        guard limit > 0, hi > limit * 1.25 else { return nil }
        return limit * 1.05
    }

    /// The markers on the drawn part of the axis.
    var visibleMarkers: [ChartMarker] {
        markers.filter { $0.value.isFinite && $0.value <= (clipAbove ?? .infinity) }
    }

    /// The values drawn (finite, not beyond `clipAbove`) and how many lie beyond.
    var drawn: (values: [Double], beyond: Int) {
        let finite = values.filter(\.isFinite)
        guard let clip = clipAbove, clip.isFinite else { return (finite, 0) }
        let kept = finite.filter { $0 <= clip }
        return (kept, finite.count - kept.count)
    }
}

/// The geometry the distribution charts share.
public enum DistributionLayout {
    public static let width = 960.0
    public static let height = 320.0
    public static let plotLeft = 70.0
    public static let plotRight = 930.0
    /// Room above the plot for up to three rows of marker labels.
    public static let plotTop = 56.0
    public static let plotBottom = 260.0
}

extension ReportCharts {
    /// A histogram of durations (`class="chart chart-histogram <extraClass>"`), with count
    /// ticks, a day axis and the markers as labelled vertical lines.
    public static func histogram(_ input: DistributionInput, title: String, extraClass: String? = nil) -> String {
        typealias L = DistributionLayout
        let className = "chart-histogram" + (extraClass.map { " " + $0 } ?? "")
        var svg = SVGWriter(width: L.width, height: L.height, className: className, title: title,
                            description: "Histogram of \(input.values.count) \(input.countName)")
        let (values, beyond) = input.drawn
        let bins = Histogram.bins(values)
        guard !bins.isEmpty else {
            svg.noData("No data")
            return svg.finish()
        }
        let markers = input.visibleMarkers
        let xTicks = valueAxis(bins: bins, markers: markers)
        let x = LinearScale(domain: xTicks.lower, xTicks.upper, range: L.plotLeft, L.plotRight)
        let maxCount = bins.map(\.count).max() ?? 0
        // Counts are whole numbers: never more intervals than the tallest count.
        let yTicks = AxisTicks(lower: 0, upper: Double(max(maxCount, 1)), maxCount: max(1, min(5, maxCount)))
        let y = LinearScale(domain: 0, yTicks.upper, range: L.plotBottom, L.plotTop)
        drawAxes(&svg, x: x, xTicks: xTicks, y: y, yTicks: yTicks, xTitle: input.axisTitle,
                 yTitle: input.countName.prefix(1).uppercased() + input.countName.dropFirst(),
                 yLabel: { NumberFormat.fixed($0, yTicks.decimals) })
        svg.open("g", [("class", "bins"), ("fill", .text(Palette.bar))])
        for bin in bins {
            let x0 = x(bin.lower), x1 = x(bin.upper)
            let top = y(Double(bin.count))
            svg.open("g", [("class", "bin"), ("data-count", .number(Double(bin.count)))])
            svg.tooltip("\(NumberFormat.trimmed(bin.lower, 3))–\(NumberFormat.trimmed(bin.upper, 3)) \(input.unit): \(bin.count) \(input.countName)")
            svg.rect(x: x0 + 0.5, y: top, width: max(0, x1 - x0 - 1), height: L.plotBottom - top, [("class", "bar")])
            svg.close("g")
        }
        svg.close("g")
        drawMarkers(&svg, markers, x: x)
        drawOverflowNote(&svg, input, beyond: beyond)
        return svg.finish()
    }

    /// A note in the top (or bottom) right corner of the plot about the values beyond `clipAbove`.
    static func drawOverflowNote(_ svg: inout SVGWriter, _ input: DistributionInput, beyond: Int, atBottom: Bool = false) {
        typealias L = DistributionLayout
        guard beyond > 0, let clip = input.clipAbove else { return }
        let text = "\(beyond) \(beyond == 1 ? input.countName.singular : input.countName) above \(ReportText.duration(clip * secondsPerDay)) not shown"
        svg.text(text + " →", x: L.plotRight, y: atBottom ? L.plotBottom - 8 : L.plotTop + 14,
                 [("class", "overflow-note"), ("text-anchor", "end"), ("font-size", 11), ("fill", .text(Palette.muted))]
                 + halo)
    }

    /// The cumulative share of durations at or below each day (`class="chart chart-cdf"`),
    /// 0–100%, sampled at 200 points, with the markers as labelled vertical lines.
    public static func cdf(_ input: DistributionInput, title: String) -> String {
        typealias L = DistributionLayout
        var svg = SVGWriter(width: L.width, height: L.height, className: "chart-cdf", title: title,
                            description: "Cumulative distribution of \(input.values.count) \(input.countName)")
        let xs = input.values.filter(\.isFinite).sorted()
        let (drawnValues, beyond) = input.drawn
        let bins = Histogram.bins(drawnValues)
        guard !xs.isEmpty, !bins.isEmpty else {
            svg.noData("No data")
            return svg.finish()
        }
        let markers = input.visibleMarkers
        // The same axis as the histogram of the same input, so the two charts line up.
        let xTicks = valueAxis(bins: bins, markers: markers)
        let x = LinearScale(domain: xTicks.lower, xTicks.upper, range: L.plotLeft, L.plotRight)
        let yTicks = AxisTicks(lower: 0, upper: 100, maxCount: 4)
        let y = LinearScale(domain: 0, 100, range: L.plotBottom, L.plotTop)
        drawAxes(&svg, x: x, xTicks: xTicks, y: y, yTicks: yTicks, xTitle: input.axisTitle,
                 yTitle: "Share of \(input.countName) done", yLabel: { NumberFormat.fixed($0, 0) + "%" })
        // F(v) = share of values ≤ v, at 200 evenly spaced points of the axis.
        let steps = 200
        var points: [(Double, Double)] = []
        points.reserveCapacity(steps + 1)
        var k = 0
        for s in 0...steps {
            let v = xTicks.lower + (xTicks.upper - xTicks.lower) * Double(s) / Double(steps)
            while k < xs.count && xs[k] <= v { k += 1 }
            points.append((x(v), y(100 * Double(k) / Double(xs.count))))
        }
        let d = "M" + points.map { fc($0.0) + " " + fc($0.1) }.joined(separator: " L")
        svg.element("path", [("class", "cdf-line"), ("d", .text(d)), ("fill", "none"), ("stroke", .text(Palette.processing)),
                             ("stroke-width", 2.5), ("stroke-linejoin", "round")])
        drawMarkers(&svg, markers, x: x)
        drawOverflowNote(&svg, input, beyond: beyond, atBottom: true)
        return svg.finish()
    }

    /// The value axis of a distribution chart: the bins and the markers, widened to round ticks.
    static func valueAxis(bins: [HistogramBin], markers: [ChartMarker]) -> AxisTicks {
        let lo = bins.first?.lower ?? 0, hi = bins.last?.upper ?? 1
        return AxisTicks(lower: min(lo, markers.map(\.value).min() ?? lo),
                         upper: max(hi, markers.map(\.value).max() ?? hi), maxCount: 10)
    }

    /// Axes with grid lines, tick labels and titles for the distribution charts.
    static func drawAxes(_ svg: inout SVGWriter, x: LinearScale, xTicks: AxisTicks, y: LinearScale, yTicks: AxisTicks,
                         xTitle: String, yTitle: String, yLabel: (Double) -> String) {
        typealias L = DistributionLayout
        svg.open("g", [("class", "axis axis-y"), ("font-size", 11), ("fill", .text(Palette.muted))])
        for v in yTicks.values {
            let py = y(v)
            svg.line(x1: L.plotLeft, y1: py, x2: L.plotRight, y2: py,
                     [("class", "tick"), ("stroke", .text(Palette.grid)), ("stroke-width", 1)])
            svg.text(yLabel(v), x: L.plotLeft - 8, y: py + 4, [("class", "tick-label"), ("text-anchor", "end")])
        }
        svg.text(yTitle, x: 16, y: (L.plotTop + L.plotBottom) / 2,
                 [("class", "axis-title"), ("text-anchor", "middle"), ("fill", .text(Palette.ink)),
                  ("transform", .text("rotate(-90 16 \(fc((L.plotTop + L.plotBottom) / 2)))"))])
        svg.close("g")
        svg.open("g", [("class", "axis axis-x"), ("font-size", 11), ("fill", .text(Palette.muted))])
        svg.line(x1: L.plotLeft, y1: L.plotBottom, x2: L.plotRight, y2: L.plotBottom, [("stroke", .text(Palette.axis))])
        for v in xTicks.values {
            let px = x(v)
            svg.line(x1: px, y1: L.plotBottom, x2: px, y2: L.plotBottom + 5, [("class", "tick"), ("stroke", .text(Palette.axis))])
            svg.text(xTicks.label(v), x: px, y: L.plotBottom + 18, [("class", "tick-label"), ("text-anchor", "middle")])
        }
        svg.text(xTitle, x: (L.plotLeft + L.plotRight) / 2, y: L.plotBottom + 40,
                 [("class", "axis-title"), ("text-anchor", "middle"), ("fill", .text(Palette.ink))])
        svg.close("g")
    }

    /// A white outline under text so lines crossing it do not hide it.
    static let halo: [(String, SVGWriter.Value)] = [("stroke", "#ffffff"), ("stroke-width", 4), ("stroke-linejoin", "round"),
                                                   ("paint-order", "stroke")]

    /// Vertical marker lines; labels go in up to three rows above the plot so that close
    /// markers do not overprint (a label takes the first row where it fits).
    static func drawMarkers(_ svg: inout SVGWriter, _ markers: [ChartMarker], x: LinearScale) {
        typealias L = DistributionLayout
        guard !markers.isEmpty else { return }
        let ordered = markers.enumerated().sorted { ($0.element.value, $0.offset) < ($1.element.value, $1.offset) }.map(\.element)
        var rowEnds = [-Double.infinity, -Double.infinity, -Double.infinity]
        svg.open("g", [("class", "markers"), ("font-size", 11)])
        // Place every label first, then draw all lines under all labels.
        var placed: [(marker: ChartMarker, x: Double, left: Double, y: Double)] = []
        for m in ordered {
            let px = x(m.value)
            let labelWidth = TextMetrics.width(m.label, fontSize: 11)
            var left = px - labelWidth / 2
            left = min(max(left, 4), L.width - 4 - labelWidth)
            let row = rowEnds.firstIndex { $0 + 6 <= left } ?? rowEnds.indices.min { rowEnds[$0] < rowEnds[$1] } ?? 0
            rowEnds[row] = left + labelWidth
            placed.append((m, px, left, L.plotTop - 8 - Double(row) * 14))
        }
        func colour(_ m: ChartMarker) -> String { m.kind == .deadline ? Palette.deadline : Palette.percentile }
        for p in placed {
            let m = p.marker
            svg.line(x1: p.x, y1: p.y + 3, x2: p.x, y2: L.plotBottom,
                     [("class", .text("marker marker-\(m.kind.rawValue)")), ("stroke", .text(colour(m))),
                      ("stroke-width", m.kind == .deadline ? 2 : 1.5), ("stroke-dasharray", m.kind == .deadline ? "6 3" : "3 3")])
        }
        for p in placed {
            svg.text(p.marker.label, x: p.left, y: p.y,
                     [("class", "marker-label"), ("fill", .text(colour(p.marker))), ("font-weight", 600)] + halo)
        }
        svg.close("g")
    }
}

extension String {
    /// A count noun for one item: "runs" → "run", "cases" → "case".
    var singular: String { hasSuffix("s") ? String(dropLast()) : self }
}
