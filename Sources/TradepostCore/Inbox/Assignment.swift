import Foundation

/// Fair auto-assignment. An agent can take a conversation when online and under their capacity on
/// the channel; of those, the least loaded (open conversations over capacity) takes it, ties going
/// to whoever was assigned least recently — round robin that stays even under load. Conversations
/// nobody can take wait in arrival order and are handed out, oldest first, as soon as room appears.
public enum Assignment {
    public struct Agent: Sendable, Equatable {
        public var userId: String
        public var online: Bool
        public var open: Int
        public var capacity: Int
        public var lastAssignedAt: Date?
        public init(userId: String, online: Bool, open: Int, capacity: Int, lastAssignedAt: Date?) {
            self.userId = userId
            self.online = online
            self.open = open
            self.capacity = capacity
            self.lastAssignedAt = lastAssignedAt
        }
    }

    /// The agent to take the next conversation, or nil when everyone is away or full.
    public static func pick(_ agents: [Agent]) -> Agent? {
        agents.filter { $0.online && $0.open < $0.capacity }.min { a, b in
            // Load as a fraction, compared without division: a.open/a.capacity < b.open/b.capacity.
            let (left, right) = (a.open * b.capacity, b.open * a.capacity)
            if left != right { return left < right }
            switch (a.lastAssignedAt, b.lastAssignedAt) {
            case (nil, nil): return a.userId < b.userId
            case (nil, _): return true
            case (_, nil): return false
            case let (x?, y?): return x != y ? x < y : a.userId < b.userId
            }
        }
    }

    /// Hands out `waiting` (in arrival order) to `agents`: the pairs (conversation, agent) made,
    /// with each agent's load counted as it grows.
    public static func plan(waiting: [String], agents: [Agent], now: Date) -> [(conversation: String, agent: String)] {
        var agents = agents
        var out: [(String, String)] = []
        for conversation in waiting {
            guard let chosen = pick(agents), let i = agents.firstIndex(where: { $0.userId == chosen.userId }) else { break }
            agents[i].open += 1
            // Strictly later than every earlier pick in this plan, so the order holds within one instant.
            agents[i].lastAssignedAt = now.addingTimeInterval(Double(out.count) * 1e-6)
            out.append((conversation, chosen.userId))
        }
        return out
    }
}
