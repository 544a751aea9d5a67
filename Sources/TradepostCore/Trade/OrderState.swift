/// Where an order is. `on_hold` waits for the seller to approve it (it went over the buyer's credit
/// limit); stock is reserved from placement until shipment or cancellation.
public enum OrderState: String, Codable, Sendable, CaseIterable {
    case onHold = "on_hold"
    case placed
    case confirmed
    case partiallyShipped = "partially_shipped"
    case shipped
    case delivered
    case completed
    case cancelled

    /// States in which the order still holds (or waits for) stock.
    public var isOpen: Bool { self == .onHold || self == .placed || self == .confirmed || self == .partiallyShipped }
}

/// What can happen to an order. Each is allowed from some states only (`OrderState.after`).
public enum OrderAction: String, Codable, Sendable, CaseIterable {
    /// The seller approves an order held over the credit limit.
    case approve
    case confirm
    case cancel
    /// A shipment that leaves something still to ship.
    case shipPart = "ship_part"
    /// A shipment that completes the order's quantities.
    case shipAll = "ship_all"
    case deliver
    case complete

    /// How a refusal names it: "Cannot confirm while it is shipped".
    public var verb: String {
        switch self {
        case .approve: "approve the order"
        case .confirm: "confirm the order"
        case .cancel: "cancel the order"
        case .shipPart, .shipAll: "ship the order"
        case .deliver: "mark the order delivered"
        case .complete: "complete the order"
        }
    }
}

extension OrderState {
    /// The state `action` leads to from this one, or nil when it is not allowed here. The one place
    /// the order state machine is written down.
    public func after(_ action: OrderAction) -> OrderState? {
        switch (self, action) {
        case (.onHold, .approve): .placed
        case (.placed, .confirm): .confirmed
        case (.onHold, .cancel), (.placed, .cancel), (.confirmed, .cancel): .cancelled
        case (.confirmed, .shipPart), (.partiallyShipped, .shipPart): .partiallyShipped
        case (.confirmed, .shipAll), (.partiallyShipped, .shipAll): .shipped
        case (.shipped, .deliver): .delivered
        case (.delivered, .complete): .completed
        default: nil
        }
    }

    /// The next state; `.invalidState` (409, naming this state) when `action` is not allowed here.
    public func next(_ action: OrderAction) throws -> OrderState {
        guard let next = after(action) else { throw AppError.invalidState(rawValue, action.verb) }
        return next
    }
}
