import Foundation
import GRDB
import Testing
import TradepostCore
@testable import TradepostStore
import TradepostTestSupport

@Suite("Catalog import and export: real-world CSV, dry run, atomic and idempotent apply")
struct CatalogImportTests {
    func file(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tp-import-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func file(_ text: String) throws -> String { try file(Array(text.utf8)) }

    func records(_ path: String, encoding: CSVReader.Encoding? = nil) throws -> (CSVReader, [[String]]) {
        let reader = try CSVReader(path: path, encoding: encoding)
        var out: [[String]] = []
        while let r = try reader.next() { out.append(r) }
        return (reader, out)
    }

    @Test func readerHandlesQuotesLineBreaksBOMAndDelimiters() throws {
        let (r1, rows1) = try records(try file([0xEF, 0xBB, 0xBF] + Array("sku;name;price\r\nA-1;\"Парацетамол; 500 мг\";12,50\r\n\r\nA-2;\"Say \"\"hi\"\"\nnext line\";3\n".utf8)))
        #expect(r1.encoding == .utf8 && r1.delimiter == UInt8(ascii: ";"))
        #expect(rows1 == [["sku", "name", "price"], ["A-1", "Парацетамол; 500 мг", "12,50"], ["A-2", "Say \"hi\"\nnext line", "3"]])

        let (r2, rows2) = try records(try file("sku,name\nB-1,Aspirin"))
        #expect(r2.delimiter == UInt8(ascii: ",") && rows2 == [["sku", "name"], ["B-1", "Aspirin"]])

        // "Назва" and "Ціна" in Windows-1251.
        let cp1251: [UInt8] = Array("sku;".utf8) + [0xCD, 0xE0, 0xE7, 0xE2, 0xE0] + Array(";".utf8) + [0xD6, 0xB3, 0xED, 0xE0] + [0x0A]
        let (r3, rows3) = try records(try file(cp1251))
        #expect(r3.encoding == .windows1251 && rows3 == [["sku", "Назва", "Ціна"]])

        #expect(throws: AppError.self) { try records(try file("sku,name\nA,\"open")) }
    }

    @Test func headersAreReadInThreeLanguages() throws {
        let header = try ImportHeader(["Артикул", "Наименование", "Ціна", "Остаток", "Торговая марка", "attr:dosage_form", "Примітка"])
        #expect(header.fields == [.sku, .name, .price, .stockQuantity, .brand, .attribute("dosage_form"), nil])
        #expect(header.ignored == ["Примітка"])
        #expect(throws: AppError.self) { try ImportHeader(["name", "price"]) }
        #expect(throws: AppError.self) { try ImportHeader(["sku", "price", "ціна"]) }
    }

    @Test func dryRunReportsEveryBadRowAndApplyIsAllOrNothingAndIdempotent() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, _) = try await store.tenantWithOwner("acme")
        let business = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "Pharma", type: .pharmacy, city: "Kyiv"))
        let medicines = try await store.categories.createCategory(.system(tenant.id), name: "Medicines", parentID: nil)
        let analgesics = try await store.categories.createCategory(.system(tenant.id), name: "Analgesics", parentID: medicines.id)
        let imports = store.catalogImports

        let bad = try file("""
            sku;name;price;category;stock;tiers
            P-1;Paracetamol 500;12,50;Medicines / Analgesics;100;10:11,90 50:10.50
            P-2;Ibuprofen;abc;;5;
            P-1;Duplicate;1;;;
            P-3;No category;3;Vitamins;;
            ;No SKU;1;;;
            """)
        let report = try await imports.run(tenant.id, businessID: business.id, path: bad, dryRun: true, options: ImportOptions(), audit: .system) { _ in }
        #expect(report.rows == 5 && report.created == 1 && report.failed == 4)
        #expect(report.issues.map(\.line) == [3, 4, 5, 6])
        #expect(report.issues.map(\.field) == ["price", "sku", "category", "sku"])

        // The same file applied: nothing is written, the report is the same.
        let applied = try await imports.run(tenant.id, businessID: business.id, path: bad, dryRun: false, options: ImportOptions(), audit: .system) { _ in }
        #expect(!applied.applied && applied.failed == 4)
        var count = try await store.tenantDatabases.read(tenant.id) { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM products")! }
        #expect(count == 0)

        let good = try file("""
            sku,name,price,category,stock,tiers,attr:dosage_form
            P-1,Paracetamol 500,"12,50",Medicines / Analgesics,100,"10:11,90 50:10.50",tablet
            P-2,Ібупрофен 200,"1 234.00",Analgesics,0,,capsule
            """)
        let first = try await imports.run(tenant.id, businessID: business.id, path: good, dryRun: false, options: ImportOptions(), audit: .system) { _ in }
        #expect(first.applied && first.created == 2 && first.failed == 0)
        let p1 = try await store.tenantDatabases.read(tenant.id) { db in
            try Row.fetchOne(db, sql: "SELECT * FROM products WHERE sku = 'P-1'").map(Product.init(row:))!
        }
        #expect(p1.price == Money(minor: 1250, currency: "UAH") && p1.tiers.map(\.price.minor) == [1190, 1050])
        #expect(p1.categoryId == analgesics.id && p1.status == .published && p1.attributes["dosage_form"] == .text("tablet"))

        let again = try await imports.run(tenant.id, businessID: business.id, path: good, dryRun: false, options: ImportOptions(), audit: .system) { _ in }
        #expect(again.applied && again.created == 0 && again.updated == 0 && again.unchanged == 2)

        // A price change updates one row and is recorded in the price history.
        let changed = try file("sku,price\nP-1,13.00\n")
        let third = try await imports.run(tenant.id, businessID: business.id, path: changed, dryRun: false, options: ImportOptions(), audit: .system) { _ in }
        #expect(third.updated == 1 && third.unchanged == 0)
        count = try await store.tenantDatabases.read(tenant.id) { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM price_history WHERE product_id = ? AND kind = 'base'", arguments: [p1.id])!
        }
        #expect(count == 2)

        // Export reads back to the same catalog, in either encoding.
        for encoding in CSVReader.Encoding.allCases {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("tp-export-\(UUID().uuidString).csv")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            let handle = try FileHandle(forWritingTo: out)
            try await imports.export(.system(tenant.id), businessID: business.id, encoding: encoding, delimiter: UInt8(ascii: ";")) { handle.write(Data($0)) }
            try handle.close()
            let round = try await imports.run(tenant.id, businessID: business.id, path: out.path, dryRun: false, options: ImportOptions(), audit: .system) { _ in }
            #expect(round.encoding == encoding && round.rows == 2 && round.unchanged == 2 && round.failed == 0, "\(encoding): \(round)")
        }
    }

    @Test func submittedImportsRunThroughTheOutboxAndApplyTheirDryRunFile() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, _) = try await store.tenantWithOwner("acme")
        let business = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "Pharma", type: .pharmacy, city: "Kyiv"))
        let upload = try file("sku,name,price\nX-1,Aspirin,5\n")
        let dry = try await store.catalogImports.submit(.system(tenant.id), businessID: business.id, fileName: "prices.csv", path: upload, dryRun: true,
                                                        options: ImportOptions())
        #expect(dry.state == .queued)
        let events = try await store.tenantDatabases.read(tenant.id) { db in try String.fetchAll(db, sql: "SELECT topic FROM outbox") }
        #expect(events.contains(Topic.catalogImportRequested))
        try await store.catalogImports.perform(tenant.id, importID: dry.id)
        let checked = try await store.catalogImports.catalogImport(.system(tenant.id), id: dry.id)
        #expect(checked.state == .succeeded && checked.report?.created == 1 && checked.report?.applied == false)

        let apply = try await store.catalogImports.apply(.system(tenant.id), importID: dry.id)
        try await store.catalogImports.perform(tenant.id, importID: apply.id)
        try await store.catalogImports.perform(tenant.id, importID: apply.id)  // a second run of a finished import does nothing
        let done = try await store.catalogImports.catalogImport(.system(tenant.id), id: apply.id)
        #expect(done.state == .succeeded && done.report?.applied == true && done.report?.created == 1)
        // The applied file is gone, so applying the dry run again is refused.
        await #expect(throws: AppError.self) { try await store.catalogImports.apply(.system(tenant.id), importID: dry.id) }
        let list = try await store.catalogImports.imports(.system(tenant.id), businessID: business.id, limit: 10)
        #expect(list.map(\.id) == [apply.id, dry.id])

        // Checked files that were never applied are removed after a week.
        let directory = try store.catalogImports.uploadDirectory(tenant.id)
        let old = directory.appendingPathComponent("old.csv"), fresh = directory.appendingPathComponent("fresh.csv")
        FileManager.default.createFile(atPath: old.path, contents: Data("sku\n".utf8))
        FileManager.default.createFile(atPath: fresh.path, contents: Data("sku\n".utf8))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-8 * 86400)], ofItemAtPath: old.path)
        SQLiteCatalogImportService.pruneUploads(in: directory, olderThan: Date().addingTimeInterval(-SQLiteCatalogImportService.keepUploads))
        #expect(!FileManager.default.fileExists(atPath: old.path) && FileManager.default.fileExists(atPath: fresh.path))
    }
}
