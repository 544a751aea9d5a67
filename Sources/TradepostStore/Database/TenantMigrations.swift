/// Every tenant database: users, businesses, memberships, settings, audit log.
/// Append-only: add new migrations at the end, never edit a shipped one (a test pins their checksums).
public enum TenantMigrations {
    public static let migrator = Migrator(schema: "tenant", migrations: [
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
    ])
}
