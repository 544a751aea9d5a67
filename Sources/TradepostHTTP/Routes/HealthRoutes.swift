import Foundation
import Hummingbird
import TradepostCore

/// Liveness, readiness and metrics, for systemd, load balancers and Prometheus.
struct HealthRoutes {
    let store: any SystemStatus
    let jobs: any JobService
    let metrics: AppMetrics
    let minFreeDiskBytes: Int64

    func register(on router: Router<AppRequestContext>) {
        router.get("healthz", use: healthz)
        router.get("readyz", use: readyz)
        router.get("metrics", use: prometheus)
    }

    struct Check: Encodable {
        var name: String
        var ok: Bool
        var detail: String
    }

    struct Readiness: Encodable {
        var status: String
        var checks: [Check]
    }

    /// Liveness is asked for every few seconds by every balancer: the answer is made once.
    static let alive = ByteBuffer(string: #"{"status":"ok"}"#)

    @Sendable func healthz(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: Self.alive))
    }

    /// Ready when the control database takes a write lock and the data dir's disk has room.
    @Sendable func readyz(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Readiness> {
        var checks: [Check] = []
        let problem = await store.controlWriteProblem()
        checks.append(Check(name: "control_db", ok: problem == nil, detail: problem ?? "writable"))
        let free = ProcessStats.freeDiskBytes(at: store.dataDir) ?? 0
        checks.append(Check(
            name: "disk", ok: free >= minFreeDiskBytes,
            detail: "\(free / 1_048_576) MiB free, \(minFreeDiskBytes / 1_048_576) MiB required"))
        let ok = checks.allSatisfy(\.ok)
        return APIResponse(Readiness(status: ok ? "ok" : "unavailable", checks: checks), status: ok ? .ok : .serviceUnavailable)
    }

    @Sendable func prometheus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = await metrics.render(store: store, jobs: jobs)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
