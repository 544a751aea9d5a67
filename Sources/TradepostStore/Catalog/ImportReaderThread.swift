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

    private let channel = BatchChannel<Batch>(capacity: 8)
    private static let batchSize = 1000

    /// Starts reading `reader` (its header already read) on a new thread.
    init(reader: CSVReader, header: ImportHeader, defaultCurrency: String) {
        let box = ReaderBox(reader)
        let channel = channel
        let thread = Thread {
            let reader = box.reader
            do {
                var batch: [Prepared] = []
                batch.reserveCapacity(Self.batchSize)
                while let record = try reader.next() {
                    batch.append(Self.prepare(ImportRow(record, header: header), line: reader.line, defaultCurrency: defaultCurrency))
                    if batch.count == Self.batchSize {
                        guard channel.put(Batch(rows: batch, bytesRead: reader.bytesRead)) else { return }
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { _ = channel.put(Batch(rows: batch, bytesRead: reader.bytesRead)) }
                channel.finish()
            } catch {
                channel.finish(error)
            }
        }
        thread.start()
    }

    /// The next batch, nil at the end; rethrows what the reader hit (a quote left open…).
    func next() throws -> Batch? {
        try channel.next()
    }

    /// Stops the reader early (the transaction failed).
    func cancel() {
        channel.cancel()
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
