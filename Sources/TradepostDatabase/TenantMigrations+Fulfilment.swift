import Foundation

/// After the order (`+Fulfilment`): shipments, invoices and payments, credit limits and legal
/// details (19), the live socket's order feed (20), returns and credit notes (21), promo codes (22),
/// sellers' proposed changes (23). Pinned like every migration: append, never edit.
extension TenantMigrations {
    static let fulfilment: [Migration] = [
        Migration(19, "fulfilment", """
            -- After the order: shipments (from one warehouse each), invoices with their own gapless
            -- numbers (taken from number_sequences in the issuing transaction) and a copy of both
            -- parties' legal details as issued, payments in and refunds out, sellers' credit limits,
            -- and each business's legal details for documents. An invoice's PDF is a blob named by the
            -- invoice (the blob sweep keeps what invoices name).
            CREATE TABLE IF NOT EXISTS business_legal (
                business_id TEXT PRIMARY KEY REFERENCES businesses(id) ON DELETE CASCADE,
                legal_name TEXT NOT NULL,
                tax_id TEXT,
                address TEXT,
                bank_account TEXT,
                bank_name TEXT,
                document_language TEXT NOT NULL DEFAULT 'en' CHECK (document_language IN ('en', 'uk', 'ru')),
                updated_at TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS shipments (
                id TEXT PRIMARY KEY,
                order_id TEXT NOT NULL REFERENCES orders(id),
                number INTEGER NOT NULL,
                warehouse_id TEXT NOT NULL REFERENCES warehouses(id),
                carrier TEXT,
                tracking_number TEXT,
                shipped_at TEXT NOT NULL,
                delivered_at TEXT,
                created_by TEXT NOT NULL,
                UNIQUE (order_id, number)
            );
            CREATE TABLE IF NOT EXISTS shipment_lines (
                shipment_id TEXT NOT NULL REFERENCES shipments(id),
                line_no INTEGER NOT NULL,
                quantity INTEGER NOT NULL CHECK (quantity > 0),
                PRIMARY KEY (shipment_id, line_no)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS invoices (
                id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                series TEXT NOT NULL,
                order_id TEXT NOT NULL REFERENCES orders(id),
                seller_business_id TEXT NOT NULL REFERENCES businesses(id),
                buyer_business_id TEXT NOT NULL REFERENCES businesses(id),
                currency TEXT NOT NULL,
                prices_include_tax INTEGER NOT NULL,
                net_minor INTEGER NOT NULL,
                tax_minor INTEGER NOT NULL,
                gross_minor INTEGER NOT NULL,
                taxes TEXT NOT NULL,
                paid_minor INTEGER NOT NULL DEFAULT 0,
                issued_at TEXT NOT NULL,
                due_date TEXT NOT NULL,
                overdue_at TEXT,
                seller TEXT NOT NULL, -- LegalDetails as JSON, as issued
                buyer TEXT NOT NULL,
                language TEXT NOT NULL,
                issued_by TEXT NOT NULL,
                pdf_blob TEXT -- the PDF in the blob store, made at the first download
            );
            CREATE INDEX IF NOT EXISTS invoices_by_order ON invoices (order_id, issued_at);
            CREATE INDEX IF NOT EXISTS invoices_by_seller ON invoices (seller_business_id, id);
            CREATE INDEX IF NOT EXISTS invoices_by_buyer ON invoices (buyer_business_id, id);
            CREATE INDEX IF NOT EXISTS invoices_due ON invoices (due_date) WHERE overdue_at IS NULL AND paid_minor < gross_minor;
            CREATE TABLE IF NOT EXISTS invoice_lines (
                invoice_id TEXT NOT NULL REFERENCES invoices(id),
                line_no INTEGER NOT NULL,
                order_line_no INTEGER NOT NULL,
                sku TEXT NOT NULL,
                name TEXT NOT NULL,
                quantity INTEGER NOT NULL CHECK (quantity > 0),
                unit_minor INTEGER NOT NULL,
                tax_rate_bp INTEGER NOT NULL,
                net_minor INTEGER NOT NULL,
                tax_minor INTEGER NOT NULL,
                gross_minor INTEGER NOT NULL,
                PRIMARY KEY (invoice_id, line_no)
            ) WITHOUT ROWID;
            -- An issued invoice is never edited or deleted; only its paid figure and overdue flag move.
            CREATE TRIGGER IF NOT EXISTS invoices_no_delete BEFORE DELETE ON invoices
                BEGIN SELECT RAISE(ABORT, 'an issued invoice is never deleted: correct it with a credit note'); END;
            CREATE TRIGGER IF NOT EXISTS invoices_no_edit BEFORE UPDATE OF number, series, order_id, seller_business_id, buyer_business_id,
                currency, net_minor, tax_minor, gross_minor, taxes, issued_at, due_date, seller, buyer ON invoices
                BEGIN SELECT RAISE(ABORT, 'an issued invoice is never edited: correct it with a credit note'); END;
            CREATE TRIGGER IF NOT EXISTS invoice_lines_frozen BEFORE UPDATE ON invoice_lines
                BEGIN SELECT RAISE(ABORT, 'an issued invoice is never edited: correct it with a credit note'); END;
            CREATE TRIGGER IF NOT EXISTS invoice_lines_no_delete BEFORE DELETE ON invoice_lines
                BEGIN SELECT RAISE(ABORT, 'an issued invoice is never edited: correct it with a credit note'); END;
            CREATE TABLE IF NOT EXISTS payments (
                id TEXT PRIMARY KEY,
                invoice_id TEXT NOT NULL REFERENCES invoices(id),
                seller_business_id TEXT NOT NULL,
                buyer_business_id TEXT NOT NULL,
                direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
                method TEXT NOT NULL,
                amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
                currency TEXT NOT NULL,
                received_on TEXT NOT NULL,
                reference TEXT,
                recorded_by TEXT NOT NULL,
                recorded_at TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS payments_by_invoice ON payments (invoice_id, recorded_at);
            CREATE INDEX IF NOT EXISTS payments_by_seller ON payments (seller_business_id, id);
            CREATE INDEX IF NOT EXISTS payments_by_buyer ON payments (buyer_business_id, id);
            CREATE TABLE IF NOT EXISTS credit_limits (
                seller_business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
                buyer_business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
                limit_minor INTEGER NOT NULL CHECK (limit_minor >= 0),
                currency TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (seller_business_id, buyer_business_id)
            ) WITHOUT ROWID;
            """),
        Migration(20, "live_events", """
            -- What the live socket tells web clients about orders, kept so a client that reconnects
            -- catches up from its last sequence number: one row per order change (a transition, a
            -- shipment, an invoice, a payment), written in the change's transaction, kept a week.
            CREATE TABLE IF NOT EXISTS live_events (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                topic TEXT NOT NULL,
                order_id TEXT NOT NULL,
                number TEXT NOT NULL,
                state TEXT NOT NULL,
                buyer_business_id TEXT NOT NULL,
                seller_business_id TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS live_events_at ON live_events (at);
            """),
        Migration(21, "returns", """
            -- Returns of shipped goods and the credit notes that settle them. A credit note has its own
            -- gapless series (number_sequences, scope credit_note:<seller>), copies both parties'
            -- legal details, corrects the order's latest invoice (lowering what is owed on it) and is
            -- frozen by triggers like an invoice.
            CREATE TABLE IF NOT EXISTS returns (
                id TEXT PRIMARY KEY,
                order_id TEXT NOT NULL REFERENCES orders(id),
                number INTEGER NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('requested', 'accepted', 'refused', 'received')),
                reason TEXT NOT NULL,
                requested_by TEXT NOT NULL,
                requested_at TEXT NOT NULL,
                decided_at TEXT,
                decision_note TEXT,
                received_at TEXT,
                warehouse_id TEXT REFERENCES warehouses(id),
                credit_note_id TEXT,
                seller_business_id TEXT NOT NULL,
                buyer_business_id TEXT NOT NULL,
                UNIQUE (order_id, number)
            );
            CREATE INDEX IF NOT EXISTS returns_by_seller ON returns (seller_business_id, id);
            CREATE INDEX IF NOT EXISTS returns_by_buyer ON returns (buyer_business_id, id);
            CREATE TABLE IF NOT EXISTS return_lines (
                return_id TEXT NOT NULL REFERENCES returns(id),
                line_no INTEGER NOT NULL,
                quantity INTEGER NOT NULL CHECK (quantity > 0),
                damaged INTEGER NOT NULL DEFAULT 0 CHECK (damaged >= 0 AND damaged <= quantity),
                PRIMARY KEY (return_id, line_no)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS credit_notes (
                id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                order_id TEXT NOT NULL REFERENCES orders(id),
                return_id TEXT NOT NULL REFERENCES returns(id),
                invoice_id TEXT REFERENCES invoices(id),
                seller_business_id TEXT NOT NULL,
                buyer_business_id TEXT NOT NULL,
                currency TEXT NOT NULL,
                prices_include_tax INTEGER NOT NULL,
                net_minor INTEGER NOT NULL,
                tax_minor INTEGER NOT NULL,
                gross_minor INTEGER NOT NULL,
                taxes TEXT NOT NULL,
                reason TEXT NOT NULL,
                issued_at TEXT NOT NULL,
                seller TEXT NOT NULL,
                buyer TEXT NOT NULL,
                language TEXT NOT NULL,
                issued_by TEXT NOT NULL,
                pdf_blob TEXT
            );
            CREATE INDEX IF NOT EXISTS credit_notes_by_order ON credit_notes (order_id, issued_at);
            CREATE INDEX IF NOT EXISTS credit_notes_by_invoice ON credit_notes (invoice_id);
            CREATE INDEX IF NOT EXISTS credit_notes_by_parties ON credit_notes (seller_business_id, buyer_business_id);
            CREATE TABLE IF NOT EXISTS credit_note_lines (
                credit_note_id TEXT NOT NULL REFERENCES credit_notes(id),
                line_no INTEGER NOT NULL,
                order_line_no INTEGER NOT NULL,
                sku TEXT NOT NULL,
                name TEXT NOT NULL,
                quantity INTEGER NOT NULL CHECK (quantity > 0),
                unit_minor INTEGER NOT NULL,
                tax_rate_bp INTEGER NOT NULL,
                net_minor INTEGER NOT NULL,
                tax_minor INTEGER NOT NULL,
                gross_minor INTEGER NOT NULL,
                PRIMARY KEY (credit_note_id, line_no)
            ) WITHOUT ROWID;
            CREATE TRIGGER IF NOT EXISTS credit_notes_no_delete BEFORE DELETE ON credit_notes
                BEGIN SELECT RAISE(ABORT, 'an issued credit note is never deleted'); END;
            CREATE TRIGGER IF NOT EXISTS credit_notes_no_edit BEFORE UPDATE OF number, order_id, return_id, invoice_id, seller_business_id,
                buyer_business_id, currency, net_minor, tax_minor, gross_minor, taxes, issued_at, seller, buyer ON credit_notes
                BEGIN SELECT RAISE(ABORT, 'an issued credit note is never edited'); END;
            CREATE TRIGGER IF NOT EXISTS credit_note_lines_frozen BEFORE UPDATE ON credit_note_lines
                BEGIN SELECT RAISE(ABORT, 'an issued credit note is never edited'); END;
            CREATE TRIGGER IF NOT EXISTS credit_note_lines_no_delete BEFORE DELETE ON credit_note_lines
                BEGIN SELECT RAISE(ABORT, 'an issued credit note is never edited'); END;
            """),
        Migration(22, "promo_codes", """
            -- Sellers' promo codes. `used` counts the code's live redemptions and is raised in the
            -- placing transaction only while below total_limit, so concurrent orders never use a code
            -- beyond its limit; a cancelled order gives its use back. The discount an order got is
            -- kept per line beside the order (its net and gross are already after it).
            CREATE TABLE IF NOT EXISTS promo_codes (
                id TEXT PRIMARY KEY,
                seller_business_id TEXT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
                code TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('percent', 'fixed')),
                percent_bp INTEGER CHECK (percent_bp > 0 AND percent_bp <= 10000),
                amount_minor INTEGER CHECK (amount_minor > 0),
                currency TEXT,
                min_order_minor INTEGER,
                valid_from TEXT,
                valid_to TEXT,
                total_limit INTEGER CHECK (total_limit > 0),
                per_buyer_limit INTEGER CHECK (per_buyer_limit > 0),
                used INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0 AND (total_limit IS NULL OR used <= total_limit)),
                product_ids TEXT NOT NULL DEFAULT '',
                category_ids TEXT NOT NULL DEFAULT '',
                active INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                UNIQUE (seller_business_id, code)
            );
            CREATE TABLE IF NOT EXISTS promo_redemptions (
                promo_id TEXT NOT NULL REFERENCES promo_codes(id),
                order_id TEXT NOT NULL REFERENCES orders(id),
                buyer_business_id TEXT NOT NULL,
                at TEXT NOT NULL,
                PRIMARY KEY (promo_id, order_id)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS promo_redemptions_by_buyer ON promo_redemptions (promo_id, buyer_business_id);
            CREATE TABLE IF NOT EXISTS order_discounts (
                order_id TEXT PRIMARY KEY REFERENCES orders(id),
                promo_id TEXT NOT NULL,
                code TEXT NOT NULL,
                discount_minor INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS order_line_discounts (
                order_id TEXT NOT NULL REFERENCES orders(id),
                line_no INTEGER NOT NULL,
                discount_minor INTEGER NOT NULL CHECK (discount_minor > 0),
                PRIMARY KEY (order_id, line_no)
            ) WITHOUT ROWID;
            """),
        Migration(23, "order_proposals", """
            -- A seller's proposed changes to a placed order, each a numbered version with its lines as
            -- they would be (JSON, priced and taxed) until the buyer accepts or declines it.
            CREATE TABLE IF NOT EXISTS order_proposals (
                id TEXT PRIMARY KEY,
                order_id TEXT NOT NULL REFERENCES orders(id),
                version INTEGER NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'declined', 'withdrawn')),
                note TEXT,
                requested_date TEXT,
                delivery_address TEXT,
                lines TEXT NOT NULL,
                net_minor INTEGER NOT NULL,
                tax_minor INTEGER NOT NULL,
                gross_minor INTEGER NOT NULL,
                proposed_by TEXT NOT NULL,
                proposed_at TEXT NOT NULL,
                decided_by TEXT,
                decided_at TEXT,
                UNIQUE (order_id, version)
            );
            """),
    ]
}
