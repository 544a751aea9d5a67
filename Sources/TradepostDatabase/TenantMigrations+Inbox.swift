import Foundation

/// The shared inbox (`+Inbox`): channels customers write from (the tenant's Telegram bot, WhatsApp
/// Cloud API numbers), contacts, channel conversations with their status and assignee, the raw
/// webhook bodies waiting for their job, messages' platform ids and delivery status, and agents'
/// availability and capacity (26). Pinned like every migration: append, never edit.
extension TenantMigrations {
    static let inbox: [Migration] = [
        Migration(26, "inbox", rebuildsTables: true, """
            -- Conversations gain a third kind, a channel's: a customer writing from Telegram or
            -- WhatsApp to a business's staff. SQLite changes a CHECK only by rebuilding the table.
            CREATE TABLE conversations_new (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('trade', 'direct', 'channel')),
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
                    OR (kind = 'direct' AND user_a IS NOT NULL AND user_b IS NOT NULL)
                    OR (kind = 'channel' AND seller_business_id IS NOT NULL))
            );
            INSERT INTO conversations_new (id, kind, state, title, buyer_business_id, seller_business_id, product_id, order_id, user_a, user_b,
                                           subject_key, last_seq, last_message_at, preview, created_by, created_at)
                SELECT id, kind, state, title, buyer_business_id, seller_business_id, product_id, order_id, user_a, user_b,
                       subject_key, last_seq, last_message_at, preview, created_by, created_at FROM conversations;
            DROP TABLE conversations;
            ALTER TABLE conversations_new RENAME TO conversations;
            CREATE INDEX IF NOT EXISTS conversations_buyer ON conversations (buyer_business_id);
            CREATE INDEX IF NOT EXISTS conversations_seller ON conversations (seller_business_id);
            CREATE INDEX IF NOT EXISTS conversations_user_a ON conversations (user_a) WHERE user_a IS NOT NULL;
            CREATE INDEX IF NOT EXISTS conversations_user_b ON conversations (user_b) WHERE user_b IS NOT NULL;

            -- A channel: the business whose staff answer, and for WhatsApp the Cloud API number with
            -- its access token, app secret and verify token sealed (SecretBox).
            CREATE TABLE IF NOT EXISTS inbox_channels (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('telegram', 'whatsapp')),
                name TEXT NOT NULL,
                business_id TEXT NOT NULL REFERENCES businesses(id),
                phone_number_id TEXT,
                display_phone TEXT,
                sealed TEXT,
                enabled INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE UNIQUE INDEX IF NOT EXISTS inbox_channels_one_telegram ON inbox_channels (kind) WHERE kind = 'telegram';
            CREATE UNIQUE INDEX IF NOT EXISTS inbox_channels_phone ON inbox_channels (phone_number_id) WHERE phone_number_id IS NOT NULL;

            -- A customer. Merged contacts point at the one they became and give up their ids.
            CREATE TABLE IF NOT EXISTS contacts (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                phone TEXT,
                telegram_id INTEGER,
                whatsapp_id TEXT,
                language TEXT,
                tags TEXT NOT NULL DEFAULT '[]',
                notes TEXT,
                business_id TEXT REFERENCES businesses(id),
                opted_out INTEGER NOT NULL DEFAULT 0,
                merged_into TEXT REFERENCES contacts(id),
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE UNIQUE INDEX IF NOT EXISTS contacts_telegram ON contacts (telegram_id) WHERE telegram_id IS NOT NULL;
            CREATE UNIQUE INDEX IF NOT EXISTS contacts_whatsapp ON contacts (whatsapp_id) WHERE whatsapp_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS contacts_phone ON contacts (phone) WHERE phone IS NOT NULL;
            CREATE INDEX IF NOT EXISTS contacts_business ON contacts (business_id) WHERE business_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS contacts_name ON contacts (name COLLATE NOCASE);

            -- A channel conversation's inbox state. waiting_since orders the queue of open, unassigned ones.
            CREATE TABLE IF NOT EXISTS inbox_conversations (
                conversation_id TEXT PRIMARY KEY REFERENCES conversations(id),
                channel_id TEXT NOT NULL REFERENCES inbox_channels(id),
                contact_id TEXT NOT NULL REFERENCES contacts(id),
                chat_id TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'resolved')),
                assignee_id TEXT REFERENCES users(id),
                team_id TEXT,
                labels TEXT NOT NULL DEFAULT '[]',
                waiting_since TEXT,
                last_inbound_at TEXT,
                first_response_at TEXT,
                resolved_at TEXT,
                created_at TEXT NOT NULL,
                UNIQUE (channel_id, chat_id)
            );
            CREATE INDEX IF NOT EXISTS inbox_conversations_queue ON inbox_conversations (channel_id, waiting_since) WHERE assignee_id IS NULL AND status = 'open';
            CREATE INDEX IF NOT EXISTS inbox_conversations_assignee ON inbox_conversations (assignee_id, status) WHERE assignee_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS inbox_conversations_contact ON inbox_conversations (contact_id);

            -- Each accepted webhook request's raw body, written before the answer (a kill -9 loses
            -- nothing), read by its job.
            CREATE TABLE IF NOT EXISTS inbox_webhooks (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                channel_id TEXT NOT NULL,
                body BLOB NOT NULL,
                received_at TEXT NOT NULL,
                processed_at TEXT,
                error TEXT
            );
            CREATE INDEX IF NOT EXISTS inbox_webhooks_pending ON inbox_webhooks (id) WHERE processed_at IS NULL;

            -- Messages that crossed a channel: an inbound one's platform id (a repeat is ignored), an
            -- outbound one's delivery status, which only moves forward.
            CREATE TABLE IF NOT EXISTS channel_messages (
                message_id TEXT PRIMARY KEY REFERENCES messages(id),
                channel_id TEXT NOT NULL,
                direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
                external_id TEXT,
                status TEXT NOT NULL CHECK (status IN ('received', 'queued', 'sent', 'delivered', 'read', 'failed')),
                error TEXT,
                updated_at TEXT NOT NULL
            );
            CREATE UNIQUE INDEX IF NOT EXISTS channel_messages_external ON channel_messages (channel_id, external_id) WHERE external_id IS NOT NULL;

            -- Agents: whether they take conversations now, and how many per channel at once.
            CREATE TABLE IF NOT EXISTS inbox_agents (
                user_id TEXT PRIMARY KEY REFERENCES users(id),
                availability TEXT NOT NULL DEFAULT 'offline' CHECK (availability IN ('online', 'busy', 'offline')),
                updated_at TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS inbox_channel_agents (
                channel_id TEXT NOT NULL REFERENCES inbox_channels(id) ON DELETE CASCADE,
                user_id TEXT NOT NULL REFERENCES users(id),
                capacity INTEGER NOT NULL DEFAULT 5 CHECK (capacity BETWEEN 1 AND 1000),
                last_assigned_at TEXT,
                PRIMARY KEY (channel_id, user_id)
            ) WITHOUT ROWID;
            """),
        Migration(27, "inbox_rules", """
            -- Auto-replies per channel: a greeting on a contact's first message, keyword or pattern
            -- replies, and an out-of-hours reply outside the channel's business hours. Replies may
            -- carry one text per language (JSON). Each rule fires at most once per conversation and
            -- period (a firing's key names the period: the conversation, a day, an out-of-hours spell).
            CREATE TABLE IF NOT EXISTS inbox_rules (
                id TEXT PRIMARY KEY,
                channel_id TEXT NOT NULL REFERENCES inbox_channels(id) ON DELETE CASCADE,
                kind TEXT NOT NULL CHECK (kind IN ('greeting', 'keyword', 'away')),
                keywords TEXT NOT NULL DEFAULT '[]',
                pattern TEXT,
                replies TEXT NOT NULL,
                schedule TEXT,
                time_zone TEXT,
                enabled INTEGER NOT NULL DEFAULT 1,
                position INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS inbox_rules_channel ON inbox_rules (channel_id, position);
            CREATE TABLE IF NOT EXISTS inbox_rule_firings (
                rule_id TEXT NOT NULL REFERENCES inbox_rules(id) ON DELETE CASCADE,
                conversation_id TEXT NOT NULL,
                period TEXT NOT NULL,
                fired_at TEXT NOT NULL,
                PRIMARY KEY (rule_id, conversation_id, period)
            ) WITHOUT ROWID;
            """),
    ]
}
