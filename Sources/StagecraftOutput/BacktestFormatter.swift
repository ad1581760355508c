import StagecraftSyntax
import StagecraftSimulation

/// Text, JSON and Markdown for `stagecraft backtest`.
package struct BacktestFormatter {
    let result: Backtest.Result
    let file: String
    let log: String

    /// The backtest in `format`: text, json or markdown.
    package static func render(_ result: Backtest.Result, file: String, log: String, format: String) -> String {
        let formatter = BacktestFormatter(result: result, file: file, log: log)
        switch format {
        case "json": return formatter.json()
        case "markdown": return formatter.markdown()
        default: return formatter.text()
        }
    }

    private typealias F = SimulationFormatter

    private func hours(_ s: Double) -> String { F.oneDecimal(s / 3600) + "h" }

    /// The verdict in one sentence: does the model beat the naive forecasts?
    private var verdict: String {
        let r = result
        let best = r.naive.min { $0.distanceHours < $1.distanceHours }
        var s = "The forecast's lead times are \(F.oneDecimal(r.distanceHours))h from the real ones (1-D Wasserstein)"
        if let b = best {
            s += r.distanceHours <= b.distanceHours
                ? "; it beats both naive forecasts (best: \(b.name), \(F.oneDecimal(b.distanceHours))h)"
                : "; the naive forecast '\(b.name)' is closer (\(F.oneDecimal(b.distanceHours))h)"
        }
        s += ". \(F.percent(r.coverage.p95)) of real cases finished within their forecast P95."
        return s
    }

    private var thin: [String] {
        result.nodes.filter { $0.calibrationSamples > 0 && $0.calibrationSamples < 10 }.map(\.id)
    }

    /// Real against forecast lead time: mean, median, P85, P95.
    private var leadTimeRows: [[String]] {
        let r = result
        return [("mean", r.real.mean, r.forecast.mean), ("median", r.real.p50, r.forecast.p50),
                ("P85", r.real.p85, r.forecast.p85), ("P95", r.real.p95, r.forecast.p95)].map { name, real, forecast in
            [name, hours(real), hours(forecast)]
        }
    }

    private static let distanceHeader = ["forecast", "distance", "P50", "P85", "P95"]

    /// The model and each naive forecast: distance and coverage.
    private var distanceRows: [[String]] {
        let r = result
        let forecasts = [("model", r.distanceHours, r.coverage)] + r.naive.map { ($0.name, $0.distanceHours, $0.coverage) }
        return forecasts.map { name, distance, coverage in
            [name, F.oneDecimal(distance) + "h", F.percent(coverage.p50), F.percent(coverage.p85), F.percent(coverage.p95)]
        }
    }

    private static let nodeHeader = ["node", "runs", "sim runs", "waiting", "sim waiting", "processing", "sim processing"]

    /// Per node, real against simulated; `code` writes the IDs as Markdown code.
    private func nodeRows(code: Bool) -> [[String]] {
        result.nodes.map { n in
            [code ? "`\(n.id)`" : n.id, twoDecimals(n.realRunsPerCase), twoDecimals(n.forecastRunsPerCase),
             n.realWaitingMean.map(hours) ?? "-", n.forecastWaitingMean.map(hours) ?? "-",
             n.realProcessingMean.map(hours) ?? "-", n.forecastProcessingMean.map(hours) ?? "-"]
        }
    }

    package func text() -> String {
        let r = result
        var out = verdict + "\n\n"
        out += "Backtest of \(file) on \(log): calibrated on \(r.calibrationCases) cases, forecast \(r.forecastCases) cases starting from \(F.dateTime(r.splitInstant)), cut off at \(F.dateTime(r.logEnd)); \(r.runs) runs, seed \(r.seed).\n\n"
        out += "Lead time of the forecast cases\n"
        out += Table.text(["", "real", "forecast"], leadTimeRows, right: [1, 2])
        out += "Relative error of the mean: \(signedPercent(r.relativeErrorMean))\n\n"
        out += "Distance and coverage (share of real cases within the forecast P50/P85/P95)\n"
        out += Table.text(Self.distanceHeader, distanceRows, right: [1, 2, 3, 4])
        out += "\nPer node (forecast cases; runs per case, mean waiting and processing)\n"
        out += Table.text(Self.nodeHeader, nodeRows(code: false), right: [1, 2, 3, 4, 5, 6])
        if !thin.isEmpty {
            out += "\nFewer than 10 recorded samples calibrate \(thin.joined(separator: ", ")): their figures rest on very few cases.\n"
        }
        return out
    }

    package func markdown() -> String {
        let r = result
        var out = "# Backtest of `\(file)`\n\n" + verdict + "\n\n"
        out += "Calibrated on \(r.calibrationCases) cases of `\(log)`; forecast \(r.forecastCases) cases starting from \(F.dateTime(r.splitInstant)), cut off at \(F.dateTime(r.logEnd)). \(r.runs) runs, seed \(r.seed).\n\n"
        out += Table.markdown(["lead time", "real", "forecast"], leadTimeRows, right: [1, 2])
        out += "\nRelative error of the mean: \(signedPercent(r.relativeErrorMean)).\n\n"
        out += Table.markdown(Self.distanceHeader, distanceRows, right: [1, 2, 3, 4])
        out += "\n" + Table.markdown(Self.nodeHeader, nodeRows(code: true), right: [1, 2, 3, 4, 5, 6])
        if !thin.isEmpty {
            out += "\nFewer than 10 recorded samples calibrate \(thin.map { "`\($0)`" }.joined(separator: ", ")).\n"
        }
        return out
    }

    package func json() -> String {
        let r = result
        func summary(_ l: LeadTimeSummary) -> JSON {
            .object([("mean_s", .number(l.mean)), ("median_s", .number(l.p50)), ("p85_s", .number(l.p85)), ("p95_s", .number(l.p95))])
        }
        func coverage(_ c: Backtest.Coverage) -> JSON {
            .object([("p50", .number(c.p50)), ("p85", .number(c.p85)), ("p95", .number(c.p95))])
        }
        func opt(_ x: Double?) -> JSON { x.map { .number($0) } ?? .null }
        let nodes: [JSON] = r.nodes.map { n in
            .object([("id", .string(n.id)), ("runs_per_case", .object([("real", .number(n.realRunsPerCase)), ("forecast", .number(n.forecastRunsPerCase))])),
                     ("waiting_mean_s", .object([("real", opt(n.realWaitingMean)), ("forecast", opt(n.forecastWaitingMean))])),
                     ("processing_mean_s", .object([("real", opt(n.realProcessingMean)), ("forecast", opt(n.forecastProcessingMean))])),
                     ("calibration_samples", .int(n.calibrationSamples))])
        }
        let doc = JSON.object([
            ("format_version", .int(1)), ("file", .string(file)), ("history", .string(log)),
            ("runs", .int(r.runs)), ("seed", .string(String(r.seed))),
            ("calibration", .object([("cases", .int(r.calibrationCases))])),
            ("forecast", .object([("cases", .int(r.forecastCases)), ("from", .string(formatInstant(r.splitInstant))),
                                  ("cut_off", .string(formatInstant(r.logEnd)))])),
            ("lead_time", .object([("real", summary(r.real)), ("forecast", summary(r.forecast))])),
            ("relative_error_mean", .number(r.relativeErrorMean)),
            ("distance_h", .number(r.distanceHours)),
            ("coverage", coverage(r.coverage)),
            ("naive", .array(r.naive.map { .object([("name", .string($0.name)), ("distance_h", .number($0.distanceHours)), ("coverage", coverage($0.coverage))]) })),
            ("nodes", .array(nodes)),
            ("warnings", .array(r.built.warnings.map { .string($0) })),
        ])
        return doc.serialized(pretty: true) + "\n"
    }

    private func signedPercent(_ x: Double) -> String {
        let p = Int((x * 100).rounded())
        return (p > 0 ? "+" : "") + "\(p)%"
    }

    private func twoDecimals(_ x: Double) -> String {
        let t = Int((x * 100).rounded())
        return "\(t / 100).\(String(format2(t % 100)))"
    }

    private func format2(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
}
