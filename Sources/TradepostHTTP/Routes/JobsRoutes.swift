import Foundation
import Hummingbird
import TradepostCore

/// Background jobs: tenant admins see and steer their tenant's jobs, platform admins everyone's;
/// only platform admins pause queues and start jobs by hand.
struct JobsRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("jobs/stats", use: stats)
        api.get("jobs", use: list)
        api.get("jobs/:id", use: get)
        api.post("jobs/:id/retry", use: retry)
        api.post("jobs/:id/discard", use: discard)
        api.post("jobs/:id/cancel", use: cancel)
        api.post("admin/jobs", use: enqueue)
        api.post("admin/queues/:queue/pause", use: pause)
        api.post("admin/queues/:queue/resume", use: resume)
    }

    struct EnqueueBody: APIRequestBody {
        var type: String
        var payload: JSONObject?
        var tenantId: String?
        var priority: Int?
        var delaySeconds: Double?
        var uniqueKey: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case type, payload, priority
            case tenantId = "tenant_id"
            case delaySeconds = "delay_seconds"
            case uniqueKey = "unique_key"
        }
    }

    @Sendable func stats(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<QueueStats>> {
        APIResponse(ListResponse(items: try await services.jobs.stats(try context.caller())))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<JobRecord>> {
        let filter = JobFilter(
            state: try request.query("state", JobState.init(rawValue:), expected: "one of \(JobState.choices)"),
            queue: request.uri.queryParameters.get("queue"), type: request.uri.queryParameters.get("type"),
            failing: try request.flag("failing") ?? false)
        return APIResponse(ListResponse(try await services.jobs.jobs(try context.caller(), filter: filter, page: try request.pageRequest())))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> APIResponse<JobRecord> {
        APIResponse(try await services.jobs.job(try context.caller(), id: try jobID(context)))
    }

    @Sendable func retry(_ request: Request, context: AppRequestContext) async throws -> APIResponse<JobRecord> {
        APIResponse(try await services.jobs.retry(try context.caller(), id: try jobID(context)))
    }

    @Sendable func discard(_ request: Request, context: AppRequestContext) async throws -> APIResponse<JobRecord> {
        APIResponse(try await services.jobs.discard(try context.caller(), id: try jobID(context)))
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> APIResponse<JobRecord> {
        APIResponse(try await services.jobs.cancel(try context.caller(), id: try jobID(context)))
    }

    @Sendable func enqueue(_ request: Request, context: AppRequestContext) async throws -> APIResponse<JobRecord> {
        let caller = try context.caller()
        let body = try await request.decode(EnqueueBody.self, limit: maxBody)
        var tenant: TenantID?
        if let raw = body.tenantId {
            guard Identifier.isValid(raw) else { throw AppError.invalidField("tenant_id", "is not a valid tenant id") }
            tenant = TenantID(raw)
        }
        let job = ManualJob(
            type: body.type, payload: body.payload?.text ?? "{}", tenant: tenant, priority: body.priority,
            delay: body.delaySeconds ?? 0, uniqueKey: body.uniqueKey)
        return APIResponse(try await services.jobs.enqueue(caller, job), status: .created)
    }

    @Sendable func pause(_ request: Request, context: AppRequestContext) async throws -> APIResponse<QueueStats> {
        APIResponse(try await services.jobs.setPaused(try context.caller(), queue: try context.parameters.require("queue"), true))
    }

    @Sendable func resume(_ request: Request, context: AppRequestContext) async throws -> APIResponse<QueueStats> {
        APIResponse(try await services.jobs.setPaused(try context.caller(), queue: try context.parameters.require("queue"), false))
    }

    /// Job ids are integers; anything else names no job.
    private func jobID(_ context: AppRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")), id > 0 else { throw AppError.notFound("Job") }
        return id
    }
}

/// Any JSON object, kept as its text (a job payload is checked by the job type, not here).
struct JSONObject: Decodable, Sendable {
    let text: String

    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(AnyJSON.self)
        guard case .object = value else {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: decoder.codingPath, debugDescription: "not an object"))
        }
        text = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }
}

/// A JSON value decoded without knowing its shape.
indirect enum AnyJSON: Codable, Sendable {
    case null, bool(Bool), number(Double), string(String), array([AnyJSON]), object([String: AnyJSON])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([AnyJSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: AnyJSON].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): if n.rounded() == n && abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}
