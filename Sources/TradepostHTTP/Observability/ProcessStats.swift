import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Facts about the process and its disk, read from the OS when asked.
public enum ProcessStats {
    /// Resident set size from /proc/self/statm (0 where there is no /proc).
    public static func residentMemoryBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Bytes available to unprivileged users on the filesystem holding `path`.
    public static func freeDiskBytes(at path: String) -> Int64? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }

    /// Open file descriptors of this process.
    public static func openFileDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }
}
