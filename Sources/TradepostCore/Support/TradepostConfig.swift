import Foundation

/// The effective configuration of one server process, after defaults, the config file,
/// `TRADEPOST_*` environment variables and flags have been merged (in that order of precedence).
/// Tests build one directly with a temporary data dir and port 0.
public struct TradepostConfig: Sendable, Equatable {
    /// Where control.sqlite, tenants/ and blobs live.
    public var dataDir: String = "./tradepost-data"
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// The address users reach the app at, e.g. https://trade.example.com (makes cookies Secure).
    public var publicURL: String?
    /// Trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy on the same box.
    public var trustProxy: Bool = false
    public var maxBodyBytes: Int = 1 << 20
    /// Both listeners: a request's headers must have arrived this long after its first byte (or
    /// after the connection opened), else the connection is closed: a client that stalls or sends
    /// nothing holds no connection.
    public var headerTimeoutSeconds: Int = 20
    /// Both listeners: a connection with no request in flight, or a request body with no progress,
    /// for this long is closed.
    public var idleTimeoutSeconds: Int = 60
    /// The S3 API's own listener; port -1 turns it off.
    public var s3Host: String = "127.0.0.1"
    public var s3Port: Int = 9000
    /// Base domain for virtual-host-style S3 addressing (`<bucket>.<domain>`); empty: path style only.
    public var s3Domain: String = ""
    /// The region S3 clients sign for and GetBucketLocation reports.
    public var s3Region: String = "us-east-1"
    /// Largest upload (a price list to import), MiB; streamed to disk, never held in memory.
    public var maxUploadMB: Int = 1024
    public var logLevel: String = "info"
    /// "json" (journald-friendly) or "text".
    public var logFormat: String = "json"
    /// Tenant databases kept open at once; the least recently used close past this.
    public var maxOpenTenants: Int = 64
    public var sessionTTLHours: Int = 24 * 30
    public var bcryptCost: Int = 12
    /// /readyz fails when the data dir's disk has less free space than this.
    public var minFreeDiskMB: Int = 512
    /// Jobs: the lease of a running job (renewed while it runs; a dead worker's job is retried after it).
    public var jobLeaseSeconds: Int = 30
    /// Jobs: on shutdown, how long running jobs may finish before they are put back.
    public var jobShutdownGraceSeconds: Int = 10
    /// Jobs: finished jobs are deleted after this many days (their counts stay).
    public var jobRetentionDays: Int = 7
    /// Scheduled snapshots: a cron expression in UTC (empty: none), where they go (empty:
    /// `<data>/snapshots`), and how many of them to keep.
    public var snapshotSchedule: String = ""
    public var snapshotDir: String = ""
    public var snapshotKeep: Int = 7
    /// Where each automatic snapshot is also uploaded: an S3 URL, path style (`https://host/bucket/prefix`).
    public var snapshotS3URL: String = ""
    public var snapshotS3AccessKey: String = ""
    public var snapshotS3SecretKey: String = ""
    public var snapshotS3Region: String = "us-east-1"
    /// On an empty data dir: a `demo` tenant to look around in, and whether it is filled with the
    /// sample (businesses, a catalog with pictures, price lists) that shows every feature working.
    public var demoEnabled: Bool = true
    public var demoSample: Bool = true
    /// Conversations: edit window, attachment limits, resume and socket queue limits.
    public var talk = TalkSettings()
    /// Notifications and webhooks.
    public var notify = NotifySettings()
    /// First platform admin, used only when the control database has none.
    public var adminEmail: String?
    public var adminPassword: String?

    public init() {}

    public var listen: String { "\(host):\(port)" }
    /// Where users reach the app, for links in mail: `http.public_url`, else the listening address.
    public var baseURL: String {
        if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        let shown = host == "0.0.0.0" || host == "::" ? "localhost" : host
        return "http://\(shown.contains(":") ? "[\(shown)]" : shown):\(port)"
    }

    /// Whether session cookies must be Secure because users reach us over TLS.
    public var isTLS: Bool { publicURL?.lowercased().hasPrefix("https://") ?? false }

    /// Parses "HOST:PORT", "[IPv6]:PORT" or ":PORT". Throws `.invalid`.
    public static func parseListen(_ value: String) throws -> (host: String, port: Int) {
        let error = AppError.invalidField("listen", "must be HOST:PORT, e.g. 127.0.0.1:8080")
        guard let colon = value.lastIndex(of: ":") else { throw error }
        var host = String(value[..<colon])
        guard let port = Int(value[value.index(after: colon)...]), (0...65535).contains(port) else { throw error }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        return (host, port)
    }

    /// Checks ranges; throws `.invalid` naming every bad key.
    public func validate() throws {
        var v = Validator()
        if dataDir.isEmpty { v.fail("data", "must not be empty") }
        if maxBodyBytes < 1024 { v.fail("http.max_body_bytes", "must be at least 1024") }
        if headerTimeoutSeconds < 1 || headerTimeoutSeconds > 3600 { v.fail("http.header_timeout_seconds", "must be from 1 to 3600") }
        if idleTimeoutSeconds < 1 || idleTimeoutSeconds > 86400 { v.fail("http.idle_timeout_seconds", "must be from 1 to 86400") }
        if maxUploadMB < 1 || maxUploadMB > 1_048_576 { v.fail("http.max_upload_mb", "must be from 1 to 1048576") }
        if !["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel) {
            v.fail("log.level", "must be one of trace, debug, info, notice, warning, error, critical")
        }
        if !["json", "text"].contains(logFormat) { v.fail("log.format", "must be json or text") }
        if talk.editWindow < 0 { v.fail("talk.edit_window_seconds", "must not be negative") }
        if talk.maxAttachmentBytes < 1 << 20 || talk.maxAttachmentBytes > 1 << 40 { v.fail("talk.max_attachment_mb", "must be from 1 to 1048576") }
        if talk.attachmentTypes.isEmpty { v.fail("talk.attachment_types", "must name at least one content type") }
        if talk.resumeLimit < 1 { v.fail("talk.resume_limit", "must be at least 1") }
        if notify.webhookTimeout < 1 || notify.webhookTimeout > 60 { v.fail("notify.webhook_timeout_seconds", "must be from 1 to 60") }
        if notify.telegramInitDataMaxAge < 60 { v.fail("notify.telegram_init_data_max_age_seconds", "must be at least 60") }
        if URL(string: notify.telegramAPIURL)?.host == nil { v.fail("notify.telegram_api_url", "must be an absolute URL") }
        if URL(string: notify.whatsAppAPIURL)?.host == nil { v.fail("notify.whatsapp_api_url", "must be an absolute URL") }
        if notify.webhookDisableAfter < 3600 { v.fail("notify.webhook_disable_after_hours", "must be at least 1") }
        if talk.socketQueue < 16 { v.fail("talk.socket_queue", "must be at least 16") }
        if maxOpenTenants < 1 { v.fail("database.max_open_tenants", "must be at least 1") }
        if sessionTTLHours < 1 { v.fail("auth.session_ttl_hours", "must be at least 1") }
        if bcryptCost < 12 || bcryptCost > 16 { v.fail("auth.bcrypt_cost", "must be from 12 to 16") }
        if minFreeDiskMB < 0 { v.fail("health.min_free_disk_mb", "must not be negative") }
        if jobLeaseSeconds < 1 { v.fail("jobs.lease_seconds", "must be at least 1") }
        if jobShutdownGraceSeconds < 0 { v.fail("jobs.shutdown_grace_seconds", "must not be negative") }
        if s3Region.isEmpty || s3Region.contains("/") { v.fail("s3.region", "must be a region name such as us-east-1") }
        if jobRetentionDays < 1 { v.fail("jobs.retention_days", "must be at least 1") }
        if snapshotKeep < 1 { v.fail("snapshot.keep", "must be at least 1") }
        if !snapshotS3URL.isEmpty {
            let url = URL(string: snapshotS3URL)
            if url?.host == nil || !["http", "https"].contains(url?.scheme?.lowercased() ?? "") || (url?.path ?? "").count < 2 {
                v.fail("snapshot.s3_url", "must be http(s)://host[:port]/bucket[/prefix]")
            }
            if snapshotS3AccessKey.isEmpty || snapshotS3SecretKey.isEmpty {
                v.fail("snapshot.s3_access_key", "and snapshot.s3_secret_key are required with snapshot.s3_url")
            }
        }
        if let publicURL, URL(string: publicURL)?.host == nil { v.fail("http.public_url", "must be an absolute URL") }
        try v.check("The configuration is invalid")
    }
}
