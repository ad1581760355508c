@testable import StagecraftSyntax
@testable import StagecraftHistory
@testable import StagecraftSimulation

/// Shorthands for building simulation plans in tests.
enum Sim {
    /// An event log from CSV rows `case_id,activity,start_time,end_time` (no header).
    static func log(_ csv: String) throws -> EventLog {
        try HistoryReader.read(bytes: Array(("case_id,activity,start_time,end_time\n" + csv + "\n").utf8), name: "h.csv")
    }

    static let day: Double = 86_400

    static func d(_ x: Double) -> Duration { Duration(amount: x, unit: .days) }
    static func bd(_ x: Double) -> Duration { Duration(amount: x, unit: .businessDays) }

    static func stage(_ id: String, after: [Int] = [], owner: Int = 0, _ model: DurationModel,
                      skipped: Bool = false, sla: Duration? = nil) -> SimNode {
        SimNode(id: id, predecessors: after, owners: [owner], duration: model, skipped: skipped, sla: sla)
    }

    static func gate(_ id: String, after: [Int], approvers: [Int], quorum: Int? = nil,
                     _ model: DurationModel, reject: Double = 0, rework: Int? = nil) -> SimNode {
        SimNode(id: id, isGate: true, predecessors: after, owners: approvers,
                quorum: quorum ?? approvers.count, duration: model, rejectProbability: reject,
                reworkTarget: rework)
    }

    static func fixed(_ days: Double) -> DurationModel { .fixed(d(days)) }

    /// An instant: a civil date at an hour, UTC.
    static func instant(_ y: Int, _ m: Int, _ dd: Int, hour: Double = 0) -> Double {
        Double(CivilDate(year: y, month: m, day: dd).dayNumber) * day + hour * 3600
    }

    static func owners(_ caps: Int...) -> [SimOwner] {
        caps.enumerated().map { SimOwner(id: "o\($0.offset)", capacity: $0.element) }
    }
}
