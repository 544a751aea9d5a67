extension TenantMigrations {
    /// Warehouses, the stock ledger, idempotency records, carts and orders.
    static let trade: [Migration] = [
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
    ]
}
