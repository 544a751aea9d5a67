/// Every configuration key, its default and what it does. `config print`, the README and
/// packaging/tradepost.yaml list the same keys; a test keeps them in step.
struct ConfigKeySpec: Sendable {
    let key: String
    let defaultValue: String
    let help: String
    var secret = false

    /// `http.listen` → `TRADEPOST_HTTP_LISTEN`.
    var environmentName: String {
        "TRADEPOST_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
    }
}

enum ConfigKeys {
    static let all: [ConfigKeySpec] = [
        .init(key: "data", defaultValue: "./tradepost-data", help: "Directory for control.sqlite, tenants/ and blobs"),
        .init(key: "http.listen", defaultValue: "127.0.0.1:8080", help: "Address and port of the web app and API"),
        .init(key: "http.public_url", defaultValue: "", help: "URL users reach the app at; https:// makes cookies Secure"),
        .init(key: "http.trust_proxy", defaultValue: "false", help: "Trust X-Forwarded-For/-Proto from a local reverse proxy"),
        .init(key: "http.max_body_bytes", defaultValue: "1048576", help: "Largest accepted JSON request body"),
        .init(key: "http.max_upload_mb", defaultValue: "1024", help: "Largest accepted upload (a price list to import), MiB"),
        .init(key: "http.header_timeout_seconds", defaultValue: "20", help: "A request's headers must arrive within this many seconds of its start"),
        .init(key: "http.idle_timeout_seconds", defaultValue: "60", help: "Connections idle this long (between requests, or mid-body) are closed"),
        .init(key: "s3.listen", defaultValue: "127.0.0.1:9000", help: "Address and port of the S3 API; 'off' disables it"),
        .init(key: "s3.domain", defaultValue: "", help: "Domain for virtual-host-style S3 URLs (<bucket>.<domain>); empty: path style"),
        .init(key: "s3.region", defaultValue: "us-east-1", help: "Region S3 clients sign for"),
        .init(key: "log.level", defaultValue: "info", help: "trace, debug, info, notice, warning, error or critical"),
        .init(key: "log.format", defaultValue: "json", help: "json (one object per line, for journald) or text"),
        .init(key: "database.max_open_tenants", defaultValue: "64", help: "Tenant databases kept open; least recently used close"),
        .init(key: "auth.session_ttl_hours", defaultValue: "720", help: "How long a login session lasts"),
        .init(key: "auth.bcrypt_cost", defaultValue: "12", help: "bcrypt cost for passwords (12 to 16)"),
        .init(key: "health.min_free_disk_mb", defaultValue: "512", help: "/readyz fails below this much free disk"),
        .init(key: "jobs.lease_seconds", defaultValue: "30", help: "Lease of a running job; a dead worker's job is retried after it"),
        .init(key: "jobs.shutdown_grace_seconds", defaultValue: "10", help: "On shutdown, how long running jobs may finish"),
        .init(key: "jobs.retention_days", defaultValue: "7", help: "Finished jobs are deleted after this (counts stay)"),
        .init(key: "snapshot.schedule", defaultValue: "", help: "Cron schedule (UTC) of automatic snapshots, e.g. '0 3 * * *'; empty: none"),
        .init(key: "snapshot.dir", defaultValue: "", help: "Where automatic snapshots go; empty: <data>/snapshots"),
        .init(key: "snapshot.keep", defaultValue: "7", help: "How many automatic snapshots to keep (older ones are deleted)"),
        .init(key: "snapshot.s3_url", defaultValue: "", help: "Also upload each automatic snapshot to this S3 URL (https://host/bucket/prefix); empty: no"),
        .init(key: "snapshot.s3_access_key", defaultValue: "", help: "Access key for snapshot.s3_url"),
        .init(key: "snapshot.s3_secret_key", defaultValue: "", help: "Secret key for snapshot.s3_url", secret: true),
        .init(key: "snapshot.s3_region", defaultValue: "us-east-1", help: "Region snapshot uploads are signed for"),
        .init(key: "talk.edit_window_seconds", defaultValue: "900", help: "How long after sending a message its author may edit it"),
        .init(key: "talk.max_attachment_mb", defaultValue: "20", help: "Largest file sent in a conversation, MiB"),
        .init(key: "talk.attachment_types", defaultValue: "image/jpeg,image/png,image/webp,image/gif,application/pdf,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel",
              help: "Content types a file sent in a conversation may have, comma-separated"),
        .init(key: "talk.resume_limit", defaultValue: "1000", help: "A reconnecting client further behind than this in a conversation is told to reload it"),
        .init(key: "talk.socket_queue", defaultValue: "1000", help: "Messages a live connection may have waiting; a slower client is told to resync"),
        .init(key: "notify.allow_private_destinations", defaultValue: "false", help: "Let webhooks call loopback, private and link-local addresses"),
        .init(key: "notify.webhook_timeout_seconds", defaultValue: "10", help: "How long one webhook attempt may take"),
        .init(key: "notify.webhook_disable_after_hours", defaultValue: "120", help: "Switch off a webhook endpoint that failed every delivery for this long"),
        .init(key: "notify.smtp_ca_file", defaultValue: "", help: "PEM file of a CA to trust for SMTP over TLS, besides the system's"),
        .init(key: "notify.telegram_api_url", defaultValue: "https://api.telegram.org", help: "The Telegram Bot API's address (a local fake in tests)"),
        .init(key: "notify.whatsapp_api_url", defaultValue: "https://graph.facebook.com/v21.0", help: "The WhatsApp Cloud API's address with its version (a local fake in tests)"),
        .init(key: "notify.telegram_public_key", defaultValue: "e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d",
              help: "Telegram's Ed25519 key (hex) that Mini App init data signatures are checked against"),
        .init(key: "notify.telegram_init_data_max_age_seconds", defaultValue: "86400", help: "How old a Telegram Mini App's init data may be"),
        .init(key: "demo.enabled", defaultValue: "true", help: "On an empty data dir, make a demo tenant to look around in (flag: --no-demo)"),
        .init(key: "demo.sample", defaultValue: "true", help: "Fill the demo tenant with sample businesses, products, pictures and price lists"),
        .init(key: "admin.email", defaultValue: "", help: "First platform admin's email (used only on an empty data dir)"),
        .init(key: "admin.password", defaultValue: "", help: "First platform admin's password (random and printed if empty)", secret: true),
    ]
}
