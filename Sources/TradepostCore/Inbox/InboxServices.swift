import Foundation

/// The shared inbox: channels (admins), the platforms' webhooks, contacts, channel conversations
/// with their status, assignee and labels, agents' replies through the channel, and agents'
/// availability and capacity. Conversations are the talk domain's: their messages and live events
/// are the same.
public protocol InboxService: Sendable {
    /// Throws: forbidden.
    func channels(_ caller: Caller) async throws -> [InboxChannel]
    /// Throws: forbidden, invalid (every bad field named), conflict (a second Telegram channel, a number connected twice).
    func createChannel(_ caller: Caller, _ input: InboxChannelInput, idempotency: IdempotencyKey?) async throws -> InboxChannel
    /// Throws: forbidden, notFound, invalid.
    func updateChannel(_ caller: Caller, id: String, _ input: InboxChannelInput) async throws -> InboxChannel
    /// Throws: forbidden, notFound, conflict (it has conversations: disable it instead).
    func deleteChannel(_ caller: Caller, id: String) async throws
    /// A WhatsApp channel's secrets, for its jobs (the connection test, sending, media). Throws: notFound.
    func whatsAppSecrets(_ tenant: TenantID, channelID: String) async throws -> (InboxChannel, WhatsAppSecrets)

    /// Meta's verification handshake: the challenge when the mode is `subscribe` and the verify
    /// token is the channel's, else nil.
    func verifyWebhook(tenantSlug: String, channelID: String, mode: String?, token: String?, challenge: String?) async throws -> String?
    /// One webhook request: forbidden unless `signature` (X-Hub-Signature-256) is the HMAC of the
    /// raw `body` with the channel's app secret; else the body is stored and its job queued in one
    /// transaction before the answer. Throws: notFound (no such channel), forbidden.
    func acceptWebhook(tenantSlug: String, channelID: String, signature: String?, body: [UInt8]) async throws
    /// A stored webhook body, for its job (nil once processed).
    func pendingWebhook(_ tenant: TenantID, id: Int64) async throws -> (channel: InboxChannel, body: [UInt8])?
    /// The oldest unprocessed webhook bodies, up to `limit`, so a burst is read and recorded in batches.
    func pendingWebhooks(_ tenant: TenantID, limit: Int) async throws -> [(id: Int64, channel: InboxChannel, body: [UInt8])]
    /// `recordInbound` for several webhooks in one transaction; answers the ids of those left unprocessed
    /// (statuses for messages not known yet).
    func recordInbound(_ tenant: TenantID, _ webhooks: [(webhookID: Int64, channelID: String, batch: InboundBatch)]) async throws -> Set<Int64>
    /// Which of these platform message ids the channel has already taken (their media need no fetching).
    func knownMessages(_ tenant: TenantID, channelID: String, externalIDs: [String]) async throws -> Set<String>
    /// Records a webhook's messages (each once: a repeated id is skipped), their files (already in
    /// the blob store) and statuses — one transaction. Answers the platform ids of statuses for
    /// messages not known yet (sent a moment ago: worth another look); the webhook is marked
    /// processed when there are none, or when `final`.
    func recordInbound(_ tenant: TenantID, webhookID: Int64, channelID: String, _ batch: InboundBatch, files: [String: StoredFile],
                       final: Bool) async throws -> [String]

    /// Throws: forbidden (not an agent of any channel).
    func conversations(_ caller: Caller, _ filter: InboxFilter, _ page: PageRequest) async throws -> Page<InboxConversation>
    /// Throws: notFound.
    func conversation(_ caller: Caller, id: String) async throws -> InboxConversation
    /// Status, assignee (a colleague who may work the channel), labels; one transaction with its
    /// audit entry and outbox event. Throws: notFound, invalid.
    func change(_ caller: Caller, id: String, _ change: InboxConversationChange) async throws -> InboxConversation
    /// An agent's reply, sent through the channel by a job. Throws: notFound, invalid, conflict
    /// (WhatsApp's 24-hour window is closed: state `window_closed`).
    func reply(_ caller: Caller, conversationID: String, text: String, idempotency: IdempotencyKey?) async throws -> Message
    /// Delivery status of the outbound messages of a conversation.
    func deliveries(_ caller: Caller, conversationID: String) async throws -> [ChannelDelivery]
    /// What the sending job needs, and the outcome it reports.
    func outbound(_ tenant: TenantID, messageID: String) async throws -> OutboundMessage?
    func sent(_ tenant: TenantID, messageID: String, externalID: String?, error: String?) async throws

    /// Throws: forbidden.
    func contacts(_ caller: Caller, _ filter: ContactFilter, _ page: PageRequest) async throws -> Page<Contact>
    /// Throws: notFound.
    func contact(_ caller: Caller, id: String) async throws -> ContactDetail
    /// Throws: notFound, invalid.
    func updateContact(_ caller: Caller, id: String, _ input: ContactInput) async throws -> Contact
    /// `source` becomes part of `target`: its channel ids, tags and conversations move; it is gone
    /// from lists. Throws: notFound, conflict (both on the same channel id).
    func mergeContacts(_ caller: Caller, target: String, source: String) async throws -> Contact

    /// A channel's agents with their capacity, availability and load. Throws: forbidden, notFound.
    func channelAgents(_ caller: Caller, channelID: String) async throws -> [ChannelAgent]
    /// Makes a colleague who works the channel's business an agent of it, or changes their capacity;
    /// room that appears is handed out at once. Throws: forbidden, notFound, invalid.
    func setChannelAgent(_ caller: Caller, channelID: String, userID: String, capacity: Int) async throws -> ChannelAgent
    /// Throws: forbidden, notFound. Their conversations stay theirs until moved.
    func removeChannelAgent(_ caller: Caller, channelID: String, userID: String) async throws

    /// A channel's auto-replies, in the order they are tried. Throws: forbidden, notFound.
    func rules(_ caller: Caller, channelID: String) async throws -> [AutoReplyRule]
    /// Throws: forbidden, notFound, invalid (every bad field named).
    func createRule(_ caller: Caller, channelID: String, _ input: AutoReplyRuleInput, idempotency: IdempotencyKey?) async throws -> AutoReplyRule
    func updateRule(_ caller: Caller, id: String, _ input: AutoReplyRuleInput) async throws -> AutoReplyRule
    func deleteRule(_ caller: Caller, id: String) async throws

    /// First response and resolution times, per channel and per agent, over a period (admins). Throws: forbidden, invalid.
    func measures(_ caller: Caller, from: Date, to: Date) async throws -> InboxMeasures

    /// The caller's availability and, per channel, capacity.
    func agent(_ caller: Caller) async throws -> AgentStatus
    /// Going online hands waiting conversations out at once. Throws: forbidden, invalid.
    func setAgent(_ caller: Caller, _ change: AgentChange) async throws -> AgentStatus
}

/// A stored file of an inbound message.
public struct StoredFile: Sendable, Equatable {
    public var blob: String
    public var contentType: String
    public var size: Int64
    public var name: String
    public init(blob: String, contentType: String, size: Int64, name: String) {
        self.blob = blob
        self.contentType = contentType
        self.size = size
        self.name = name
    }
}

/// What goes out through a channel for one reply.
public struct OutboundMessage: Sendable, Equatable {
    public var channel: InboxChannel
    public var chatId: String
    public var text: String
    public var status: ChannelMessageStatus
    /// An earlier reply in the conversation is still queued: this one waits, so the customer reads them in order.
    public var waitsForEarlier: Bool
    public init(channel: InboxChannel, chatId: String, text: String, status: ChannelMessageStatus, waitsForEarlier: Bool = false) {
        self.channel = channel
        self.chatId = chatId
        self.text = text
        self.status = status
        self.waitsForEarlier = waitsForEarlier
    }
}

public struct AgentStatus: Codable, Sendable, Equatable {
    public enum Availability: String, Codable, Sendable, CaseIterable { case online, busy, offline }
    public struct Seat: Codable, Sendable, Equatable {
        public var channelId: String
        public var capacity: Int
        public var open: Int
        public init(channelId: String, capacity: Int, open: Int) {
            self.channelId = channelId
            self.capacity = capacity
            self.open = open
        }
    }
    public var availability: Availability
    public var seats: [Seat]
    public init(availability: Availability, seats: [Seat]) {
        self.availability = availability
        self.seats = seats
    }
}

public struct AgentChange: Codable, Sendable, Equatable {
    public var availability: AgentStatus.Availability?
    public init(availability: AgentStatus.Availability? = nil) {
        self.availability = availability
    }
}

/// An agent of a channel as its admins see them.
public struct ChannelAgent: Codable, Sendable, Equatable {
    public var userId: String
    public var name: String
    public var capacity: Int
    public var availability: AgentStatus.Availability
    public var open: Int
    public init(userId: String, name: String, capacity: Int, availability: AgentStatus.Availability, open: Int) {
        self.userId = userId
        self.name = name
        self.capacity = capacity
        self.availability = availability
        self.open = open
    }
}

/// "Test connection" for a channel: asks the platform with the stored credentials.
public protocol InboxChannelTester: Sendable {
    /// Throws: forbidden, notFound.
    func test(_ caller: Caller, channelID: String) async throws -> ChannelCheck
}

/// How the inbox is answered over a period: per channel and per agent. First response is from a
/// conversation's start to the first reply; resolution from its start to being resolved.
public struct InboxMeasures: Codable, Sendable, Equatable {
    public struct Figures: Codable, Sendable, Equatable {
        /// Conversations started in the period.
        public var started: Int
        /// Conversations resolved in the period.
        public var resolved: Int
        /// Seconds, over conversations started in the period that were answered (nil: none).
        public var firstResponseMedian: Double?
        public var firstResponseAverage: Double?
        /// Seconds, over conversations resolved in the period.
        public var resolutionMedian: Double?
        public var resolutionAverage: Double?
        public init(started: Int, resolved: Int, firstResponseMedian: Double?, firstResponseAverage: Double?, resolutionMedian: Double?,
                    resolutionAverage: Double?) {
            self.started = started
            self.resolved = resolved
            self.firstResponseMedian = firstResponseMedian
            self.firstResponseAverage = firstResponseAverage
            self.resolutionMedian = resolutionMedian
            self.resolutionAverage = resolutionAverage
        }
    }
    public struct ChannelFigures: Codable, Sendable, Equatable {
        public var channelId: String
        public var name: String
        /// Open now, and of those waiting for an agent now.
        public var open: Int
        public var waiting: Int
        public var figures: Figures
        public init(channelId: String, name: String, open: Int, waiting: Int, figures: Figures) {
            self.channelId = channelId
            self.name = name
            self.open = open
            self.waiting = waiting
            self.figures = figures
        }
    }
    public struct AgentFigures: Codable, Sendable, Equatable {
        public var userId: String
        public var name: String
        /// Open conversations assigned to them now.
        public var open: Int
        /// Of the conversations assigned to them now or resolved by them: started / resolved in the period, and their times.
        public var figures: Figures
        public init(userId: String, name: String, open: Int, figures: Figures) {
            self.userId = userId
            self.name = name
            self.open = open
            self.figures = figures
        }
    }
    public var from: Date
    public var to: Date
    public var channels: [ChannelFigures]
    public var agents: [AgentFigures]
    public init(from: Date, to: Date, channels: [ChannelFigures], agents: [AgentFigures]) {
        self.from = from
        self.to = to
        self.channels = channels
        self.agents = agents
    }

    /// The median of some values (nil when there are none).
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    public static func figures(startedFirstResponses: [Double?], resolutions: [Double]) -> Figures {
        let answered = startedFirstResponses.compactMap { $0 }
        return Figures(started: startedFirstResponses.count, resolved: resolutions.count, firstResponseMedian: median(answered),
                       firstResponseAverage: answered.isEmpty ? nil : answered.reduce(0, +) / Double(answered.count),
                       resolutionMedian: median(resolutions), resolutionAverage: resolutions.isEmpty ? nil : resolutions.reduce(0, +) / Double(resolutions.count))
    }
}
