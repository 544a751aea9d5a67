import Foundation
import TradepostCore
import TradepostMail
import TradepostStore

/// Notifications as email: the words in the user's language, the tenant's name, a button to the
/// object, the one-click unsubscribe headers and link (RFC 8058), an invoice's PDF attached.
struct MailComposer: Sendable {
    /// The app's address as users reach it (`http.public_url`), for links in mail.
    let baseURL: String

    func relaySettings(_ relay: EmailRelay) -> SMTPSettings {
        let s = relay.settings
        let security: SMTPSettings.Security = switch s.security {
        case .starttls: .starttls
        case .tls: .tls
        case .none: .none
        }
        return SMTPSettings(host: s.host, port: s.port, security: security, username: s.username, password: relay.password,
                            fromEmail: s.fromEmail, fromName: s.fromName, heloName: URL(string: baseURL)?.host ?? "localhost")
    }

    func notification(_ w: DeliveryWork, relay: EmailRelay, attachments: [MailMessage.Attachment]) -> MailMessage {
        let open = NotificationText.phrase("open", locale: w.locale)
        let why = NotificationText.fill(NotificationText.phrase("why", locale: w.locale), ["tenant": w.tenantName])
        let stop = NotificationText.phrase("unsubscribe", locale: w.locale)
        let unsubscribe = baseURL + "/api/v1/unsubscribe?token=" + (w.unsubscribeToken.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")
        let link = w.link.map { baseURL + $0 }
        var text = "\(w.title)\n\n\(w.body)\n"
        if let link { text += "\n\(open): \(link)\n" }
        text += "\n-- \n\(w.tenantName)\n\(why)\n\(stop): \(unsubscribe)\n"
        var html = "<!doctype html><html lang=\"\(w.locale ?? "en")\"><body style=\"font-family:sans-serif\"><h2>\(escape(w.title))</h2><p>\(escape(w.body))</p>"
        if let link { html += "<p><a href=\"\(escape(link))\" style=\"display:inline-block;padding:8px 16px;background:#1d4ed8;color:#fff;text-decoration:none;border-radius:4px\">\(escape(open))</a></p>" }
        html += "<hr><p style=\"color:#666;font-size:12px\">\(escape(w.tenantName)) · \(escape(why)) <a href=\"\(escape(unsubscribe))\">\(escape(stop))</a></p></body></html>"
        return MailMessage(from: .init(relay.settings.fromEmail, name: relay.settings.fromName ?? w.tenantName), to: [.init(w.userEmail, name: w.userName)],
                           subject: "\(w.title) · \(w.tenantName)", text: text, html: html, attachments: attachments, unsubscribeURL: unsubscribe)
    }

    func digest(_ d: DigestWork, relay: EmailRelay) -> MailMessage {
        let subject = NotificationText.fill(NotificationText.phrase("digest", locale: d.locale), ["count": String(d.items.count), "tenant": d.tenantName])
        var text = subject + "\n\n"
        var html = "<!doctype html><html><body style=\"font-family:sans-serif\"><h2>\(escape(subject))</h2><ul>"
        for n in d.items {
            text += "• \(n.title) — \(n.body)" + (n.link.map { " \(baseURL)\($0)" } ?? "") + "\n"
            html += "<li><b>" + (n.link.map { "<a href=\"\(escape(baseURL + $0))\">\(escape(n.title))</a>" } ?? escape(n.title)) + "</b> — \(escape(n.body))</li>"
        }
        html += "</ul></body></html>"
        return MailMessage(from: .init(relay.settings.fromEmail, name: relay.settings.fromName ?? d.tenantName), to: [.init(d.userEmail, name: d.userName)],
                           subject: subject, text: text, html: html)
    }

    func test(to: String, tenantName: String, locale: String?, relay: EmailRelay) -> MailMessage {
        let subject = NotificationText.fill(NotificationText.phrase("test", locale: locale), ["tenant": tenantName])
        let body = NotificationText.phrase("test_body", locale: locale)
        return MailMessage(from: .init(relay.settings.fromEmail, name: relay.settings.fromName ?? tenantName), to: [.init(to)], subject: subject,
                           text: body + "\n", html: "<p>\(escape(body))</p>")
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
