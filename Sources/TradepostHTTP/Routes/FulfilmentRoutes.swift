import Foundation
import Hummingbird
import TradepostCore

/// After the order: shipments, invoices (with their PDF), payments, the legal details printed on
/// documents, and sellers' credit limits.
struct FulfilmentRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("orders/:id/shipments", use: ship)
        api.get("orders/:id/shipments", use: shipments)
        api.post("shipments/:id/deliver", use: deliver)
        api.post("orders/:id/invoices", use: issue)
        api.get("orders/:id/invoices", use: orderInvoices)
        api.get("businesses/:id/invoices", use: invoices)
        api.get("invoices/:id", use: invoice)
        api.get("invoices/:id/pdf", use: pdf)
        api.post("invoices/:id/payments", use: pay)
        api.get("businesses/:id/payments", use: payments)
        api.get("businesses/:id/legal", use: legal)
        api.put("businesses/:id/legal", use: setLegal)
        api.get("businesses/:id/credit-limits", use: creditLimits)
        api.put("businesses/:id/credit-limits/:buyer", use: setCreditLimit)
        api.delete("businesses/:id/credit-limits/:buyer", use: removeCreditLimit)
        for kind in TradeExport.Kind.allCases {
            api.get("businesses/:id/\(kind.rawValue)/export") { request, context in try await export(request, context, kind) }
        }
    }

    struct ShipmentBody: APIRequestBody {
        struct LineBody: Decodable {
            var lineNo: Int
            var quantity: Int64
            enum CodingKeys: String, CodingKey {
                case quantity
                case lineNo = "line_no"
            }
        }

        var input: ShipmentInput
        enum CodingKeys: String, CodingKey, CaseIterable {
            case lines, carrier
            case warehouseId = "warehouse_id"
            case trackingNumber = "tracking_number"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            input = ShipmentInput(warehouseId: try c.decodeIfPresent(String.self, forKey: .warehouseId),
                                  lines: try c.decodeIfPresent([LineBody].self, forKey: .lines)?.map { .init(lineNo: $0.lineNo, quantity: $0.quantity) },
                                  carrier: try c.decodeIfPresent(String.self, forKey: .carrier),
                                  trackingNumber: try c.decodeIfPresent(String.self, forKey: .trackingNumber))
        }
    }

    struct InvoiceBody: APIRequestBody {
        var basis: InvoiceInput.Basis?
        var series: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case basis, series }
    }

    struct PaymentBody: APIRequestBody {
        var input: PaymentInput
        enum CodingKeys: String, CodingKey, CaseIterable {
            case amount, method, direction, reference
            case receivedOn = "received_on"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            input = PaymentInput(amount: try c.decodeIfPresent(String.self, forKey: .amount),
                                 method: try c.decodeIfPresent(Payment.Method.self, forKey: .method),
                                 direction: try c.decodeIfPresent(Payment.Direction.self, forKey: .direction),
                                 receivedOn: try c.decodeIfPresent(String.self, forKey: .receivedOn),
                                 reference: try c.decodeIfPresent(String.self, forKey: .reference))
        }
    }

    struct LegalBody: APIRequestBody {
        var details: LegalDetails
        enum CodingKeys: String, CodingKey, CaseIterable {
            case address
            case legalName = "legal_name"
            case taxId = "tax_id"
            case bankAccount = "bank_account"
            case bankName = "bank_name"
            case documentLanguage = "document_language"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            details = LegalDetails(legalName: try c.decode(String.self, forKey: .legalName), taxId: try c.decodeIfPresent(String.self, forKey: .taxId),
                                   address: try c.decodeIfPresent(String.self, forKey: .address),
                                   bankAccount: try c.decodeIfPresent(String.self, forKey: .bankAccount),
                                   bankName: try c.decodeIfPresent(String.self, forKey: .bankName),
                                   documentLanguage: try c.decodeIfPresent(String.self, forKey: .documentLanguage) ?? "en")
        }
    }

    struct LimitBody: APIRequestBody {
        var limit: Money
        enum CodingKeys: String, CodingKey, CaseIterable { case limit }
    }

    @Sendable func ship(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Shipment> {
        let caller = try context.caller()
        let (body, key) = try await request.decodeIdempotent(ShipmentBody.self, limit: maxBody)
        return APIResponse(try await services.fulfilment.ship(caller, orderID: try context.parameters.require("id"), body.input, idempotency: key),
                           status: .created)
    }

    @Sendable func shipments(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Shipment>> {
        APIResponse(ListResponse(items: try await services.fulfilment.shipments(try context.caller(), orderID: try context.parameters.require("id"))))
    }

    @Sendable func deliver(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Shipment> {
        APIResponse(try await services.fulfilment.deliver(try context.caller(), shipmentID: try context.parameters.require("id"),
                                                          idempotency: try request.idempotencyKey(body: Data())))
    }

    @Sendable func issue(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Invoice> {
        let caller = try context.caller()
        // The body is optional: without one, the whole order in the default series.
        let (body, key) = try await request.decodeOptionalIdempotent(InvoiceBody.self, limit: maxBody)
        let input = InvoiceInput(basis: body?.basis, series: body?.series)
        return APIResponse(try await services.fulfilment.issueInvoice(caller, orderID: try context.parameters.require("id"), input, idempotency: key),
                           status: .created)
    }

    @Sendable func orderInvoices(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Invoice>> {
        APIResponse(ListResponse(items: try await services.fulfilment.invoices(try context.caller(), orderID: try context.parameters.require("id"))))
    }

    /// `?side=seller` (issued by the business) or `buyer` (issued to it).
    private func filter(_ request: Request, _ context: AppRequestContext, _ what: String) throws -> OrderFilter {
        let side = try request.query("side", OrderFilter.Side.init(rawValue:), expected: "buyer or seller")
        guard let side else { throw AppError.invalidField("side", "is required: seller (\(what) of the business as seller) or buyer") }
        return OrderFilter(side: side, businessID: try context.parameters.require("id"))
    }

    @Sendable func invoices(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Invoice>> {
        let caller = try context.caller()
        let filter = try filter(request, context, "invoices")
        return APIResponse(ListResponse(try await services.fulfilment.invoices(caller, filter, try request.pageRequest())))
    }

    @Sendable func invoice(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Invoice> {
        APIResponse(try await services.fulfilment.invoice(try context.caller(), id: try context.parameters.require("id")))
    }

    @Sendable func pdf(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.pdfResponse(try await services.documents.invoicePDF(try context.caller(), invoiceID: try context.parameters.require("id")))
    }

    static func pdfResponse(_ document: (filename: String, data: Data)) -> Response {
        Response(status: .ok, headers: [
            .contentType: "application/pdf",
            .contentDisposition: "attachment; filename=\"\(document.filename)\"",
            .cacheControl: "private, no-store",
        ], body: ResponseBody(byteBuffer: ByteBuffer(data: document.data)))
    }

    @Sendable func pay(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Invoice> {
        let caller = try context.caller()
        let (body, key) = try await request.decodeIdempotent(PaymentBody.self, limit: maxBody)
        return APIResponse(try await services.fulfilment.recordPayment(caller, invoiceID: try context.parameters.require("id"), body.input, idempotency: key),
                           status: .created)
    }

    @Sendable func payments(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Payment>> {
        let caller = try context.caller()
        let filter = try filter(request, context, "payments")
        return APIResponse(ListResponse(try await services.fulfilment.payments(caller, filter, try request.pageRequest())))
    }

    @Sendable func legal(_ request: Request, context: AppRequestContext) async throws -> APIResponse<LegalDetails> {
        APIResponse(try await services.fulfilment.legalDetails(try context.caller(), businessID: try context.parameters.require("id")))
    }

    @Sendable func setLegal(_ request: Request, context: AppRequestContext) async throws -> APIResponse<LegalDetails> {
        let caller = try context.caller()
        let body = try await request.decode(LegalBody.self, limit: maxBody)
        return APIResponse(try await services.fulfilment.setLegalDetails(caller, businessID: try context.parameters.require("id"), body.details))
    }

    @Sendable func creditLimits(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<CreditLimit>> {
        APIResponse(ListResponse(items: try await services.fulfilment.creditLimits(try context.caller(), sellerBusinessID: try context.parameters.require("id"))))
    }

    @Sendable func setCreditLimit(_ request: Request, context: AppRequestContext) async throws -> APIResponse<CreditLimit> {
        let caller = try context.caller()
        let body = try await request.decode(LimitBody.self, limit: maxBody)
        let limit = try await services.fulfilment.setCreditLimit(caller, sellerBusinessID: try context.parameters.require("id"),
                                                                 buyerBusinessID: try context.parameters.require("buyer"), limit: body.limit)
        return APIResponse(limit!)
    }

    /// CSV for accounting: `?side=`, optional `from`/`to` days, and the catalog export's `encoding` and `delimiter`.
    func export(_ request: Request, _ context: AppRequestContext, _ kind: TradeExport.Kind) async throws -> Response {
        let caller = try context.caller()
        let filter = try filter(request, context, kind.rawValue)
        let encoding = try request.query("encoding", CSVReader.Encoding.init(rawValue:), expected: "utf-8 or windows-1251") ?? .utf8
        let delimiter = try request.query("delimiter", ImportOptions.delimiter(named:), expected: "; , or tab") ?? ","
        let export = TradeExport(kind: kind, filter: filter, from: request.uri.queryParameters.get("from"), to: request.uri.queryParameters.get("to"),
                                 encoding: encoding, delimiter: delimiter.utf8.first!)
        let exports = services.exports
        // Checked before the 200 goes out; `export` asks again in its own reads.
        try await exports.checkExport(caller, export)
        let body = ResponseBody { writer in
            try await exports.export(caller, export) { bytes in try await writer.write(ByteBuffer(bytes: bytes)) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=\(encoding == .utf8 ? "utf-8" : "windows-1251")",
            .contentDisposition: "attachment; filename=\"\(kind.rawValue)-\(filter.side.rawValue)-\(filter.businessID).csv\"",
            .cacheControl: "no-store",
        ], body: body)
    }

    @Sendable func removeCreditLimit(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.fulfilment.setCreditLimit(try context.caller(), sellerBusinessID: try context.parameters.require("id"),
                                                         buyerBusinessID: try context.parameters.require("buyer"), limit: nil)
        return Response(status: .noContent)
    }
}
