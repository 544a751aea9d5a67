import Foundation
import Hummingbird
import HTTPTypes
import TradepostCore

/// Contacts: customers on the channels, with their conversations and orders; merging two that are one person.
struct ContactRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("contacts", use: list)
        api.get("contacts/:id", use: get)
        api.patch("contacts/:id", use: update)
        api.post("contacts/:id/merge", use: merge)
    }

    struct ContactBody: APIRequestBody {
        var name: String?
        var phone: String?
        var language: String?
        var tags: [String]?
        var notes: String?
        var businessId: String?
        var optedOut: Bool?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, phone, language, tags, notes, businessId = "business_id", optedOut = "opted_out"
        }
    }

    struct MergeBody: APIRequestBody {
        var sourceId: String
        enum CodingKeys: String, CodingKey, CaseIterable { case sourceId = "source_id" }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Contact>> {
        let filter = ContactFilter(query: request.uri.queryParameters.get("q").map { String($0) }, tag: request.uri.queryParameters.get("tag").map { String($0) })
        return APIResponse(ListResponse(try await services.inbox.contacts(try context.caller(), filter, try request.pageRequest())))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ContactDetail> {
        APIResponse(try await services.inbox.contact(try context.caller(), id: try context.parameters.require("id")))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Contact> {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        _ = try await services.inbox.contact(caller, id: id)
        let b = try await request.decode(ContactBody.self, limit: maxBody)
        return APIResponse(try await services.inbox.updateContact(caller, id: id, ContactInput(name: b.name, phone: b.phone, language: b.language, tags: b.tags,
                                                                                             notes: b.notes, businessId: b.businessId, optedOut: b.optedOut)))
    }

    @Sendable func merge(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Contact> {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        _ = try await services.inbox.contact(caller, id: id)
        let body = try await request.decode(MergeBody.self, limit: maxBody)
        return APIResponse(try await services.inbox.mergeContacts(caller, target: id, source: body.sourceId))
    }
}
