/// Every tenant database's schema, one file per concern (`TenantMigrations+Identity`, `+Catalog`,
/// `+Search`, `+Storage`, `+Trade`, `+Fulfilment`). Append-only: a change is a new migration with the next number in
/// its concern's file; a shipped one is never edited (a test pins their checksums).
public enum TenantMigrations {
    /// Every migration in version order; each concern's file holds its own (a test pins their checksums).
    public static let migrator = Migrator(schema: "tenant", migrations: (identity + catalog + search + storage + trade + fulfilment + talk + notify + inbox).sorted { $0.version < $1.version })
}
