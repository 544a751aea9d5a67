extension TenantMigrations {
    /// The product search index and its dictionary.
    static let search: [Migration] = [
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
    ]
}
