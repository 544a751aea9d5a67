import Foundation
import TradepostBlobs
import TradepostCore
import TradepostDocuments
import TradepostJobs
import TradepostStore

/// Nightly at 03:00 in the tenant's time zone: invoices past their due date with a balance left
/// are flagged overdue, each once, with an `invoice.overdue` event.
public struct InvoicesOverdue: JobPayload {
    public static let jobType = "invoices.overdue"
    public init() {}
}

/// Makes an issued document's PDF and keeps it in the blob store, right after issue (a download
/// before the job ran makes it too; whichever comes first is kept). Idempotent.
public struct DocumentPDFJob: JobPayload {
    public static let jobType = "document.pdf"
    public enum Kind: String, Codable, Sendable { case invoice, creditNote = "credit_note" }
    public var kind: Kind
    public var id: String
    public init(kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }
}

enum InvoiceJobs {
    static func register(_ registry: JobRegistry, store: Store) throws {
        let documents = TradeDocuments(fulfilment: store.fulfilment, returns: store.returns,
                                       blobs: ObjectStore(dataDir: store.dataDir, tenants: store.tenantDatabases))
        registry.register(DocumentPDFJob.self, queue: "default", maxAttempts: 5, timeout: .seconds(120)) { job, context in
            guard let tenant = context.tenant else { throw PermanentJobError("a document needs a tenant") }
            switch job.kind {
            case .invoice: _ = try await documents.invoicePDF(.system(tenant), invoiceID: job.id)
            case .creditNote: _ = try await documents.creditNotePDF(.system(tenant), creditNoteID: job.id)
            }
        }
        registry.subscribe("invoice-pdf", topic: Topic.invoiceIssued, job: DocumentPDFJob.self) { event in
            DocumentPDFJob(kind: .invoice, id: try event.decode(InvoiceEvent.self).invoiceId)
        }
        registry.subscribe("credit-note-pdf", topic: Topic.creditNoteIssued, job: DocumentPDFJob.self) { event in
            DocumentPDFJob(kind: .creditNote, id: try event.decode(ReturnEvent.self).creditNoteId ?? "")
        }
        registry.register(InvoicesOverdue.self, queue: "maintenance", maxAttempts: 3, timeout: .seconds(600), manual: true) { _, context in
            guard let tenant = context.tenant else { throw PermanentJobError("the overdue check needs a tenant") }
            let flagged = try await store.fulfilment.markOverdue(.system(tenant), now: Date())
            if flagged > 0 { context.logger.info("invoices overdue", metadata: ["invoices": "\(flagged)"]) }
        }
        try registry.schedule("invoices-overdue", cron: "0 3 * * *", zone: .eachTenant, job: InvoicesOverdue.self) { _ in InvoicesOverdue() }
    }
}
