import Foundation
import TradepostCore

/// Analyzes products into search documents on a thread of its own, a batch at a time: in a full
/// rebuild, while the `RebuildReader` reads the next products and the writer appends the documents
/// of an earlier batch, this thread folds and stems the current one (analysis was over half of a
/// rebuild's time on one core). Batches are analyzed in the order they were started.
final class DocumentAnalyzer: @unchecked Sendable {
    /// One batch's documents, ready once `wait()` returns.
    final class Batch: @unchecked Sendable {
        fileprivate let done = DispatchSemaphore(value: 0)
        fileprivate var documents: [SearchDocument] = []

        func wait() -> [SearchDocument] {
            done.wait()
            return documents
        }
    }

    private let queue = DispatchQueue(label: "tradepost.search.analyze")
    /// Touched only on `queue`.
    private var memo = TermMemo()

    func start(_ items: [(product: Product, context: SearchDocument.Context)]) -> Batch {
        let batch = Batch()
        queue.async {
            batch.documents = items.map { SearchDocument($0.product, $0.context, memo: &self.memo) }
            batch.done.signal()
        }
        return batch
    }
}
