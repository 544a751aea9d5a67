extension TenantMigrations {
    /// The tenant's own tables: settings, users, businesses and memberships, the outbox, the directory and the audit chain.
    static let identity: [Migration] = [
        Migration(1, "initial", """
            -- Which tenant this file belongs to, checked at every open so a misplaced file is refused.
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );

            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
                kind TEXT NOT NULL CHECK (kind IN ('member', 'salesperson')),
                disabled INTEGER NOT NULL DEFAULT 0,
                locale TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                last_login_at TEXT
            );

            CREATE TABLE businesses (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                type TEXT NOT NULL CHECK (type IN ('importer', 'wholesaler', 'supplier', 'pharmacy')),
                city TEXT NOT NULL,
                address TEXT,
                phone TEXT,
                email TEXT,
                website TEXT,
                description TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX businesses_by_type ON businesses (type);

            CREATE TABLE business_members (
                business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
                user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                role TEXT NOT NULL CHECK (role IN ('manager', 'staff')),
                created_at TEXT NOT NULL,
                PRIMARY KEY (business_id, user_id)
            );
            CREATE INDEX business_members_by_user ON business_members (user_id);

            CREATE TABLE audit_log (
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
        Migration(2, "outbox", """
            -- Events written in the same transaction as the change they describe; the jobs engine
            -- turns them into jobs and then deletes them. Times are Unix seconds.
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                topic TEXT NOT NULL,
                payload TEXT NOT NULL,
                created_at REAL NOT NULL
            );
            """),
        Migration(7, "directory", """
            -- The business directory: a verified mark that only tenant admins set, and an optional map position.
            ALTER TABLE businesses ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE businesses ADD COLUMN latitude REAL;
            ALTER TABLE businesses ADD COLUMN longitude REAL;
            CREATE INDEX businesses_by_city ON businesses (city);
            """),
        Migration(10, "audit_chain", """
            -- The audit trail becomes a hash chain (see AuditChain): each entry's hash covers the one
            -- before it. The app may seal an entry (set its hash once) but never edit or delete one.
            ALTER TABLE audit_log ADD COLUMN hash TEXT;
            CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
                WHEN OLD.hash IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor
                  OR NEW.actor_label IS NOT OLD.actor_label OR NEW.ip IS NOT OLD.ip OR NEW.action IS NOT OLD.action
                  OR NEW.target IS NOT OLD.target OR NEW.detail IS NOT OLD.detail
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            CREATE INDEX audit_log_by_action ON audit_log (action, id);
            """),
        Migration(14, "directory_generation", """
            -- The directory's search keeps each tenant's businesses analyzed in memory (a few thousand
            -- at most, unlike products), and must notice every change, also one made by the CLI in
            -- another process or by a restore: any write to the businesses or to the tenant's synonyms
            -- and stop words gives this setting a new random value. The never-used business_fts goes.
            -- Written to run again harmlessly (a test rewinds the record of a file to an older version).
            DROP TABLE IF EXISTS business_fts;
            INSERT INTO settings (key, value) VALUES ('directory.generation', lower(hex(randomblob(8))))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value;
            CREATE TRIGGER IF NOT EXISTS directory_insert AFTER INSERT ON businesses BEGIN
                UPDATE settings SET value = lower(hex(randomblob(8))) WHERE key = 'directory.generation'; END;
            CREATE TRIGGER IF NOT EXISTS directory_update AFTER UPDATE ON businesses BEGIN
                UPDATE settings SET value = lower(hex(randomblob(8))) WHERE key = 'directory.generation'; END;
            CREATE TRIGGER IF NOT EXISTS directory_delete AFTER DELETE ON businesses BEGIN
                UPDATE settings SET value = lower(hex(randomblob(8))) WHERE key = 'directory.generation'; END;
            CREATE TRIGGER IF NOT EXISTS directory_synonyms_insert AFTER INSERT ON search_synonyms BEGIN
                UPDATE settings SET value = lower(hex(randomblob(8))) WHERE key = 'directory.generation'; END;
            CREATE TRIGGER IF NOT EXISTS directory_synonyms_delete AFTER DELETE ON search_synonyms BEGIN
                UPDATE settings SET value = lower(hex(randomblob(8))) WHERE key = 'directory.generation'; END;
            CREATE TRIGGER IF NOT EXISTS directory_stopwords_insert AFTER INSERT ON search_stopwords BEGIN
                UPDATE settings SET value = lower(hex(randomblob(8))) WHERE key = 'directory.generation'; END;
            CREATE TRIGGER IF NOT EXISTS directory_stopwords_delete AFTER DELETE ON search_stopwords BEGIN
                UPDATE settings SET value = lower(hex(randomblob(8))) WHERE key = 'directory.generation'; END;
            """),
    ]
}
