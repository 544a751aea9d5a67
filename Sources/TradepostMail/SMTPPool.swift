import Foundation
import NIOCore
import NIOSSL

/// Reuses SMTP sessions across messages: an idle session per relay waits up to `idle` seconds
/// for the next message. A session that broke is dropped; a message whose reused session turned
/// out dead is sent once more on a fresh one.
public actor SMTPPool {
    private var idle: [SMTPSettings: [(SMTPConnection, Date)]] = [:]
    private let tls: TLSConfiguration
    private let idleFor: TimeInterval
    private let timeout: TimeAmount

    /// `caFile`: a PEM CA to trust besides the system's (a test relay's own CA).
    public init(caFile: String? = nil, idle: TimeInterval = 30, timeout: TimeAmount = .seconds(30)) {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile, !caFile.isEmpty { tls.additionalTrustRoots = [.file(caFile)] }
        self.tls = tls
        self.idleFor = idle
        self.timeout = timeout
    }

    public func send(_ message: MailMessage, via settings: SMTPSettings) async throws {
        if let reused = take(settings) {
            do {
                try await reused.send(message)
                give(reused, settings)
                return
            } catch let error as SMTPError where error.code != nil {
                give(reused, settings)
                throw error
            } catch {
                reused.close()  // it died while idle: try a fresh one below
            }
        }
        let fresh = try await SMTPConnection.open(settings, tls: tls, timeout: timeout)
        do {
            try await fresh.send(message)
            give(fresh, settings)
        } catch {
            if fresh.isActive, (error as? SMTPError)?.code != nil { give(fresh, settings) } else { fresh.close() }
            throw error
        }
    }

    /// Opens a session and closes it (the settings screen's "test the connection").
    public func check(_ settings: SMTPSettings) async throws {
        let c = try await SMTPConnection.open(settings, tls: tls, timeout: timeout)
        c.close()
    }

    private func take(_ settings: SMTPSettings) -> SMTPConnection? {
        let now = Date()
        while var list = idle[settings], let (c, since) = list.popLast() {
            idle[settings] = list.isEmpty ? nil : list
            if now.timeIntervalSince(since) < idleFor && c.isActive { return c }
            c.close()
        }
        return nil
    }

    private func give(_ c: SMTPConnection, _ settings: SMTPSettings) {
        guard c.isActive else { return }
        idle[settings, default: []].append((c, Date()))
    }

    public func closeAll() {
        for (_, list) in idle { for (c, _) in list { c.close() } }
        idle = [:]
    }
}
