import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Refuses outgoing calls to addresses inside the box's own networks — loopback, private
/// (RFC 1918, IPv6 unique-local), link-local (cloud metadata lives at 169.254.169.254), CGNAT,
/// unspecified and multicast — so a tenant's webhook cannot probe them. A host name is resolved and
/// every address it has is checked. The operator may allow them (`webhooks.allow_private_destinations`;
/// the tests do, their endpoints are on loopback).
public struct DestinationGuard: Sendable {
    public let allowPrivate: Bool

    public init(allowPrivate: Bool) { self.allowPrivate = allowPrivate }

    /// Why `url` may not be called, or nil.
    public func problem(_ url: URL) async -> String? {
        guard !allowPrivate else { return nil }
        guard let host = url.host?.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), !host.isEmpty else { return "has no host" }
        // getaddrinfo blocks: off the concurrency pool's few threads, on a thread that may wait.
        let addresses = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(returning: Self.resolve(host)) }
        }
        if addresses.isEmpty { return "names a host that does not resolve" }
        if let bad = addresses.first(where: Self.isInternal) { return "points to an internal address (\(bad)); the operator has not allowed those" }
        return nil
    }

    /// The host's IPv4 and IPv6 addresses as text (a literal resolves to itself).
    static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var out: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let n = node {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(n.pointee.ai_addr, n.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                out.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            node = n.pointee.ai_next
        }
        return out
    }

    /// Whether a numeric address lies in a range a public webhook has no business in.
    public static func isInternal(_ address: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return isInternal4(UInt32(bigEndian: v4.s_addr)) }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address.split(separator: "%").first.map(String.init) ?? address, &v6) == 1 else { return true }
        let b = withUnsafeBytes(of: v6) { Array($0) }
        if b[0..<15].allSatisfy({ $0 == 0 }) { return true }  // :: and ::1
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff {  // ::ffff:a.b.c.d
            return isInternal4(UInt32(b[12]) << 24 | UInt32(b[13]) << 16 | UInt32(b[14]) << 8 | UInt32(b[15]))
        }
        if b[0] & 0xfe == 0xfc { return true }  // fc00::/7 unique-local
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return true }  // fe80::/10 link-local
        if b[0] == 0xff { return true }  // multicast
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return true }  // documentation
        return false
    }

    static func isInternal4(_ a: UInt32) -> Bool {
        func inRange(_ base: UInt32, _ bits: UInt32) -> Bool { a >> (32 - bits) == base >> (32 - bits) }
        return inRange(0x0000_0000, 8) || inRange(0x0A00_0000, 8) || inRange(0x6440_0000, 10) || inRange(0x7F00_0000, 8)
            || inRange(0xA9FE_0000, 16) || inRange(0xAC10_0000, 12) || inRange(0xC000_0000, 24) || inRange(0xC0A8_0000, 16)
            || inRange(0xC612_0000, 15) || a >= 0xE000_0000
    }
}
