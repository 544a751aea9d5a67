// swift-tools-version: 6.2
import PackageDescription

/// Tradepost: one binary, a handful of targets with one-way dependencies — a star. Core (domain
/// types, service protocols, policy; no I/O) is the middle; Database (SQLite our way) sits on it;
/// Store, Jobs, Search and Blobs each stand on Core and Database and never on each other; HTTP's
/// composition root (Composition/) is the only place that sees them all; the command is on top.
///
///     TradepostCore
///       └─ TradepostDatabase
///            ├─ TradepostStore ──┐
///            ├─ TradepostJobs ───┤
///            ├─ TradepostSearch ─┼─ TradepostHTTP ── tradepost
///            └─ TradepostBlobs ──┘
///
/// TradepostWiring (the domains' job handlers and their registration) stands on Store, Jobs,
/// Search and Blobs; HTTP's composition root calls it.
///
/// docs/architecture.md says why. Outside Composition/, HTTP sees the blob store only through
/// Core's BlobStore; its S3 listener (S3/) imports TradepostBlobs for the protocol's pure parts.
/// scripts/check-architecture (run by .ci/run) fails when this graph or those imports drift from the map.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "tradepost",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tradepost", targets: ["tradepost"]),
    ],
    dependencies: [
        // No traits where a package has two or more: SwiftPM 6.3 writes a module's trait defines in
        // an order that changes from one build plan to the next, which recompiled Hummingbird (and
        // everything after it) on the first build after a resolution. We use neither of
        // Hummingbird's (ConfigurationSupport, FullFoundation), and swift-configuration for YAML only.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
    ],
    targets: [
        .target(
            name: "TradepostCore",
            dependencies: [],
            swiftSettings: strict
        ),
        // SQLite our way, shared by every target that keeps data in it: opening a file (pragmas,
        // busy timeout), pinned migrations, the control and tenant schemas and their row mappings,
        // the per-tenant pool cache, the outbox and the audit chain (written in the caller's
        // transaction), the data-dir and snapshot locks. No services.
        .target(
            name: "TradepostDatabase",
            dependencies: [
                "TradepostCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TradepostStore",
            dependencies: [
                "TradepostCore",
                "TradepostDatabase",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TradepostJobs",
            dependencies: [
                "TradepostCore",
                "TradepostDatabase",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TradepostSearch",
            dependencies: [
                "TradepostCore",
                "TradepostDatabase",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // The blob store: files on disk, metadata in the tenant databases, and the S3 protocol's
        // pure parts (SigV4, aws-chunked, XML); the S3 listener itself is in TradepostHTTP.
        .target(
            name: "TradepostBlobs",
            dependencies: [
                "TradepostCore",
                "TradepostDatabase",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Documents made inside the binary: invoices and credit notes as PDF, set in embedded DejaVu
        // fonts (subset per document, text extractable through a ToUnicode map). Pure: bytes in, bytes out.
        .target(
            name: "TradepostDocuments",
            dependencies: ["TradepostCore"],
            swiftSettings: strict,
            plugins: ["FontAssetsPlugin"]
        ),
        // The domains' job handlers (upkeep, catalog imports, search, snapshots) and their
        // registration: the one target that sees the store, the engine, search and blobs together.
        .target(
            name: "TradepostMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TradepostWiring",
            dependencies: [
                "TradepostCore",
                "TradepostDatabase",
                "TradepostStore",
                "TradepostJobs",
                "TradepostSearch",
                "TradepostBlobs",
                "TradepostDocuments",
                "TradepostMail",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TradepostHTTP",
            dependencies: [
                "TradepostCore",
                "TradepostWiring",
                "TradepostDocuments",
                "TradepostStore",
                "TradepostJobs",
                "TradepostSearch",
                "TradepostBlobs",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            swiftSettings: strict,
            plugins: ["WebAssetsPlugin"]
        ),
        .executableTarget(
            name: "tradepost",
            dependencies: [
                "TradepostCore",
                "TradepostDatabase",
                "TradepostStore",
                "TradepostJobs",
                "TradepostSearch",
                "TradepostHTTP",
                "TradepostBlobs",
                "TradepostWiring",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict,
            // The shipped binary, linked for a small idle footprint (issue 2): the functions a
            // running server executes placed side by side (packaging/tradepost.order, made by
            // scripts/profile-order; with scripts/build-release's function sections they fill ~8 MB
            // of pages instead of touching most of 33 MB of code); relative relocations packed
            // (RELR, glibc >= 2.36) instead of 3.5 MB of .rela.dyn the loader reads at every start;
            // no dynamic symbol table for our own 50,000 symbols (the static stdlib's link flags
            // export them; nothing looks them up). lld, because gold knows neither.
            linkerSettings: [.unsafeFlags([
                "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic",
                "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/packaging/tradepost.order",
                "-Xlinker", "--no-warn-symbol-ordering",
            ], .when(configuration: .release))]
        ),
        // Benchmarks (Tests/bench/run): in-process measurements that need the engine's own API.
        .executableTarget(
            name: "tradepost-bench",
            dependencies: [
                "TradepostCore", "TradepostDatabase", "TradepostStore", "TradepostJobs", "TradepostSearch", "TradepostDocuments",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/bench/swift"
        ),
        // DejaVu from Debian's fonts-dejavu-core into Swift string literals, for documents.
        .plugin(
            name: "FontAssetsPlugin",
            capability: .buildTool(),
            path: "Plugins/FontAssetsPlugin"
        ),
        // Turns Resources/web into Swift string literals so the binary needs nothing beside it.
        .plugin(
            name: "WebAssetsPlugin",
            capability: .buildTool(),
            path: "Plugins/WebAssetsPlugin"
        ),
        // What the test targets share (a store in a temp dir, a tenant with an owner): one copy.
        .target(
            name: "TradepostTestSupport",
            dependencies: ["TradepostCore", "TradepostStore"],
            path: "Tests/TradepostTestSupport"
        ),
        .testTarget(
            name: "TradepostCoreTests",
            dependencies: ["TradepostCore"]
        ),
        .testTarget(
            name: "TradepostDocumentsTests",
            dependencies: ["TradepostCore", "TradepostDocuments"]
        ),
        .testTarget(
            name: "TradepostStoreTests",
            dependencies: ["TradepostCore", "TradepostTestSupport", "TradepostDatabase", "TradepostStore", "TradepostBlobs", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "TradepostJobsTests",
            dependencies: ["TradepostCore", "TradepostTestSupport", "TradepostDatabase", "TradepostStore", "TradepostJobs", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Logging", package: "swift-log"), .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(
            name: "TradepostSearchTests",
            dependencies: ["TradepostCore", "TradepostTestSupport", "TradepostStore", "TradepostSearch", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "TradepostBlobsTests",
            dependencies: ["TradepostCore", "TradepostDatabase", "TradepostStore", "TradepostBlobs", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "TradepostHTTPTests",
            dependencies: [
                "TradepostCore", "TradepostTestSupport", "TradepostStore", "TradepostHTTP", "TradepostSearch", "TradepostWiring", "TradepostMail",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
