import Foundation
import Testing
@testable import TradepostMail

@Suite("MIME: encoded words, parts, attachments, dot-stuffing")
struct MailMessageTests {
    let date = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func cyrillicSubjectsAreEncodedWordsNoLongerThan75AndSplitBetweenCharacters() {
        #expect(MailMessage.encodedWords("Order FARM-1 placed") == "Order FARM-1 placed")
        let subject = String(repeating: "Замовлення підтверджено ", count: 4)
        let encoded = MailMessage.encodedWords(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1 && words.allSatisfy { $0.hasPrefix("=?utf-8?B?") && $0.hasSuffix("?=") && $0.count <= 75 })
        // Each word decodes alone (no character cut in two), and together they give the subject back.
        let decoded = words.map { word -> String in
            let b64 = word.dropFirst(10).dropLast(2)
            return String(data: Data(base64Encoded: String(b64))!, encoding: .utf8)!
        }.joined()
        #expect(decoded == subject.filter { !$0.isNewline })
        #expect(MailMessage.encodedWords("a=?b") != "a=?b")  // specials are encoded too
    }

    @Test func aMessageHasItsHeadersBothPartsAndAnAttachment() {
        let m = MailMessage(from: .init("shop@acme.test", name: "Фарм Опт"), to: [.init("ann@x.test", name: "Ann")], subject: "Рахунок",
                            text: "Hello\n.dot line", html: "<p>Hi</p>",
                            attachments: [.init(fileName: "Рахунок 1.pdf", contentType: "application/pdf", data: Array("%PDF-1.4".utf8))],
                            unsubscribeURL: "https://x.test/u?t=1", messageID: "<m1@acme.test>", date: date)
        let text = m.rendered()
        #expect(text.contains("From: =?utf-8?B?") && text.contains(" <shop@acme.test>\r\n"))
        #expect(text.contains("To: Ann <ann@x.test>\r\n"))
        #expect(text.contains("Date: Fri, 15 Jan 2027 08:00:00 +0000\r\n"))
        #expect(text.contains("Message-ID: <m1@acme.test>\r\n"))
        #expect(text.contains("List-Unsubscribe: <https://x.test/u?t=1>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
        #expect(text.contains("multipart/mixed") && text.contains("multipart/alternative"))
        #expect(text.contains("Content-Type: text/plain; charset=utf-8") && text.contains("Content-Type: text/html; charset=utf-8"))
        #expect(text.contains("filename*=utf-8''%D0%A0%D0%B0%D1%85%D1%83%D0%BD%D0%BE%D0%BA%201.pdf"))
        #expect(text.contains(Data("%PDF-1.4".utf8).base64EncodedString()))
        #expect(!text.split(separator: "\r\n", omittingEmptySubsequences: false).contains { $0.count > 998 })
    }

    @Test func dataIsDotStuffedAndEnds() {
        #expect(MailMessage.dotStuffed(".a\r\nb\r\n.c\r\n") == "..a\r\nb\r\n..c\r\n.\r\n")
        #expect(MailMessage.dotStuffed("x") == "x\r\n.\r\n")
    }
}
