import Foundation
import Synchronization
import TradepostCore

/// Per-tenant values kept in memory, at most `capacity` tenants at a time: the least recently
/// used goes when another arrives. The search's term dictionaries and the directory's analyzed
/// businesses both live in one.
final class TenantLRU<Value: Sendable>: Sendable {
    private struct Slot {
        var value: Value
        var lastUsed: UInt64
    }

    private let slots = Mutex<[TenantID: Slot]>([:])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The tenant's value, marked as just used.
    func get(_ tenant: TenantID) -> Value? {
        let now = DispatchTime.now().uptimeNanoseconds
        return slots.withLock { slots in
            slots[tenant]?.lastUsed = now
            return slots[tenant]?.value
        }
    }

    func put(_ tenant: TenantID, _ value: Value) {
        let now = DispatchTime.now().uptimeNanoseconds
        slots.withLock { slots in
            slots[tenant] = Slot(value: value, lastUsed: now)
            if slots.count > capacity, let oldest = slots.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
                slots.removeValue(forKey: oldest)
            }
        }
    }

    /// Changes the tenant's value in place, when there is one.
    func update(_ tenant: TenantID, _ body: (inout Value) -> Void) {
        slots.withLock { slots in
            guard slots[tenant] != nil else { return }
            body(&slots[tenant]!.value)
        }
    }

    func remove(_ tenant: TenantID) {
        _ = slots.withLock { $0.removeValue(forKey: tenant) }
    }
}
