import Foundation

/// Reaching people (`+Notify`): users' notifications, their settings and the deliveries on other
/// channels, outbound webhooks with their messages and attempts, and the tenant's channel settings
/// (25). Pinned like every migration: append, never edit.
extension TenantMigrations {
    static let notify: [Migration] = [
        Migration(25, "notifications", """
            -- One row per user told of one event; (event_id, kind, user_id) makes the fan-out
            -- idempotent (outbox ids are AUTOINCREMENT: never reused). The id is the user's live sequence.
            CREATE TABLE IF NOT EXISTS notifications (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                user_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                event_id INTEGER NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                link TEXT,
                -- The event's fields (JSON): what channels need beyond the words (an invoice to attach, an order to confirm).
                data TEXT NOT NULL DEFAULT '{}',
                urgent INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                read_at TEXT
            );
            CREATE UNIQUE INDEX IF NOT EXISTS notifications_once ON notifications (event_id, kind, user_id);
            CREATE INDEX IF NOT EXISTS notifications_user ON notifications (user_id, id);
            CREATE INDEX IF NOT EXISTS notifications_unread ON notifications (user_id, id) WHERE read_at IS NULL;
            -- A user's departures from their role's defaults, kind by channel.
            CREATE TABLE IF NOT EXISTS notification_choices (
                user_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                channel TEXT NOT NULL CHECK (channel IN ('in_app', 'email', 'telegram', 'sms')),
                enabled INTEGER NOT NULL,
                PRIMARY KEY (user_id, kind, channel)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS notification_settings (
                user_id TEXT PRIMARY KEY,
                time_zone TEXT,
                quiet_start TEXT,
                quiet_end TEXT,
                digest TEXT NOT NULL DEFAULT 'off' CHECK (digest IN ('off', 'hourly', 'daily')),
                phone TEXT,
                last_digest_at TEXT
            );
            -- A notification's way out on a channel other than the app.
            CREATE TABLE IF NOT EXISTS notification_deliveries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                notification_id INTEGER NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
                user_id TEXT NOT NULL,
                channel TEXT NOT NULL CHECK (channel IN ('email', 'telegram', 'sms')),
                status TEXT NOT NULL CHECK (status IN ('pending', 'digest', 'sent', 'failed', 'skipped')),
                attempts INTEGER NOT NULL DEFAULT 0,
                not_before TEXT,
                last_error TEXT,
                sent_at TEXT,
                created_at TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS notification_deliveries_digest ON notification_deliveries (user_id) WHERE status = 'digest';
            CREATE INDEX IF NOT EXISTS notification_deliveries_recent ON notification_deliveries (id DESC, channel);
            -- Outbound webhooks. Secrets are sealed (SecretBox, bound to the endpoint id).
            CREATE TABLE IF NOT EXISTS webhook_endpoints (
                id TEXT PRIMARY KEY,
                url TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                event_types TEXT NOT NULL DEFAULT '[]',
                enabled INTEGER NOT NULL DEFAULT 1,
                disabled_reason TEXT,
                secret BLOB NOT NULL,
                previous_secret BLOB,
                previous_expires_at TEXT,
                failing_since TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            -- One event to one endpoint; the id is its webhook-id on every attempt.
            CREATE TABLE IF NOT EXISTS webhook_messages (
                id TEXT PRIMARY KEY,
                endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
                event_type TEXT NOT NULL,
                payload TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT,
                created_at TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS webhook_messages_endpoint ON webhook_messages (endpoint_id, created_at);
            CREATE TABLE IF NOT EXISTS webhook_attempts (
                message_id TEXT NOT NULL REFERENCES webhook_messages(id) ON DELETE CASCADE,
                n INTEGER NOT NULL,
                at TEXT NOT NULL,
                status INTEGER,
                latency_ms INTEGER NOT NULL,
                response TEXT NOT NULL,
                PRIMARY KEY (message_id, n)
            ) WITHOUT ROWID;
            -- Users' Telegram accounts (linked through a one-time /start code), the codes (hashed),
            -- and the updates already handled (Telegram may deliver one twice).
            CREATE TABLE IF NOT EXISTS telegram_links (
                user_id TEXT PRIMARY KEY,
                telegram_user_id INTEGER NOT NULL UNIQUE,
                chat_id INTEGER NOT NULL,
                username TEXT,
                linked_at TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS telegram_link_codes (
                code_hash BLOB PRIMARY KEY,
                user_id TEXT NOT NULL,
                expires_at TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS telegram_updates (
                update_id INTEGER PRIMARY KEY,
                at TEXT NOT NULL
            );
            -- The tenant's channels (email, sms, telegram): settings as JSON, the secret sealed.
            CREATE TABLE IF NOT EXISTS channel_settings (
                channel TEXT PRIMARY KEY CHECK (channel IN ('email', 'sms', 'telegram')),
                config TEXT NOT NULL,
                secret BLOB,
                updated_at TEXT NOT NULL
            );
            """),
    ]
}
