import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import StagecraftSyntax
@testable import StagecraftOutput

/// The attributes of every `<name …>` element in `markup` whose class list contains `cls`
/// (every `<name>` when `cls` is nil), in document order.
func svgElements(_ markup: String, _ name: String, class cls: String? = nil) -> [[String: String]] {
    var out: [[String: String]] = []
    var rest = markup[...]
    while let open = rest.range(of: "<\(name) ") {
        guard let close = rest[open.upperBound...].firstIndex(of: ">") else { break }
        let body = String(rest[open.upperBound..<close])
        rest = rest[close...]
        var attrs: [String: String] = [:]
        var scan = body[...]
        while let eq = scan.range(of: "=\"") {
            let key = scan[..<eq.lowerBound].split(separator: " ").last.map(String.init) ?? ""
            guard let end = scan[eq.upperBound...].firstIndex(of: "\"") else { break }
            attrs[key] = String(scan[eq.upperBound..<end])
            scan = scan[scan.index(after: end)...]
        }
        if let cls {
            guard (attrs["class"] ?? "").split(separator: " ").contains(Substring(cls)) else { continue }
        }
        out.append(attrs)
    }
    return out
}

/// A numeric attribute.
func num(_ attrs: [String: String], _ key: String) -> Double {
    Double(attrs[key] ?? "") ?? .nan
}

/// Whether `markup` is well-formed XML.
func parsesAsXML(_ markup: String) -> Bool {
    XMLParser(data: Data(markup.utf8)).parse()
}

@Suite struct SVGPrimitiveTests {
    @Test func escapesMarkupAndInvalidCharacters() {
        #expect(Markup.escape("<script>&\"'</script>") == "&lt;script&gt;&amp;&quot;&#39;&lt;/script&gt;")
        #expect(Markup.escape("a\u{1}b\tc") == "a\u{FFFD}b\tc")
        #expect(Markup.escape("Größe 🚀") == "Größe 🚀")
    }

    @Test func numbersHaveFixedDecimalsIndependentOfLocale() {
        #expect(NumberFormat.fixed(2.25, 1) == "2.3")
        #expect(NumberFormat.fixed(-2.25, 1) == "-2.3")
        #expect(NumberFormat.fixed(2, 1) == "2.0")
        #expect(NumberFormat.fixed(-0.004, 2) == "0.00")
        #expect(NumberFormat.trimmed(-0.004) == "0")
        #expect(NumberFormat.trimmed(12.5) == "12.5")
        #expect(NumberFormat.trimmed(186.6666) == "186.67")
        #expect(NumberFormat.trimmed(.nan) == "0")
        #expect(NumberFormat.trimmed(.infinity) == "0")
        #expect(NumberFormat.percent(0.333) == "33%")
        #expect(NumberFormat.fixed(1e300, 0) == "1000000000000000")
    }

    @Test func axisTicksAreRoundNumbersCoveringTheRange() {
        let a = AxisTicks(lower: 0, upper: 3, maxCount: 6)
        #expect(a.step == 0.5)
        #expect(a.values == [0, 0.5, 1, 1.5, 2, 2.5, 3])
        #expect(a.values.map(a.label) == ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"])
        let b = AxisTicks(lower: 0, upper: 97, maxCount: 5)
        #expect(b.values == [0, 20, 40, 60, 80, 100])
        #expect(b.label(40) == "40")
        let c = AxisTicks(lower: 0, upper: 12, maxCount: 5)
        #expect(c.step == 2.5)
        #expect(c.values == [0, 2.5, 5, 7.5, 10, 12.5])
        #expect(c.decimals == 1)
        // A step of 1 reached from below (raw 0.6 rounds up to 10 × 0.1) has no decimals.
        let d = AxisTicks(lower: 0, upper: 3, maxCount: 5)
        #expect(d.step == 1 && d.values.map(d.label) == ["0", "1", "2", "3"])
        let flat = AxisTicks(lower: 5, upper: 5)
        #expect(flat.lower <= 5 && flat.upper > 5)
        let nan = AxisTicks(lower: .nan, upper: .infinity)
        #expect(nan.values.allSatisfy { $0.isFinite })
        #expect(AxisTicks(lower: -1e300, upper: 1e300).values.count <= 51)
    }

    @Test func linearScaleNeverDividesByZero() {
        let s = LinearScale(domain: 2, 2, range: 0, 100)
        #expect(s(2) == 0)
        #expect(s(3) == 100)
        #expect(s(.nan) == 0)
    }

    @Test func truncationKeepsShortTextAndEllipsisesLongText() {
        #expect(TextMetrics.truncate("Build", toWidth: 100, fontSize: 10) == "Build")
        let cut = TextMetrics.truncate("A very long stage title indeed", toWidth: 58, fontSize: 10)
        #expect(cut == "A very lo…")  // 10 characters of 5.8 px
        #expect(TextMetrics.truncate("abc", toWidth: 0, fontSize: 10) == "")
    }
}

@Suite struct BarChartTests {
    @Test func barWidthsAreProportionalToValues() {
        let svg = ReportCharts.bottlenecks([
            BottleneckBar(id: "a", label: "A", waiting: 0, processing: 1),
            BottleneckBar(id: "b", label: "B", waiting: 0, processing: 3),
        ])
        let bars = svgElements(svg, "rect", class: "bar-processing")
        #expect(bars.count == 2)
        // Axis 0…3 over 560 px: 1 day is 186.67 px.
        #expect(bars.map { $0["width"] } == ["186.67", "560"])
        #expect(abs(num(bars[1], "width") - 3 * num(bars[0], "width")) < 0.02)
        #expect(bars.allSatisfy { $0["x"] == "250" })
        // Ticks every half day at their positions.
        let labels = svgElements(svg, "text", class: "tick-label")
        #expect(labels.count == 7)
        #expect(labels.map { $0["x"] } == ["250", "343.33", "436.67", "530", "623.33", "716.67", "810"])
        #expect(svg.contains(">1.5</text>"))
        #expect(svg.contains("Waiting (ready → start)") && svg.contains("Processing (start → complete)"))
        #expect(parsesAsXML(svg))
    }

    @Test func stackedBarPutsProcessingAfterWaiting() {
        let svg = ReportCharts.bottlenecks([BottleneckBar(id: "a", label: "A", waiting: 2, processing: 1, note: "40% of lead time")])
        let waiting = svgElements(svg, "rect", class: "bar-waiting")[0]
        let processing = svgElements(svg, "rect", class: "bar-processing")[0]
        // Axis 0…3 (step 0.5): waiting 2/3 of 560, processing 1/3.
        #expect(waiting["width"] == "373.33")
        #expect(processing["x"] == "623.33")
        #expect(processing["width"] == "186.67")
        #expect(svg.contains("3.0 d · 40% of lead time"))
    }

    @Test func negativeAndNaNValuesDrawNothing() {
        let svg = ReportCharts.bottlenecks([BottleneckBar(id: "a", label: "A", waiting: -3, processing: .nan)])
        #expect(svgElements(svg, "rect", class: "bar").allSatisfy { $0["width"] == "0" })
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        #expect(parsesAsXML(svg))
    }

    @Test func breachBarsRunFromZeroToHundredPercent() {
        let svg = ReportCharts.slaBreaches([
            BreachRate(id: "a", label: "A", breaches: 1, count: 2),
            BreachRate(id: "b", label: "B", breaches: 4, count: 4),
            BreachRate(id: "c", label: "C", breaches: 0, count: 0),
        ])
        let bars = svgElements(svg, "rect", class: "bar-breach")
        #expect(bars.map { $0["width"] } == ["280", "560", "0"])
        #expect(svg.contains("50% (1 of 2)"))
        #expect(svg.contains(">100%</text>"))
        #expect(parsesAsXML(svg))
    }
}

@Suite struct HistogramTests {
    @Test func binsOfOneToTenAreWholeDays() {
        let bins = Histogram.bins((1...10).map(Double.init))
        #expect(bins.count == 9)
        #expect(bins.first?.lower == 1)
        #expect(bins.last?.upper == 10)
        #expect(bins.map(\.count) == [1, 1, 1, 1, 1, 1, 1, 1, 2])
    }

    @Test func binCountsSumToTheSampleCountAndEdgesAreContiguous() {
        let values: [Double] = (0..<1000).map { (i: Int) -> Double in
            let spread: Double = Double((i * 7919) % 1000) / 37
            return spread + Double(i % 7)
        }
        let bins = Histogram.bins(values)
        #expect(bins.reduce(0) { $0 + $1.count } == 1000)
        #expect(bins.count >= 5 && bins.count <= 40)
        for (a, b) in zip(bins, bins.dropFirst()) { #expect(abs(a.upper - b.lower) < 1e-9) }
        #expect(bins[0].lower <= values.min()! && bins[bins.count - 1].upper >= values.max()!)
    }

    @Test func degenerateSamples() {
        #expect(Histogram.bins([]).isEmpty)
        #expect(Histogram.bins([.nan, .infinity]).isEmpty)
        #expect(Histogram.bins([3, 3, 3]) == [HistogramBin(lower: 2.5, upper: 3.5, count: 3)])
        #expect(Histogram.bins([-1e300, 1e300]).reduce(0) { $0 + $1.count } == 2)
    }

    @Test func histogramChartDrawsOneBarPerBinWithHeightsByCount() {
        let input = DistributionInput(values: [1, 2, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9, 10],
                                      markers: [ChartMarker(label: "P50 4.0 d", value: 4)], countName: "runs")
        let svg = ReportCharts.histogram(input, title: "Lead time")
        let bins = Histogram.bins(input.values)
        let bars = svgElements(svg, "rect", class: "bar")
        #expect(bars.count == bins.count)
        let counts = svgElements(svg, "g", class: "bin").map { Int(num($0, "data-count")) }
        #expect(counts == bins.map(\.count))
        #expect(counts.reduce(0, +) == input.values.count)
        // Heights are proportional to counts: the tallest bin (3) reaches the top of the 0…3 axis.
        let plotHeight = DistributionLayout.plotBottom - DistributionLayout.plotTop
        for (bar, bin) in zip(bars, bins) {
            #expect(abs(num(bar, "height") - plotHeight * Double(bin.count) / 3) < 0.01)
        }
        #expect(svgElements(svg, "line", class: "marker-percentile").count == 1)
        #expect(svg.contains("P50 4.0 d"))
        // Whole-number count ticks, one per count up to the tallest bin.
        let yLabels = svgElements(svg, "g", class: "axis-y").count == 1
            ? svg.components(separatedBy: "class=\"axis axis-x\"")[0] : ""
        #expect(yLabels.contains(">1</text>") && yLabels.contains(">3</text>") && !yLabels.contains(">1.0</text>"))
        #expect(svg.hasPrefix("<svg") && svg.contains("class=\"chart chart-histogram\""))
        #expect(parsesAsXML(svg))
    }

    @Test func cdfEndsAtHundredPercentAndIsMonotone() {
        let input = DistributionInput(values: [4, 1, 3, 2], markers: [ChartMarker(label: "Deadline", value: 6, kind: .deadline)])
        let svg = ReportCharts.cdf(input, title: "CDF")
        let path = svgElements(svg, "path", class: "cdf-line")[0]["d"] ?? ""
        let ys = path.dropFirst().split(separator: "L").map { Double($0.split(separator: " ")[1])! }
        #expect(ys.count == 201)
        #expect(zip(ys, ys.dropFirst()).allSatisfy { $0 >= $1 })  // y grows downward
        #expect(ys.last == DistributionLayout.plotTop)
        #expect(svgElements(svg, "line", class: "marker-deadline").count == 1)
        #expect(parsesAsXML(svg))
    }

    @Test func histogramAndCDFShareTheValueAxis() {
        let input = DistributionInput(values: [3.2, 4.1, 4.4, 5.0, 6.8, 7.7, 9.9],
                                      markers: [ChartMarker(label: "Deadline", value: 12, kind: .deadline)])
        func xTicks(_ svg: String) -> [String] {
            let axis = svg.components(separatedBy: "class=\"axis axis-x\"")[1]
            return svgElements(axis, "text", class: "tick-label").map { ($0["x"] ?? "") }
        }
        let h = xTicks(ReportCharts.histogram(input, title: "h")), c = xTicks(ReportCharts.cdf(input, title: "c"))
        #expect(!h.isEmpty && h == c)
        // Half-day bins from 3 to 10; the axis runs from the first bin to the deadline, one tick a day.
        #expect(Histogram.bins(input.values).first?.lower == 3 && Histogram.bins(input.values).last?.upper == 10)
        #expect(h.count == 10 && h.first == "70" && h.last == "930")
    }

    @Test func closeMarkerLabelsGoOnDifferentRows() {
        let input = DistributionInput(values: Array(stride(from: 1.0, through: 30, by: 1)),
                                      markers: [ChartMarker(label: "P50 15.0 d", value: 15), ChartMarker(label: "P85 16.0 d", value: 16),
                                                ChartMarker(label: "P95 17.0 d", value: 17)])
        let labels = svgElements(ReportCharts.histogram(input, title: "x"), "text", class: "marker-label")
        #expect(Set(labels.map { $0["y"] }).count == 3)
    }
}

@Suite struct GanttChartTests {
    func day(_ s: String) -> CivilDate { CivilDate.parse(s)! }

    @Test func barsSpanTheirDaysAndTheDeadlineSitsAtTheEndOfItsDay() {
        let input = GanttInput(rows: [
            GanttRow(id: "a", title: "A", start: day("2024-01-01"), end: day("2024-01-03"), critical: true),
            GanttRow(id: "b", title: "B", start: day("2024-01-04"), end: day("2024-01-10")),
        ], kickoff: day("2024-01-01"), deadline: day("2024-01-12"), calendar: .standard)
        let layout = try! #require(GanttLayout(input))
        #expect(layout.endDay - layout.firstDay == 12)
        let svg = ReportCharts.gantt(input)
        let bars = svgElements(svg, "rect", class: "gantt-bar")
        // 680 px over 12 days.
        let dayWidth = 680.0 / 12
        #expect(bars.count == 2)
        #expect(bars[0]["x"] == "250" && bars[0]["width"] == "170")
        #expect(abs(num(bars[0], "width") - 3 * dayWidth) < 0.01)
        #expect(bars[1]["x"] == "420" && abs(num(bars[1], "width") - 7 * dayWidth) < 0.01)
        #expect(bars[0]["class"] == "gantt-bar critical" && bars[1]["class"] == "gantt-bar")
        let deadline = svgElements(svg, "line", class: "deadline-line")[0]
        #expect(deadline["x1"] == "930")
        #expect(svg.contains("Deadline 2024-01-12"))
        // The weekend of 6–7 January is one shaded block.
        let shaded = svgElements(svg, "g", class: "non-working")
        #expect(shaded.count == 1)
        #expect(svg.contains("<rect x=\"533.33\" y=\"48\" width=\"113.33\""))
        // Week ticks on the Mondays.
        let ticks = svgElements(svg, "text", class: "tick-label")
        #expect(ticks.map { $0["x"] } == ["253", "649.67"])
        #expect(svg.contains(">Jan 1</text>") && svg.contains(">Jan 8</text>"))
        #expect(svg.contains("Critical path"))
        #expect(parsesAsXML(svg))
    }

    @Test func waitingForTheOwnerIsALeadIn() {
        let input = GanttInput(rows: [
            GanttRow(id: "a", title: "A", start: day("2024-01-01"), end: day("2024-01-02")),
            GanttRow(id: "b", title: "B", start: day("2024-01-03"), end: day("2024-01-03"), ready: day("2024-01-01")),
        ])
        let svg = ReportCharts.gantt(input)
        // Three days over 680 px: the two waiting days are 453.33 px from the start of the axis.
        let wait = svgElements(svg, "rect", class: "gantt-wait")
        #expect(wait.count == 1)
        #expect(wait.first?["x"] == "250" && wait.first?["width"] == "453.33")
        #expect(svg.contains("Waiting for the owner"))
        let noWait = ReportCharts.gantt(GanttInput(rows: [input.rows[0]]))
        #expect(!noWait.contains("gantt-wait") && !noWait.contains("Waiting for the owner"))
    }

    @Test func dueLabelGoesBeforeABarThatEndsAtTheRightEdge() {
        let svg = ReportCharts.gantt(GanttInput(rows: [
            GanttRow(id: "a", title: "A", start: day("2024-01-01"), end: day("2024-01-02")),
            GanttRow(id: "b", title: "B", start: day("2024-01-02"), end: day("2024-01-05")),
        ]))
        // Five days of 136 px, rows 26 px from y 48 (text 4 px below the middle, due labels 0.5 px higher):
        // a's label follows its bar; b's bar ends at the edge, so its label precedes it.
        #expect(svg.contains("<text x=\"526\" y=\"64.5\" class=\"due-label\" font-size=\"10.5\" fill=\"#6b7280\">Jan 2</text>"))
        #expect(svg.contains("<text x=\"382\" y=\"90.5\" class=\"due-label\" font-size=\"10.5\" text-anchor=\"end\" fill=\"#6b7280\">Jan 5</text>"))
    }

    @Test func milestonesAndSkippedRows() {
        let input = GanttInput(rows: [
            GanttRow(id: "m", title: "Milestone", start: day("2024-01-02"), end: day("2024-01-01")),
            GanttRow(id: "s", title: "Skipped", start: day("2024-01-02"), end: day("2024-01-05"), skipped: true),
        ])
        let svg = ReportCharts.gantt(input)
        #expect(svgElements(svg, "rect", class: "gantt-bar").isEmpty)
        #expect(svgElements(svg, "g", class: "gantt-milestone").count == 1)
        #expect(svgElements(svg, "text", class: "gantt-skipped").count == 1)
        #expect(parsesAsXML(svg))
    }
}

@Suite struct ProcessGraphTests {
    /// The launch example's shape: prd → build, docs; build → security, privacy; all → launch.
    let nodes = [
        ProcessGraphNode(id: "prd", title: "Write the PRD", owners: ["pm"], sla: "3bd", critical: true),
        ProcessGraphNode(id: "build", title: "Build and test", owners: ["eng"], sla: "10bd", after: [0], critical: true),
        ProcessGraphNode(id: "docs", title: "Help-centre articles", owners: ["support"], sla: "5bd", after: [0]),
        ProcessGraphNode(id: "security", title: "Security review", isGate: true, owners: ["sec"], sla: "3bd", after: [1],
                         reworkTarget: 1, reworkLabel: "20%"),
        ProcessGraphNode(id: "privacy", title: "Privacy review", isGate: true, owners: ["privacy"], after: [1], skipped: true),
        ProcessGraphNode(id: "launch", title: "Go / no-go", isGate: true, owners: ["pm"], after: [3, 4, 2]),
    ]

    @Test func columnsAreLongestPathDepthAndRowsFollowDeclarationOrder() {
        let layout = ProcessGraphLayout(after: nodes.map(\.after))
        #expect(layout.column == [0, 1, 1, 2, 2, 3])
        #expect(layout.row == [0, 0, 1, 0, 1, 0])
        #expect(layout.columnCount == 4 && layout.rowCount == 2)
    }

    @Test func cyclesAndBadIndicesStillGetALayout() {
        let layout = ProcessGraphLayout(after: [[1], [0], [7, -1, 2]])
        #expect(layout.column.count == 3)
        #expect(ProcessGraphLayout(after: []).columnCount == 0)
        let svg = ReportCharts.processGraph([ProcessGraphNode(id: "a", title: "A", after: [1]),
                                             ProcessGraphNode(id: "b", title: "B", after: [0], reworkTarget: 1)])
        #expect(parsesAsXML(svg))
    }

    @Test func nodesEdgesAndReworkAreDrawn() {
        let svg = ReportCharts.processGraph(nodes)
        // Stages are rectangles at their column and row; rework edges make room on top.
        let stageGroups = svgElements(svg, "g", class: "stage")
        #expect(stageGroups.map { $0["data-id"] } == ["prd", "build", "docs"])
        #expect(svg.contains("<rect x=\"20\" y=\"58\" width=\"200\" height=\"54\" rx=\"8\""))
        #expect(svg.contains("<rect x=\"284\" y=\"150\" width=\"200\" height=\"54\" rx=\"8\""))
        #expect(svgElements(svg, "g", class: "gate").count == 3)
        let edges = svgElements(svg, "path", class: "edge")
        #expect(edges.filter { $0["class"] == "edge" }.count == 7)
        let rework = svgElements(svg, "path", class: "rework")
        #expect(rework.count == 1)
        #expect(rework[0]["data-from"] == "security" && rework[0]["data-to"] == "build")
        #expect(rework[0]["stroke-dasharray"] == "6 4")
        #expect(svg.contains("rework 20%"))
        #expect(svgElements(svg, "g", class: "skipped").map { $0["data-id"] } == ["privacy"])
        #expect(svgElements(svg, "g", class: "critical").map { $0["data-id"] } == ["prd", "build"])
        // docs → launch spans two columns and is routed through the gap between the rows.
        let long = svgElements(svg, "path", class: "edge").first { $0["data-from"] == "docs" }
        #expect(long?["d"]?.contains(" L") == true)
        #expect(svg.contains("SLA 10bd"))
        #expect(parsesAsXML(svg))
    }

    @Test func nestedReworkLoopsArcAtDifferentHeights() {
        // a → b → c → d; c sends work back to b (span 1), d back to a (span 3).
        let chain = [
            ProcessGraphNode(id: "a", title: "A"),
            ProcessGraphNode(id: "b", title: "B", after: [0]),
            ProcessGraphNode(id: "c", title: "C", isGate: true, after: [1], reworkTarget: 1, reworkLabel: "30%"),
            ProcessGraphNode(id: "d", title: "D", isGate: true, after: [2], reworkTarget: 0, reworkLabel: "20%"),
        ]
        let layout = ProcessGraphLayout(after: chain.map(\.after))
        #expect(layout.reworkLevels([(gate: 2, target: 1), (gate: 3, target: 0)]) == [0, 1])
        let svg = ReportCharts.processGraph(chain)
        // Two levels: the top margin grows by one step; the outer arc's control points sit higher.
        #expect(ProcessGraphLayout.marginTop(reworkLevels: 2) == 80)
        let arcs = svgElements(svg, "path", class: "rework")
        // Centres: x = 20 + column × 264 + 100; tops at y = 80; control points 44 (+22 per level) higher.
        #expect(arcs.map { $0["d"] ?? "" } == ["M648 80 C648 36 384 36 384 73", "M912 80 C912 14 120 14 120 73"])
        // Each label sits beside its own gate.
        let labels = svgElements(svg, "text", class: "edge-label")
        #expect(labels.map { $0["x"] } == ["654", "918"])
        #expect(svg.contains(">rework 30%</text>") && svg.contains(">rework 20%</text>"))
    }

    @Test func deepGraphsWrapIntoBandsOfFourColumns() {
        // Forty stages in a chain wrap into ten bands of four columns: 4 × 264 − 64 = 992 px
        // of nodes plus margins of 20 + 32 on each side is 1,096 px wide (60% of it, 658
        // px, at least on screen). Bands are 54 px of nodes and 52 px apart, from y = 20:
        // the last starts at 20 + 9 × 106 = 974, so the graph ends at 1,028 and the page
        // adds 24 + 40 for the legend.
        let chain = (0..<40).map { ProcessGraphNode(id: "s\($0)", title: "S\($0)", after: $0 == 0 ? [] : [$0 - 1]) }
        let svg = ReportCharts.processGraph(chain)
        #expect(svg.contains("width=\"1096\" height=\"1092\""))
        #expect(svg.contains("style=\"min-width: 658px\""))
        #expect(svg.contains("wrapped into 10 bands of 4 columns"))
        // s4 opens the second band, at the left; the edge from s3 leaves right, runs along
        // the gap above the band (12 px under the first band) and comes in from the left.
        #expect(svg.contains("<rect x=\"52\" y=\"126\" width=\"200\" height=\"54\""))
        let edge = svgElements(svg, "path", class: "edge").first { $0["data-to"] == "s4" }
        #expect(edge?["d"] == "M1044 47 L1076 47 L1076 86 L20 86 L20 153 L45 153")
        // Five columns or fewer do not wrap.
        #expect(!ReportCharts.processGraph(Array(chain.prefix(5))).contains("wrapped"))
        // In the page, only that chart sits in a box that scrolls sideways, and the box
        // stops scrolling on paper, where the chart is scaled to the page instead.
        let figure = HTMLReport.figure(svg, caption: "c", scrolls: true)
        #expect(figure.hasPrefix("<figure>\n<div class=\"scrolls\">\n<svg"))
        #expect(figure.hasSuffix("</svg>\n</div>\n<figcaption>c</figcaption>\n</figure>\n"))
        #expect(!HTMLReport.figure(svg, caption: "c").contains("scrolls"))
        #expect(HTMLReport.stylesheet.contains(".scrolls { overflow-x: auto; }"))
        #expect(HTMLReport.stylesheet.contains(".scrolls svg.chart { min-width: 0 !important; }"))
    }

    @Test func userTextIsEscaped() {
        let svg = ReportCharts.processGraph([ProcessGraphNode(id: "x", title: "<script>alert('x')</script>", owners: ["a&b"])])
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("&lt;script&gt;"))
        #expect(svg.contains("a&amp;b"))
        #expect(parsesAsXML(svg))
    }
}

@Suite struct EmptyChartTests {
    @Test func emptyInputsGiveANoDataNote() {
        let charts = [
            ReportCharts.processGraph([]),
            ReportCharts.gantt(GanttInput(rows: [])),
            ReportCharts.bottlenecks([]),
            ReportCharts.slaBreaches([]),
            ReportCharts.histogram(DistributionInput(values: []), title: "h"),
            ReportCharts.cdf(DistributionInput(values: [.nan]), title: "c"),
        ]
        for svg in charts {
            #expect(svgElements(svg, "text", class: "no-data").count == 1)
            #expect(svg.contains("role=\"img\"") && svg.contains("<title>"))
            #expect(parsesAsXML(svg))
        }
    }
}

@Suite struct HTMLReportTests {
    func document() -> ReportDocument {
        ReportDocument(title: "Launch <b>&</b>", description: "Ship it", source: "a.flow",
                       facts: [ReportFact("Deadline", "25bd", detail: "2024-02-02")],
                       graph: [ProcessGraphNode(id: "a", title: "A")])
    }

    @Test func pageIsSelfContainedAndEscaped() {
        let html = HTMLReport.render(document())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>Launch &lt;b&gt;&amp;&lt;/b&gt; — process report</title>"))
        #expect(!html.contains("<script"))
        #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("://"))
        #expect(html.contains("@page { size: A4; margin: 12mm; }"))
        #expect(html.contains("<section id=\"process\">"))
        #expect(!html.contains("id=\"plan\"") && !html.contains("id=\"history\"") && !html.contains("id=\"forecast\""))
        #expect(html.contains("<dt>Deadline</dt><dd>25bd<span class=\"detail\">2024-02-02</span></dd>"))
        #expect(html == HTMLReport.render(document()))
    }

    @Test func sectionsAppearWithTheirData() {
        var doc = document()
        doc.plan = ReportPlan(gantt: GanttInput(rows: []), table: ReportTable(columns: ["Node", "Days"], rows: [["a", "3"]],
                                                                              numericColumns: [1], highlightedRows: [0]))
        doc.history = ReportHistory(bottlenecks: [], breaches: [], leadTimes: DistributionInput(values: [1, 2]))
        doc.forecast = ReportForecast(distribution: DistributionInput(values: [1, 2, 3]))
        let html = HTMLReport.render(doc)
        for id in ["plan", "history", "forecast"] { #expect(html.contains("<section id=\"\(id)\">")) }
        for cls in ["chart-graph", "chart-gantt", "chart-bottlenecks", "chart-sla", "chart-leadtime", "chart-forecast", "chart-cdf"] {
            #expect(html.contains(cls))
        }
        #expect(html.contains("<tr class=\"highlight\"><td>a</td><td class=\"num\">3</td></tr>"))
        // Every SVG in the page parses as XML on its own.
        var rest = html[...]
        var count = 0
        while let start = rest.range(of: "<svg "), let end = rest[start.lowerBound...].range(of: "</svg>") {
            #expect(parsesAsXML(String(rest[start.lowerBound..<end.upperBound])))
            rest = rest[end.upperBound...]
            count += 1
        }
        #expect(count == 7)
    }
}

@Suite struct DistributionClipTests {
    @Test func groupedNumbers() {
        #expect([0, 999, 1000, 1_234_567, -1000].map(NumberFormat.grouped) == ["0", "999", "1,000", "1,234,567", "-1,000"])
    }

    @Test func aLongTailIsClippedAndCounted() throws {
        let values = (1...99).map(Double.init) + [1000]
        let clip = try #require(DistributionInput.tailClip(values, markers: []))
        // P99 of 1…99, 1000 interpolates 1% of the way from 99 to 1000: 108.01; the cut is 5% beyond it.
        #expect(abs(clip - 108.01 * 1.05) < 1e-9)
        #expect(DistributionInput.tailClip(values, markers: [ChartMarker(label: "d", value: 900)]) == nil)
        #expect(DistributionInput.tailClip(Array(values.prefix(10)), markers: []) == nil)
        #expect(DistributionInput.tailClip((1...100).map(Double.init), markers: []) == nil)
        let input = DistributionInput(values: values, countName: "runs", clipAbove: clip)
        let svg = ReportCharts.histogram(input, title: "t")
        let counts = svgElements(svg, "g", class: "bin").map { Int(num($0, "data-count")) }
        #expect(counts.reduce(0, +) == 99)
        #expect(svg.contains("1 run above 113 d not shown"))
        let cdf = ReportCharts.cdf(input, title: "c")
        #expect(cdf.contains("1 run above 113 d not shown"))
        #expect(parsesAsXML(svg) && parsesAsXML(cdf))
    }
}
