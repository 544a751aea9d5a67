import Configuration
import Foundation
import SystemPackage
import TradepostCore

/// Merges defaults < config file (YAML) < `TRADEPOST_*` environment < flags, and remembers where
/// each value came from. swift-configuration reads the file and the environment.
struct ConfigLoader {
    struct Entry: Encodable {
        var key: String
        var value: String
        var source: String
        var secret: Bool
    }

    struct Loaded {
        var config: TradepostConfig
        var entries: [Entry]
    }

    /// Throws `ValidationError`-style messages for a missing or malformed file and for bad values.
    static func load(
        flags: [String: String], configFile: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> Loaded {
        let env = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "tradepost"))
        var file: ConfigReader?
        let path = configFile ?? environment["TRADEPOST_CONFIG"]
        if let path {
            do {
                file = ConfigReader(provider: try await FileProvider<YAMLSnapshot>(filePath: FilePath(path)))
            } catch {
                throw CLIError("cannot read the config file \(path): \(error)", hint: "check the path and the YAML syntax")
            }
        }
        var entries: [Entry] = []
        var values: [String: String] = [:]
        for spec in ConfigKeys.all {
            var value = spec.defaultValue, source = "default"
            if let fromFile = file?.string(forKey: ConfigKey(spec.key), isSecret: spec.secret) {
                value = fromFile
                source = "file"
            }
            if let fromEnv = env.string(forKey: ConfigKey(spec.key), isSecret: spec.secret) {
                value = fromEnv
                source = "env \(spec.environmentName)"
            }
            if let fromFlag = flags[spec.key] {
                value = fromFlag
                source = "flag"
            }
            values[spec.key] = value
            entries.append(Entry(key: spec.key, value: value, source: source, secret: spec.secret))
        }
        return Loaded(config: try build(values), entries: entries)
    }

    static func build(_ v: [String: String]) throws -> TradepostConfig {
        var config = TradepostConfig()
        func int(_ key: String) throws -> Int {
            guard let number = Int(v[key] ?? "") else { throw CLIError("\(key) must be an integer, got \"\(v[key] ?? "")\"") }
            return number
        }
        func bool(_ key: String) throws -> Bool {
            switch (v[key] ?? "").lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off", "": return false
            default: throw CLIError("\(key) must be true or false, got \"\(v[key]!)\"")
            }
        }
        func text(_ key: String) -> String? { v[key].flatMap { $0.isEmpty ? nil : $0 } }
        config.dataDir = v["data"] ?? config.dataDir
        do {
            (config.host, config.port) = try TradepostConfig.parseListen(v["http.listen"] ?? "")
        } catch {
            throw CLIError("http.listen must be HOST:PORT, got \"\(v["http.listen"] ?? "")\"", hint: "e.g. --listen 0.0.0.0:8080")
        }
        if (v["s3.listen"] ?? "").lowercased() == "off" {
            config.s3Port = -1
        } else {
            do {
                (config.s3Host, config.s3Port) = try TradepostConfig.parseListen(v["s3.listen"] ?? "")
            } catch {
                throw CLIError("s3.listen must be HOST:PORT or off, got \"\(v["s3.listen"] ?? "")\"", hint: "e.g. TRADEPOST_S3_LISTEN=127.0.0.1:9000")
            }
        }
        config.s3Domain = v["s3.domain"] ?? ""
        config.s3Region = v["s3.region"] ?? config.s3Region
        config.publicURL = text("http.public_url")
        config.trustProxy = try bool("http.trust_proxy")
        config.maxBodyBytes = try int("http.max_body_bytes")
        config.maxUploadMB = try int("http.max_upload_mb")
        config.headerTimeoutSeconds = try int("http.header_timeout_seconds")
        config.idleTimeoutSeconds = try int("http.idle_timeout_seconds")
        config.logLevel = v["log.level"] ?? config.logLevel
        config.logFormat = v["log.format"] ?? config.logFormat
        config.maxOpenTenants = try int("database.max_open_tenants")
        config.sessionTTLHours = try int("auth.session_ttl_hours")
        config.bcryptCost = try int("auth.bcrypt_cost")
        config.minFreeDiskMB = try int("health.min_free_disk_mb")
        config.jobLeaseSeconds = try int("jobs.lease_seconds")
        config.jobShutdownGraceSeconds = try int("jobs.shutdown_grace_seconds")
        config.jobRetentionDays = try int("jobs.retention_days")
        config.snapshotSchedule = v["snapshot.schedule"] ?? ""
        config.snapshotDir = v["snapshot.dir"] ?? ""
        config.snapshotKeep = try int("snapshot.keep")
        config.snapshotS3URL = v["snapshot.s3_url"] ?? ""
        config.snapshotS3AccessKey = v["snapshot.s3_access_key"] ?? ""
        config.snapshotS3SecretKey = v["snapshot.s3_secret_key"] ?? ""
        config.snapshotS3Region = v["snapshot.s3_region"] ?? config.snapshotS3Region
        config.talk.editWindow = TimeInterval(try int("talk.edit_window_seconds"))
        config.talk.maxAttachmentBytes = Int64(try int("talk.max_attachment_mb")) << 20
        if let types = v["talk.attachment_types"] {
            config.talk.attachmentTypes = Set(types.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
        }
        config.talk.resumeLimit = try int("talk.resume_limit")
        config.talk.socketQueue = try int("talk.socket_queue")
        config.notify.allowPrivateDestinations = try bool("notify.allow_private_destinations")
        config.notify.webhookTimeout = TimeInterval(try int("notify.webhook_timeout_seconds"))
        config.notify.webhookDisableAfter = TimeInterval(try int("notify.webhook_disable_after_hours")) * 3600
        config.notify.smtpCAFile = text("notify.smtp_ca_file") ?? ""
        config.notify.telegramAPIURL = text("notify.telegram_api_url") ?? config.notify.telegramAPIURL
        config.notify.whatsAppAPIURL = text("notify.whatsapp_api_url") ?? config.notify.whatsAppAPIURL
        config.notify.telegramPublicKey = text("notify.telegram_public_key") ?? config.notify.telegramPublicKey
        config.notify.telegramInitDataMaxAge = TimeInterval(try int("notify.telegram_init_data_max_age_seconds"))
        config.demoEnabled = try bool("demo.enabled")
        config.demoSample = try bool("demo.sample")
        config.adminEmail = text("admin.email")
        config.adminPassword = text("admin.password")
        do {
            try config.validate()
        } catch let error as AppError {
            throw CLIError(error.fields.map { "\($0.field) \($0.message)" }.joined(separator: "; "))
        }
        return config
    }
}
