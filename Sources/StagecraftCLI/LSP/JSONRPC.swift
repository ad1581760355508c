import Foundation
import StagecraftOutput

/// The JSON-RPC 2.0 error codes the language server answers with (LSP adds the last two).
public enum JSONRPCErrorCode {
    public static let parseError = -32700
    public static let invalidRequest = -32600
    public static let methodNotFound = -32601
    public static let invalidParams = -32602
    public static let internalError = -32603
    public static let serverNotInitialized = -32002
    public static let requestFailed = -32803
}

/// An error a request is answered with.
public struct JSONRPCError: Error, Sendable {
    public var code: Int
    public var message: String

    public init(_ code: Int, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// Splits a byte stream into Language Server Protocol messages (headers, a blank line, a
/// `Content-Length` body). Bad framing is reported and skipped, never stopping the stream.
public struct MessageFramer: Sendable {
    /// What the framer found in the bytes it was given.
    public enum Event: Equatable, Sendable {
        /// A whole message body.
        case message([UInt8])
        /// A framing problem, as a sentence for a JSON-RPC error.
        case error(String)
    }

    /// The largest body accepted.
    public var maxMessageSize: Int
    /// The longest header block accepted.
    public static let maxHeaderSize = 8192

    private var buffer: [UInt8] = []
    private var start = 0
    /// Body bytes of a message over the limit still to drop.
    private var skipping = 0
    /// The length of the body being waited for, once its headers are read.
    private var bodyLength: Int?

    public init(maxMessageSize: Int = 64 << 20) {
        self.maxMessageSize = maxMessageSize
    }

    /// Takes more bytes of the stream and returns the messages and problems they complete.
    public mutating func append<S: Sequence>(_ bytes: S) -> [Event] where S.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        while true {
            let available = buffer.count - start
            if skipping > 0 {
                let n = min(skipping, available)
                skipping -= n
                start += n
                if skipping > 0 { break }
                continue
            }
            if let length = bodyLength {
                guard available >= length else { break }
                events.append(.message(Array(buffer[start..<(start + length)])))
                start += length
                bodyLength = nil
                continue
            }
            guard available > 0 else { break }
            guard let end = headerEnd() else {
                if available > Self.maxHeaderSize {
                    events.append(.error("a message header is longer than \(Self.maxHeaderSize) bytes without ending in a blank line"))
                    resynchronize()
                }
                break
            }
            let header = String(decoding: buffer[start..<end], as: UTF8.self)
            start = end + 4
            switch Self.contentLength(header) {
            case .none:
                events.append(.error("a message header has no Content-Length"))
            case .some(nil):
                events.append(.error("a message header has a Content-Length that is not a number of bytes"))
            case .some(.some(let length)) where length > maxMessageSize:
                events.append(.error("a message of \(length) bytes is larger than the limit of \(maxMessageSize) bytes; it was skipped"))
                skipping = length
            case .some(.some(let length)):
                bodyLength = length
            }
        }
        if start > 1 << 16 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        return events
    }

    /// The index of the `\r\n\r\n` that ends the header block starting at `start`.
    private func headerEnd() -> Int? {
        var i = start
        let limit = min(buffer.count, start + Self.maxHeaderSize + 4) - 3
        while i < limit {
            if buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 { return i }
            i += 1
        }
        return nil
    }

    /// Drops bytes up to the next `Content-Length` (keeping a tail that may be the start of one).
    private mutating func resynchronize() {
        let needle = Array("Content-Length".utf8)
        var i = start + 1
        while i + needle.count <= buffer.count {
            if buffer[i] == needle[0] && Array(buffer[i..<(i + needle.count)]) == needle {
                start = i
                return
            }
            i += 1
        }
        start = max(start, buffer.count - needle.count + 1)
    }

    /// The `Content-Length` of a header block: nil when absent, .some(nil) when not a number.
    static func contentLength(_ header: String) -> Int?? {
        for line in header.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard name.lowercased() == "content-length" else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard let n = Int(value), n >= 0 else { return .some(nil) }
            return .some(n)
        }
        return .none
    }

    /// A message framed for sending.
    public static func frame(_ body: String) -> [UInt8] {
        Array("Content-Length: \(body.utf8.count)\r\n\r\n".utf8) + Array(body.utf8)
    }
}

extension JSON {
    /// A value decoded by JSONSerialization, as a `JSON` (for echoing request IDs).
    static func from(_ value: Any?) -> JSON {
        switch value {
        case nil, is NSNull: return .null
        case let s as String: return .string(s)
        case let n as NSNumber:
            let d = n.doubleValue
            if d == d.rounded(), abs(d) < 9e15 { return .int(Int(d)) }
            return .number(d)
        case let a as [Any]: return .array(a.map { from($0) })
        case let o as [String: Any]: return .object(o.keys.sorted().map { ($0, from(o[$0])) })
        default: return .null
        }
    }
}
