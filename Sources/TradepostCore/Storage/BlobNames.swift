/// Rules for bucket names and object keys, as AWS documents them: the store enforces them and
/// every edge checks them the same way.
public enum BlobNames {
    /// 3–63 characters: lowercase letters, digits, '.', '-'; starts and ends with a letter or digit;
    /// not an IP address; no "..".
    public static func isValidBucket(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard (3...63).contains(u.count) else { return false }
        func alnum(_ c: UInt8) -> Bool { (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) }
        guard alnum(u.first!), alnum(u.last!), u.allSatisfy({ alnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) else { return false }
        if name.contains("..") || name.contains(".-") || name.contains("-.") { return false }
        let parts = name.split(separator: ".")
        if parts.count == 4 && parts.allSatisfy({ UInt8($0) != nil }) { return false }
        return !name.hasPrefix("xn--") && !name.hasSuffix("-s3alias")
    }

    /// Any UTF-8 up to 1,024 bytes without NUL. Keys are never paths, but keys that a filesystem
    /// sync (aws s3 sync, rclone) would turn into an escape are refused too.
    public static func checkKey(_ key: String) throws(BlobError) {
        guard !key.isEmpty else { throw .emptyKey }
        guard key.utf8.count <= 1024 else { throw .keyTooLong }
        guard !key.utf8.contains(0) else { throw .invalidKey }
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: { $0 == ".." }) { throw .invalidKey }
    }
}
