import Foundation
import Testing
@testable import TradepostHTTP

@Suite("S3 listener helpers")
struct S3HelpersTests {
    @Test func httpDatesAreRFC7231AndParseBack() {
        let date = Date(timeIntervalSince1970: 1_795_296_367.9)  // as Python's email.utils.formatdate(usegmt=True) prints it
        #expect(HTTPDates.http(date) == "Sat, 21 Nov 2026 21:26:07 GMT")
        #expect(HTTPDates.parseHTTP(HTTPDates.http(date)) == Date(timeIntervalSince1970: 1_795_296_367))
        #expect(HTTPDates.http(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 GMT")
    }

    @Test func rangesFollowRFC9110AndS3() throws {
        #expect(try ByteRanges.parse("bytes=0-9", size: 100) == 0...9)
        #expect(try ByteRanges.parse("bytes=90-", size: 100) == 90...99)
        #expect(try ByteRanges.parse("bytes=-5", size: 100) == 95...99)
        #expect(try ByteRanges.parse("bytes=50-500", size: 100) == 50...99)
        #expect(try ByteRanges.parse("bytes=0-1,5-6", size: 100) == nil)  // whole object, as S3
        #expect(try ByteRanges.parse("items=0-1", size: 100) == nil)
        #expect(throws: (any Error).self) { try ByteRanges.parse("bytes=100-", size: 100) }
    }

    @Test func etagListsMatchQuotedUnquotedAndStar() {
        #expect(ByteRanges.etagMatches("\"abc\"", "abc"))
        #expect(ByteRanges.etagMatches("\"x\", \"abc\"", "abc"))
        #expect(ByteRanges.etagMatches("*", "abc"))
        #expect(!ByteRanges.etagMatches("\"abd\"", "abc"))
    }
}
