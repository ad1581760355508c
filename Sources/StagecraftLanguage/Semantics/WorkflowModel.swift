import StagecraftSyntax

/// The resolved view of a workflow: symbol tables, the calendar and the dependency graph.
///
/// Building the model never reports anything; the rules under `Rules/` read it (and the
/// syntax tree) and report. Where an ID is declared twice, the first declaration wins.
///
/// Resolution walks every statement once and keeps what it learns in flat arrays
/// (`summaries`, `unresolved`, `duplicates`, the owners each node loads), so that rules
/// read a few arrays instead of walking every node's statements again.
public struct WorkflowModel: Sendable {
    public let workflow: Workflow
    /// Owners, nodes and params with unique IDs, in declaration order.
    public let owners: [OwnerDecl]
    public let nodes: NodeList
    public let params: [ParamDecl]
    public let ownerIndex: NameIndex
    public let nodeIndex: NameIndex
    public let paramIndex: NameIndex
    /// The business calendar (Mon–Fri, no holidays, unless declared).
    public let calendar: BusinessCalendar
    public let deadline: Duration?
    /// Resolved `after` edges, deduplicated, unknown IDs dropped.
    public let graph: DependencyGraph
    /// One summary per node of `nodes`, in the same order.
    public let summaries: [NodeSummary]
    /// Every name a stage or gate uses that nothing declares, in source order; the
    /// statements of repeated declarations are included.
    public let unresolved: [UnresolvedReference]
    /// The first `when` of every node declaration that has one (repeated declarations
    /// included), with the node's ID.
    public let conditions: [(id: Identifier, condition: Expr)]
    /// Every declaration whose ID an earlier one of the same namespace already took.
    public let duplicates: [DuplicateDeclaration]
    /// Whether any node of `nodes` names the owner (as owner, approver or checklist `by`).
    public let ownerIsUsed: [Bool]
    /// Whether any `when` of `nodes` names the param.
    public let paramIsUsed: [Bool]
    /// The owners each node loads, as flat lists like the graph's.
    private let loads: Adjacency

    /// Builds the model of a workflow.
    public init(_ workflow: Workflow) {
        self.workflow = workflow
        var owners: [OwnerDecl] = []
        // The member index of each node declaration that counts, in order: `nodes` is a
        // view of the members through them, not a copy.
        var nodeMemberIndices: [Int] = []
        nodeMemberIndices.reserveCapacity(workflow.members.count)
        var params: [ParamDecl] = []
        let members = workflow.members
        var ownerIndex = NameIndex()
        var nodeIndex = NameIndex(capacity: members.count)
        var paramIndex = NameIndex()
        var duplicates: [DuplicateDeclaration] = []
        var calendars: [CalendarDecl] = []
        // Every node declaration in member order, and whether it is the one that counts.
        var nodeMembers: [(member: Int, unique: Bool)] = []
        nodeMembers.reserveCapacity(workflow.members.count)
        for m in members.indices {
            // Only a node's ID is read here: switching on the whole member would copy it
            // and retain its statements, one cache miss per node in a big workflow.
            if let id = members[m].nodeID {
                let (first, inserted) = nodeIndex.insert(id.name, nodeMemberIndices.count)
                if inserted {
                    nodeMemberIndices.append(m)
                } else if case .node(let repeated) = members[m], let firstID = members[nodeMemberIndices[first]].nodeID {
                    // Both are node members: this one has an ID, and the index holds only
                    // members that had one.
                    duplicates.append(DuplicateDeclaration(id: id, first: firstID.range, kind: repeated.kind.rawValue))
                }
                nodeMembers.append((m, inserted))
                continue
            }
            switch members[m] {
            case .owner(let o):
                let (first, inserted) = ownerIndex.insert(o.id.name, owners.count)
                if inserted {
                    owners.append(o)
                } else {
                    duplicates.append(DuplicateDeclaration(id: o.id, first: owners[first].id.range, kind: "owner"))
                }
            case .param(let p):
                let (first, inserted) = paramIndex.insert(p.name.name, params.count)
                if inserted {
                    params.append(p)
                } else {
                    duplicates.append(DuplicateDeclaration(id: p.name, first: params[first].name.range, kind: "param"))
                }
            case .calendar(let c):
                calendars.append(c)
            case .node:
                break  // taken above
            case .description, .deadline:
                break
            }
        }
        self.owners = owners
        self.params = params
        self.ownerIndex = ownerIndex
        self.nodeIndex = nodeIndex
        self.paramIndex = paramIndex
        self.duplicates = duplicates
        self.calendar = WorkflowModel.calendar(declaredBy: calendars)
        self.deadline = workflow.deadline.map(\.value)

        // One walk over every statement of every node declaration.
        let resolved = WorkflowModel.resolve(nodeMembers, members: members, ownerIndex: ownerIndex,
                                             nodeIndex: nodeIndex, paramIndex: paramIndex)
        self.nodes = NodeList(members: members, memberIndices: nodeMemberIndices)
        self.summaries = resolved.summaries
        self.unresolved = resolved.unresolved
        self.conditions = resolved.conditions
        self.ownerIsUsed = resolved.ownerIsUsed
        self.paramIsUsed = resolved.paramIsUsed
        self.loads = Adjacency(starts: resolved.loadStart, targets: resolved.loadList)
        self.graph = DependencyGraph(predecessors: Adjacency(starts: resolved.predecessorStart,
                                                             targets: resolved.predecessorList))
    }

    /// What resolving the node declarations finds.
    struct Resolution: Sendable {
        var summaries: [NodeSummary] = []
        var predecessorStart: [Int] = [0]
        var predecessorList: [Int] = []
        var unresolved: [UnresolvedReference] = []
        var conditions: [(id: Identifier, condition: Expr)] = []
        var ownerIsUsed: [Bool]
        var paramIsUsed: [Bool]
        var loadStart: [Int] = [0]
        var loadList: [Int] = []
    }
}

extension WorkflowModel {
    /// Resolves every node declaration, given in member order (member index, and whether it
    /// is the declaration of its ID that counts): one walk over their statements.
    static func resolve(_ nodeMembers: [(member: Int, unique: Bool)], members: [WorkflowMember], ownerIndex: NameIndex,
                        nodeIndex: NameIndex, paramIndex: NameIndex) -> Resolution {
        // Each index holds exactly the declarations that count, one per owner or param.
        var out = Resolution(ownerIsUsed: [Bool](repeating: false, count: ownerIndex.count),
                                           paramIsUsed: [Bool](repeating: false, count: paramIndex.count))
        var names: [Identifier] = []
        var approverNames: [String] = []
        var approverOwners: [Int] = []
        for (m, unique) in nodeMembers {
            guard case .node(let node) = members[m] else { continue }
            var summary = NodeSummary(kind: node.kind)
            let predecessorBase = out.predecessorList.count
            approverNames.removeAll(keepingCapacity: true)
            approverOwners.removeAll(keepingCapacity: true)
            var firstOwner: Int?
            let statements = node.statements
            for k in statements.indices {
                switch statements[k].kind {
                case .after(let refs):
                    summary.afterCount += refs.count
                    for r in refs {
                        if let i = nodeIndex[r.name] {
                            if unique && !out.predecessorList[predecessorBase...].contains(i) {
                                out.predecessorList.append(i)
                            }
                        } else {
                            out.unresolved.append(UnresolvedReference(name: r, kind: .node))
                        }
                    }
                case .onReject(let r):
                    let target = nodeIndex[r.name]
                    if target == nil { out.unresolved.append(UnresolvedReference(name: r, kind: .node)) }
                    if !summary.hasOnReject {
                        summary.hasOnReject = true
                        summary.reworkTarget = target
                    }
                case .owner(let r):
                    let o = ownerIndex[r.name]
                    if o == nil { out.unresolved.append(UnresolvedReference(name: r, kind: .owner)) }
                    // Only the first owner counts (a second is an `invalid-value` error).
                    if !summary.hasOwner {
                        summary.hasOwner = true
                        firstOwner = o
                        if let o, unique { out.ownerIsUsed[o] = true }
                    }
                case .approvers(let refs):
                    summary.approverCount += refs.count
                    for r in refs {
                        if !approverNames.contains(r.name) { approverNames.append(r.name) }
                        if let o = ownerIndex[r.name] {
                            if unique { out.ownerIsUsed[o] = true }
                            if !approverOwners.contains(o) { approverOwners.append(o) }
                        } else {
                            out.unresolved.append(UnresolvedReference(name: r, kind: .owner))
                        }
                    }
                case .checklist(let c):
                    if c.items.isEmpty { summary.hasEmptyChecklist = true }
                    for item in c.items {
                        guard let r = item.by else { continue }
                        if let o = ownerIndex[r.name] {
                            if unique { out.ownerIsUsed[o] = true }
                        } else {
                            out.unresolved.append(UnresolvedReference(name: r, kind: .checklistOwner))
                        }
                    }
                case .when(let e):
                    names.removeAll(keepingCapacity: true)
                    Evaluator.collectNames(in: e, into: &names)
                    for r in names {
                        if let p = paramIndex[r.name] {
                            // Only the first `when` counts (a second is an `invalid-value` error).
                            if unique && !summary.hasCondition { out.paramIsUsed[p] = true }
                        } else {
                            out.unresolved.append(UnresolvedReference(name: r, kind: .param))
                        }
                    }
                    if !summary.hasCondition { out.conditions.append((node.id, e)) }
                    summary.hasCondition = true
                case .sla(let d):
                    if summary.sla == nil { summary.sla = d }
                case .estimate(let e):
                    if summary.estimateHigh == nil { summary.estimateHigh = e.high }
                case .quorum(let q):
                    if !summary.hasQuorum {
                        summary.hasQuorum = true
                        if case .count(let n) = q { summary.quorumCount = n }
                    }
                case .matches, .reject, .wait, .chance:
                    break
                }
            }
            guard unique else { continue }
            summary.distinctApproverCount = approverNames.count
            out.summaries.append(summary)
            out.predecessorStart.append(out.predecessorList.count)
            if node.kind == .stage {
                if let o = firstOwner { out.loadList.append(o) }
            } else {
                out.loadList += approverOwners
            }
            out.loadStart.append(out.loadList.count)
        }
        return out
    }
}

extension WorkflowModel {
    /// The calendar that a workflow's `calendar` blocks declare, in order; weekday names
    /// that are not known are ignored (the `invalid-value` rule reports them).
    static func calendar(declaredBy calendars: [CalendarDecl]) -> BusinessCalendar {
        var calendar = BusinessCalendar.standard
        for decl in calendars {
            for item in decl.items {
                switch item {
                case .workdays(let days, _):
                    var workdays = [Bool](repeating: false, count: 7)
                    for d in days {
                        if let i = weekdayNames.firstIndex(of: d.name) { workdays[i] = true }
                    }
                    calendar.workdays = workdays
                case .holiday(let date, let name, _):
                    if let day = date.date?.dayNumber { calendar.holidays[day] = name?.value ?? "" }
                case .hours(let h, _):
                    // The first valid `hours` counts (a second is an `invalid-value` error).
                    if calendar.hours == nil { calendar.hours = h.workingHours }
                }
            }
        }
        return calendar
    }

    /// The weekday names of `workdays`, Monday first.
    public static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// The capacity an owner declares (1 by default; at least 1).
    public func capacity(ofOwner i: Int) -> Int {
        guard let c = owners[i].capacity?.value, c >= 1, c < 1_000_000 else { return 1 }
        return Int(c)
    }

    /// The owners a node loads: a stage's owner, or a gate's approvers (resolved, unique),
    /// as a slice of the model's flat table (no copy).
    public func owners(ofNode i: Int) -> ArraySlice<Int> {
        loads[i]
    }

    /// Calls `body` with each owner a node loads, in order, reading the flat table in
    /// place (no slice per node: for loops over every node).
    @inline(__always)
    func forEachLoadedOwner(ofNode i: Int, _ body: (Int) -> Void) {
        loads.forEach(of: i, body)
    }

    /// How many approvers a gate needs: its quorum (default all), never more than it has.
    public func quorum(ofNode i: Int) -> Int {
        let approvers = loads[i].count
        // The first `quorum` counts; `quorum all` and no quorum need every approver.
        guard let n = summaries[i].quorumCount, n.value >= 1, n.value < 1_000_000 else { return max(1, approvers) }
        return max(1, min(approvers, Int(n.value)))
    }

    /// The probability (0...1) that a node runs in a case, from its first `chance`; nil
    /// when it has none. A percentage outside 0%...100% (an `invalid-value` error) is
    /// clamped.
    public func chance(of node: Int) -> Double? {
        guard let p = nodes[node].chance?.value, p.isFinite else { return nil }
        return min(1, max(0, p / 100))
    }

    /// The values a param varies over per case, each with its share of cases (0...1), in
    /// written order; empty when the param has no shares. Values that are not of the
    /// param's type (a `type-mismatch` error) are left out.
    public func shares(ofParam p: Int) -> [(value: Value, share: Double)] {
        guard let shares = params[p].shares else { return [] }
        var out: [(value: Value, share: Double)] = []
        for item in shares.items {
            guard let v = Evaluator.literal(item.value), params[p].type == nil || v.type == params[p].type else { continue }
            out.append((v, min(1, max(0, item.share.value / 100))))
        }
        return out
    }

    /// The value of each param: its default, replaced by any override (`--set`).
    public func paramValues(overrides: [String: Value] = [:]) -> [String: Value] {
        var values: [String: Value] = [:]
        for p in params {
            if let v = Evaluator.literal(p.value) { values[p.name.name] = v }
        }
        for (k, v) in overrides { values[k] = v }
        return values
    }

    /// Which nodes are skipped because their `when` is false for the given param values.
    ///
    /// A condition that cannot be evaluated (an unknown or unset param) does not skip.
    public func skipped(values: [String: Value]) -> [Bool] {
        summaries.indices.map { i in
            guard summaries[i].hasCondition, let cond = nodes[i].condition else { return false }
            if case .bool(let b)? = Evaluator.evaluate(cond, values: values) { return !b }
            return false
        }
    }

    /// Converts a duration to business days for comparing mixed units: `bd` as written,
    /// elapsed time scaled by the share of worked weekdays.
    public func businessDays(_ d: Duration) -> Double {
        if d.isBusiness { return d.amount }
        let perWeek = Double(calendar.workdays.filter { $0 }.count)
        return d.seconds / secondsPerDay * (perWeek == 0 ? 1 : perWeek / 7)
    }
}

/// The stage and gate declarations that count, in declaration order: a view of the
/// workflow's members rather than a copy of them.
public struct NodeList: RandomAccessCollection, Sendable {
    private let members: [WorkflowMember]
    /// The member index of each declaration; every one holds a `.node`.
    private let memberIndices: [Int]

    init(members: [WorkflowMember], memberIndices: [Int]) {
        self.members = members
        self.memberIndices = memberIndices
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { memberIndices.count }

    public subscript(i: Int) -> NodeDecl {
        guard case .node(let node) = members[memberIndices[i]] else {
            preconditionFailure("a node list indexes only node members")
        }
        return node
    }
}

/// What the rules read most about one node, taken from its statements in one pass.
///
/// Where a statement is repeated (which `invalid-value` reports), the first one counts,
/// as everywhere else.
public struct NodeSummary: Hashable, Sendable {
    public var kind: NodeKind
    /// The number of the first `quorum`, when it is not `quorum all`.
    public var quorumCount: NumberLiteral?
    /// Whether the node has a `quorum` (a number or `all`).
    public var hasQuorum = false
    /// Whether the node names an owner (known or not).
    public var hasOwner = false
    /// Whether the node has a `when`.
    public var hasCondition = false
    /// Whether the node has an empty `checklist` block.
    public var hasEmptyChecklist = false
    /// Whether the node has an `on reject`.
    public var hasOnReject = false
    /// The first `sla`.
    public var sla: DurationLiteral?
    /// The highest value of the first `estimate`.
    public var estimateHigh: DurationLiteral?
    /// How many `after` references and approvers are written, repeats included.
    public var afterCount = 0
    public var approverCount = 0
    /// How many different approver names are written (known or not).
    public var distinctApproverCount = 0
    /// The node the first `on reject` names, when it is declared.
    public var reworkTarget: Int?

    public init(kind: NodeKind) {
        self.kind = kind
    }
}

/// A name used in a stage or gate that no declaration matches.
public struct UnresolvedReference: Hashable, Sendable {
    /// What the statement expects the name to be.
    public enum Kind: Hashable, Sendable {
        /// A stage or gate (`after`, `on reject`).
        case node
        /// An owner (`owner`, `approvers`).
        case owner
        /// An owner in a checklist's `by`.
        case checklistOwner
        /// A param (`when`).
        case param
    }

    public var name: Identifier
    public var kind: Kind
}

/// A declaration whose ID an earlier declaration of the same namespace already took.
public struct DuplicateDeclaration: Sendable {
    public var id: Identifier
    /// The range of the first declaration's ID.
    public var first: SourceRange
    /// `owner`, `param`, `stage` or `gate` (the repeated declaration's kind).
    public var kind: String
}

/// Adjacency lists over node indices, stored flat: list `i` is
/// `targets[starts[i]..<starts[i + 1]]`.
///
/// One array for all the lists instead of one per node: resolution fills it in one walk,
/// and the graph's reverse lists come from it without a list per node.
public struct Adjacency: RandomAccessCollection, Sendable {
    private let starts: [Int]
    private let targets: [Int]

    /// Lists given one per node.
    public init(_ lists: [[Int]]) {
        var starts = [0]
        starts.reserveCapacity(lists.count + 1)
        var targets: [Int] = []
        for l in lists {
            targets += l
            starts.append(targets.count)
        }
        self.init(starts: starts, targets: targets)
    }

    /// Lists given flat; `starts` has one more entry than there are lists, starting at 0.
    init(starts: [Int], targets: [Int]) {
        self.starts = starts
        self.targets = targets
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { starts.count - 1 }

    /// The list of node `i`. A slice: its indices start where it sits in the flat array.
    public subscript(i: Int) -> ArraySlice<Int> { targets[starts[i]..<starts[i + 1]] }

    /// The length of list `i` (without making a slice of it).
    public func count(of i: Int) -> Int { starts[i + 1] - starts[i] }

    /// Whether list `i` holds `target` (without making a slice of it).
    public func list(_ i: Int, contains target: Int) -> Bool {
        for k in starts[i]..<starts[i + 1] where targets[k] == target { return true }
        return false
    }

    /// Calls `body` with each element of list `i`, in order, reading the flat array in
    /// place: a loop over every list makes no slice (and no reference count) per list.
    @inline(__always)
    func forEach(of i: Int, _ body: (Int) -> Void) {
        for k in starts[i]..<starts[i + 1] { body(targets[k]) }
    }

    /// The reverse lists: `j` is in list `i` of the result when `i` is in list `j` here,
    /// each list in increasing order.
    func reversed(count: Int) -> Adjacency {
        var starts = [Int](repeating: 0, count: count + 1)
        for t in targets { starts[t + 1] += 1 }
        for i in 0..<count { starts[i + 1] += starts[i] }
        var fill = starts
        var out = [Int](repeating: 0, count: targets.count)
        for i in indices {
            forEach(of: i) { t in
                out[fill[t]] = i
                fill[t] += 1
            }
        }
        return Adjacency(starts: starts, targets: out)
    }
}

/// A directed graph over node indices: edges from each node's `after` nodes to it.
public struct DependencyGraph: Sendable {
    public let predecessors: Adjacency
    public let successors: Adjacency
    /// Nodes in dependency order (predecessors first; ties by declaration order), or nil
    /// when the graph has a cycle.
    public let topologicalOrder: [Int]?
    /// Each node's position in the topological order (or its declaration index when cyclic).
    public let rank: [Int]

    public init(predecessors: [[Int]]) {
        self.init(predecessors: Adjacency(predecessors))
    }

    public init(predecessors: Adjacency) {
        self.predecessors = predecessors
        let successors = predecessors.reversed(count: predecessors.count)
        self.successors = successors
        // Kahn's algorithm with a min-heap on declaration index for a stable order.
        var indegree = predecessors.indices.map { predecessors.count(of: $0) }
        var heap = MinHeap<Int>()
        for i in 0..<predecessors.count where indegree[i] == 0 { heap.push(i) }
        var order: [Int] = []
        order.reserveCapacity(predecessors.count)
        while let n = heap.pop() {
            order.append(n)
            successors.forEach(of: n) { s in
                indegree[s] -= 1
                if indegree[s] == 0 { heap.push(s) }
            }
        }
        if order.count == predecessors.count {
            topologicalOrder = order
            var rank = [Int](repeating: 0, count: order.count)
            for (r, n) in order.enumerated() { rank[n] = r }
            self.rank = rank
        } else {
            topologicalOrder = nil
            rank = Array(0..<predecessors.count)
        }
    }

    public var count: Int { predecessors.count }

    /// Whether `a` precedes `b` through one or more `after` edges (iterative search).
    public func precedes(_ a: Int, _ b: Int) -> Bool {
        // Most often `a` is a direct predecessor: answer without allocating a search.
        if predecessors.list(b, contains: a) { return true }
        var stack = [b]
        var seen = Set<Int>([b])
        let acyclic = topologicalOrder != nil
        while let n = stack.popLast() {
            for p in predecessors[n] {
                if p == a { return true }
                // In a DAG a node ranked before `a` cannot reach `a`.
                if acyclic && rank[p] < rank[a] { continue }
                if seen.insert(p).inserted { stack.append(p) }
            }
        }
        return false
    }

    /// The strongly connected components with more than one node, or a node with a
    /// self-edge, each as a cycle path in edge order (Tarjan's algorithm, iteratively).
    public func cycles() -> [[Int]] {
        guard topologicalOrder == nil else { return [] }
        let n = count
        var index = [Int](repeating: -1, count: n)
        var low = [Int](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var stack: [Int] = []
        var next = 0
        var components: [[Int]] = []
        for root in 0..<n where index[root] < 0 {
            var work: [(node: Int, edge: Int)] = [(root, 0)]
            index[root] = next; low[root] = next; next += 1
            stack.append(root); onStack[root] = true
            while var frame = work.popLast() {
                let v = frame.node
                let out = successors[v]
                if frame.edge < out.count {
                    let w = out[out.startIndex + frame.edge]
                    frame.edge += 1
                    work.append(frame)
                    if index[w] < 0 {
                        index[w] = next; low[w] = next; next += 1
                        stack.append(w); onStack[w] = true
                        work.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                } else {
                    if let parent = work.last { low[parent.node] = min(low[parent.node], low[v]) }
                    if low[v] == index[v] {
                        var component: [Int] = []
                        while let w = stack.popLast() {
                            onStack[w] = false
                            component.append(w)
                            if w == v { break }
                        }
                        if component.count > 1 || successors[v].contains(v) {
                            components.append(component)
                        }
                    }
                }
            }
        }
        // Turn each component into one cycle path starting at its first-declared node.
        return components.map { component in
            let members = Set(component)
            let start = component.min() ?? component[0]
            return cyclePath(from: start, within: members)
        }.sorted { ($0.first ?? 0) < ($1.first ?? 0) }
    }

    /// A shortest cycle through `start` inside a component (breadth-first).
    private func cyclePath(from start: Int, within members: Set<Int>) -> [Int] {
        var parent: [Int: Int] = [:]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let v = queue[head]
            head += 1
            for w in successors[v].sorted() where members.contains(w) {
                if w == start {
                    var path = [v]
                    var cur = v
                    while cur != start, let p = parent[cur] {
                        path.append(p)
                        cur = p
                    }
                    return Array(path.reversed())
                }
                if parent[w] == nil && w != start {
                    parent[w] = v
                    queue.append(w)
                }
            }
        }
        return [start]
    }
}

/// A small binary min-heap.
struct MinHeap<T: Comparable> {
    private var items: [T] = []

    mutating func push(_ x: T) {
        items.append(x)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if items[i] < items[parent] {
                items.swapAt(i, parent)
                i = parent
            } else {
                break
            }
        }
    }

    mutating func pop() -> T? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1
                let r = l + 1
                var m = i
                if l < items.count && items[l] < items[m] { m = l }
                if r < items.count && items[r] < items[m] { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return first
    }
}
