import Foundation
import TradepostCore

/// Reads, maps and checks price-list rows on a thread of its own, so the transaction's thread only
/// looks up, writes and records: the two halves of an import run on two cores. Batches pass through
/// a bounded queue, so the reader is never more than a few thousand rows ahead (memory stays flat).
final class ImportReaderThread: @unchecked Sendable {
    /// A row as the reader prepared it: checked without knowing whether the product exists yet.
    struct Prepared: Sendable {
        var line: Int
        var row: ImportRow
        /// The input `validated(creating: false)`, or the error that check threw.
        var checked: Result<ProductInput, AppError>
        /// The prices read in `currency`, or the error; nil when `checked` failed.
        var money: Result<(price: Money?, tiers: [PriceTier]?), AppError>?
        var currency: String
    }

    struct Batch: Sendable {
        var rows: [Prepared]
        var bytesRead: Int64
    }

    private let condition = NSCondition()
    private var batches: [Batch] = []
    private var done = false
    private var failure: (any Error)?
    private var cancelled = false
    private static let capacity = 8, batchSize = 1000

    /// Starts reading `reader` (its header already read) on a new thread.
    init(reader: CSVReader, header: ImportHeader, defaultCurrency: String) {
        let box = ReaderBox(reader)
        let thread = Thread { [self] in
            let reader = box.reader
            do {
                var batch: [Prepared] = []
                batch.reserveCapacity(Self.batchSize)
                while let record = try reader.next() {
                    batch.append(Self.prepare(ImportRow(record, header: header), line: reader.line, defaultCurrency: defaultCurrency))
                    if batch.count == Self.batchSize {
                        guard put(Batch(rows: batch, bytesRead: reader.bytesRead)) else { return }
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { _ = put(Batch(rows: batch, bytesRead: reader.bytesRead)) }
                finish(nil)
            } catch {
                finish(error)
            }
        }
        thread.start()
    }

    /// The next batch, nil at the end; rethrows what the reader hit (a quote left open…).
    func next() throws -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !done { condition.wait() }
        if !batches.isEmpty {
            condition.broadcast()
            return batches.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops the reader early (the transaction failed).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    private func put(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= Self.capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    private func finish(_ error: (any Error)?) {
        condition.lock()
        done = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    static func prepare(_ row: ImportRow, line: Int, defaultCurrency: String) -> Prepared {
        let currency = (row.input.currency ?? defaultCurrency).uppercased()
        do {
            let input = try row.input.validated(creating: false)
            do {
                return Prepared(line: line, row: row, checked: .success(input), money: .success(try input.money(currency: currency)), currency: currency)
            } catch let error as AppError {
                return Prepared(line: line, row: row, checked: .success(input), money: .failure(error), currency: currency)
            }
        } catch let error as AppError {
            return Prepared(line: line, row: row, checked: .failure(error), money: nil, currency: currency)
        } catch {
            return Prepared(line: line, row: row, checked: .failure(AppError.invalid("\(error)")), money: nil, currency: currency)
        }
    }
}

/// Hands the reader to the reader thread, which alone uses it from then on.
private final class ReaderBox: @unchecked Sendable {
    let reader: CSVReader
    init(_ reader: CSVReader) { self.reader = reader }
}
