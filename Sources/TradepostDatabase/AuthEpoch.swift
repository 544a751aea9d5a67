import Foundation
import GRDB
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A counter every process on a data dir shares (`auth.epoch`, eight bytes, memory-mapped): a
/// commit that may change who a credential stands for — a session or token revoked, a user or
/// platform admin changed or removed, a tenant renamed, suspended or restored — bumps it, and the
/// server's credential cache trusts an entry only while the counter it was read under is current.
/// So revocation, whether by the API or by `tradepost` on the command line, takes effect on the
/// very next request, and a request whose credential did not change reads no database at all.
public final class AuthEpoch: @unchecked Sendable {
    public static let fileName = "auth.epoch"
    private let descriptor: Int32
    private let counter: UnsafeMutablePointer<UInt64>

    private static let shared = Mutex<[String: AuthEpoch]>([:])

    /// The one instance per data dir in this process (the control and tenant databases and the
    /// credential cache must agree). Falls back to a private counter if the file cannot be mapped.
    public static func at(dataDir: String) -> AuthEpoch {
        let path = ((dataDir as NSString).appendingPathComponent(fileName) as NSString).standardizingPath
        return shared.withLock { all in
            if let epoch = all[path] { return epoch }
            let epoch = AuthEpoch(path: path)
            all[path] = epoch
            return epoch
        }
    }

    private init(path: String) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        var mapped: UnsafeMutableRawPointer?
        if fd >= 0, ftruncate(fd, 8) == 0 {
            let p = mmap(nil, 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
            if p != MAP_FAILED { mapped = p }
        }
        descriptor = fd
        // Without the file (a read-only dir), a process-local counter still serves this process.
        counter = mapped?.bindMemory(to: UInt64.self, capacity: 1)
            ?? { let p = UnsafeMutablePointer<UInt64>.allocate(capacity: 1); p.initialize(to: 0); return p }()
    }

    /// The counter now. An aligned eight-byte load: never torn, and seen by other processes at once
    /// (the mapping is shared); the bump's lock and the requests' syscalls order it.
    public var current: UInt64 {
        UnsafeAtomicLoad.load(counter)
    }

    /// Called after a commit that may change what a credential stands for.
    public func bump() {
        if descriptor >= 0 { flock(descriptor, LOCK_EX) }
        counter.pointee &+= 1
        if descriptor >= 0 { flock(descriptor, LOCK_UN) }
    }

    /// Bumps the epoch after each commit that revoked, changed or removed what credentials rest on.
    func observer() -> some TransactionObserver { CredentialChangeObserver(epoch: self) }
}

/// Reads through a volatile-like path so the optimiser cannot keep an old value in a register.
private enum UnsafeAtomicLoad {
    @inline(never) static func load(_ p: UnsafeMutablePointer<UInt64>) -> UInt64 { p.pointee }
}

/// Watches the writer connection for changes that matter to a credential; bookkeeping columns
/// (last seen, last used, last login) change on ordinary use and do not count.
final class CredentialChangeObserver: TransactionObserver, @unchecked Sendable {
    static let tables: Set<String> = ["sessions", "api_tokens", "tenants", "platform_admins", "users"]
    static let bookkeeping: Set<String> = ["last_seen_at", "last_used_at", "last_login_at"]
    let epoch: AuthEpoch
    private var changed = false

    init(epoch: AuthEpoch) { self.epoch = epoch }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        switch eventKind {
        case .insert: false
        case .delete(let table): Self.tables.contains(table)
        case .update(let table, let columns): Self.tables.contains(table) && !columns.isSubset(of: Self.bookkeeping)
        }
    }

    func databaseDidChange(with event: DatabaseEvent) {
        changed = true
        stopObservingDatabaseChangesUntilNextTransaction()
    }

    func databaseDidCommit(_ db: Database) {
        if changed { epoch.bump() }
        changed = false
    }

    func databaseDidRollback(_ db: Database) { changed = false }
}
