import Foundation
import GRDB
import TradepostCore
import TradepostDatabase
import TradepostSearch
import TradepostStore

/// Prepares a data dir for `Tests/bench/talk_bench.py` (issue 22) through the store with a fast
/// bcrypt cost: tenant `bench` with 100 conversations, each between a buyer and a seller business of
/// five members each (ten participants), an API token per user; tenant `history` with a seller in
/// 1000 conversations holding `messages` messages in all, written in bulk the way the service writes
/// them (rows, events, analyzed terms). Prints JSON the Python side reads.
enum TalkBench {
    static func run(dir: String, conversations: Int, perSide: Int, messages: Int) async throws {
        var options = Store.Options(dataDir: dir, hasher: BcryptHasher(cost: 4))
        options.analyze = Analyzer.terms
        let store = try await Store(options)
        let platform = Caller.platformSystem()
        let tenant = try await store.tenants.createTenant(platform, NewTenant(slug: "bench", name: "Bench", plan: "unlimited"), owner: nil).tenant
        let system = Caller.system(tenant.id)
        var out: [[String: Any]] = []
        for c in 0..<conversations {
            let buyer = try await store.businesses.createBusiness(system, BusinessInput(name: "Buyer \(c)", type: .pharmacy, city: "Lviv"))
            let seller = try await store.businesses.createBusiness(system, BusinessInput(name: "Seller \(c)", type: .wholesaler, city: "Kyiv"))
            var tokens: [String] = []
            var callers: [Caller] = []
            for (side, business) in [("b", buyer), ("s", seller)] {
                for u in 0..<perSide {
                    let user = try await store.users.createUser(system, NewUser(email: "\(side)\(c)-\(u)@bench.test", name: "\(side)\(c)-\(u)", password: "bench-pass-1")).user
                    _ = try await store.businesses.setMember(system, businessID: business.id, userID: user.id, role: .staff)
                    let principal = Principal(kind: .tenantUser, userID: user.id, email: user.email, name: user.name, tenantID: tenant.id, tenantSlug: "bench",
                                              role: user.role, userKind: user.kind, locale: nil, scopes: Set(Scope.allCases), credential: .session(id: "bench"))
                    tokens.append(try await store.auth.createToken(NewAPIToken(name: "bench", scopes: [.read, .write]), for: principal).secret)
                    callers.append(Caller(principal, ip: nil))
                }
            }
            let conversation = try await store.conversations.open(callers[0], ConversationInput(buyerBusinessId: buyer.id, sellerBusinessId: seller.id),
                                                                  idempotency: nil).conversation
            out.append(["id": conversation.id, "tokens": tokens])
        }
        var history: [String: Any] = [:]
        if messages > 0 { history = try await fill(store, messages: messages) }
        await store.close()
        let json = try JSONSerialization.data(withJSONObject: ["conversations": out, "history": history], options: [.sortedKeys])
        FileHandle.standardOutput.write(json)
    }

    static let words = [
        "парацетамол", "знижка", "знижки", "поставка", "аптека", "ціна", "ціни", "замовлення", "упаковка", "склад", "доставка", "термін",
        "скидка", "скидки", "поставки", "цена", "заказ", "упаковки", "доставку", "срок", "ибупрофен", "аспирин", "витамины",
        "price", "discount", "delivery", "order", "pallet", "invoice", "stock", "tomorrow", "friday", "truck", "pack", "packs",
    ]

    /// `messages` messages over 1000 conversations of one seller, in bulk: what `post` writes, without
    /// a transaction per message.
    static func fill(_ store: Store, messages: Int) async throws -> [String: Any] {
        let platform = Caller.platformSystem()
        let tenant = try await store.tenants.createTenant(platform, NewTenant(slug: "history", name: "History", plan: "unlimited"), owner: nil).tenant
        let system = Caller.system(tenant.id)
        let seller = try await store.businesses.createBusiness(system, BusinessInput(name: "Seller", type: .wholesaler, city: "Kyiv"))
        var tokens: [String: String] = [:]
        var first: (Caller, String)?
        var ids: [String] = []
        for (name, business) in [("seller", seller)] {
            let user = try await store.users.createUser(system, NewUser(email: "\(name)@history.test", name: name, password: "bench-pass-1")).user
            _ = try await store.businesses.setMember(system, businessID: business.id, userID: user.id, role: .staff)
            let principal = Principal(kind: .tenantUser, userID: user.id, email: user.email, name: user.name, tenantID: tenant.id, tenantSlug: "history",
                                      role: user.role, userKind: user.kind, locale: nil, scopes: Set(Scope.allCases), credential: .session(id: "bench"))
            tokens[name] = try await store.auth.createToken(NewAPIToken(name: "bench", scopes: [.read, .write]), for: principal).secret
            first = (Caller(principal, ip: nil), user.id)
        }
        let count = 1000
        var buyerToken = ""
        for c in 0..<count {
            let buyer = try await store.businesses.createBusiness(system, BusinessInput(name: "Pharmacy \(c)", type: .pharmacy, city: "Lviv"))
            if c == 0 {
                let user = try await store.users.createUser(system, NewUser(email: "buyer@history.test", name: "buyer", password: "bench-pass-1")).user
                _ = try await store.businesses.setMember(system, businessID: buyer.id, userID: user.id, role: .staff)
                let principal = Principal(kind: .tenantUser, userID: user.id, email: user.email, name: user.name, tenantID: tenant.id, tenantSlug: "history",
                                          role: user.role, userKind: user.kind, locale: nil, scopes: Set(Scope.allCases), credential: .session(id: "bench"))
                buyerToken = try await store.auth.createToken(NewAPIToken(name: "bench", scopes: [.read, .write]), for: principal).secret
            }
            ids.append(try await store.conversations.open(first!.0, ConversationInput(buyerBusinessId: buyer.id, sellerBusinessId: seller.id), idempotency: nil)
                .conversation.id)
        }
        let per = messages / count
        let author = first!.1
        let start = Date()
        for (n, id) in ids.enumerated() {
            try await store.tenantDatabases.write(tenant.id) { db in
                var rng = SplitMix64(seed: UInt64(n) + 22)
                let insert = try db.makeStatement(sql: """
                    INSERT INTO messages (id, conversation_id, seq, kind, author_id, author_name, text, created_at) VALUES (?, ?, ?, 'text', ?, 'seller', ?, ?)
                    """)
                let event = try db.makeStatement(sql: "INSERT INTO conversation_events (conversation_id, seq, kind, message_id, at) VALUES (?, ?, 'message.created', ?, ?)")
                let fts = try db.makeStatement(sql: "INSERT INTO message_fts (rowid, terms) VALUES (last_insert_rowid(), ?)")
                for seq in 1...per {
                    let text = (0..<8).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ") + " #\(n)-\(seq)"
                    let at = start.addingTimeInterval(Double(seq))
                    let mid = Identifier.make(now: at)
                    try insert.execute(arguments: [mid, id, seq, author, text, at])
                    try fts.execute(arguments: [SQLiteConversationService.termsText(Analyzer.terms(text), id)])
                    try event.execute(arguments: [id, seq, mid, at])
                }
                try db.execute(sql: "UPDATE conversations SET last_seq = ?, last_message_at = ? WHERE id = ?", arguments: [per, start.addingTimeInterval(Double(per)), id])
            }
            if n % 100 == 99 { FileHandle.standardError.write(Data("  \((n + 1) * per) messages\n".utf8)) }
        }
        return ["tokens": tokens, "buyer_token": buyerToken, "conversations": ids, "messages": per * count]
    }
}
