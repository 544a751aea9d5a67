import TradepostDatabase

/// `jobs.sqlite`: one jobs database for every tenant and the platform.
///
/// Why one database and not tables in each tenant's file: workers need one ordered view of what is
/// due across all tenants (priorities, per-queue concurrency, the oldest waiting job), which a
/// thousand files cannot give without opening them all; and enqueues from every tenant share one
/// writer, so concurrent enqueues are committed together (group commit). The outbox stays in each
/// tenant's file, because an event must commit in the same transaction as its change; the
/// dispatcher moves events into jobs idempotently (a unique key per event and handler).
/// Times are Unix seconds (REAL). Append-only: never edit a shipped migration.
public enum JobsMigrations {
    public static let migrator = Migrator(schema: "jobs", migrations: [
        Migration(1, "initial", """
            -- A plain rowid, not AUTOINCREMENT: that would rewrite sqlite_sequence on every enqueue
            -- (one more page per commit). Pruning keeps the newest job, so ids never repeat.
            CREATE TABLE jobs (
                id INTEGER PRIMARY KEY,
                type TEXT NOT NULL,
                queue TEXT NOT NULL,
                tenant_id TEXT,
                payload TEXT NOT NULL,
                priority INTEGER NOT NULL DEFAULT 0,
                state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'succeeded', 'discarded', 'cancelled')),
                attempts INTEGER NOT NULL DEFAULT 0,
                max_attempts INTEGER NOT NULL,
                timeout_ms INTEGER NOT NULL,
                run_at REAL NOT NULL,
                lease_until REAL,
                lease_owner TEXT,
                unique_key TEXT,
                dedup_key TEXT,
                cancel_requested INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                created_at REAL NOT NULL,
                started_at REAL,
                finished_at REAL
            );
            -- An idempotency key makes a second enqueue a no-op while the first is pending or running.
            CREATE UNIQUE INDEX jobs_unique_live ON jobs (unique_key)
                WHERE unique_key IS NOT NULL AND state IN ('pending', 'running');
            -- Jobs made from outbox events and schedules carry a key so they are never made twice.
            CREATE UNIQUE INDEX jobs_dedup ON jobs (dedup_key) WHERE dedup_key IS NOT NULL;
            CREATE INDEX jobs_due ON jobs (queue, priority DESC, run_at, id) WHERE state = 'pending';
            CREATE INDEX jobs_leases ON jobs (lease_until) WHERE state = 'running';
            CREATE INDEX jobs_by_tenant ON jobs (tenant_id, id) WHERE tenant_id IS NOT NULL;
            CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;

            -- All-time counts of finished jobs, kept when finished jobs are pruned.
            CREATE TABLE job_totals (
                queue TEXT NOT NULL,
                tenant_id TEXT NOT NULL DEFAULT '',
                state TEXT NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (queue, tenant_id, state)
            );

            CREATE TABLE queue_settings (
                queue TEXT PRIMARY KEY,
                paused INTEGER NOT NULL DEFAULT 0
            );

            -- The last slot each schedule (per tenant, for tenant-time schedules) was enqueued for.
            CREATE TABLE schedule_runs (
                schedule TEXT NOT NULL,
                tenant_id TEXT NOT NULL DEFAULT '',
                last_slot REAL NOT NULL,
                PRIMARY KEY (schedule, tenant_id)
            );

            -- Tenants whose outbox grew in another process (the CLI); the server's dispatcher looks here.
            CREATE TABLE outbox_signals (
                tenant_id TEXT PRIMARY KEY,
                at REAL NOT NULL
            );
            """),
        // A CHECK against a list of five values makes SQLite build a temporary table for the list on
        // every insert and update of a job (about a third of an insert's CPU); the same check
        // written as comparisons costs nothing. SQLite cannot change a constraint in place: rebuilt.
        Migration(2, "jobs state check without an IN list", """
            CREATE TABLE jobs_new (
                id INTEGER PRIMARY KEY,
                type TEXT NOT NULL,
                queue TEXT NOT NULL,
                tenant_id TEXT,
                payload TEXT NOT NULL,
                priority INTEGER NOT NULL DEFAULT 0,
                state TEXT NOT NULL CHECK (state = 'pending' OR state = 'running' OR state = 'succeeded' OR state = 'discarded' OR state = 'cancelled'),
                attempts INTEGER NOT NULL DEFAULT 0,
                max_attempts INTEGER NOT NULL,
                timeout_ms INTEGER NOT NULL,
                run_at REAL NOT NULL,
                lease_until REAL,
                lease_owner TEXT,
                unique_key TEXT,
                dedup_key TEXT,
                cancel_requested INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                created_at REAL NOT NULL,
                started_at REAL,
                finished_at REAL
            );
            INSERT INTO jobs_new SELECT * FROM jobs;
            DROP TABLE jobs;
            ALTER TABLE jobs_new RENAME TO jobs;
            -- An idempotency key makes a second enqueue a no-op while the first is pending or running.
            CREATE UNIQUE INDEX jobs_unique_live ON jobs (unique_key)
                WHERE unique_key IS NOT NULL AND state IN ('pending', 'running');
            -- Jobs made from outbox events and schedules carry a key so they are never made twice.
            CREATE UNIQUE INDEX jobs_dedup ON jobs (dedup_key) WHERE dedup_key IS NOT NULL;
            CREATE INDEX jobs_due ON jobs (queue, priority DESC, run_at, id) WHERE state = 'pending';
            CREATE INDEX jobs_leases ON jobs (lease_until) WHERE state = 'running';
            CREATE INDEX jobs_by_tenant ON jobs (tenant_id, id) WHERE tenant_id IS NOT NULL;
            CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
            """),
    ])
}
