import Foundation
import GRDB
import Testing
import TradepostCore
import TradepostDatabase
@testable import TradepostStore
import TradepostTestSupport

@Suite("Migrations and connection setup")
struct MigrationTests {
    /// Shipped migrations must never change. If this fails you edited one: undo that and add a new
    /// migration at the end instead. Add the checksum of each newly shipped migration here.
    static let shipped: [String: [Int: String]] = [
        "control": [1: "93292361f8c5b15c524e51616cdc521a210bf8d365df3284a4d652da30c5c2de",
                    2: "d66534702a0c4e54e0f5caf38ed10ff2242cbe8f1bac8e5905649d63bb27c737",
                    3: "d74d24da9f5e282fdbcaa58e4aff1a8046a35181fbd64864b7dfd85da5ed9e82"],
        "tenant": [1: "ada7398121e66b681a889e2ea41002321ef1bd4fea1fa763e92231cf3f39d94d",
                   2: "5b4248d8a36b8dd9d3de4518c86e0da64eaf71dcd6cd9de313c44e255296fa08",
                   3: "2555238d61d82b5a01370818f4bccadb1ca6f515cf37d1768c0b09da8238f283",
                   4: "0b48689bbd57d0e0656be81d446c33c8123597354c04775dcb50bbd363f3c232",
                   5: "fa4b2d3872bf80c68ed9cc869fbb1f9a412232671fc907dc457151aaa7387a55",
                   6: "14c5ae2b2794a5f519942b175649cbee7c652220c84da079323967e206598c4e",
                   7: "ac2c2562fc65a11b1972e03415489cb183975143666408ac9db5827d66a06f89",
                   8: "2a11068837b7a9dec2512492e54e460a6b8daf99f7fe983c4483bf9f7e97cd7c",
                   9: "edd61def87c7a8887271fc796a697ca531896ca1aa954455aba3f1ff8a251eb1",
                   10: "f5ab70e6023f6c528387acadaf36ccfd0a85c7f6da4af1d3c7b9c23761747668",
                   11: "27b821293e8cd3df4061ffaddf31234f7f26519bd81c0702596169e050ad5d53",
                   12: "85ed0f36c3041e3417bf29cc8df3d0806278653a4b902b30c23d106081e868cd",
                   13: "b0b9dcaa175e301bde41384357525c8d5ef04b5c043419da1689a7f6203890dc",
                   14: "2cc6aa8da083908e38f32fe872943f18e4974629bb8a9619f9c192ff8dc534d9",
                   15: "9498cf7eec67a3dad587ff868866a7fa5897a9ef00ccaec1afa07d58f97c69e6",
                   16: "f94e2a407653ce63f16768976e49839790f15b06e11b3b85b013884880419e9d",
                   17: "e07bb8f751e74cb37ae592d0aa02d46d435386728ecee5cc10801a12b0ac2ac9",
                   18: "8fa9d23b71c7ee3dc113a28d5309201c414b23d97340c4cfa4c006a218b4f46d",
                   19: "039521086f80c22738cfb34ba1fff4ca3cdef1d0a456378d5a03be0164f40f42",
                   20: "97260d0751add1bf8a020fcbdb02e66e15b4336e9c24f01d0f60dd717411613c",
                   21: "93709b68b4b9cbd54ff7ac6c2d3976817e92794c86c6a34e84d6f9c8b4291227",
                   22: "aa3c27334b17c21099de2a9d77b51cbb5006db2086fed1ad26bc9ecd35731bef",
                   23: "75f8310b84aab6adf51872a8d033dc1d783a536004c5ccf25bc5db3d39705623",
                   24: "62d0079cb9fc61f927e255b40565d2e4bb02cf8bf5fd72642d2bae5c8edaeea3",
                   25: "930061e1d84184a9268d42dd03d4077922e2a3b4cff86cc6a279af64a53830db",
                   26: "ddf8f97207071b7d4f5eb7993d098cfa1486890cb61a4f44477fee2108371376",
                   27: "7dc6d46734819a195399a868ff8f19b4a8ed163335ba2c4f3ada7d8c4f8a3d7a"],
    ]

    static let latestTenantVersion = TenantMigrations.migrator.migrations.last!.version

    @Test(arguments: [ControlMigrations.migrator, TenantMigrations.migrator])
    func shippedMigrationsAreUnchanged(_ migrator: Migrator) {
        let pinned = Self.shipped[migrator.schema] ?? [:]
        for migration in migrator.migrations {
            #expect(pinned[migration.version] == migration.checksum,
                    "\(migrator.schema) migration \(migration.version) (\(migration.name)) changed or is not pinned")
        }
    }

    @Test func migrationsRunOnceAndAreRecorded() throws {
        let queue = try DatabaseQueue()
        let all = TenantMigrations.migrator.migrations.map(\.version)
        #expect(try TenantMigrations.migrator.migrate(queue) == all)
        #expect(try TenantMigrations.migrator.migrate(queue) == [])
        let applied = try queue.read { try TenantMigrations.migrator.appliedMigrations($0) }
        #expect(applied.map(\.version) == all)
        #expect(applied.first?.checksum == TenantMigrations.migrator.migrations[0].checksum)
    }

    @Test func anEditedMigrationIsRefused() throws {
        let queue = try DatabaseQueue()
        try Migrator(schema: "x", migrations: [Migration(1, "one", "CREATE TABLE a (id INTEGER)")]).migrate(queue)
        let edited = Migrator(schema: "x", migrations: [Migration(1, "one", "CREATE TABLE a (id INTEGER, b TEXT)")])
        #expect(throws: MigrationError.self) { try edited.migrate(queue) }
    }

    @Test func aNewerDatabaseIsRefused() throws {
        let queue = try DatabaseQueue()
        try Migrator(schema: "x", migrations: [Migration(1, "one", "CREATE TABLE a (id INTEGER)"),
                                               Migration(2, "two", "CREATE TABLE b (id INTEGER)")]).migrate(queue)
        let older = Migrator(schema: "x", migrations: [Migration(1, "one", "CREATE TABLE a (id INTEGER)")])
        #expect(throws: MigrationError.self) { try older.migrate(queue) }
    }

    /// A record with a hole (changed by hand, or half copied) is refused and named; `problem`, what
    /// `doctor` reports, says the same without changing the file, and nothing for a file that is
    /// merely older than the binary.
    @Test func aRecordWithAGapIsRefusedAndNamed() throws {
        let queue = try DatabaseQueue()
        let migrations = [Migration(1, "one", "CREATE TABLE a (id INTEGER)"), Migration(2, "two", "CREATE TABLE b (id INTEGER)"),
                          Migration(3, "three", "CREATE TABLE c (id INTEGER)")]
        try Migrator(schema: "x", migrations: Array(migrations.prefix(2))).migrate(queue)
        let migrator = Migrator(schema: "x", migrations: migrations)
        #expect(try queue.read { try migrator.problem($0) } == nil, "an older file is upgraded, not refused")
        try migrator.migrate(queue)
        try queue.write { try $0.execute(sql: "DELETE FROM schema_migrations WHERE version = 2") }
        let problem = try queue.read { try migrator.problem($0) }
        #expect(problem?.contains("records migration 3 (three) but not 2 (two)") == true, "\(problem ?? "nil")")
        #expect(throws: MigrationError.self) { try migrator.migrate(queue) }
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM schema_migrations") } == 2, "nothing was applied")
    }

    /// Business b1 and its product p1 (Aspirin), as any schema from version 3 on holds them.
    static func seedProduct(_ db: Database, status: String, attributes: String = "{}") throws {
        try db.execute(sql: "INSERT INTO businesses (id, name, type, city, created_at, updated_at) VALUES ('b1', 'B', 'supplier', 'Kyiv', '2026-01-01', '2026-01-01')")
        try db.execute(sql: """
            INSERT INTO products (id, business_id, sku, name, unit, pack_size, min_order_quantity, order_multiple, currency, price_minor,
                availability, status, attributes, created_at, updated_at)
            VALUES ('p1', 'b1', 'S1', 'Aspirin', 'pcs', 1, 1, 1, 'UAH', 100, 'in_stock', ?, ?, '2026-01-01', '2026-01-01')
            """, arguments: [status, attributes])
    }

    /// Migration 12 remakes the search index in a new format: a file that has published products
    /// gets an outbox event that makes the jobs engine rebuild it; one without gets none.
    @Test(arguments: [true, false])
    func theCompactSearchIndexAsksForARebuildWhenThereIsAnythingToIndex(published: Bool) throws {
        let queue = try DatabaseQueue()
        try Migrator(schema: "tenant", migrations: Array(TenantMigrations.migrator.migrations.prefix(11))).migrate(queue)
        try queue.write { db in
            try Self.seedProduct(db, status: published ? "published" : "draft")
            try db.execute(sql: "INSERT INTO search_docs (docid, product_id, name, codes, extra, body, tags, business_id, business_type, city, in_stock, currency, price_minor, created_at) VALUES (1, 'p1', 'aspirin', '', '', '', 'zzbb1', 'b1', 'supplier', 'Kyiv', 1, 'UAH', 100, '2026-01-01')")
            try db.execute(sql: "INSERT INTO product_fts (product_fts) VALUES ('rebuild')")
        }
        #expect(try TenantMigrations.migrator.migrate(queue).contains(12))
        let (documents, matches, topics, columns) = try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM search_docs"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM product_fts WHERE product_fts MATCH 'aspirin'"),
             try String.fetchAll(db, sql: "SELECT topic FROM outbox"), try db.columns(in: "search_docs").map(\.name))
        }
        #expect(documents == 0 && matches == 0)
        #expect(topics == (published ? ["search.index_stale"] : []))
        #expect(!columns.contains("city") && !columns.contains("business_type"))
    }

    /// Migration 13 rewrites the products table's checks as comparisons in place: rows stay, the
    /// checks still refuse what they refused, and a connection opened before it sees the new text.
    @Test func productChecksBecomeComparisonsAndStillRefuseBadValues() throws {
        let path = NSTemporaryDirectory() + "tp-m13-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let pool = try DatabasePool(path: path)
        try Migrator(schema: "tenant", migrations: Array(TenantMigrations.migrator.migrations.prefix(12))).migrate(pool)
        let product = """
            INSERT INTO products (id, business_id, sku, name, unit, pack_size, min_order_quantity, order_multiple, currency, price_minor,
                availability, status, created_at, updated_at)
            VALUES (?, 'b1', ?, 'Aspirin', 'pcs', 1, 1, 1, 'UAH', 100, ?, ?, '2026-01-01', '2026-01-01')
            """
        try pool.write { db in
            try db.execute(sql: "INSERT INTO businesses (id, name, type, city, created_at, updated_at) VALUES ('b1', 'B', 'supplier', 'Kyiv', '2026-01-01', '2026-01-01')")
            try db.execute(sql: product, arguments: ["p1", "S1", "in_stock", "published"])
        }
        let before = try pool.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'products'") }
        #expect(try Migrator(schema: "tenant", migrations: Array(TenantMigrations.migrator.migrations.prefix(13))).migrate(pool) == [13])
        // A reader opened before the migration (the pool keeps it) must see the new schema.
        let (after, count, integrity) = try pool.read { db in
            (try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'products'") ?? "",
             try Int.fetchOne(db, sql: "SELECT count(*) FROM products"), try String.fetchOne(db, sql: "PRAGMA integrity_check"))
        }
        #expect(before?.contains("status IN (") == true)
        #expect(!after.contains(" IN (") && after.contains("status = 'archived'") && after.contains("availability = 'on_request'"))
        #expect(count == 1 && integrity == "ok")
        try pool.write { db in
            try db.execute(sql: product, arguments: ["p2", "S2", "on_request", "archived"])
            #expect(throws: DatabaseError.self) { try db.execute(sql: product, arguments: ["p3", "S3", "in_stock", "sold"]) }
            #expect(throws: DatabaseError.self) { try db.execute(sql: product, arguments: ["p4", "S4", "maybe", "draft"]) }
        }
        #expect(try pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM products") } == 2)
    }

    /// Migration 14: every write to the businesses or the vocabulary gives the directory a new
    /// generation; running it again (a rewound record) is harmless.
    @Test func directoryGenerationChangesWithEveryWriteItDependsOn() throws {
        let queue = try DatabaseQueue()
        try Migrator(schema: "tenant", migrations: Array(TenantMigrations.migrator.migrations.prefix(13))).migrate(queue)
        try queue.write { try $0.execute(sql: "INSERT INTO businesses (id, name, type, city, created_at, updated_at) VALUES ('b0', 'A', 'supplier', 'Kyiv', '2026-01-01', '2026-01-01')") }
        #expect(try TenantMigrations.migrator.migrate(queue).contains(14))
        func generation() throws -> String { try queue.read { try String.fetchOne($0, sql: "SELECT value FROM settings WHERE key = 'directory.generation'") ?? "" } }
        var seen = [try generation()]
        let ftsLeft = try queue.read { try $0.tableExists("business_fts") }
        #expect(seen[0].count == 16 && !ftsLeft)
        for sql in ["INSERT INTO businesses (id, name, type, city, created_at, updated_at) VALUES ('b1', 'B', 'supplier', 'Kyiv', '2026-01-01', '2026-01-01')",
                    "UPDATE businesses SET name = 'C' WHERE id = 'b1'", "DELETE FROM businesses WHERE id = 'b1'",
                    "INSERT INTO search_synonyms (words) VALUES ('a,b')", "DELETE FROM search_synonyms",
                    "INSERT INTO search_stopwords (word) VALUES ('для')", "DELETE FROM search_stopwords"] {
            try queue.write { try $0.execute(sql: sql) }
            let now = try generation()
            #expect(!seen.contains(now), "\(sql) left the generation as it was")
            seen.append(now)
        }
        try queue.write { db in
            try db.execute(sql: "DELETE FROM schema_migrations WHERE version >= 14")
            try db.execute(sql: "ALTER TABLE search_docs DROP COLUMN attributes")
            try db.execute(sql: "ALTER TABLE products DROP COLUMN tax_rate_bp")
        }
        #expect(try TenantMigrations.migrator.migrate(queue) == Array(14...Self.latestTenantVersion))
    }

    /// Migration 26 rebuilds conversations (a new kind in a CHECK): rows and the references to them
    /// survive, foreign keys are enforced again afterwards, and the new kind is accepted.
    @Test func theConversationsRebuildKeepsRowsAndReferences() throws {
        let queue = try DatabaseQueue()
        try Migrator(schema: "tenant", migrations: Array(TenantMigrations.migrator.migrations.prefix(25))).migrate(queue)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO businesses (id, name, type, city, created_at, updated_at) VALUES ('b1', 'A', 'supplier', 'Kyiv', '2026-01-01', '2026-01-01')")
            try db.execute(sql: "INSERT INTO businesses (id, name, type, city, created_at, updated_at) VALUES ('b2', 'B', 'pharmacy', 'Kyiv', '2026-01-01', '2026-01-01')")
            try db.execute(sql: """
                INSERT INTO conversations (id, kind, buyer_business_id, seller_business_id, subject_key, last_seq, created_by, created_at)
                VALUES ('c1', 'trade', 'b2', 'b1', 'k1', 1, 'u', '2026-01-01')
                """)
            try db.execute(sql: """
                INSERT INTO messages (id, conversation_id, seq, kind, author_id, author_name, text, created_at) VALUES ('m1', 'c1', 1, 'text', 'u', 'U', 'hi', '2026-01-01')
                """)
        }
        #expect(try TenantMigrations.migrator.migrate(queue).contains(26))
        try queue.write { db in
            #expect(try String.fetchOne(db, sql: "SELECT subject_key FROM conversations WHERE id = 'c1'") == "k1")
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            #expect(try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") == true)
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO messages (id, conversation_id, seq, kind, author_id, author_name, created_at) VALUES ('m2', 'nope', 1, 'text', 'u', 'U', 'x')")
            }
            try db.execute(sql: "INSERT INTO conversations (id, kind, seller_business_id, subject_key, created_by, created_at) VALUES ('c2', 'channel', 'b1', 'k2', 'u', 'x')")
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO conversations (id, kind, subject_key, created_by, created_at) VALUES ('c3', 'channel', 'k3', 'u', 'x')")
            }
        }
    }

    /// Migration 15 asks for a rebuild only when a published product has attributes to count.
    @Test(arguments: [false, true])
    func attributeFacetsAskForARebuildOnlyWhenThereAreAttributes(_ attributes: Bool) throws {
        let queue = try DatabaseQueue()
        try Migrator(schema: "tenant", migrations: Array(TenantMigrations.migrator.migrations.prefix(14))).migrate(queue)
        try queue.write { try Self.seedProduct($0, status: "published", attributes: attributes ? #"{"dosage_form":"tablet"}"# : "{}") }
        #expect(try TenantMigrations.migrator.migrate(queue) == Array(15...Self.latestTenantVersion))
        let (topics, columns) = try queue.read { db in
            (try String.fetchAll(db, sql: "SELECT topic FROM outbox"), try db.columns(in: "search_docs").map(\.name))
        }
        #expect(topics == (attributes ? ["search.index_stale"] : []))
        #expect(columns.last == "attributes")
    }

    @Test func aFailingMigrationLeavesNothingBehind() throws {
        let queue = try DatabaseQueue()
        let broken = Migrator(schema: "x", migrations: [Migration(1, "one", "CREATE TABLE a (id INTEGER); INSERT INTO nope VALUES (1)")])
        #expect(throws: DatabaseError.self) { try broken.migrate(queue) }
        #expect(try queue.read { try $0.tableExists("a") } == false)
        #expect(try queue.read { try broken.appliedMigrations($0) }.isEmpty)
    }

    @Test func everyConnectionHasTheRequiredPragmas() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, _) = try await store.tenantWithOwner("pragmas")
        let expected = ["busy_timeout": "5000", "journal_mode": "wal", "synchronous": "1", "foreign_keys": "1"]
        #expect(try await store.control.pool.write { try DatabaseOpener.pragmas($0) } == expected)
        #expect(try await store.control.pool.read { try DatabaseOpener.pragmas($0) } == expected)
        let tenantPragmas: [[String: String]] = try await store.tenantDatabases.withPool(tenant.id) { pool in
            [try await pool.write { try DatabaseOpener.pragmas($0) }, try await pool.read { try DatabaseOpener.pragmas($0) }]
        }
        #expect(tenantPragmas == [expected, expected])
    }
}
