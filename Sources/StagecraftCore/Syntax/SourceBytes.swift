import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a source file, read-only: copied from an array, or a file mapped into
/// memory.
///
/// Reading a big file into an array costs a copy of every byte into memory the kernel
/// must first clear: on the 10 MB benchmark file about 2.3 ms, before any other work can
/// start. A mapped file costs neither; its pages come from the page cache as the lexer
/// first touches them, on whichever core that is (`Files.readSource` maps files of
/// `Files.mapThreshold` bytes or more).
public struct SourceBytes: RandomAccessCollection, Sendable {
    private let storage: Storage

    /// A copy of `bytes`.
    public init(_ bytes: [UInt8]) {
        storage = Storage(copying: bytes)
        mappedFile = nil
    }

    /// For a mapped file, what `fstat` said of it when it was mapped: a mapping is not a
    /// copy, and `Files.changedInPlace` compares this with the file after the check.
    public let mappedFile: FileStamp?

    /// Takes over `count` bytes at `base`, which `release` gives back when the last
    /// copy of the value goes away.
    init(taking base: UnsafePointer<UInt8>?, count: Int, release: Storage.Release, mappedFile: FileStamp? = nil) {
        storage = Storage(base: base, count: count, release: release)
        self.mappedFile = mappedFile
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }
    public var count: Int { storage.count }

    public subscript(i: Int) -> UInt8 {
        precondition(i >= 0 && i < storage.count, "source offset out of range")
        // Safe: checked just above, and the storage is never empty where i is valid.
        return storage.base.unsafelyUnwrapped[i]
    }

    /// Calls `body` with the bytes; the pointer must not escape it.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) {
            try body(UnsafeBufferPointer(start: storage.base, count: storage.count))
        }
    }

    /// Whether the bytes are a file mapped into memory.
    var isMapped: Bool { mappedFile != nil }

    /// The bytes as an array (a copy).
    public var array: [UInt8] { withUnsafeBufferPointer { Array($0) } }

    /// The memory behind a `SourceBytes` value.
    final class Storage: @unchecked Sendable {
        /// How the memory goes back when the storage goes away.
        enum Release {
            /// It was allocated with `UnsafeMutablePointer.allocate`.
            case deallocate
            /// It is a mapping of this many bytes.
            case unmap(length: Int)
        }

        let base: UnsafePointer<UInt8>?
        let count: Int
        private let release: Release

        /// `base` is nil exactly when `count` is 0.
        init(base: UnsafePointer<UInt8>?, count: Int, release: Release) {
            self.base = base
            self.count = count
            self.release = release
        }

        convenience init(copying bytes: [UInt8]) {
            guard !bytes.isEmpty else {
                self.init(base: nil, count: 0, release: .deallocate)
                return
            }
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
            bytes.withUnsafeBufferPointer { source in
                if let from = source.baseAddress { copy.initialize(from: from, count: bytes.count) }
            }
            self.init(base: UnsafePointer(copy), count: bytes.count, release: .deallocate)
        }

        deinit {
            if let base { Storage.free(base, release) }
        }

        private static func free(_ base: UnsafePointer<UInt8>, _ release: Release) {
            switch release {
            case .deallocate:
                UnsafeMutablePointer(mutating: base).deallocate()
            case .unmap(let length):
                _ = munmap(UnsafeMutableRawPointer(mutating: base), length)
            }
        }
    }
}

extension SourceBytes: Equatable {
    public static func == (a: SourceBytes, b: SourceBytes) -> Bool {
        a.count == b.count && a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.elementsEqual(y) } }
    }
}

extension SourceBytes: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: UInt8...) {
        self.init(elements)
    }
}

/// What identifies one version of a file: its device and inode, size, and the times of
/// its last change.
public struct FileStamp: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: (seconds: Int, nanoseconds: Int)
    var changed: (seconds: Int, nanoseconds: Int)

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        #if canImport(Darwin)
        modified = (Int(info.st_mtimespec.tv_sec), Int(info.st_mtimespec.tv_nsec))
        changed = (Int(info.st_ctimespec.tv_sec), Int(info.st_ctimespec.tv_nsec))
        #else
        modified = (Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec))
        changed = (Int(info.st_ctim.tv_sec), Int(info.st_ctim.tv_nsec))
        #endif
    }

    public static func == (a: FileStamp, b: FileStamp) -> Bool {
        a.device == b.device && a.inode == b.inode && a.size == b.size
            && a.modified == b.modified && a.changed == b.changed
    }
}
