import Foundation

/// Conversations, negotiation and salespeople (`+Talk`): conversations, messages, their files,
/// events and read marks, the message index, negotiations with their revisions, salespeople's
/// links and identity documents (24). Pinned like every migration: append, never edit.
extension TenantMigrations {
    static let talk: [Migration] = [
        Migration(24, "conversations", """
            -- A conversation between a buyer and a seller business (about a product or an order, or
            -- neither) or between two users. subject_key makes it one per pair and subject. Who takes
            -- part is worked out from memberships and links when asked, never stored.
            CREATE TABLE IF NOT EXISTS conversations (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('trade', 'direct')),
                state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'archived')),
                title TEXT,
                buyer_business_id TEXT REFERENCES businesses(id),
                seller_business_id TEXT REFERENCES businesses(id),
                product_id TEXT,
                order_id TEXT,
                user_a TEXT,
                user_b TEXT,
                subject_key TEXT NOT NULL UNIQUE,
                last_seq INTEGER NOT NULL DEFAULT 0,
                last_message_at TEXT,
                preview TEXT,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                CHECK ((kind = 'trade' AND buyer_business_id IS NOT NULL AND seller_business_id IS NOT NULL)
                    OR (kind = 'direct' AND user_a IS NOT NULL AND user_b IS NOT NULL))
            );
            CREATE INDEX IF NOT EXISTS conversations_buyer ON conversations (buyer_business_id);
            CREATE INDEX IF NOT EXISTS conversations_seller ON conversations (seller_business_id);
            CREATE INDEX IF NOT EXISTS conversations_user_a ON conversations (user_a) WHERE user_a IS NOT NULL;
            CREATE INDEX IF NOT EXISTS conversations_user_b ON conversations (user_b) WHERE user_b IS NOT NULL;
            -- Messages keep their creating event's sequence number; a deleted one keeps its row
            -- (the tombstone) without text or files.
            CREATE TABLE IF NOT EXISTS messages (
                id TEXT PRIMARY KEY,
                conversation_id TEXT NOT NULL REFERENCES conversations(id),
                seq INTEGER NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('text', 'offer')),
                author_id TEXT NOT NULL,
                author_name TEXT NOT NULL,
                text TEXT,
                reply_to TEXT,
                product_id TEXT,
                negotiation_id TEXT,
                revision INTEGER,
                created_at TEXT NOT NULL,
                edited_at TEXT,
                deleted_at TEXT,
                UNIQUE (conversation_id, seq)
            );
            CREATE TABLE IF NOT EXISTS message_attachments (
                id TEXT PRIMARY KEY,
                conversation_id TEXT NOT NULL REFERENCES conversations(id),
                message_id TEXT,
                uploaded_by TEXT NOT NULL,
                blob TEXT NOT NULL,
                name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size INTEGER NOT NULL,
                width INTEGER,
                height INTEGER,
                created_at TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS message_attachments_message ON message_attachments (message_id) WHERE message_id IS NOT NULL;
            -- Every event of a conversation under its own sequence number (what a reconnecting
            -- client resumes from); id orders the tenant's events for the live socket.
            CREATE TABLE IF NOT EXISTS conversation_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                conversation_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                kind TEXT NOT NULL,
                message_id TEXT,
                user_id TEXT,
                read_seq INTEGER,
                at TEXT NOT NULL,
                UNIQUE (conversation_id, seq)
            );
            CREATE TABLE IF NOT EXISTS conversation_reads (
                conversation_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                PRIMARY KEY (conversation_id, user_id)
            ) WITHOUT ROWID;
            -- The analyzed terms of each message's text (the catalog's ru/uk/en analysis), by the
            -- message's rowid.
            CREATE VIRTUAL TABLE IF NOT EXISTS message_fts USING fts5 (terms, tokenize = 'ascii', detail = 'none');
            -- Bumped in the transaction of anything that can take access away (a link revoked, a
            -- member removed, a user deactivated): the live socket then re-checks its subscribers.
            CREATE TABLE IF NOT EXISTS talk_access (id INTEGER PRIMARY KEY CHECK (id = 1), epoch INTEGER NOT NULL);
            INSERT OR IGNORE INTO talk_access (id, epoch) VALUES (1, 0);
            -- Negotiations and their revisions; acceptance names the order it made (once: UNIQUE).
            CREATE TABLE IF NOT EXISTS negotiations (
                id TEXT PRIMARY KEY,
                conversation_id TEXT NOT NULL REFERENCES conversations(id),
                buyer_business_id TEXT NOT NULL REFERENCES businesses(id),
                seller_business_id TEXT NOT NULL REFERENCES businesses(id),
                currency TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'declined')),
                revision INTEGER NOT NULL,
                order_id TEXT UNIQUE REFERENCES orders(id),
                created_at TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS negotiations_conversation ON negotiations (conversation_id);
            CREATE TABLE IF NOT EXISTS offer_revisions (
                negotiation_id TEXT NOT NULL REFERENCES negotiations(id),
                revision INTEGER NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('rfq', 'offer')),
                side TEXT NOT NULL CHECK (side IN ('buyer', 'seller')),
                state TEXT NOT NULL CHECK (state IN ('open', 'superseded', 'accepted', 'declined')),
                lines TEXT NOT NULL,
                net_minor INTEGER,
                tax_minor INTEGER,
                gross_minor INTEGER,
                expires_at TEXT,
                delivery_terms TEXT,
                payment_terms TEXT,
                note TEXT,
                decline_reason TEXT,
                changes TEXT NOT NULL,
                message_id TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                decided_by TEXT,
                decided_at TEXT,
                PRIMARY KEY (negotiation_id, revision)
            ) WITHOUT ROWID;
            -- Salespeople's links: one open (requested or active) link per salesperson and business.
            CREATE TABLE IF NOT EXISTS salesperson_links (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users(id),
                business_id TEXT NOT NULL REFERENCES businesses(id),
                side TEXT NOT NULL CHECK (side IN ('buyer', 'seller')),
                state TEXT NOT NULL CHECK (state IN ('requested', 'active', 'refused', 'revoked')),
                note TEXT,
                reason TEXT,
                requested_at TEXT NOT NULL,
                decided_by TEXT,
                decided_at TEXT
            );
            CREATE UNIQUE INDEX IF NOT EXISTS salesperson_links_open ON salesperson_links (user_id, business_id) WHERE state IN ('requested', 'active');
            CREATE INDEX IF NOT EXISTS salesperson_links_business ON salesperson_links (business_id, state);
            CREATE TABLE IF NOT EXISTS salesperson_identities (
                user_id TEXT PRIMARY KEY REFERENCES users(id),
                blob TEXT NOT NULL,
                document_name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size INTEGER NOT NULL,
                uploaded_at TEXT NOT NULL,
                verified_by TEXT,
                verified_at TEXT
            );
            """),
    ]
}
