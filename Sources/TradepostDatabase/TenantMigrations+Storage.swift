extension TenantMigrations {
    /// The blob store's metadata and pictures.
    static let storage: [Migration] = [
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
    ]
}
