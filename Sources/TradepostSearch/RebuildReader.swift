import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// The product side of a full rebuild, on a thread and a reader connection of its own: it reads the
/// published products in docid order (priority level, then rowid) and hands them, a batch at a
/// time, to the `DocumentAnalyzer`; the rebuild's writer takes the analyzed batches in that order.
///
/// Docid order is what lets the writer append: each document lands at the end of `search_docs`
/// (SQLite's cheap rightmost split, where products in rowid order landed on a hundred insertion
/// points across the table, one per priority level) and goes straight into FTS5 with rising rowids
/// (FTS5 flushes its pending terms whenever a rowid goes down), so no 'rebuild' reads every
/// document back afterwards. The writer holds the write lock all along, so this reader's snapshot
/// has the same products as the writer's transaction.
final class RebuildReader: @unchecked Sendable {
    let batches = BatchChannel<DocumentAnalyzer.Batch>(capacity: 4)
    private let done = DispatchSemaphore(value: 0)
    static let batchSize = 1000

    init(pool: DatabasePool, analyzer: DocumentAnalyzer) {
        let batches = batches
        let done = done
        Thread {
            defer { done.signal() }
            do {
                try pool.read { db in
                    // (level, rowid): level 0 is the highest priority, as in the docid.
                    var order: [(level: Int64, rowid: Int64)] = []
                    let rows = try Row.fetchCursor(db, sql: "SELECT rowid, priority FROM products WHERE status = 'published'")
                    while let row = try rows.next() {
                        order.append((SearchDocument.level(priority: row[1]), row[0]))
                    }
                    order.sort { ($0.level, $0.rowid) < ($1.level, $1.rowid) }
                    var contexts = ContextLoader()
                    for start in stride(from: 0, to: order.count, by: Self.batchSize) {
                        let ids = order[start..<min(order.count, start + Self.batchSize)].map(\.rowid)
                        // SQLite visits an IN list in rowid order; the batch is put back in docid order.
                        let found = try Row.fetchCursor(db, sql: """
                            SELECT \(Product.selectList), rowid FROM products WHERE rowid IN (\(databaseQuestionMarks(count: ids.count)))
                            """, arguments: StatementArguments(ids))
                        var byRowid: [Int64: (product: Product, context: SearchDocument.Context)] = [:]
                        while let row = try found.next() {
                            let product = Product(row: row, at: .selected)
                            byRowid[row[Product.Columns.count]] = (product, try contexts.context(db, product))
                        }
                        guard batches.put(analyzer.start(ids.compactMap { byRowid[$0] })) else { return }
                    }
                }
                batches.finish()
            } catch {
                batches.finish(error)
            }
        }.start()
    }

    /// Stops reading (the writer failed or is done) and waits until the reader connection is released.
    func stop() {
        batches.cancel()
        done.wait()
    }
}
