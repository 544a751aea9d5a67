import Foundation

/// Reads a WhatsApp Cloud API webhook body (`object: whatsapp_business_account`, entries of
/// changes whose `value` holds `messages`, `contacts` and `statuses`). Message types the inbox
/// cannot show as such (stickers, reactions, unsupported) become a line of text saying what came.
public enum WhatsAppPayload {
    struct Body: Decodable {
        var object: String?
        var entry: [Entry]?
    }
    struct Entry: Decodable { var changes: [Change]? }
    struct Change: Decodable {
        var field: String?
        var value: Value?
    }
    struct Value: Decodable {
        var metadata: Metadata?
        var contacts: [WAContact]?
        var messages: [WAMessage]?
        var statuses: [WAStatus]?
    }
    struct Metadata: Decodable {
        var phone_number_id: String?
    }
    struct WAContact: Decodable {
        struct Profile: Decodable { var name: String? }
        var profile: Profile?
        var wa_id: String?
        /// The business-scoped user id, present since Meta's usernames (a user may hide their number).
        var user_id: String?
    }
    struct WAMedia: Decodable {
        var id: String
        var mime_type: String?
        var filename: String?
        var caption: String?
        var voice: Bool?
    }
    struct WALocation: Decodable {
        var latitude: Double?
        var longitude: Double?
        var name: String?
        var address: String?
    }
    struct WAText: Decodable { var body: String? }
    struct WAButton: Decodable { var text: String? }
    struct WAInteractive: Decodable {
        struct Reply: Decodable { var title: String? }
        var button_reply: Reply?
        var list_reply: Reply?
    }
    struct WAMessage: Decodable {
        var from: String?
        var id: String
        var timestamp: String?
        var type: String?
        var text: WAText?
        var image: WAMedia?
        var document: WAMedia?
        var audio: WAMedia?
        var video: WAMedia?
        var location: WALocation?
        var button: WAButton?
        var interactive: WAInteractive?
    }
    struct WAStatus: Decodable {
        struct Failure: Decodable {
            var code: Int?
            var title: String?
        }
        var id: String
        var status: String
        var errors: [Failure]?
    }

    /// The messages and statuses for `phoneNumberId` (other numbers' changes are not this channel's).
    /// Throws when the body is not a WhatsApp webhook.
    public static func parse(_ bytes: [UInt8], phoneNumberId: String?) throws -> InboundBatch {
        let body = try JSONDecoder().decode(Body.self, from: Data(bytes))
        guard body.object == "whatsapp_business_account" else { throw AppError.invalid("not a WhatsApp Business Account webhook") }
        var batch = InboundBatch()
        for change in (body.entry ?? []).flatMap({ $0.changes ?? [] }) where change.field == nil || change.field == "messages" {
            guard let value = change.value else { continue }
            if let phoneNumberId, let theirs = value.metadata?.phone_number_id, theirs != phoneNumberId { continue }
            var names: [String: String] = [:]
            for c in value.contacts ?? [] {
                for key in [c.wa_id, c.user_id].compactMap({ $0 }) { names[key] = c.profile?.name }
            }
            for m in value.messages ?? [] {
                // The number when the user shows it, else their business-scoped id (replies then name a `recipient`).
                guard let sender = m.from ?? value.contacts?.first.flatMap({ $0.wa_id ?? $0.user_id }) else { continue }
                let phone = sender.allSatisfy(\.isNumber)
                let at = m.timestamp.flatMap(TimeInterval.init).map(Date.init(timeIntervalSince1970:)) ?? Date()
                var (text, media) = content(m)
                if text == nil && media == nil { text = "[\(m.type ?? "message")]" }
                batch.messages.append(InboundMessage(externalId: m.id, chatId: phone ? sender : "bsuid:" + sender,
                                                     senderName: names[sender] ?? (phone ? "+" + sender : sender), whatsappId: sender,
                                                     text: text, media: media, at: at))
            }
            for s in value.statuses ?? [] {
                guard let status = ChannelMessageStatus(rawValue: s.status), status != .received, status != .queued else { continue }
                let error = s.errors?.first.map { "\($0.code.map(String.init) ?? "?") \($0.title ?? "")".trimmingCharacters(in: .whitespaces) }
                batch.statuses.append(InboundStatus(externalId: s.id, status: status, error: error))
            }
        }
        return batch
    }

    static func content(_ m: WAMessage) -> (String?, InboundMessage.Media?) {
        func file(_ media: WAMedia, _ fallback: String, _ type: String) -> InboundMessage.Media {
            InboundMessage.Media(platformId: media.id, contentType: media.mime_type ?? type, fileName: media.filename ?? fallback)
        }
        switch m.type {
        case "text": return (m.text?.body, nil)
        case "image": return (m.image?.caption, m.image.map { file($0, "photo.jpg", "image/jpeg") })
        case "document": return (m.document?.caption, m.document.map { file($0, "document", "application/octet-stream") })
        case "audio": return (nil, m.audio.map { file($0, $0.voice == true ? "voice.ogg" : "audio.ogg", "audio/ogg") })
        case "video": return (m.video?.caption, m.video.map { file($0, "video.mp4", "video/mp4") })
        case "location":
            guard let l = m.location, let lat = l.latitude, let lon = l.longitude else { return (nil, nil) }
            let place = [l.name, l.address].compactMap { $0 }.joined(separator: ", ")
            return ((place.isEmpty ? "" : place + "\n") + "https://maps.google.com/?q=\(lat),\(lon)", nil)
        case "button": return (m.button?.text, nil)
        case "interactive": return (m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title, nil)
        default: return (nil, nil)
        }
    }
}
