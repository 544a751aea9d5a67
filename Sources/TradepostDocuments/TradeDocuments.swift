import Foundation
import TradepostCore

/// Invoices' and credit notes' PDFs: made once from the issued document (which never changes),
/// kept in the blob store, and read from there after. Two first downloads at once make the same
/// bytes; the first to be named wins and the other's blob is discarded.
public struct TradeDocuments: Sendable {
    let fulfilment: any FulfilmentService
    let returns: any ReturnService
    let blobs: any BlobStore

    public init(fulfilment: any FulfilmentService, returns: any ReturnService, blobs: any BlobStore) {
        self.fulfilment = fulfilment
        self.returns = returns
        self.blobs = blobs
    }

    /// An invoice's PDF and a file name for it. Throws `.notFound`.
    public func invoicePDF(_ caller: Caller, invoiceID: String) async throws -> (filename: String, data: Data) {
        let tenant = try caller.tenant()
        let (invoice, stored) = try await fulfilment.invoiceDocument(caller, id: invoiceID)
        let data = try await kept(tenant, stored, make: { InvoicePDF.render(invoice) }) { blob in
            try await fulfilment.attachInvoicePDF(tenant, invoiceID: invoice.id, blob: blob)
        }
        return ("\(invoice.number).pdf", data)
    }

    /// A credit note's PDF and a file name for it. Throws `.notFound`.
    public func creditNotePDF(_ caller: Caller, creditNoteID: String) async throws -> (filename: String, data: Data) {
        let tenant = try caller.tenant()
        let (note, stored) = try await returns.creditNoteDocument(caller, id: creditNoteID)
        let data = try await kept(tenant, stored, make: { CreditNotePDF.render(note) }) { blob in
            try await returns.attachCreditNotePDF(tenant, creditNoteID: note.id, blob: blob)
        }
        return ("\(note.number).pdf", data)
    }

    /// The stored bytes, or new ones made, stored and named (`attach` answers the blob named).
    private func kept(_ tenant: TenantID, _ stored: String?, make: () -> Data, attach: (String) async throws -> String) async throws -> Data {
        if let stored, let data = try? read(tenant, stored) { return data }
        let data = make()
        let sink = try blobs.newBlob(tenant, checksums: [], sha256: false)
        do {
            try data.withUnsafeBytes { try sink.write($0) }
            try sink.commit()
        } catch {
            sink.discard()
            throw error
        }
        let named = try await attach(sink.id)
        if named != sink.id { blobs.discardBlob(tenant, sink.id) }
        return data
    }

    private func read(_ tenant: TenantID, _ blob: String) throws -> Data {
        let source = try blobs.openBlob(tenant, blob)
        var out = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0, at: Int64(out.count)) }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }
}
