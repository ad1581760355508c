import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage

/// Resolution keeps the dependency graph as flat adjacency lists: they must be the lists
/// they stand for, with the first declaration of a repeated ID counting.
@Suite struct AdjacencyTests {
    @Test func repeatedNodesKeepTheFirst() throws {
        // `a` is declared again; its repeat names an unknown owner and an unknown node,
        // and `c` names `b` twice.
        let text = """
            workflow "w" {
              owner pm
              owner qa
              stage a { owner pm; sla 1d }
              gate b { after a; approvers qa, pm, qa; quorum 2 }
              stage a { owner ghost; after nowhere }
              stage c { after b, a, b; owner qa }
            }
            """
        let workflow = try #require(Parser.parse(SourceFile(path: "w", text: text)).tree.workflow)
        let model = WorkflowModel(workflow)
        #expect(model.nodes.map(\.id.name) == ["a", "b", "c"])
        #expect(model.graph.predecessors.map { Array($0) } == [[], [0], [1, 0]])
        #expect(model.graph.successors.map { Array($0) } == [[1, 2], [2], []])
        #expect(model.graph.topologicalOrder == [0, 1, 2])
        #expect(model.unresolved.map(\.name.name) == ["ghost", "nowhere"])
        #expect(model.owners(ofNode: 1) == [1, 0])
        #expect(model.summaries[1].distinctApproverCount == 2)
        #expect(model.summaries[1].approverCount == 3)
        #expect(model.summaries[2].afterCount == 3)
    }

    @Test func repeatedWorkflowStatementsKeepTheFirstDeadlineAndEveryCalendar() throws {
        // The first `deadline` counts (a second is an `invalid-value` error); calendar
        // blocks apply in order, wherever they stand among the nodes.
        let text = """
            workflow "w" {
              deadline 10bd
              stage a { sla 1bd }
              calendar { holiday 2026-12-25 }
              deadline 3d
              stage b { after a; sla 1bd }
              calendar { workdays mon tue; holiday 2027-01-01 "New Year" }
            }
            """
        let workflow = try #require(Parser.parse(SourceFile(path: "w", text: text)).tree.workflow)
        let model = WorkflowModel(workflow)
        #expect(model.deadline == Duration(amount: 10, unit: .businessDays))
        #expect(model.calendar.workdays == [true, true, false, false, false, false, false])
        #expect(model.calendar.holidays.count == 2)
    }

    @Test func listsAreReadInPlaceAsTheirSlicesRead() {
        let lists = Adjacency([[2, 1], [], [0], [0, 1, 2]])
        for i in lists.indices {
            var seen: [Int] = []
            lists.forEach(of: i) { seen.append($0) }
            #expect(seen == Array(lists[i]))
            #expect(lists.count(of: i) == lists[i].count)
            for t in -1...3 { #expect(lists.list(i, contains: t) == lists[i].contains(t)) }
        }
        #expect(lists.reversed(count: 3).map { Array($0) } == [[2, 3], [0, 3], [0, 3]])
    }

    @Test func predecessorsAndReworkTargetsMatchPlainLookups() throws {
        // Random workflows whose `after` and `on reject` name nodes just before, far
        // before, later, repeated IDs and unknown ones: the model's flat lists must give
        // what a plain lookup of the first declaration of each ID gives.
        var random = TestRandom(state: 41)
        for round in 0..<40 {
            var names: [String] = []
            var text = "workflow \"w\" {\n  owner pm\n"
            for k in 0..<(5 + random.below(40)) {
                let repeated = k > 2 && random.below(8) == 0
                let name = repeated ? names[random.below(names.count)] : "n\(k)"
                names.append(name)
                var refs: [String] = []
                for _ in 0..<random.below(3) {
                    switch random.below(5) {
                    case 0, 1: if let last = names.dropLast().last { refs.append(last) }
                    case 2: if names.count > 1 { refs.append(names[random.below(names.count - 1)]) }
                    case 3: refs.append("n\(k + 1 + random.below(3))")
                    default: refs.append("ghost\(random.below(3))")
                    }
                }
                let isGate = random.below(3) == 0
                text += isGate ? "  gate \(name) {\n    approvers pm\n" : "  stage \(name) {\n    owner pm\n"
                if !refs.isEmpty { text += "    after \(refs.joined(separator: ", "))\n" }
                if isGate, let target = refs.first { text += "    on reject -> \(target)\n" }
                text += "  }\n"
            }
            text += "}\n"
            let workflow = try #require(Parser.parse(SourceFile(path: "w", text: text)).tree.workflow)
            let model = WorkflowModel(workflow)
            for i in model.nodes.indices {
                var expected: [Int] = []
                for r in model.nodes[i].after {
                    if let p = model.nodeIndex[r.name], !expected.contains(p) { expected.append(p) }
                }
                #expect(Array(model.graph.predecessors[i]) == expected, "round \(round), node \(i)")
                #expect(model.summaries[i].reworkTarget == model.nodes[i].onReject.flatMap { model.nodeIndex[$0.name] },
                        "round \(round), node \(i)")
            }
        }
    }

    @Test func adjacencyListsReverse() {
        let lists: [[Int]] = [[], [0], [0, 1], [2, 0]]
        let adjacency = Adjacency(lists)
        #expect(adjacency.count == 4)
        #expect(adjacency.map { Array($0) } == lists)
        #expect(Array(adjacency[3]) == [2, 0])
        #expect(adjacency.reversed(count: 4).map { Array($0) } == [[1, 2, 3], [2], [3], []])
        #expect(Adjacency([]).isEmpty)
    }
}
