import Foundation
import StagecraftSyntax
import StagecraftLanguage

/// The launch plan of `stagecraft checklist`: a workflow's nodes with their planned dates
/// (from `Schedule`), owners and checklist items, ready to render as Markdown, JSON, CSV
/// or iCalendar (see `ChecklistFormats.swift`).
public struct ChecklistPlan: Sendable {
    /// An owner as shown to people: its ID and optional title.
    public struct Person: Sendable, Hashable {
        public var id: String
        public var title: String?
    }

    /// One checklist item with the owners who tick it.
    public struct Item: Sendable, Hashable {
        public var text: String
        /// The `by` owner, else the stage's owner, else the gate's approvers.
        public var owners: [String]
    }

    /// One stage or gate.
    public struct Node: Sendable, Hashable {
        public var id: String
        public var kind: NodeKind
        /// The title, or the ID when the node has none.
        public var title: String
        /// A stage's owner, or a gate's approvers (resolved, in written order).
        public var owners: [Person]
        /// How many approvers a gate needs (1 for a stage).
        public var quorum: Int
        /// The SLA as written (canonical spelling), if any.
        public var sla: Duration?
        public var items: [Item]
        /// The `on reject` target's ID.
        public var reworkTo: String?
        /// The node's planned dates.
        public var entry: Schedule.Entry
        /// The `wait` as written (canonical spelling), e.g. `2d..5d`.
        public var wait: String? = nil
        /// The `chance` percentage (30 for `chance 30%`).
        public var chancePercent: Double? = nil

        /// `all`, or `2 of 3` when a gate needs fewer than all its approvers.
        var quorumText: String { quorum >= owners.count ? "all" : "\(quorum) of \(owners.count)" }
    }

    /// A node left out because its `when` is false.
    public struct SkippedNode: Sendable, Hashable {
        public var id: String
        public var title: String
        /// The condition as written, e.g. `handles_pii or region == "EU"`.
        public var reason: String
    }

    public var title: String
    public var description: String?
    public var schedule: Schedule
    /// The `deadline` as written.
    public var deadlineDuration: Duration?
    /// Planned nodes in dependency order (topological, ties by declaration order).
    public var nodes: [Node]
    public var skipped: [SkippedNode]
    /// The IDs of the critical path, kickoff to finish.
    public var criticalPath: [String]

    /// Builds the plan from a model and its schedule.
    public init(model: WorkflowModel, schedule: Schedule) {
        let workflow = model.workflow
        self.title = workflow.title?.value ?? "Untitled workflow"
        self.description = workflow.descriptionText?.value
        self.schedule = schedule
        self.deadlineDuration = model.deadline
        func title(of i: Int) -> String {
            let node = model.nodes[i]
            if let t = node.title?.value, !t.isEmpty { return t }
            return node.id.name
        }
        nodes = schedule.plannedEntries.map { entry in
            let i = entry.index
            let node = model.nodes[i]
            let owners = model.owners(ofNode: i).map { o in
                Person(id: model.owners[o].id.name, title: model.owners[o].title?.value)
            }
            let items = node.checklists.flatMap(\.items).map { item in
                Item(text: item.text.value, owners: item.by.map { [$0.name] } ?? owners.map(\.id))
            }
            return Node(id: node.id.name, kind: node.kind, title: title(of: i), owners: owners,
                        quorum: node.kind == .gate ? model.quorum(ofNode: i) : 1,
                        sla: node.sla?.value, items: items,
                        reworkTo: node.kind == .gate ? model.summaries[i].reworkTarget.map { model.nodes[$0].id.name } : nil,
                        entry: entry, wait: node.wait?.description, chancePercent: node.chance?.value)
        }
        criticalPath = schedule.criticalPath.map { model.nodes[$0].id.name }
        skipped = schedule.skippedEntries.map { entry in
            SkippedNode(id: model.nodes[entry.index].id.name, title: title(of: entry.index),
                        reason: entry.skipReason ?? "false")
        }
    }


    /// `Mon 2026-12-21`.
    public static func dayLabel(_ day: Int) -> String {
        let d = CivilDate(dayNumber: day)
        return CivilDate.weekdayAbbreviations[d.weekday] + " " + d.description
    }

    /// `runs in 30% of launches`, for a node with a `chance`.
    static func runsIn(_ percent: Double) -> String {
        "runs in " + formatNumber(percent) + "% of launches"
    }

    /// `N business days` / `1 day`.
    static func days(_ n: Int, business: Bool) -> String {
        "\(n) \(business ? "business " : "")day\(n == 1 ? "" : "s")"
    }

    /// Text on one line: line breaks and tabs become spaces, ends trimmed.
    static func oneLine(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar == "\t" || scalar.value < 0x20 || scalar.value == 0x7F {
                out.unicodeScalars.append(" ")
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out.trimmingCharacters(in: CharacterSet(charactersIn: " "))
    }
}
