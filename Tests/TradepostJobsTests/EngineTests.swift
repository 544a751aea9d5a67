import Foundation
import GRDB
import Testing
import TradepostCore
@testable import TradepostJobs
import TradepostStore
import TradepostTestSupport

@Suite("Jobs engine", .serialized)
struct EngineTests {
    /// The service decides whose jobs a caller sees and who may act on them, not the routes.
    @Test func theCallerDecidesWhichJobsItSeesAndActsOn() async throws {
        try await withEngine { h in
            _ = try await h.engine.service.setPaused(.platformSystem(), queue: "test", true)
            let (acme, owner) = try await h.store.tenantWithOwner("acme")
            let (globex, _) = try await h.store.tenantWithOwner("globex")
            let member = try await h.store.users.createUser(.system(acme.id), NewUser(email: "m@acme.test", name: "M", password: "member-password"))
            let ours = try await h.engine.enqueue(Echo(n: 1), tenant: acme.id)
            let theirs = try await h.engine.enqueue(Echo(n: 2), tenant: globex.id)
            let admin = caller(acme, owner)

            #expect(try await h.engine.service.jobs(admin, filter: JobFilter(), page: PageRequest()).items.map(\.id) == [ours])
            #expect(try await h.engine.service.job(admin, id: ours).id == ours)
            let hidden = await #expect(throws: AppError.self) { try await h.engine.service.job(admin, id: theirs) }
            #expect(hidden?.code == .notFound)
            let notTheirs = await #expect(throws: AppError.self) { try await h.engine.service.cancel(admin, id: theirs) }
            #expect(notTheirs?.code == .notFound)
            #expect(try await h.engine.service.stats(admin).reduce(0) { $0 + $1.pending } == 1)
            #expect(try await h.engine.service.stats(.platformSystem()).reduce(0) { $0 + $1.pending } == 2)

            for attempt in [
                { _ = try await h.engine.service.stats(caller(acme, member.user)) },
                { _ = try await h.engine.service.cancel(caller(acme, owner, scopes: [.read]), id: ours) },
                { _ = try await h.engine.service.setPaused(admin, queue: "test", false) },
                { _ = try await h.engine.service.enqueue(admin, ManualJob(type: Echo.jobType, payload: "{\"n\":3}")) },
            ] as [@Sendable () async throws -> Void] {
                let refused = await #expect(throws: AppError.self) { try await attempt() }
                #expect(refused?.code == .forbidden)
            }
            #expect(try await h.engine.service.cancel(admin, id: ours).state == .cancelled)
        }
    }

    @Test func runsEveryEnqueuedJobOnce() async throws {
        try await withEngine { h in
            for n in 0..<50 { try await h.engine.enqueue(Echo(n: n)) }
            #expect(try await h.eventually { h.recorder.entries.count == 50 })
            #expect(Set(h.recorder.entries).count == 50)
            #expect(try await h.eventually { try await h.engine.service.stats(.platformSystem()).first { $0.queue == "test" }?.succeeded == 50 })
        }
    }

    @Test func higherPriorityRunsFirstAndDelaysAreHonoured() async throws {
        struct Ordered: JobPayload {
            static let jobType = "test.ordered"
            var n: Int
        }
        try await withEngine(configure: { registry, recorder in
            registry.queue("single", concurrency: 1)
            registry.register(Ordered.self, queue: "single") { job, _ in recorder.record("ordered \(job.n)") }
        }) { h in
            _ = try await h.engine.service.setPaused(.platformSystem(), queue: "single", true)
            try await Task.sleep(for: .milliseconds(50))
            try await h.engine.enqueue(Ordered(n: 1), priority: 0)
            try await h.engine.enqueue(Ordered(n: 2), priority: 10)
            try await h.engine.enqueue(Ordered(n: 3), priority: 5)
            // Due in 5 s: long enough that the three others run first even on a starved VM.
            let delayed = try await h.engine.enqueue(Ordered(n: 4), delay: .seconds(5), priority: 100)
            _ = try await h.engine.service.setPaused(.platformSystem(), queue: "single", false)
            #expect(try await h.eventually { h.recorder.entries.count == 3 })
            #expect(h.recorder.entries == ["ordered 2", "ordered 3", "ordered 1"], "highest priority first")
            #expect(try await h.job(delayed).state == .pending, "a delayed job waits even with the highest priority")
            #expect(try await h.eventually { h.recorder.entries.count == 4 })
        }
    }

    @Test func aUniqueKeyMakesASecondEnqueueANoOpWhileTheFirstIsLive() async throws {
        try await withEngine { h in
            _ = try await h.engine.service.setPaused(.platformSystem(), queue: "test", true)
            let first = try await h.engine.enqueue(Echo(n: 1), uniqueKey: "reindex:acme")
            let second = try await h.engine.enqueue(Echo(n: 2), uniqueKey: "reindex:acme")
            #expect(first == second)
            _ = try await h.engine.service.setPaused(.platformSystem(), queue: "test", false)
            #expect(try await h.eventually { try await h.job(first).state == .succeeded })
            let third = try await h.engine.enqueue(Echo(n: 3), uniqueKey: "reindex:acme")
            #expect(third != first, "once the first finished, the key is free again")
            #expect(try await h.eventually { h.recorder.entries.count == 2 })
        }
    }

    @Test func failuresAreRetriedWithBackoffThenDiscardedKeepingTheError() async throws {
        try await withEngine { h in
            let recovers = try await h.engine.enqueue(Flaky(failures: 2))
            let hopeless = try await h.engine.enqueue(Flaky(failures: 99))
            let permanent = try await h.engine.enqueue(Boom())
            #expect(try await h.eventually { try await h.job(recovers).state == .succeeded })
            #expect(try await h.job(recovers).attempts == 3)
            #expect(try await h.eventually { try await h.job(hopeless).state == .discarded })
            let dead = try await h.job(hopeless)
            #expect(dead.attempts == 3)
            #expect(dead.lastError == "failure 3")
            #expect(try await h.eventually { try await h.job(permanent).state == .discarded })
            #expect(try await h.job(permanent).attempts == 1, "a permanent error is not retried")
            let failing = try await h.engine.service.jobs(.platformSystem(), filter: JobFilter(failing: true), page: PageRequest())
            #expect(Set(failing.items.map(\.id)) == [hopeless, permanent])

            // A manual retry starts over with fresh attempts.
            let retried = try await h.engine.service.retry(.platformSystem(), id: permanent)
            #expect(retried.state == .pending && retried.attempts == 0)
            await #expect(throws: AppError.self) { try await h.engine.service.retry(.platformSystem(), id: recovers) }
        }
    }

    @Test func attemptsTimeOut() async throws {
        try await withEngine { h in
            let id = try await h.engine.enqueue(Slow(ms: 5000))
            #expect(try await h.eventually { try await h.job(id).state == .discarded })
            let job = try await h.job(id)
            #expect(job.attempts == 2)
            #expect(job.lastError?.contains("timed out") == true)
            #expect(!h.recorder.entries.contains("slow end \(id)"))
        }
    }

    @Test func cancellingPendingAndRunningJobs() async throws {
        try await withEngine { h in
            let later = try await h.engine.enqueue(Echo(n: 1), delay: .seconds(60))
            #expect(try await h.engine.service.cancel(.platformSystem(), id: later).state == .cancelled)
            let running = try await h.engine.enqueue(Slow(ms: 250))
            #expect(try await h.eventually { h.recorder.entries.contains("slow start \(running)") })
            let asked = try await h.engine.service.cancel(.platformSystem(), id: running)
            #expect(asked.cancelRequested)
            #expect(try await h.eventually { try await h.job(running).state != .running })
            // It either stopped when asked, or had finished before the request was noticed.
            #expect([.cancelled, .succeeded].contains(try await h.job(running).state))
            await #expect(throws: AppError.self) { try await h.engine.service.discard(.platformSystem(), id: later) }
        }
    }

    @Test func aJobWhoseWorkerDiedIsRetriedAfterItsLeaseExpires() async throws {
        try await withEngine { h in
            // A job left running by a process that no longer exists, its lease ending soon.
            let now = Date().timeIntervalSince1970
            let id = try await h.engine.database.pool.write { db -> Int64 in
                try db.execute(sql: """
                    INSERT INTO jobs (type, queue, payload, state, attempts, max_attempts, timeout_ms, run_at, lease_until, lease_owner, created_at, started_at)
                    VALUES ('test.echo', 'test', '{"n":42}', 'running', 1, 5, 1000, ?, ?, 'dead-process', ?, ?)
                    """, arguments: [now, now + 0.5, now, now])
                return db.lastInsertedRowID
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await h.job(id).state == .running, "not taken back while its lease is valid")
            #expect(try await h.eventually { try await h.job(id).state == .succeeded })
            #expect(h.recorder.entries == ["echo 42 tenant=-"])
            #expect(try await h.job(id).attempts == 2)
        }
    }

    @Test func concurrentEnqueuesAreCommittedTogetherAndAllStored() async throws {
        try await withEngine { h in
            _ = try await h.engine.service.setPaused(.platformSystem(), queue: "test", true)
            let ids = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for producer in 0..<16 {
                    group.addTask {
                        var ids: [Int64] = []
                        for n in 0..<100 { ids.append(try await h.engine.enqueue(Echo(n: producer * 1000 + n))) }
                        return ids
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(Set(ids).count == 1600)
            let stored = try await h.engine.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM jobs WHERE state = 'pending'") }
            #expect(stored == 1600)
        }
    }

    @Test func shutdownPutsBackWhatDidNotFinishWithoutCountingTheAttempt() async throws {
        let store = try await makeStore(prefix: "tp-jobs")
        defer { Task { await store.close(); try? FileManager.default.removeItem(atPath: store.dataDir) } }
        nonisolated(unsafe) var id: Int64 = 0
        try await withEngine(store: store) { h in
            id = try await h.engine.enqueue(Slow(ms: 250))
            #expect(try await h.eventually { h.recorder.entries.contains("slow start \(id)") })
        }
        // The grace (300 ms) let it finish, or it was put back; either way it is not lost or left running.
        let finishedID = id
        let job = try await JobsDatabase(dataDir: store.dataDir).pool.read { db in
            try Row.fetchOne(db, sql: "SELECT state, attempts FROM jobs WHERE id = ?", arguments: [finishedID])
        }
        let state: String = job?["state"] ?? "?"
        #expect(state == "succeeded" || (state == "pending" && (job?["attempts"] as Int?) == 0), "state \(state)")
    }

    @Test func anEngineStoppedMidRunReleasesJobsThatIgnoreTheGrace() async throws {
        let store = try await makeStore(prefix: "tp-jobs")
        defer { Task { await store.close(); try? FileManager.default.removeItem(atPath: store.dataDir) } }
        nonisolated(unsafe) var id: Int64 = 0
        var options = testOptions()
        options.shutdownGrace = .milliseconds(50)  // well inside the job's 300 ms timeout
        try await withEngine(options: options, store: store) { h in
            id = try await h.engine.enqueue(Slow(ms: 2800))  // longer than the 300 ms grace; stops when cancelled
            #expect(try await h.eventually { h.recorder.entries.contains("slow start \(id)") })
        }
        let releasedID = id
        let row = try await JobsDatabase(dataDir: store.dataDir).pool.read { db in
            try Row.fetchOne(db, sql: "SELECT state, attempts, lease_owner FROM jobs WHERE id = ?", arguments: [releasedID])
        }
        #expect(row?["state"] == "pending")
        #expect(row?["attempts"] == 0)
        #expect((row?["lease_owner"] as String?) == nil)
    }
}

@Suite("Pruning")
struct PruneTests {
    @Test func finishedJobsArePrunedButTheirCountsAndTheNewestIdStay() async throws {
        var options = testOptions()
        options.retention = .milliseconds(1)
        try await withEngine(options: options) { h in
            var ids: [Int64] = []
            for n in 0..<5 { ids.append(try await h.engine.enqueue(Echo(n: n))) }
            #expect(try await h.eventually { h.recorder.entries.count == 5 })
            let pending = try await h.engine.enqueue(Echo(n: 99), delay: .seconds(3600))
            try await Task.sleep(for: .milliseconds(50))
            let pruned = try await h.engine.core.committer.write { db in try JobSQL.prune(db, finishedBefore: Date().timeIntervalSince1970) }
            #expect(pruned == 5)
            await #expect(throws: AppError.self) { try await h.job(ids[0]) }
            #expect(try await h.job(pending).state == .pending)
            let stats = try await h.engine.service.stats(.platformSystem()).first { $0.queue == "test" }
            #expect(stats?.succeeded == 5, "counts survive pruning")
        }
    }
}
