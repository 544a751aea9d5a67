import Foundation
import GRDB
import Testing
import TradepostCore
@testable import TradepostDatabase

/// Products are read straight from the statement's steps, and dates by arithmetic; both must give
/// exactly what GRDB's own `Row` decoding gives, and leave no statement open.
@Suite("Reading columns from the statement")
struct ColumnReaderTests {
    @Test func storedDatesParseToWhatGRDBDecodes() throws {
        var random = SplitMix64(seed: 42)
        let queue = try DatabaseQueue()
        try queue.read { db in
            for i in 0..<3000 {
                // Across 1900…2200, with every millisecond value showing up.
                let seconds = Double(Int64(random.next() % 9_467_280_000) - 2_208_988_800) + Double(i % 1000) / 1000
                let text = String(describing: Date(timeIntervalSince1970: seconds).databaseValue.storage.value!)
                let grdb = try Date.fetchOne(db, sql: "SELECT ?", arguments: [text])!
                let ours = try #require(StoredDate.parse(text), "\(text)")
                #expect(ours == grdb, "\(text): \(ours.timeIntervalSinceReferenceDate) vs \(grdb.timeIntervalSinceReferenceDate)")
            }
            let mine = try Row.fetchOne(db, sql: "SELECT '2026-12-04 09:49:45.123' AS a, '2026-12-04' AS b, '2026-12-04 09:49' AS c, NULL AS d")!
            #expect(abs(try mine.date(0).timeIntervalSince1970 - 1_796_377_785.123) < 1e-6)
            #expect(try mine.date(1) as Date == Date.fromDatabaseValue(mine["b"])!)  // GRDB's way for other forms
            #expect(try mine.date(2) as Date == Date.fromDatabaseValue(mine["c"])!)
            #expect(try mine.date(3) as Date? == nil)
        }
        for odd in ["2026-12-04 09:49:45", "2026-13-04 09:49:45.123", "2026-12-04T09:49:45.123", "2026-12-04 09:49:45.12x", ""] {
            #expect(StoredDate.parse(odd) == nil, "\(odd)")
        }
    }

    @Test func productsReadFromStepsEqualProductsReadFromRows() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE products (\(Product.Columns.names.map { $0 + " ANY" }.joined(separator: ", ")))")
            for i in 0..<50 {
                try db.execute(sql: "INSERT INTO products (\(Product.selectList)) VALUES (\(databaseQuestionMarks(count: Product.Columns.count)))", arguments: [
                    "P\(i)", "B1", "SKU-\(i)", "Name \(i) «ї»", i % 2 == 0 ? nil : "Brand", nil, i % 3 == 0 ? "C1" : nil, i % 5 == 0 ? "Line\nbreak" : nil,
                    i % 4 == 0 ? #"{"rx":false,"strength_mg":500,"dose":"1.50"}"# : "{}", "pcs", 1 + i, 1, 1, "UAH", 4250 * i,
                    i % 2 == 0 ? #"[{"p":4000,"q":10}]"# : "[]", i * 3, "in_stock", "published", nil, i, Date(timeIntervalSince1970: 1_796_377_785.5 + Double(i)),
                    Date(timeIntervalSince1970: 1_796_377_999.25), [0, 700, 2000][i % 3]])
            }
        }
        try queue.read { db in
            let sql = "SELECT * FROM products ORDER BY id"
            let fromSteps = try Product.fetchAll(db, sql: sql)
            let fromRows = try Row.fetchAll(db, sql: sql).map(Product.init(row:))
            #expect(fromSteps.count == 50 && fromSteps == fromRows)
            #expect(try Product.fetchOne(db, where: "id = ?", arguments: ["P7"]) == fromRows.first { $0.id == "P7" })
            #expect(try Product.fetchOne(db, where: "id = ?", arguments: ["nope"]) == nil)
            // Several rows match: the first is returned and the statement is reset, not left mid-way.
            #expect(try Product.fetchOne(db, where: "business_id = ? ORDER BY id", arguments: ["B1"])?.id == "P0")
        }
    }

    /// A statement left on a row keeps its read snapshot, and a checkpoint cannot pass it.
    @Test func noStatementIsLeftHoldingASnapshot() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("columns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pool = try DatabasePool(path: dir.appendingPathComponent("t.sqlite").path)
        try await pool.write { db in
            try db.execute(sql: "CREATE TABLE products (\(Product.Columns.names.map { $0 + " ANY" }.joined(separator: ", ")))")
            for i in 0..<3 {
                try db.execute(sql: "INSERT INTO products (\(Product.selectList)) VALUES (\(databaseQuestionMarks(count: Product.Columns.count)))", arguments: [
                    "P\(i)", "B1", "S\(i)", "N", nil, nil, nil, nil, "{}", "pcs", 1, 1, 1, "UAH", 1, "[]", 0, "in_stock", "published", nil, 0, Date(), Date(), 0])
            }
        }
        let reader = try DatabaseQueue(path: dir.appendingPathComponent("t.sqlite").path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        try reader.inDatabase { db in
            _ = try Product.fetchOne(db, where: "business_id = ? ORDER BY id", arguments: ["B1"])
            _ = try Product.fetchOne(db, where: "id = ?", arguments: ["P1"])
            _ = try Product.fetchAll(db, sql: "SELECT * FROM products")
            #expect(throws: (any Error).self) { _ = try Product.fetchOne(db, where: "id = ?", arguments: []) }
        }
        try await pool.write { db in try db.execute(sql: "UPDATE products SET name = 'M'") }
        let busy = try await pool.writeWithoutTransaction { db in try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")![0] as Int }
        #expect(busy == 0)
        try reader.close()
    }
}
