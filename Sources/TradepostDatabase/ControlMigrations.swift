/// The control database: tenants, plans, platform admins, sessions, API tokens, platform audit.
/// Append-only: add new migrations at the end, never edit a shipped one (a test pins their checksums).
public enum ControlMigrations {
    public static let migrator = Migrator(schema: "control", migrations: [
        Migration(1, "initial", """
            CREATE TABLE plans (
                slug TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                max_users INTEGER,
                storage_quota_bytes INTEGER,
                created_at TEXT NOT NULL
            );
            INSERT INTO plans (slug, name, max_users, storage_quota_bytes, created_at) VALUES
                ('free', 'Free', 5, 1073741824, strftime('%Y-%m-%d %H:%M:%f', 'now')),
                ('standard', 'Standard', 50, 53687091200, strftime('%Y-%m-%d %H:%M:%f', 'now')),
                ('unlimited', 'Unlimited', NULL, NULL, strftime('%Y-%m-%d %H:%M:%f', 'now'));

            CREATE TABLE tenants (
                id TEXT PRIMARY KEY,
                slug TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
                plan TEXT NOT NULL REFERENCES plans(slug),
                time_zone TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );

            CREATE TABLE platform_admins (
                id TEXT PRIMARY KEY,
                email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                last_login_at TEXT
            );

            -- Secrets are stored only as SHA-256; the token itself goes to the client once.
            CREATE TABLE sessions (
                id TEXT PRIMARY KEY,
                token_hash BLOB NOT NULL UNIQUE,
                principal_kind TEXT NOT NULL CHECK (principal_kind IN ('platform_admin', 'tenant_user')),
                tenant_id TEXT REFERENCES tenants(id) ON DELETE CASCADE,
                user_id TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL,
                ip TEXT,
                user_agent TEXT,
                revoked_at TEXT
            );
            CREATE INDEX sessions_by_user ON sessions (user_id, tenant_id);

            CREATE TABLE api_tokens (
                id TEXT PRIMARY KEY,
                token_hash BLOB NOT NULL UNIQUE,
                name TEXT NOT NULL,
                scopes TEXT NOT NULL,
                prefix TEXT NOT NULL,
                principal_kind TEXT NOT NULL CHECK (principal_kind IN ('platform_admin', 'tenant_user')),
                tenant_id TEXT REFERENCES tenants(id) ON DELETE CASCADE,
                user_id TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                last_used_at TEXT,
                revoked_at TEXT
            );
            CREATE INDEX api_tokens_by_user ON api_tokens (user_id, tenant_id);

            CREATE TABLE platform_audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                actor_label TEXT,
                ip TEXT,
                action TEXT NOT NULL,
                target TEXT,
                detail TEXT
            );
            """),
        Migration(2, "s3_keys", """
            -- S3 access keys. The secret is sealed (AES-GCM, key in <data>/secret.key, the access key
            -- as associated data): SigV4 needs the secret itself, so it cannot be a one-way hash.
            CREATE TABLE s3_keys (
                access_key TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                secret_sealed BLOB NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_used_at TEXT,
                revoked_at TEXT
            );
            CREATE INDEX s3_keys_by_tenant ON s3_keys (tenant_id);
            """),
        Migration(3, "audit_chain", """
            -- The audit trail becomes a hash chain (see AuditChain): each entry's hash covers the one
            -- before it. The app may seal an entry (set its hash once) but never edit or delete one.
            ALTER TABLE platform_audit ADD COLUMN hash TEXT;
            CREATE TRIGGER platform_audit_append_only_update BEFORE UPDATE ON platform_audit
                WHEN OLD.hash IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor
                  OR NEW.actor_label IS NOT OLD.actor_label OR NEW.ip IS NOT OLD.ip OR NEW.action IS NOT OLD.action
                  OR NEW.target IS NOT OLD.target OR NEW.detail IS NOT OLD.detail
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            CREATE TRIGGER platform_audit_append_only_delete BEFORE DELETE ON platform_audit
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            CREATE INDEX platform_audit_by_action ON platform_audit (action, id);
            """),
    ])
}
