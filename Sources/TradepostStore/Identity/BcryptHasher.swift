import Foundation
import HummingbirdBcrypt
import TradepostCore

/// bcrypt on its own small thread pool: a hash takes ~250 ms at cost 12, which must not stall the
/// Swift concurrency pool the request handlers run on. The pool's width also caps how much CPU
/// a flood of logins can take.
public final class BcryptHasher: PasswordHasher, @unchecked Sendable {
    public let cost: UInt8
    private let queue: OperationQueue

    public init(cost: Int, concurrency: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)) {
        self.cost = UInt8(clamping: cost)
        queue = OperationQueue()
        queue.name = "bcrypt"
        queue.maxConcurrentOperationCount = concurrency
    }

    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return await run { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async -> Bool {
        await run { Bcrypt.verify(password, hash: hash) }
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.addOperation { continuation.resume(returning: work()) }
        }
    }
}
