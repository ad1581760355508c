import Foundation
import StagecraftSyntax
import StagecraftOutput

/// The Stagecraft language server, transport-free so tests drive it in memory (`serve`
/// frames it over a byte stream). Nothing a client sends stops it: errors get JSON-RPC errors.
public struct LanguageServer {
    enum State { case uninitialized, running, shutDown }

    private var state = State.uninitialized
    private var documents: [String: LSPOpenDocument] = [:]
    private var configurations: ConfigurationLookup
    /// Set by the `exit` notification: 0 after a `shutdown` request, 1 without one.
    public private(set) var exitCode: Int32?

    public init(currentDirectory: String = FileManager.default.currentDirectoryPath) {
        configurations = ConfigurationLookup(currentDirectory: currentDirectory)
    }

    /// The open document at a URI, if any.
    public func document(_ uri: String) -> LSPOpenDocument? { documents[uri] }

    /// Handles one message body; returns the messages to send back (a response, and
    /// diagnostics notifications), in order.
    public mutating func handle(_ body: [UInt8]) -> [JSON] {
        let object: Any
        guard Self.nestingDepth(body) <= Self.maxNesting else {
            return [Self.errorResponse(id: .null, JSONRPCError(JSONRPCErrorCode.parseError,
                                                               "the message nests arrays and objects deeper than \(Self.maxNesting) levels"))]
        }
        do {
            object = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            return [Self.errorResponse(id: .null, JSONRPCError(JSONRPCErrorCode.parseError, "the message is not valid JSON"))]
        }
        guard let message = object as? [String: Any] else {
            return [Self.errorResponse(id: .null, JSONRPCError(JSONRPCErrorCode.invalidRequest,
                                                               "a message must be a JSON object (batches are not used by LSP)"))]
        }
        let id = message["id"].map { JSON.from($0) }
        if let version = message["jsonrpc"] as? String, version != "2.0" {
            return [Self.errorResponse(id: id ?? .null, JSONRPCError(JSONRPCErrorCode.invalidRequest, "jsonrpc must be \"2.0\""))]
        }
        guard let method = message["method"] as? String else {
            // A response to a request of ours (we send none that need one): nothing to do.
            if id != nil && (message["result"] != nil || message["error"] != nil) { return [] }
            return [Self.errorResponse(id: id ?? .null, JSONRPCError(JSONRPCErrorCode.invalidRequest, "the message has no method"))]
        }
        let params = message["params"] as? [String: Any] ?? [:]
        var out: [JSON] = []
        do {
            let result = try dispatch(method, params, isRequest: id != nil, notifications: &out)
            if let id { out.insert(.object([("jsonrpc", .string("2.0")), ("id", id), ("result", result)]), at: 0) }
        } catch let e as JSONRPCError {
            // Notifications get no answer, even when they fail.
            if let id { out.insert(Self.errorResponse(id: id, e), at: 0) }
        } catch {
            if let id { out.insert(Self.errorResponse(id: id, JSONRPCError(JSONRPCErrorCode.internalError, "\(error)")), at: 0) }
        }
        return out
    }

    /// The deepest nesting of arrays and objects a message may have; LSP messages need a
    /// handful of levels, and a parser must not recurse without end on hostile input.
    static let maxNesting = 128

    /// How deeply a JSON text nests arrays and objects (brackets in strings not counted).
    static func nestingDepth(_ body: [UInt8]) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for c in body {
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch c {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    /// The error message for a framing problem (no request to answer, so a null ID).
    public static func framingError(_ problem: String) -> JSON {
        errorResponse(id: .null, JSONRPCError(JSONRPCErrorCode.parseError, problem))
    }

    static func errorResponse(id: JSON, _ e: JSONRPCError) -> JSON {
        .object([("jsonrpc", .string("2.0")), ("id", id),
                 ("error", .object([("code", .int(e.code)), ("message", .string(e.message))]))])
    }

    static func notification(_ method: String, _ params: JSON) -> JSON {
        .object([("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params)])
    }

    private mutating func dispatch(_ method: String, _ params: [String: Any], isRequest: Bool,
                                   notifications: inout [JSON]) throws -> JSON {
        switch (method, state) {
        case ("exit", _):
            exitCode = state == .shutDown ? 0 : 1
            return .null
        case ("initialize", .uninitialized):
            state = .running
            return Self.initializeResult
        case ("initialize", _):
            throw JSONRPCError(JSONRPCErrorCode.invalidRequest, "the server is already initialized")
        case (_, .uninitialized):
            if !isRequest { return .null }
            throw JSONRPCError(JSONRPCErrorCode.serverNotInitialized, "the server is not initialized yet")
        case (_, .shutDown):
            if !isRequest { return .null }
            throw JSONRPCError(JSONRPCErrorCode.invalidRequest, "the server is shut down; only exit is accepted")
        case ("shutdown", _):
            state = .shutDown
            documents = [:]
            return .null
        case ("initialized", _), ("workspace/didChangeConfiguration", _), ("textDocument/didSave", _):
            return .null
        case ("textDocument/didOpen", _):
            let item = try Self.object(params, "textDocument")
            let uri = try Self.string(item, "uri")
            let text = try Self.string(item, "text")
            let path = Self.path(of: uri)
            let settings = (try? configurations.configuration(forFile: path).settings) ?? .defaults
            let doc = LSPOpenDocument(uri: uri, version: item["version"] as? Int ?? 0, text: Array(text.utf8),
                                      path: path, settings: settings)
            documents[uri] = doc
            notifications.append(Self.notification("textDocument/publishDiagnostics", LSPFeatures.publishDiagnostics(doc)))
            return .null
        case ("textDocument/didChange", _):
            let identifier = try Self.object(params, "textDocument")
            let uri = try Self.string(identifier, "uri")
            guard var doc = documents[uri] else { throw Self.notOpen(uri) }
            guard let changes = params["contentChanges"] as? [[String: Any]] else {
                throw JSONRPCError(JSONRPCErrorCode.invalidParams, "contentChanges must be an array of changes")
            }
            for change in changes {
                let text = try Self.string(change, "text")
                if let range = change["range"] as? [String: Any] {
                    let start = try Self.position(try Self.object(range, "start"))
                    let end = try Self.position(try Self.object(range, "end"))
                    doc.text.replace((start, end), with: text)
                } else {
                    doc.text.replace(nil, with: text)
                }
            }
            if let version = identifier["version"] as? Int { doc.version = version }
            doc.recheck()
            documents[uri] = doc
            notifications.append(Self.notification("textDocument/publishDiagnostics", LSPFeatures.publishDiagnostics(doc)))
            return .null
        case ("textDocument/didClose", _):
            let uri = try Self.string(try Self.object(params, "textDocument"), "uri")
            documents[uri] = nil
            notifications.append(Self.notification("textDocument/publishDiagnostics",
                                                   .object([("uri", .string(uri)), ("diagnostics", .array([]))])))
            return .null
        case ("textDocument/hover", _):
            let (doc, offset) = try documentAndOffset(params)
            return LSPFeatures.hover(doc, at: offset)
        case ("textDocument/definition", _):
            let (doc, offset) = try documentAndOffset(params)
            return LSPFeatures.definition(doc, at: offset)
        case ("textDocument/references", _):
            let (doc, offset) = try documentAndOffset(params)
            let context = params["context"] as? [String: Any]
            return LSPFeatures.references(doc, at: offset, includeDeclaration: context?["includeDeclaration"] as? Bool ?? true)
        case ("textDocument/completion", _):
            let (doc, offset) = try documentAndOffset(params)
            return LSPCompletion.completion(doc, at: offset)
        case ("textDocument/documentSymbol", _):
            return LSPFeatures.documentSymbols(try document(params))
        case ("textDocument/formatting", _):
            return LSPFeatures.formatting(try document(params))
        case ("textDocument/prepareRename", _):
            let (doc, offset) = try documentAndOffset(params)
            return LSPFeatures.prepareRename(doc, at: offset)
        case ("textDocument/rename", _):
            let (doc, offset) = try documentAndOffset(params)
            return try LSPFeatures.rename(doc, at: offset, to: try Self.string(params, "newName"))
        case ("textDocument/codeAction", _):
            let doc = try document(params)
            let range = try Self.object(params, "range")
            let start = doc.text.offset(of: try Self.position(try Self.object(range, "start")))
            let end = doc.text.offset(of: try Self.position(try Self.object(range, "end")))
            return LSPFeatures.codeActions(doc, in: SourceRange(start, max(start, end)))
        default:
            // Notifications the server does not know (such as `$/cancelRequest`) are ignored.
            if !isRequest { return .null }
            throw JSONRPCError(JSONRPCErrorCode.methodNotFound, "unknown method '\(method)'")
        }
    }

    /// What the server can do: full text sync is 1, incremental 2. Built on each
    /// `initialize` rather than kept in a static, which leak checkers report as a leak.
    static var initializeResult: JSON {
        JSON.object([
            ("capabilities", .object([
                ("positionEncoding", .string("utf-16")),
                ("textDocumentSync", .object([("openClose", .bool(true)), ("change", .int(2))])),
                ("hoverProvider", .bool(true)),
                ("definitionProvider", .bool(true)),
                ("referencesProvider", .bool(true)),
                ("completionProvider", .object([("triggerCharacters", .array([.string(" "), .string(",")]))])),
                ("documentSymbolProvider", .bool(true)),
                ("documentFormattingProvider", .bool(true)),
                ("renameProvider", .object([("prepareProvider", .bool(true))])),
                ("codeActionProvider", .object([("codeActionKinds", .array([.string("quickfix")]))])),
            ])),
            ("serverInfo", .object([("name", .string("stagecraft")), ("version", .string(StagecraftCommand.version))])),
        ])
    }

    // MARK: Parameters

    private func document(_ params: [String: Any]) throws -> LSPOpenDocument {
        let uri = try Self.string(try Self.object(params, "textDocument"), "uri")
        guard let doc = documents[uri] else { throw Self.notOpen(uri) }
        return doc
    }

    private func documentAndOffset(_ params: [String: Any]) throws -> (LSPOpenDocument, Int) {
        let doc = try document(params)
        return (doc, doc.text.offset(of: try Self.position(try Self.object(params, "position"))))
    }

    static func notOpen(_ uri: String) -> JSONRPCError {
        JSONRPCError(JSONRPCErrorCode.invalidParams, "the document \(uri) is not open")
    }

    static func object(_ o: [String: Any], _ key: String) throws -> [String: Any] {
        guard let v = o[key] as? [String: Any] else {
            throw JSONRPCError(JSONRPCErrorCode.invalidParams, "\(key) must be an object")
        }
        return v
    }

    static func string(_ o: [String: Any], _ key: String) throws -> String {
        guard let v = o[key] as? String else {
            throw JSONRPCError(JSONRPCErrorCode.invalidParams, "\(key) must be a string")
        }
        return v
    }

    static func position(_ o: [String: Any]) throws -> LSPPosition {
        guard let line = o["line"] as? Int, let character = o["character"] as? Int, line >= 0, character >= 0 else {
            throw JSONRPCError(JSONRPCErrorCode.invalidParams, "a position needs a line and a character, both whole numbers from 0")
        }
        return LSPPosition(line: line, character: character)
    }

    /// The file path of a `file://` URI (percent-decoded); other URIs are used as they are.
    static func path(of uri: String) -> String {
        guard uri.hasPrefix("file://") else { return uri }
        let rest = String(uri.dropFirst("file://".count))
        return rest.removingPercentEncoding ?? rest
    }

    // MARK: Transport

    /// Runs the server over a byte stream until `exit` or the end of input: `read`
    /// returns the next bytes (empty at the end), `write` sends framed bytes. Returns the
    /// exit code: 0 after `shutdown` then `exit`, 1 otherwise.
    public static func serve(read: () -> [UInt8], write: ([UInt8]) -> Void,
                             maxMessageSize: Int = 64 << 20,
                             currentDirectory: String = FileManager.default.currentDirectoryPath) -> Int32 {
        var server = LanguageServer(currentDirectory: currentDirectory)
        var framer = MessageFramer(maxMessageSize: maxMessageSize)
        while true {
            let chunk = read()
            if chunk.isEmpty { return server.exitCode ?? 1 }
            for event in framer.append(chunk) {
                let replies: [JSON]
                switch event {
                case .message(let body): replies = server.handle(body)
                case .error(let problem): replies = [framingError(problem)]
                }
                for reply in replies { write(MessageFramer.frame(reply.serialized())) }
                if let code = server.exitCode { return code }
            }
        }
    }
}
