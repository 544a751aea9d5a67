import Foundation
import TradepostCore

/// Invoices' PDFs: made once from the issued invoice (which never changes), kept in the blob
/// store, and read from there after. Two first downloads at once make the same bytes; the first
/// to be named wins and the other's blob is discarded.
public struct InvoiceDocuments: Sendable {
    let fulfilment: any FulfilmentService
    let blobs: any BlobStore

    public init(fulfilment: any FulfilmentService, blobs: any BlobStore) {
        self.fulfilment = fulfilment
        self.blobs = blobs
    }

    /// The PDF and a file name for it. Throws `.notFound`.
    public func pdf(_ caller: Caller, invoiceID: String) async throws -> (filename: String, data: Data) {
        let tenant = try caller.tenant()
        let (invoice, stored) = try await fulfilment.invoiceDocument(caller, id: invoiceID)
        let filename = "\(invoice.number).pdf"
        if let stored, let data = try? read(tenant, stored) { return (filename, data) }
        let data = InvoicePDF.render(invoice)
        let sink = try blobs.newBlob(tenant, checksums: [], sha256: false)
        do {
            try data.withUnsafeBytes { try sink.write($0) }
            try sink.commit()
        } catch {
            sink.discard()
            throw error
        }
        let named = try await fulfilment.attachInvoicePDF(tenant, invoiceID: invoice.id, blob: sink.id)
        if named != sink.id { blobs.discardBlob(tenant, sink.id) }
        return (filename, data)
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
