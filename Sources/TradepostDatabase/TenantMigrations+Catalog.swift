extension TenantMigrations {
    /// Categories, products, price history, imports and customer price lists.
    static let catalog: [Migration] = [
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
    ]
}
