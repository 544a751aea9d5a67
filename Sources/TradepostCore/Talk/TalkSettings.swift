import Foundation

/// The configured limits of conversations (`talk.*` keys).
public struct TalkSettings: Sendable, Equatable {
    /// How long after sending an author may edit a message.
    public var editWindow: TimeInterval = 15 * 60
    /// Largest attachment, bytes.
    public var maxAttachmentBytes: Int64 = 20 << 20
    /// Content types an attachment may have.
    public var attachmentTypes: Set<String> = TalkSettings.defaultTypes
    /// A reconnecting client more than this many events behind in a conversation is told to resync.
    public var resumeLimit: Int = 1000
    /// Messages a live connection may have waiting before it is told to resync.
    public var socketQueue: Int = 1000

    public init() {}

    public static let defaultTypes: Set<String> = [
        "image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf", "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel",
    ]
}
