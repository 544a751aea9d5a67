import Foundation

/// One email as RFC 5322 text: UTF-8 names and subjects as RFC 2047 encoded-words, a
/// multipart/alternative of text and HTML (each base64, so any line length and script travel
/// through any relay), attachments (RFC 2231 file names), Message-ID, Date, and the RFC 8058
/// one-click unsubscribe headers when given.
public struct MailMessage: Sendable, Equatable {
    public struct Address: Sendable, Equatable {
        public var email: String
        public var name: String?
        public init(_ email: String, name: String? = nil) {
            self.email = email
            self.name = name
        }
    }

    public struct Attachment: Sendable, Equatable {
        public var fileName: String
        public var contentType: String
        public var data: [UInt8]
        public init(fileName: String, contentType: String, data: [UInt8]) {
            self.fileName = fileName
            self.contentType = contentType
            self.data = data
        }
    }

    public var from: Address
    public var to: [Address]
    public var subject: String
    public var text: String
    public var html: String?
    public var attachments: [Attachment]
    /// An https URL answering a POST of `List-Unsubscribe=One-Click` (RFC 8058).
    public var unsubscribeURL: String?
    public var messageID: String
    public var date: Date

    public init(from: Address, to: [Address], subject: String, text: String, html: String? = nil, attachments: [Attachment] = [],
                unsubscribeURL: String? = nil, messageID: String? = nil, date: Date = Date()) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.unsubscribeURL = unsubscribeURL
        let domain = from.email.split(separator: "@").last.map(String.init) ?? "localhost"
        self.messageID = messageID ?? "<\(UUID().uuidString.lowercased())@\(domain)>"
        self.date = date
    }

    /// The message as sent after DATA (CRLF line ends, before dot-stuffing).
    public func rendered() -> String {
        var lines: [String] = []
        lines.append("From: " + Self.address(from))
        lines.append("To: " + to.map(Self.address).joined(separator: ", "))
        lines.append("Subject: " + Self.encodedWords(subject, offset: 9))
        lines.append("Date: " + Self.rfc5322(date))
        lines.append("Message-ID: " + messageID)
        lines.append("MIME-Version: 1.0")
        if let unsubscribeURL {
            lines.append("List-Unsubscribe: <\(unsubscribeURL)>")
            lines.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        let alternative = "alt-" + Self.boundary(messageID)
        var body: [String] = []
        if let html {
            body.append("Content-Type: multipart/alternative; boundary=\"\(alternative)\"")
            body.append("")
            body += Self.part(alternative, "text/plain; charset=utf-8", Array(text.utf8))
            body += Self.part(alternative, "text/html; charset=utf-8", Array(html.utf8))
            body.append("--\(alternative)--")
        } else {
            body.append("Content-Type: text/plain; charset=utf-8")
            body.append("Content-Transfer-Encoding: base64")
            body.append("")
            body += Self.base64Lines(Array(text.utf8))
        }
        if attachments.isEmpty {
            lines += body
        } else {
            let mixed = "mix-" + Self.boundary(messageID)
            lines.append("Content-Type: multipart/mixed; boundary=\"\(mixed)\"")
            lines.append("")
            lines.append("--\(mixed)")
            lines += body
            for a in attachments {
                lines.append("--\(mixed)")
                lines.append("Content-Type: \(a.contentType); name=\"\(Self.asciiName(a.fileName))\"")
                lines.append("Content-Disposition: attachment; " + Self.fileNameParameter(a.fileName))
                lines.append("Content-Transfer-Encoding: base64")
                lines.append("")
                lines += Self.base64Lines(a.data)
            }
            lines.append("--\(mixed)--")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func part(_ boundary: String, _ type: String, _ bytes: [UInt8]) -> [String] {
        ["--\(boundary)", "Content-Type: \(type)", "Content-Transfer-Encoding: base64", ""] + base64Lines(bytes)
    }

    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let text = Data(bytes).base64EncodedString()
        return stride(from: 0, to: text.count, by: 76).map { start in
            let a = text.index(text.startIndex, offsetBy: start)
            return String(text[a..<(text.index(a, offsetBy: 76, limitedBy: text.endIndex) ?? text.endIndex)])
        }
    }

    static func boundary(_ id: String) -> String {
        String(id.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII }.prefix(24).map(Character.init))
    }

    static func address(_ a: Address) -> String {
        guard let name = a.name, !name.isEmpty else { return "<\(a.email)>" }
        let plain = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " ") }
        return (plain ? name : encodedWords(name, offset: 6)) + " <\(a.email)>"
    }

    /// RFC 2047 B-encoding in UTF-8, split between characters so no encoded-word passes 75
    /// characters, folded onto continuation lines; ASCII without specials stays as it is.
    public static func encodedWords(_ text: String, offset: Int = 0) -> String {
        if text.allSatisfy({ $0.isASCII && $0 != "=" && $0 != "?" && !$0.isNewline }) && text.count + offset <= 78 { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        // "=?utf-8?B?" + "?=" is 12 characters; 45 bytes of UTF-8 make 60 of base64.
        for character in text where !character.isNewline {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    static func asciiName(_ name: String) -> String {
        String(name.map { $0.isASCII && $0 != "\"" && $0 != "\\" && !$0.isNewline ? $0 : "_" })
    }

    /// `filename="…"` for ASCII names, else RFC 2231's `filename*=utf-8''…` with the ASCII fallback.
    static func fileNameParameter(_ name: String) -> String {
        if name.allSatisfy({ $0.isASCII && $0 != "\"" && !$0.isNewline }) { return "filename=\"\(name)\"" }
        let allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128))).union(CharacterSet(charactersIn: "-._~"))
        return "filename=\"\(asciiName(name))\"; filename*=utf-8''" + (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? asciiName(name))
    }

    static func rfc5322(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss +0000"
        return f.string(from: date)
    }

    /// SMTP's DATA body: CRLF line ends, a leading dot doubled (RFC 5321 4.5.2), and the end mark.
    public static func dotStuffed(_ rendered: String) -> String {
        var out = rendered.replacingOccurrences(of: "\r\n.", with: "\r\n..")
        if out.hasPrefix(".") { out = "." + out }
        if !out.hasSuffix("\r\n") { out += "\r\n" }
        return out + ".\r\n"
    }
}
