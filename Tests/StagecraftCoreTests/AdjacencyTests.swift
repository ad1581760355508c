import Foundation
import Testing
@testable import StagecraftCore

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
