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
        Migration(3, "catalog", """
            -- The category tree; sibling names are unique regardless of case.
            CREATE TABLE categories (
                id TEXT PRIMARY KEY,
                parent_id TEXT REFERENCES categories(id),
                name TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE UNIQUE INDEX categories_sibling_names ON categories (coalesce(parent_id, ''), name COLLATE NOCASE);
            CREATE INDEX categories_by_parent ON categories (parent_id);

            -- Money is integer minor units beside its currency. Tiers and attributes are JSON.
            CREATE TABLE products (
                id TEXT PRIMARY KEY,
                business_id TEXT NOT NULL REFERENCES businesses(id),
                sku TEXT NOT NULL,
                name TEXT NOT NULL,
                brand TEXT,
                manufacturer TEXT,
                category_id TEXT REFERENCES categories(id),
                description TEXT,
                attributes TEXT NOT NULL DEFAULT '{}',
                unit TEXT NOT NULL,
                pack_size INTEGER NOT NULL,
                min_order_quantity INTEGER NOT NULL,
                order_multiple INTEGER NOT NULL,
                currency TEXT NOT NULL,
                price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
                tiers TEXT NOT NULL DEFAULT '[]',
                stock_quantity INTEGER NOT NULL DEFAULT 0,
                availability TEXT NOT NULL CHECK (availability IN ('in_stock', 'out_of_stock', 'on_request')),
                status TEXT NOT NULL CHECK (status IN ('draft', 'pending_review', 'published', 'rejected', 'archived')),
                rejection_reason TEXT,
                priority INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (business_id, sku)
            );
            CREATE INDEX products_by_category ON products (category_id);
            CREATE INDEX products_by_status ON products (status, updated_at);

            -- Every price change: who, when, old and new (minor units).
            CREATE TABLE price_history (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                actor_label TEXT,
                kind TEXT NOT NULL CHECK (kind IN ('base', 'tier')),
                min_quantity INTEGER,
                currency TEXT NOT NULL,
                old_minor INTEGER,
                new_minor INTEGER
            );
            CREATE INDEX price_history_by_product ON price_history (product_id, id);
            """),
        Migration(4, "search", """
            -- The search index of published products. Text is analyzed in Swift (folded, stemmed) before it
            -- gets here, so FTS5's plain ascii tokenizer only splits it. The docid orders documents by
            -- priority (higher first), so reading a match in docid order is reading it best-first and a
            -- LIMIT stops early instead of scoring every match.
            CREATE TABLE search_docs (
                docid INTEGER PRIMARY KEY,
                product_id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                codes TEXT NOT NULL,
                extra TEXT NOT NULL,
                body TEXT NOT NULL,
                tags TEXT NOT NULL,
                brand TEXT,
                category_id TEXT,
                business_id TEXT NOT NULL,
                business_type TEXT NOT NULL,
                city TEXT NOT NULL,
                in_stock INTEGER NOT NULL,
                currency TEXT NOT NULL,
                price_minor INTEGER NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE VIRTUAL TABLE product_fts USING fts5 (
                name, codes, extra, body, tags,
                content = 'search_docs', content_rowid = 'docid', tokenize = 'ascii', detail = 'column'
            );
            CREATE VIRTUAL TABLE product_vocab USING fts5vocab (product_fts, row);

            -- Per-tenant synonyms (each row a group of equivalent words) and stop words.
            CREATE TABLE search_synonyms (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                words TEXT NOT NULL
            );
            CREATE TABLE search_stopwords (
                word TEXT PRIMARY KEY
            );

            -- Businesses in the directory search.
            CREATE VIRTUAL TABLE business_fts USING fts5 (business_id UNINDEXED, name, extra, tokenize = 'ascii', detail = 'column');
            """),
        Migration(5, "imports", """
            -- Uploaded price lists and what became of them. The file lives in the data directory
            -- (imports/<tenant>/<file_key>.csv); an apply of a dry run's file shares its key.
            CREATE TABLE catalog_imports (
                id TEXT PRIMARY KEY,
                business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
                file_key TEXT NOT NULL,
                file_name TEXT NOT NULL,
                file_bytes INTEGER NOT NULL,
                dry_run INTEGER NOT NULL,
                options TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
                report TEXT,
                error TEXT,
                created_by TEXT NOT NULL,
                created_by_label TEXT,
                created_at TEXT NOT NULL,
                finished_at TEXT
            );
            CREATE INDEX catalog_imports_by_business ON catalog_imports (business_id, id);
            """),
        Migration(6, "price_lists", """
            -- Customer prices: a seller's price list for one buyer business or a group of them, valid
            -- between two dates (inclusive; NULL = open). Dates are 'YYYY-MM-DD' text.
            CREATE TABLE buyer_groups (
                id TEXT PRIMARY KEY,
                seller_business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (seller_business_id, name)
            );
            CREATE TABLE buyer_group_members (
                group_id TEXT NOT NULL REFERENCES buyer_groups(id) ON DELETE CASCADE,
                buyer_business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
                PRIMARY KEY (group_id, buyer_business_id)
            );
            CREATE INDEX buyer_group_members_by_buyer ON buyer_group_members (buyer_business_id);
            CREATE TABLE price_lists (
                id TEXT PRIMARY KEY,
                seller_business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                buyer_business_id TEXT REFERENCES businesses(id) ON DELETE CASCADE,
                buyer_group_id TEXT REFERENCES buyer_groups(id) ON DELETE CASCADE,
                valid_from TEXT,
                valid_to TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                CHECK ((buyer_business_id IS NULL) <> (buyer_group_id IS NULL))
            );
            CREATE INDEX price_lists_by_seller ON price_lists (seller_business_id);
            CREATE INDEX price_lists_by_buyer ON price_lists (buyer_business_id);
            CREATE INDEX price_lists_by_group ON price_lists (buyer_group_id);
            CREATE TABLE price_list_items (
                price_list_id TEXT NOT NULL REFERENCES price_lists(id) ON DELETE CASCADE,
                product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                currency TEXT NOT NULL,
                price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
                PRIMARY KEY (price_list_id, product_id)
            );
            CREATE INDEX price_list_items_by_product ON price_list_items (product_id);
            """),
        Migration(7, "directory", """
            -- The business directory: a verified mark that only tenant admins set, and an optional map position.
            ALTER TABLE businesses ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE businesses ADD COLUMN latitude REAL;
            ALTER TABLE businesses ADD COLUMN longitude REAL;
            CREATE INDEX businesses_by_city ON businesses (city);
            """),
        Migration(8, "blobs", """
            -- The blob store's metadata; the bytes are files named by `blob` (see BlobFiles).
            -- Keys compare as bytes (BINARY collation on UTF-8), which is S3's listing order.
            CREATE TABLE s3_buckets (
                name TEXT PRIMARY KEY,
                created_at TEXT NOT NULL,
                object_count INTEGER NOT NULL DEFAULT 0,
                byte_count INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE s3_objects (
                bucket TEXT NOT NULL REFERENCES s3_buckets(name),
                key TEXT NOT NULL,
                blob TEXT NOT NULL,
                size INTEGER NOT NULL,
                etag TEXT NOT NULL,
                content_type TEXT NOT NULL,
                headers TEXT NOT NULL,
                metadata TEXT NOT NULL,
                checksums TEXT NOT NULL,
                part_count INTEGER,
                modified_at TEXT NOT NULL,
                PRIMARY KEY (bucket, key)
            ) WITHOUT ROWID;
            CREATE TABLE s3_uploads (
                id TEXT PRIMARY KEY,
                bucket TEXT NOT NULL REFERENCES s3_buckets(name),
                key TEXT NOT NULL,
                content_type TEXT NOT NULL,
                headers TEXT NOT NULL,
                metadata TEXT NOT NULL,
                checksum_algorithm TEXT,
                created_at TEXT NOT NULL
            );
            CREATE INDEX s3_uploads_by_key ON s3_uploads (bucket, key, created_at);
            CREATE TABLE s3_parts (
                upload_id TEXT NOT NULL REFERENCES s3_uploads(id) ON DELETE CASCADE,
                number INTEGER NOT NULL,
                blob TEXT NOT NULL,
                size INTEGER NOT NULL,
                etag TEXT NOT NULL,
                checksums TEXT NOT NULL,
                modified_at TEXT NOT NULL,
                PRIMARY KEY (upload_id, number)
            );
            -- Files no row names any more, deleted right after the commit that dropped them; a crash
            -- in between leaves them here for the next start.
            CREATE TABLE s3_garbage (blob TEXT PRIMARY KEY);
            """),
        Migration(9, "media", """
            -- Pictures the app shows (a product's image, a business's logo): blobs in the same store as
            -- S3 objects, one per owner. Deleting the owner deletes the picture in the same transaction
            -- (its file goes to s3_garbage), however the owner is deleted.
            CREATE TABLE media (
                owner_kind TEXT NOT NULL CHECK (owner_kind IN ('product_image', 'business_logo')),
                owner_id TEXT NOT NULL,
                blob TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size INTEGER NOT NULL,
                etag TEXT NOT NULL,
                modified_at TEXT NOT NULL,
                PRIMARY KEY (owner_kind, owner_id)
            ) WITHOUT ROWID;
            CREATE TRIGGER media_follows_product AFTER DELETE ON products BEGIN
                INSERT OR IGNORE INTO s3_garbage (blob) SELECT blob FROM media WHERE owner_kind = 'product_image' AND owner_id = OLD.id;
                DELETE FROM media WHERE owner_kind = 'product_image' AND owner_id = OLD.id;
            END;
            CREATE TRIGGER media_follows_business AFTER DELETE ON businesses BEGIN
                INSERT OR IGNORE INTO s3_garbage (blob) SELECT blob FROM media WHERE owner_kind = 'business_logo' AND owner_id = OLD.id;
                DELETE FROM media WHERE owner_kind = 'business_logo' AND owner_id = OLD.id;
            END;
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
        Migration(11, "search_terms", """
            -- The words of the search index and how many documents hold each: the dictionary that typo and
            -- completion lookups walk, read at a tenant's first search. Reading it from fts5vocab meant
            -- scanning the whole index (seconds at a million products). Full rebuilds refill it from
            -- fts5vocab; indexing a product adds its words. Words only: no filter tags (prefix zz) and
            -- nothing with a digit (codes), as TermCache.isWord says.
            CREATE TABLE search_terms (
                term TEXT PRIMARY KEY,
                docs INTEGER NOT NULL
            ) WITHOUT ROWID;
            INSERT INTO search_terms (term, docs)
                SELECT term, doc FROM product_vocab WHERE term NOT GLOB 'zz*' AND term NOT GLOB '*[0-9]*';
            """),
        Migration(12, "search_compact", """
            -- A smaller search index (1,104 → 976 MB at a million products). Filter tags carry hashes of
            -- business and category ids instead of the ids; creation time is Unix milliseconds instead
            -- of text; business type and city are not copied per document (facets read them from the
            -- business); FTS5 keeps no per-document sizes (columnsize=0: ranking never asked for them).
            -- The index is derived data: the tables are made anew, and the event below (when there is
            -- anything to index) makes the jobs engine rebuild it from the products (the search.reindex
            -- job) as soon as the server starts; until then searches find nothing.
            DROP TABLE product_vocab;
            DROP TABLE product_fts;
            DROP TABLE search_docs;
            CREATE TABLE search_docs (
                docid INTEGER PRIMARY KEY,
                product_id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                codes TEXT NOT NULL,
                extra TEXT NOT NULL,
                body TEXT NOT NULL,
                tags TEXT NOT NULL,
                brand TEXT,
                category_id TEXT,
                business_id TEXT NOT NULL,
                in_stock INTEGER NOT NULL,
                currency TEXT NOT NULL,
                price_minor INTEGER NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE VIRTUAL TABLE product_fts USING fts5 (
                name, codes, extra, body, tags,
                content = 'search_docs', content_rowid = 'docid', tokenize = 'ascii', detail = 'column', columnsize = 0
            );
            CREATE VIRTUAL TABLE product_vocab USING fts5vocab (product_fts, row);
            DELETE FROM search_terms;
            DELETE FROM settings WHERE key = 'search.sequence';
            UPDATE settings SET value = lower(hex(randomblob(16))) WHERE key = 'search.generation';
            INSERT INTO outbox (topic, payload, created_at)
                SELECT 'search.index_stale', '{}', (julianday('now') - 2440587.5) * 86400.0
                WHERE EXISTS (SELECT 1 FROM products WHERE status = 'published');
            """),
        Migration(13, "product_checks_as_comparisons", """
            -- SQLite evaluates a CHECK's `x IN ('a', 'b', 'c')` by building a small table of the list for
            -- every row it writes: 6–10 µs a row for the products table's two such checks, against ~2 µs
            -- for the same checks as comparisons (a price-list import writes a million rows). Only the
            -- constraint text changes, so this follows SQLite's documented procedure for such changes
            -- (lang_altertable.html, "otheralter"): the stored CREATE TABLE is rewritten in place, no row
            -- is copied, and a schema change after it makes every open connection read the new text.
            PRAGMA writable_schema = ON;
            UPDATE sqlite_schema SET sql = replace(replace(sql,
                'availability IN (''in_stock'', ''out_of_stock'', ''on_request'')',
                'availability = ''in_stock'' OR availability = ''out_of_stock'' OR availability = ''on_request'''),
                'status IN (''draft'', ''pending_review'', ''published'', ''rejected'', ''archived'')',
                'status = ''draft'' OR status = ''pending_review'' OR status = ''published'' OR status = ''rejected'' OR status = ''archived''')
                WHERE type = 'table' AND name = 'products';
            PRAGMA writable_schema = RESET;
            CREATE TABLE schema_changed (x);
            DROP TABLE schema_changed;
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
        Migration(15, "search_attribute_facets", """
            -- Facet counts for product attributes: each document keeps its attributes as key=value pairs
            -- (NULL without attributes, one byte a row). Documents indexed before have none, so when a
            -- published product has attributes the index is rebuilt (the search.index_stale event, as
            -- in migration 12); until then searches use the old documents, without attribute counts.
            ALTER TABLE search_docs ADD COLUMN attributes TEXT;
            INSERT INTO outbox (topic, payload, created_at)
                SELECT 'search.index_stale', '{}', (julianday('now') - 2440587.5) * 86400.0
                WHERE EXISTS (SELECT 1 FROM products WHERE status = 'published' AND attributes <> '{}');
            """),
        Migration(16, "s3_completed_uploads", """
            -- CompleteMultipartUpload is retried by clients whose first attempt timed out after it
            -- succeeded; S3 then answers with the same result. A completed upload's id is kept with
            -- its result for as long as an unfinished upload would live (a week, swept at start).
            -- Written to run again harmlessly (tests rewind a file's record to an older version).
            CREATE TABLE IF NOT EXISTS s3_completed_uploads (
                id TEXT PRIMARY KEY,
                bucket TEXT NOT NULL,
                key TEXT NOT NULL,
                etag TEXT NOT NULL,
                checksums TEXT NOT NULL,
                completed_at TEXT NOT NULL
            ) WITHOUT ROWID;
            """),
        Migration(17, "stock", """
            -- Warehouses of selling businesses, stock per product and warehouse, and the stock ledger.
            -- Every change to a level's counters is a row in stock_moves written in the same
            -- transaction; reconciliation adds the ledger up and compares. The CHECK on the levels is
            -- the last line against overselling: no transaction can commit a negative or over-reserved level.
            -- Written to run again harmlessly (tests rewind a file's record to an older version).
            CREATE TABLE IF NOT EXISTS warehouses (
                id TEXT PRIMARY KEY,
                business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                address TEXT,
                priority INTEGER NOT NULL DEFAULT 0,
                active INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (business_id, name)
            );
            -- An integer key, so each ledger row names its level in a few bytes and reconciliation
            -- adds up by integer.
            CREATE TABLE IF NOT EXISTS stock_levels (
                id INTEGER PRIMARY KEY,
                product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                warehouse_id TEXT NOT NULL REFERENCES warehouses(id) ON DELETE CASCADE,
                on_hand INTEGER NOT NULL DEFAULT 0,
                reserved INTEGER NOT NULL DEFAULT 0,
                incoming INTEGER NOT NULL DEFAULT 0,
                low_threshold INTEGER,
                UNIQUE (product_id, warehouse_id),
                CHECK (on_hand >= 0 AND reserved >= 0 AND reserved <= on_hand AND incoming >= 0)
            );
            CREATE INDEX IF NOT EXISTS stock_levels_by_warehouse ON stock_levels (warehouse_id);
            CREATE TABLE IF NOT EXISTS stock_moves (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                level_id INTEGER NOT NULL REFERENCES stock_levels(id) ON DELETE CASCADE,
                at TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind = 'receipt' OR kind = 'incoming' OR kind = 'adjustment' OR kind = 'transfer_out'
                    OR kind = 'transfer_in' OR kind = 'reservation' OR kind = 'release' OR kind = 'shipment' OR kind = 'return'
                    OR kind = 'write_off'),
                on_hand_delta INTEGER NOT NULL DEFAULT 0,
                reserved_delta INTEGER NOT NULL DEFAULT 0,
                incoming_delta INTEGER NOT NULL DEFAULT 0,
                reason TEXT,
                actor TEXT NOT NULL,
                actor_label TEXT,
                document_type TEXT,
                document_id TEXT
            );
            CREATE INDEX IF NOT EXISTS stock_moves_by_level ON stock_moves (level_id, id);
            -- Append-only: rows go only with their level, when its product or warehouse is deleted.
            CREATE TRIGGER IF NOT EXISTS stock_moves_append_only_update BEFORE UPDATE ON stock_moves
                BEGIN SELECT RAISE(ABORT, 'the stock ledger is append-only'); END;
            CREATE TRIGGER IF NOT EXISTS stock_moves_append_only_delete BEFORE DELETE ON stock_moves
                WHEN EXISTS (SELECT 1 FROM stock_levels WHERE id = OLD.level_id)
                BEGIN SELECT RAISE(ABORT, 'the stock ledger is append-only'); END;

            -- The first answer to each unsafe POST sent with an Idempotency-Key, per user, kept a day.
            CREATE TABLE IF NOT EXISTS idempotency_keys (
                user_id TEXT NOT NULL,
                key TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                response TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (user_id, key)
            ) WITHOUT ROWID;

            -- Today's stock figures move into a default warehouse of each business that has products,
            -- each as an opening adjustment in the ledger. The id is the business's with its first
            -- character made 'w': as unique as the business's own, and no generated id starts so.
            INSERT INTO warehouses (id, business_id, name, address, priority, active, created_at, updated_at)
                SELECT 'w' || substr(b.id, 2), b.id, 'Main warehouse', b.address, 0, 1,
                       strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')
                FROM businesses b WHERE EXISTS (SELECT 1 FROM products p WHERE p.business_id = b.id)
                  AND NOT EXISTS (SELECT 1 FROM warehouses w WHERE w.business_id = b.id);
            INSERT INTO stock_levels (product_id, warehouse_id, on_hand)
                SELECT id, 'w' || substr(business_id, 2), stock_quantity FROM products p
                WHERE stock_quantity > 0 AND NOT EXISTS (SELECT 1 FROM stock_levels l WHERE l.product_id = p.id) ORDER BY id;
            INSERT INTO stock_moves (level_id, at, kind, on_hand_delta, reason, actor, actor_label, document_type)
                SELECT l.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), 'adjustment', l.on_hand,
                       'Opening balance: the stock figure before warehouses', 'system', 'migration', 'migration'
                FROM stock_levels l WHERE NOT EXISTS (SELECT 1 FROM stock_moves m WHERE m.level_id = l.id) ORDER BY id;
            """),
        Migration(18, "orders", """
            -- Orders between businesses. A product's tax rate is in basis points (2000 = 20 %); a seller's
            -- trade settings say whether its prices include tax, how its order numbers start and whether
            -- it takes backorders. Order numbers are counted per seller and year in number_sequences, in
            -- the placing transaction: a rolled-back placement leaves no gap. Lines keep the price
            -- snapshot taken at placement; order_reservations name the stock levels holding each line.
            -- Written to run again after its column is dropped (tests rewind a file's record).
            ALTER TABLE products ADD COLUMN tax_rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate_bp >= 0 AND tax_rate_bp <= 10000);
            -- Quick order finds products by SKU across sellers.
            CREATE INDEX IF NOT EXISTS products_by_sku ON products (sku COLLATE NOCASE);
            CREATE TABLE IF NOT EXISTS trade_settings (
                business_id TEXT PRIMARY KEY REFERENCES businesses(id) ON DELETE CASCADE,
                order_prefix TEXT NOT NULL,
                prices_include_tax INTEGER NOT NULL DEFAULT 0,
                allow_backorders INTEGER NOT NULL DEFAULT 0,
                payment_kind TEXT NOT NULL DEFAULT 'prepaid',
                payment_days INTEGER,
                updated_at TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS cart_lines (
                user_id TEXT NOT NULL,
                buyer_business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
                product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                seller_business_id TEXT NOT NULL,
                quantity INTEGER NOT NULL CHECK (quantity > 0),
                updated_at TEXT NOT NULL,
                PRIMARY KEY (user_id, buyer_business_id, product_id)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS number_sequences (
                scope TEXT NOT NULL,
                year INTEGER NOT NULL,
                last INTEGER NOT NULL,
                PRIMARY KEY (scope, year)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS orders (
                id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                seller_business_id TEXT NOT NULL REFERENCES businesses(id),
                buyer_business_id TEXT NOT NULL REFERENCES businesses(id),
                state TEXT NOT NULL CHECK (state = 'on_hold' OR state = 'placed' OR state = 'confirmed' OR state = 'partially_shipped'
                    OR state = 'shipped' OR state = 'delivered' OR state = 'completed' OR state = 'cancelled'),
                currency TEXT NOT NULL,
                prices_include_tax INTEGER NOT NULL,
                net_minor INTEGER NOT NULL,
                tax_minor INTEGER NOT NULL,
                gross_minor INTEGER NOT NULL,
                taxes TEXT NOT NULL, -- "rate_bp:net:tax" per rate, ";" between
                notes TEXT,
                delivery_address TEXT,
                requested_date TEXT,
                payment_kind TEXT NOT NULL,
                payment_days INTEGER,
                placed_by TEXT NOT NULL,
                placed_at TEXT NOT NULL,
                confirmed_at TEXT,
                cancelled_at TEXT,
                cancel_reason TEXT,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS orders_by_seller ON orders (seller_business_id, id);
            CREATE INDEX IF NOT EXISTS orders_by_buyer ON orders (buyer_business_id, id);
            CREATE INDEX IF NOT EXISTS orders_by_seller_state ON orders (seller_business_id, state, id);
            CREATE INDEX IF NOT EXISTS orders_by_buyer_state ON orders (buyer_business_id, state, id);
            CREATE TABLE IF NOT EXISTS order_lines (
                order_id TEXT NOT NULL REFERENCES orders(id),
                line_no INTEGER NOT NULL,
                product_id TEXT NOT NULL,
                sku TEXT NOT NULL,
                name TEXT NOT NULL,
                quantity INTEGER NOT NULL CHECK (quantity > 0),
                unit_minor INTEGER NOT NULL,
                price_source TEXT NOT NULL,
                price_list_id TEXT,
                tier_min_quantity INTEGER,
                tax_rate_bp INTEGER NOT NULL,
                net_minor INTEGER NOT NULL,
                tax_minor INTEGER NOT NULL,
                gross_minor INTEGER NOT NULL,
                reserved INTEGER NOT NULL DEFAULT 0,
                backordered INTEGER NOT NULL DEFAULT 0,
                shipped INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (order_id, line_no),
                CHECK (reserved >= 0 AND backordered >= 0 AND shipped >= 0 AND reserved + backordered + shipped <= quantity)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS order_reservations (
                order_id TEXT NOT NULL,
                line_no INTEGER NOT NULL,
                level_id INTEGER NOT NULL REFERENCES stock_levels(id),
                quantity INTEGER NOT NULL CHECK (quantity >= 0),
                PRIMARY KEY (order_id, line_no, level_id)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS order_history (
                id INTEGER PRIMARY KEY,
                order_id TEXT NOT NULL REFERENCES orders(id),
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                actor_label TEXT,
                from_state TEXT,
                to_state TEXT NOT NULL,
                note TEXT
            );
            CREATE INDEX IF NOT EXISTS order_history_by_order ON order_history (order_id, id);
            """),
    ])
}
