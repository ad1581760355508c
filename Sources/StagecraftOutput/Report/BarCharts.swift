import StagecraftSyntax

/// Horizontal bar charts of recorded history: where time goes per stage, and SLA breaches.

/// One stage's bar in the bottleneck chart: waiting then processing, in days.
public struct BottleneckBar: Hashable, Sendable {
    public var id: String
    public var label: String
    /// Mean (or median) ready → start, in days.
    public var waiting: Double
    /// Mean (or median) start → complete, in days.
    public var processing: Double
    /// Shown after the bar, e.g. `31% of lead time`.
    public var note: String?
}

/// One stage's SLA record in the breach chart.
public struct BreachRate: Hashable, Sendable {
    public var id: String
    public var label: String
    /// Occurrences that took longer than the SLA.
    public var breaches: Int
    /// Occurrences with an SLA to compare against.
    public var count: Int

    /// breaches / count, 0…1 (0 without occurrences).
    public var rate: Double {
        guard count > 0 else { return 0 }
        return min(1, max(0, Double(breaches) / Double(count)))
    }
}

/// The geometry the horizontal bar charts share.
public enum BarChartLayout {
    public static let width = 960.0
    public static let plotX = 250.0
    public static let plotWidth = 560.0
    public static let headerHeight = 40.0
    public static let rowHeight = 28.0
    public static let barHeight = 16.0
    public static let axisHeight = 44.0
}

/// A finite, non-negative value (NaN and negatives count as 0).
func nonNegative(_ v: Double) -> Double { v.isFinite && v > 0 ? v : 0 }

extension SVGWriter {
    /// Writes row `index`'s label at the left of a horizontal bar chart, truncated to end 30
    /// before `plotX`, and returns the top of the row's bar and the baseline of its text.
    mutating func rowLabel(_ label: String, index: Int, top: Double, rowHeight: Double, barHeight: Double,
                           plotX: Double, color: String = Palette.ink) -> (barY: Double, textY: Double) {
        let rowTop = top + Double(index) * rowHeight
        let textY = rowTop + rowHeight / 2 + 4
        text(TextMetrics.truncate(label, toWidth: plotX - 30, fontSize: 12), x: 16, y: textY,
             [("class", "row-label"), ("font-size", 12), ("fill", .text(color))])
        return (rowTop + (rowHeight - barHeight) / 2, textY)
    }
}

extension ReportCharts {
    /// Stacked horizontal bars of waiting and processing time per stage, in days, in the
    /// order given (`class="chart chart-bottlenecks"`); the axis runs from 0 to a round
    /// number at or above the longest bar.
    public static func bottlenecks(_ bars: [BottleneckBar], statistic: String = "Mean",
                                   title: String = "Where the time goes") -> String {
        typealias L = BarChartLayout
        let height = L.headerHeight + Double(max(bars.count, 1)) * L.rowHeight + L.axisHeight
        var svg = SVGWriter(width: L.width, height: height, className: "chart-bottlenecks", title: title,
                            description: "\(statistic) waiting and processing time per stage, in days")
        guard !bars.isEmpty else {
            svg.noData("No stage history")
            return svg.finish()
        }
        let longest = bars.map { nonNegative($0.waiting) + nonNegative($0.processing) }.max() ?? 0
        let ticks = AxisTicks(lower: 0, upper: longest, maxCount: 6)
        let scale = LinearScale(domain: 0, ticks.upper, range: L.plotX, L.plotX + L.plotWidth)
        let plotTop = L.headerHeight
        let plotBottom = plotTop + Double(bars.count) * L.rowHeight

        // Legend.
        svg.open("g", [("class", "legend"), ("font-size", 11), ("fill", .text(Palette.ink))])
        svg.rect(x: L.plotX, y: 12, width: 14, height: 12, [("rx", 2), ("fill", .text(Palette.waiting))])
        svg.text("Waiting (ready → start)", x: L.plotX + 20, y: 22)
        svg.rect(x: L.plotX + 180, y: 12, width: 14, height: 12, [("rx", 2), ("fill", .text(Palette.processing))])
        svg.text("Processing (start → complete)", x: L.plotX + 200, y: 22)
        svg.close("g")

        drawValueAxis(&svg, ticks: ticks, scale: scale, top: plotTop, bottom: plotBottom,
                      title: "\(statistic) days per occurrence", format: { ticks.label($0) })

        for (i, bar) in bars.enumerated() {
            let (y, textY) = svg.rowLabel(bar.label, index: i, top: plotTop, rowHeight: L.rowHeight,
                                          barHeight: L.barHeight, plotX: L.plotX)
            let w = nonNegative(bar.waiting), p = nonNegative(bar.processing)
            let ww = scale(w) - scale(0), pw = scale(w + p) - scale(w)
            svg.open("g", [("class", "bottleneck"), ("data-id", .text(bar.id))])
            svg.tooltip("\(bar.label): waiting \(ReportText.duration(w * secondsPerDay)), processing \(ReportText.duration(p * secondsPerDay))")
            svg.rect(x: L.plotX, y: y, width: ww, height: L.barHeight,
                     [("class", "bar bar-waiting"), ("fill", .text(Palette.waiting))])
            svg.rect(x: L.plotX + ww, y: y, width: pw, height: L.barHeight,
                     [("class", "bar bar-processing"), ("fill", .text(Palette.processing))])
            svg.close("g")
            var value = ReportText.duration((w + p) * secondsPerDay)
            if let note = bar.note { value += " · " + note }
            svg.text(value, x: L.plotX + ww + pw + 6, y: textY,
                     [("class", "value-label"), ("font-size", 11), ("fill", .text(Palette.muted))])
        }
        return svg.finish()
    }

    /// SLA breach rate per stage as bars from 0 to 100% (`class="chart chart-sla"`), with
    /// the count of breaches beside each bar.
    public static func slaBreaches(_ rates: [BreachRate], title: String = "SLA breach rate") -> String {
        typealias L = BarChartLayout
        let height = L.headerHeight + Double(max(rates.count, 1)) * L.rowHeight + L.axisHeight
        var svg = SVGWriter(width: L.width, height: height, className: "chart-sla", title: title,
                            description: "Share of occurrences that took longer than the SLA, per stage")
        guard !rates.isEmpty else {
            svg.noData("No stages with an SLA in the history")
            return svg.finish()
        }
        let ticks = AxisTicks(lower: 0, upper: 100, maxCount: 4)
        let scale = LinearScale(domain: 0, 100, range: L.plotX, L.plotX + L.plotWidth)
        let plotTop = L.headerHeight
        let plotBottom = plotTop + Double(rates.count) * L.rowHeight
        svg.text("Occurrences over the SLA (ready → done)", x: L.plotX, y: 22,
                 [("class", "legend"), ("font-size", 11), ("fill", .text(Palette.ink))])
        drawValueAxis(&svg, ticks: ticks, scale: scale, top: plotTop, bottom: plotBottom,
                      title: "Breach rate", format: { NumberFormat.fixed($0, 0) + "%" })
        for (i, r) in rates.enumerated() {
            let (y, textY) = svg.rowLabel(r.label, index: i, top: plotTop, rowHeight: L.rowHeight,
                                          barHeight: L.barHeight, plotX: L.plotX)
            let w = scale(r.rate * 100) - scale(0)
            svg.rect(x: L.plotX, y: y, width: L.plotWidth, height: L.barHeight, [("fill", "#f3f4f6")])
            svg.open("g", [("class", "breach"), ("data-id", .text(r.id))])
            svg.tooltip("\(r.label): \(r.breaches) of \(r.count) over the SLA")
            svg.rect(x: L.plotX, y: y, width: w, height: L.barHeight, [("class", "bar bar-breach"), ("fill", .text(Palette.breach))])
            svg.close("g")
            svg.text("\(NumberFormat.percent(r.rate)) (\(r.breaches) of \(r.count))", x: L.plotX + L.plotWidth + 8, y: textY,
                     [("class", "value-label"), ("font-size", 11), ("fill", .text(Palette.muted))])
        }
        return svg.finish()
    }

    /// Grid lines, tick labels and an axis title under a horizontal bar chart.
    static func drawValueAxis(_ svg: inout SVGWriter, ticks: AxisTicks, scale: LinearScale, top: Double, bottom: Double,
                              title: String, format: (Double) -> String) {
        svg.open("g", [("class", "axis axis-x"), ("font-size", 11), ("fill", .text(Palette.muted))])
        for v in ticks.values {
            let x = scale(v)
            svg.line(x1: x, y1: top - 4, x2: x, y2: bottom + 4,
                     [("class", "tick"), ("stroke", .text(Palette.grid)), ("stroke-width", 1)])
            svg.text(format(v), x: x, y: bottom + 18, [("class", "tick-label"), ("text-anchor", "middle")])
        }
        svg.line(x1: scale.start, y1: top - 4, x2: scale.start, y2: bottom + 4, [("stroke", .text(Palette.axis))])
        svg.text(title, x: (scale.start + scale.end) / 2, y: bottom + 36,
                 [("class", "axis-title"), ("text-anchor", "middle"), ("fill", .text(Palette.ink))])
        svg.close("g")
    }
}
