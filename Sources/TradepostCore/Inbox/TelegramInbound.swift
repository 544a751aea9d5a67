import Foundation

/// Reads a customer's message from a Telegram update: private chats only (groups are not an
/// inbox); the biggest size of a photo; voice, audio, video and documents as files; a location as
/// a map link.
public enum TelegramInbound {
    struct Update: Decodable {
        var message: TGMessage?
    }
    struct TGUser: Decodable {
        var id: Int64
        var is_bot: Bool?
        var first_name: String?
        var last_name: String?
        var username: String?
        var language_code: String?
    }
    struct TGChat: Decodable {
        var id: Int64
        var type: String
    }
    struct TGFile: Decodable {
        var file_id: String
        var file_name: String?
        var mime_type: String?
        var file_size: Int?
    }
    struct TGLocation: Decodable {
        var latitude: Double
        var longitude: Double
    }
    struct TGMessage: Decodable {
        var message_id: Int64
        var from: TGUser?
        var chat: TGChat
        var date: TimeInterval?
        var text: String?
        var caption: String?
        var photo: [TGFile]?
        var document: TGFile?
        var voice: TGFile?
        var audio: TGFile?
        var video: TGFile?
        var location: TGLocation?
    }

    public static func parse(_ bytes: [UInt8]) -> InboundMessage? {
        guard let update = try? JSONDecoder().decode(Update.self, from: Data(bytes)), let m = update.message, m.chat.type == "private",
              let from = m.from, from.is_bot != true else { return nil }
        let name = [from.first_name, from.last_name].compactMap { $0 }.joined(separator: " ")
        var media: InboundMessage.Media?
        if let photo = m.photo?.max(by: { ($0.file_size ?? 0) < ($1.file_size ?? 0) }) {
            media = .init(platformId: photo.file_id, contentType: "image/jpeg", fileName: "photo.jpg")
        } else if let f = m.document {
            media = .init(platformId: f.file_id, contentType: f.mime_type ?? "application/octet-stream", fileName: f.file_name ?? "document")
        } else if let f = m.voice {
            media = .init(platformId: f.file_id, contentType: f.mime_type ?? "audio/ogg", fileName: "voice.ogg")
        } else if let f = m.audio {
            media = .init(platformId: f.file_id, contentType: f.mime_type ?? "audio/mpeg", fileName: f.file_name ?? "audio.mp3")
        } else if let f = m.video {
            media = .init(platformId: f.file_id, contentType: f.mime_type ?? "video/mp4", fileName: f.file_name ?? "video.mp4")
        }
        var text = m.text ?? m.caption
        if let l = m.location { text = "https://maps.google.com/?q=\(l.latitude),\(l.longitude)" }
        if text == nil && media == nil { text = "[message]" }
        return InboundMessage(externalId: "\(m.chat.id):\(m.message_id)", chatId: String(m.chat.id),
                              senderName: name.isEmpty ? (from.username.map { "@" + $0 } ?? String(from.id)) : name,
                              telegramId: from.id, language: from.language_code.map { String($0.prefix(2)) }, text: text, media: media,
                              at: m.date.map(Date.init(timeIntervalSince1970:)) ?? Date())
    }
}
