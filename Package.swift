// swift-tools-version:6.0
import PackageDescription

// The library is cut into layers; each target depends only on the ones below it, and the
// compiler holds that (README, "Architecture"). What crosses a target boundary is
// `package` (or `public` where it was already), never more.
// Release builds optimize across the library targets as they did inside one module: the
// parser calls the lexer, the rules the model, and without this every such call stays a call.
let crossModule: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "Stagecraft",
    products: [
        .executable(name: "stagecraft", targets: ["stagecraft"]),
        .library(name: "StagecraftCLI", targets: ["StagecraftCLI"]),
        // The event-log readers on their own (scripts/bench-history.sh builds against them).
        .library(name: "StagecraftHistory", targets: ["StagecraftHistory"]),
    ],
    targets: [
        // The system zlib, for reading `.gz` event logs.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Source files, tokens, the lexer, diagnostics, and the values every layer uses
        // (durations, civil dates, the version).
        .target(name: "StagecraftSyntax", swiftSettings: crossModule),
        // The `.flow` language: syntax tree, parser, model, semantic checks, rules, `fmt`.
        .target(name: "StagecraftLanguage", dependencies: ["StagecraftSyntax"], swiftSettings: crossModule),
        // Event-log readers (CSV, JSONL, XES, gzip) into a columnar log.
        .target(name: "StagecraftHistory", dependencies: ["StagecraftSyntax", "CZlib"], swiftSettings: crossModule),
        // Replay of a history against a workflow, coverage, and drafting a workflow from a log.
        .target(
            name: "StagecraftAnalysis",
            dependencies: ["StagecraftSyntax", "StagecraftLanguage", "StagecraftHistory"],
            swiftSettings: crossModule),
        // Monte Carlo forecasts, status and backtests.
        .target(
            name: "StagecraftSimulation",
            dependencies: ["StagecraftSyntax", "StagecraftLanguage", "StagecraftHistory"],
            swiftSettings: crossModule),
        // Text, JSON, SARIF, HTML and the other renderings of results.
        .target(
            name: "StagecraftOutput",
            dependencies: [
                "StagecraftSyntax", "StagecraftLanguage", "StagecraftHistory",
                "StagecraftAnalysis", "StagecraftSimulation",
            ],
            swiftSettings: crossModule),
        // The subcommands, their options, file I/O, and the language server.
        .target(
            name: "StagecraftCLI",
            dependencies: [
                "StagecraftSyntax", "StagecraftLanguage", "StagecraftHistory",
                "StagecraftAnalysis", "StagecraftSimulation", "StagecraftOutput",
            ],
            swiftSettings: crossModule),
        .executableTarget(name: "stagecraft", dependencies: ["StagecraftCLI"]),
        // Generators and in-process timings for scripts/bench-*.sh; not part of the product.
        .executableTarget(
            name: "stagecraft-bench",
            dependencies: [
                "StagecraftSyntax", "StagecraftLanguage", "StagecraftHistory",
                "StagecraftAnalysis", "StagecraftSimulation", "StagecraftOutput", "StagecraftCLI",
            ],
            path: "Benchmarks"),
        .testTarget(
            name: "StagecraftCoreTests",
            dependencies: [
                "StagecraftSyntax", "StagecraftLanguage", "StagecraftHistory",
                "StagecraftAnalysis", "StagecraftSimulation", "StagecraftOutput", "StagecraftCLI",
            ],
            // Test data read through #filePath, not bundled as resources.
            exclude: ["Corpus", "Golden", "Fixtures"]),
    ]
)
