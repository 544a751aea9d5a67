import Foundation

/// Warehouses, stock levels and the stock ledger of selling businesses. A business's members and
/// tenant admins see and move its stock; everyone else gets `.notFound` for its warehouses and
/// levels (`.forbidden` for a business they can see but not manage). Each method is one transaction.
public protocol StockService: Sendable {
    /// Throws `.notFound`, `.forbidden`.
    func warehouses(_ caller: Caller, businessID: String) async throws -> [Warehouse]
    /// Throws `.invalid`, `.notFound`, `.forbidden`, `.conflict` (the name exists in this business).
    func createWarehouse(_ caller: Caller, businessID: String, _ input: WarehouseInput, idempotency: IdempotencyKey?) async throws -> Warehouse
    /// Throws `.invalid`, `.notFound` (also when the caller may not manage its business), `.conflict`.
    func updateWarehouse(_ caller: Caller, id: String, _ input: WarehouseInput) async throws -> Warehouse

    /// A business's levels, by SKU then warehouse priority. Throws `.invalid` (cursor), `.notFound`, `.forbidden`.
    func levels(_ caller: Caller, businessID: String, _ filter: StockFilter, _ page: PageRequest) async throws -> Page<StockLevel>
    /// Sets or clears a level's low-stock threshold. Throws `.invalid`, `.notFound`, `.forbidden`.
    func setThreshold(_ caller: Caller, productID: String, warehouseID: String, threshold: Int64?) async throws -> StockLevel

    /// Records a receipt, expected receipt, adjustment, transfer or write-off; returns the ledger rows it
    /// wrote. Throws `.invalid`, `.notFound`, `.forbidden`, `.insufficientStock` (taking more than is
    /// available), `.idempotencyMismatch`.
    func move(_ caller: Caller, businessID: String, _ input: StockMovementInput, idempotency: IdempotencyKey?) async throws -> [StockMove]
    /// Reads a stock count (CSV: a SKU column and a stock or quantity column, as the catalog import
    /// reads them) for one warehouse; with `dryRun` false and no bad row, sets each counted level's on
    /// hand by one adjustment. Throws `.invalid` (no usable header), `.notFound`, `.idempotencyMismatch`.
    func importCounts(_ caller: Caller, warehouseID: String, csv: Data, options: ImportOptions, dryRun: Bool,
                      idempotency: IdempotencyKey?) async throws -> StockCountReport
    /// The ledger, newest first. Throws `.invalid` (cursor), `.notFound`, `.forbidden`.
    func ledger(_ caller: Caller, businessID: String, _ filter: StockFilter, _ page: PageRequest) async throws -> Page<StockMove>

    /// Recomputes every level of the caller's tenant from its ledger and names any drift; `repair`
    /// sets drifted counters to the ledger's figures (audited). Tenant admins. `progress` hears the
    /// ledger rows scanned so far and about how many there are. Throws `.forbidden`, `.conflict` (a
    /// ledger that adds up to an impossible level cannot be repaired).
    func reconcile(_ caller: Caller, repair: Bool, progress: (@Sendable (_ scanned: Int64, _ total: Int64) -> Void)?) async throws -> StockReconciliation
}

extension StockService {
    public func reconcile(_ caller: Caller, repair: Bool) async throws -> StockReconciliation {
        try await reconcile(caller, repair: repair, progress: nil)
    }
}
