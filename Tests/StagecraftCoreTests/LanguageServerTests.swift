import Foundation
import Testing
@testable import StagecraftSyntax
@testable import StagecraftLanguage
@testable import StagecraftOutput
@testable import StagecraftCLI

/// A scripted editor talking to the language server in memory, through the same framing
/// `stagecraft lsp` reads from standard input.
private struct ScriptedClient {
    var server = LanguageServer(currentDirectory: NSTemporaryDirectory())
    var framer = MessageFramer()
    var nextID = 1

    /// Sends framed bytes (possibly several messages, or part of one) and returns every
    /// message the server sends back, decoded.
    mutating func sendBytes(_ bytes: [UInt8]) -> [[String: Any]] {
        var replies: [JSON] = []
        for event in framer.append(bytes) {
            switch event {
            case .message(let body): replies += server.handle(body)
            case .error(let problem): replies.append(LanguageServer.framingError(problem))
            }
        }
        return replies.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.serialized().utf8)) as? [String: Any]
        }
    }

    mutating func send(_ object: [String: Any]) -> [[String: Any]] {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return sendBytes(MessageFramer.frame(String(decoding: data, as: UTF8.self)))
    }

    /// Sends a request and returns its response's result (or error) and any notifications.
    mutating func request(_ method: String, _ params: [String: Any] = [:]) -> (response: [String: Any], notifications: [[String: Any]]) {
        let id = nextID
        nextID += 1
        let replies = send(["jsonrpc": "2.0", "id": id, "method": method, "params": params])
        let response = replies.first { ($0["id"] as? Int) == id } ?? [:]
        return (response, replies.filter { $0["method"] != nil })
    }

    mutating func notify(_ method: String, _ params: [String: Any]) -> [[String: Any]] {
        send(["jsonrpc": "2.0", "method": method, "params": params])
    }
}

private let uri = "file:///tmp/launch%20plan.flow"

private let text = """
workflow "Launch" {
  param region: string = "US"
  owner pm "Product"
  owner eng { capacity 2 }
  stage prd "PRD 🚀" { owner pm; sla 5bd; estimate 2bd..4bd }
  stage build { after prdd; owner eng; sla 10bd; when region == "EU" }
  gate go { after build; approvers pm; sla 1bd }
}

"""

private func position(_ line: Int, _ character: Int) -> [String: Any] { ["line": line, "character": character] }
private func range(_ line: Int, _ start: Int, _ end: Int) -> [String: Any] {
    ["start": position(line, start), "end": position(line, end)]
}
private func at(_ line: Int, _ character: Int) -> [String: Any] {
    ["textDocument": ["uri": uri], "position": position(line, character)]
}

/// A range in a response as (line, start, end) when it stays on one line.
private func span(_ value: Any?) -> [Int]? {
    guard let r = value as? [String: Any], let s = r["start"] as? [String: Int], let e = r["end"] as? [String: Int],
          let sl = s["line"], let sc = s["character"], let el = e["line"], let ec = e["character"], sl == el else { return nil }
    return [sl, sc, ec]
}

@Suite struct LanguageServerTests {
    @Test func scriptedSession() throws {
        var client = ScriptedClient()
        // Requests before initialize are refused.
        let early = client.request("textDocument/hover", at(0, 0)).response
        #expect((early["error"] as? [String: Any])?["code"] as? Int == JSONRPCErrorCode.serverNotInitialized)

        let initialize = client.request("initialize", ["processId": NSNull(), "capabilities": [String: Any]()]).response
        let capabilities = try #require((initialize["result"] as? [String: Any])?["capabilities"] as? [String: Any])
        #expect((capabilities["textDocumentSync"] as? [String: Any])?["change"] as? Int == 2)
        #expect(client.notify("initialized", [:]).isEmpty)

        // didOpen: diagnostics for the misspelt `after prdd`, at UTF-16 positions.
        let opened = client.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "stagecraft", "version": 1, "text": text]])
        #expect(opened.count == 1 && opened[0]["method"] as? String == "textDocument/publishDiagnostics")
        let params = try #require(opened[0]["params"] as? [String: Any])
        #expect(params["uri"] as? String == uri && params["version"] as? Int == 1)
        let diagnostics = try #require(params["diagnostics"] as? [[String: Any]])
        let unknown = try #require(diagnostics.first { $0["code"] as? String == "unknown-reference" })
        #expect(span(unknown["range"]) == [5, 22, 26])
        #expect(unknown["severity"] as? Int == 1)
        #expect(unknown["message"] as? String == "unknown stage or gate 'prdd'\nhelp: did you mean 'prd'?")
        #expect(unknown["source"] as? String == "stagecraft")
        // The file as the server sees it is the file `check` sees: the same diagnostics.
        let checked = Checker.check(SourceFile(path: "/tmp/launch plan.flow", text: text))
        #expect(diagnostics.map { $0["code"] as? String } == checked.diagnostics.map(\.rule))

        // Hover on the stage `prd`: owner, SLA, estimate.
        let hover = client.request("textDocument/hover", at(4, 9)).response
        let contents = try #require((hover["result"] as? [String: Any])?["contents"] as? [String: Any])
        #expect(contents["kind"] as? String == "markdown")
        #expect(contents["value"] as? String == "**stage** `prd` — PRD 🚀  \nowner: `pm` (Product)  \nSLA: 5bd  \nestimate: 2bd..4bd")
        #expect(span((hover["result"] as? [String: Any])?["range"]) == [4, 8, 11])

        // Hover on an owner after the emoji: the column counts UTF-16 units (🚀 is two).
        let ownerHover = client.request("textDocument/hover", at(4, 30)).response
        let ownerText = ((ownerHover["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String
        #expect(ownerText == "**owner** `pm` — Product  \nowns: `prd`  \napproves: `go`")

        // Definition of `build` in the gate's after list.
        let definition = client.request("textDocument/definition", at(6, 19)).response
        let targets = try #require(definition["result"] as? [[String: Any]])
        #expect(targets.count == 1 && targets[0]["uri"] as? String == uri && span(targets[0]["range"]) == [5, 8, 13])

        // References of `pm`: its declaration, a stage owner, a gate approver.
        let references = client.request("textDocument/references",
                                        at(2, 9).merging(["context": ["includeDeclaration": true]]) { a, _ in a }).response
        let places = try #require(references["result"] as? [[String: Any]])
        #expect(places.compactMap { span($0["range"]) } == [[2, 8, 10], [4, 29, 31], [6, 35, 37]])
        let withoutDeclaration = client.request("textDocument/references",
                                                at(2, 9).merging(["context": ["includeDeclaration": false]]) { a, _ in a }).response
        #expect((withoutDeclaration["result"] as? [Any])?.count == 2)

        // Code action: the did-you-mean fix for `prdd`.
        let actions = client.request("textDocument/codeAction", [
            "textDocument": ["uri": uri], "range": range(5, 23, 23), "context": ["diagnostics": [Any]()],
        ]).response
        let fixes = try #require(actions["result"] as? [[String: Any]])
        #expect(fixes.count == 1)
        #expect(fixes.first?["title"] as? String == "Change 'prdd' to 'prd'")
        #expect(fixes.first?["kind"] as? String == "quickfix")
        let fixEdits = ((fixes.first?["edit"] as? [String: Any])?["changes"] as? [String: Any])?[uri] as? [[String: Any]]
        #expect(fixEdits?.count == 1 && fixEdits?.first?["newText"] as? String == "prd" && span(fixEdits?.first?["range"]) == [5, 22, 26])

        // Completion inside an owner body offers the owner statements.
        let ownerCompletion = client.request("textDocument/completion", at(3, 14)).response
        #expect(labels(ownerCompletion) == ["capacity", "members", "contact"])

        // Incremental change: apply the fix; the diagnostic goes away.
        let changed = client.notify("textDocument/didChange", [
            "textDocument": ["uri": uri, "version": 2],
            "contentChanges": [["range": range(5, 22, 26), "text": "prd"]],
        ])
        let after = try #require((changed.first?["params"] as? [String: Any]))
        #expect(after["version"] as? Int == 2)
        #expect(((after["diagnostics"] as? [[String: Any]]) ?? []).allSatisfy { $0["code"] as? String != "unknown-reference" })
        #expect(client.server.document(uri)?.text.bytes == Array(text.replacingOccurrences(of: "prdd", with: "prd").utf8))

        // Completion of IDs in context: nodes after `after`, params in `when`.
        #expect(labels(client.request("textDocument/completion", at(5, 22)).response) == ["prd", "build", "go"])
        let whenCompletion = labels(client.request("textDocument/completion", at(5, 53)).response)
        #expect(whenCompletion.first == "region" && whenCompletion.contains("and"))
        #expect(labels(client.request("textDocument/completion", at(6, 35)).response) == ["pm", "eng"])

        // Outline.
        let symbols = try #require(client.request("textDocument/documentSymbol", ["textDocument": ["uri": uri]]).response["result"] as? [[String: Any]])
        #expect(symbols.count == 1 && symbols[0]["name"] as? String == "Launch")
        let children = (symbols[0]["children"] as? [[String: Any]]) ?? []
        #expect(children.map { $0["name"] as? String ?? "" } == ["region", "pm", "eng", "prd", "build", "go"])
        #expect(span(children[3]["selectionRange"]) == [4, 8, 11])

        // Formatting: one edit to what `fmt` writes.
        let formatting = try #require(client.request("textDocument/formatting", ["textDocument": ["uri": uri], "options": ["tabSize": 2, "insertSpaces": true]]).response["result"] as? [[String: Any]])
        let fmtOutput = runCLI(["fmt", "-"], stdin: text.replacingOccurrences(of: "prdd", with: "prd"))
        #expect(formatting.count == 1 && formatting[0]["newText"] as? String == fmtOutput.stdout)
        #expect(fmtOutput.stdout != text.replacingOccurrences(of: "prdd", with: "prd"))
        let whole = formatting[0]["range"] as? [String: Any]
        #expect((whole?["end"] as? [String: Int]) == ["line": 8, "character": 0])

        // Rename `pm` everywhere; refuse a name that is no ID or is taken.
        #expect(span((client.request("textDocument/prepareRename", at(6, 36)).response["result"] as? [String: Any])?["range"]) == [6, 35, 37])
        let rename = client.request("textDocument/rename", at(6, 36).merging(["newName": "product"]) { a, _ in a }).response
        let renameEdits = ((rename["result"] as? [String: Any])?["changes"] as? [String: Any])?[uri] as? [[String: Any]] ?? []
        #expect(renameEdits.compactMap { span($0["range"]) } == [[2, 8, 10], [4, 29, 31], [6, 35, 37]])
        #expect(renameEdits.allSatisfy { $0["newText"] as? String == "product" })
        let badName = client.request("textDocument/rename", at(6, 36).merging(["newName": "2pm"]) { a, _ in a }).response
        #expect((badName["error"] as? [String: Any])?["code"] as? Int == JSONRPCErrorCode.invalidParams)
        let taken = client.request("textDocument/rename", at(6, 36).merging(["newName": "eng"]) { a, _ in a }).response
        #expect((taken["error"] as? [String: Any])?["code"] as? Int == JSONRPCErrorCode.requestFailed)

        // Hover on a rule name in a suppression comment gives the rule's explanation.
        _ = client.notify("textDocument/didChange", [
            "textDocument": ["uri": uri, "version": 3],
            "contentChanges": [["range": range(7, 0, 0), "text": "  # stagecraft-ignore unused-owner -- kept for later\n"]],
        ])
        let ruleHover = client.request("textDocument/hover", at(7, 25)).response
        let ruleText = ((ruleHover["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String
        #expect(ruleText == RuleDocumentation.markdown(for: UnusedOwnerRule.description))

        // Shutdown, then only exit is accepted; exit code 0.
        #expect(client.request("shutdown").response.keys.contains("result"))
        let late = client.request("textDocument/hover", at(0, 0)).response
        #expect((late["error"] as? [String: Any])?["code"] as? Int == JSONRPCErrorCode.invalidRequest)
        #expect(client.notify("exit", [:]).isEmpty)
        #expect(client.server.exitCode == 0)
    }

    @Test func malformedMessagesGetErrorsAndTheServerGoesOn() throws {
        var client = ScriptedClient()
        func errorCode(_ replies: [[String: Any]]) -> Int? {
            (replies.first?["error"] as? [String: Any])?["code"] as? Int
        }
        // No Content-Length, then one that is not a number: parse errors with a null ID.
        let noLength = client.sendBytes(Array("Content-Type: application/json\r\n\r\n{}".utf8))
        #expect(errorCode(noLength) == JSONRPCErrorCode.parseError && noLength.first?["id"] is NSNull)
        #expect(errorCode(client.sendBytes(Array("Content-Length: ten\r\n\r\n".utf8))) == JSONRPCErrorCode.parseError)
        // Invalid JSON, a JSON array (no batches), a message without a method.
        #expect(errorCode(client.sendBytes(MessageFramer.frame("{\"jsonrpc\": \"2.0\", \"id\": 1, "))) == JSONRPCErrorCode.parseError)
        #expect(errorCode(client.sendBytes(MessageFramer.frame("[1, 2]"))) == JSONRPCErrorCode.invalidRequest)
        #expect(errorCode(client.send(["jsonrpc": "2.0", "id": 7])) == JSONRPCErrorCode.invalidRequest)
        // Deep nesting is refused before the JSON parser sees it.
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(errorCode(client.sendBytes(MessageFramer.frame(deep))) == JSONRPCErrorCode.parseError)

        // Initialize, split into one-byte pieces: framing copes with any chunking.
        let initialize = MessageFramer.frame("{\"jsonrpc\":\"2.0\",\"id\":\"init\",\"method\":\"initialize\",\"params\":{}}")
        var replies: [[String: Any]] = []
        for byte in initialize { replies += client.sendBytes([byte]) }
        #expect(replies.count == 1 && replies[0]["id"] as? String == "init" && replies[0]["result"] != nil)

        // Unknown method: MethodNotFound with the request's ID; an unknown notification is ignored.
        let unknown = client.request("textDocument/semanticTokens/full", ["textDocument": ["uri": uri]]).response
        #expect((unknown["error"] as? [String: Any])?["code"] as? Int == JSONRPCErrorCode.methodNotFound)
        #expect(client.notify("$/cancelRequest", ["id": 3]).isEmpty)
        // Invalid params, and a document that is not open.
        let badParams = client.request("textDocument/hover", ["textDocument": "nope"]).response
        #expect((badParams["error"] as? [String: Any])?["code"] as? Int == JSONRPCErrorCode.invalidParams)
        let notOpen = client.request("textDocument/hover", at(0, 0)).response
        #expect((notOpen["error"] as? [String: Any])?["code"] as? Int == JSONRPCErrorCode.invalidParams)

        // A 10 MB message that is not JSON: a parse error, and the next request is answered.
        let junk = MessageFramer.frame("{" + String(repeating: "x", count: 10 << 20))
        #expect(errorCode(client.sendBytes(junk)) == JSONRPCErrorCode.parseError)
        // A 1 MB document is opened and checked like any other.
        let big = "workflow \"Big\" {\n" + String(repeating: "  # filler line of a big document, padded out to a round size ...\n", count: 16_000) + "}\n"
        let opened = client.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "version": 1, "text": big]])
        #expect(opened.first?["method"] as? String == "textDocument/publishDiagnostics")
        #expect(client.request("shutdown").response.keys.contains("result"))
    }

    @Test func serveOverAStreamLimitsMessageSizeAndEndsAtEndOfInput() {
        // Over a byte stream: a message over the limit is skipped without being kept, the
        // next one is answered, and the loop ends when input ends (exit code 1: no shutdown).
        var input: [[UInt8]] = []
        input.append(MessageFramer.frame("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}"))
        let huge = MessageFramer.frame(String(repeating: " ", count: 10 << 20))
        for k in stride(from: 0, to: huge.count, by: 1 << 16) { input.append(Array(huge[k..<min(huge.count, k + (1 << 16))])) }
        input.append(MessageFramer.frame("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nosuch\"}"))
        var written: [UInt8] = []
        var next = 0
        let code = LanguageServer.serve(read: {
            defer { next += 1 }
            return next < input.count ? input[next] : []
        }, write: { written += $0 }, maxMessageSize: 1 << 20, currentDirectory: NSTemporaryDirectory())
        #expect(code == 1)
        var framer = MessageFramer()
        let bodies = framer.append(written).compactMap { event -> [String: Any]? in
            guard case .message(let body) = event else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        }
        #expect(bodies.count == 3)
        #expect(bodies.map { $0["id"] as? Int } == [1, nil, 2])
        #expect(((bodies[1]["error"] as? [String: Any])?["message"] as? String)?.contains("larger than the limit") == true)
        #expect((bodies[2]["error"] as? [String: Any])?["code"] as? Int == JSONRPCErrorCode.methodNotFound)
    }

    @Test func positionsCountUTF16UnitsAndEveryLineEnding() {
        let doc = LSPDocument(Array("a😀b\r\nc\rd\né".utf8))
        #expect(doc.lineStarts == [0, 8, 10, 12])
        #expect(doc.offset(of: LSPPosition(line: 0, character: 3)) == 5)   // after the emoji
        #expect(doc.offset(of: LSPPosition(line: 0, character: 2)) == 1)   // inside it: its start
        #expect(doc.offset(of: LSPPosition(line: 0, character: 99)) == 6)  // end of line, before \r\n
        #expect(doc.offset(of: LSPPosition(line: 3, character: 1)) == 14)
        #expect(doc.offset(of: LSPPosition(line: 9, character: 0)) == 14)
        #expect(doc.position(of: 5) == LSPPosition(line: 0, character: 3))
        #expect(doc.position(of: 9) == LSPPosition(line: 1, character: 1))
        var edited = doc
        edited.replace((LSPPosition(line: 0, character: 1), LSPPosition(line: 1, character: 0)), with: "-")
        #expect(edited.bytes == Array("a-c\rd\né".utf8) && edited.lineStarts == [0, 4, 6])
    }
}

private func labels(_ response: [String: Any]) -> [String] {
    (((response["result"] as? [String: Any])?["items"] as? [[String: Any]]) ?? []).compactMap { $0["label"] as? String }
}
