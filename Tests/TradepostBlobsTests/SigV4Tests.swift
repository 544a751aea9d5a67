import Crypto
import Foundation
import Testing
@testable import TradepostBlobs
import TradepostCore

/// AWS's published SigV4 examples for S3 ("Signature Calculations for the Authorization Header",
/// access key AKIAIOSFODNN7EXAMPLE): if these pass, real clients' signatures verify.
@Suite("SigV4")
struct SigV4Tests {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let now = SigV4.parseAmzDate("20130524T000000Z")!

    @Test func getObjectWithRangeMatchesAWSExample() throws {
        let request = SigV4.Request(method: "GET", rawPath: "/test.txt", rawQuery: "", headers: [
            "host": ["examplebucket.s3.amazonaws.com"], "range": ["bytes=0-9"],
            "x-amz-content-sha256": [SigV4.emptySHA256], "x-amz-date": ["20130524T000000Z"],
            "authorization": ["AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"],
        ])
        let claim = try #require(try SigV4.claim(request))
        #expect(claim.accessKey == "AKIAIOSFODNN7EXAMPLE")
        _ = try SigV4.verify(claim, secret: Self.secret, request: request, now: Self.now)
        #expect(throws: S3Error.signatureDoesNotMatch) {
            _ = try SigV4.verify(claim, secret: "wrong", request: request, now: Self.now)
        }
        #expect(throws: S3Error.requestTimeTooSkewed) {
            _ = try SigV4.verify(claim, secret: Self.secret, request: request, now: Self.now.addingTimeInterval(3600))
        }
    }

    @Test func presignedURLMatchesAWSExampleAndExpires() throws {
        let query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        let request = SigV4.Request(method: "GET", rawPath: "/test.txt", rawQuery: query, headers: ["host": ["examplebucket.s3.amazonaws.com"]])
        let claim = try #require(try SigV4.claim(request))
        #expect(claim.presigned)
        _ = try SigV4.verify(claim, secret: Self.secret, request: request, now: Self.now.addingTimeInterval(3600))
        #expect(throws: S3Error.expired) {
            _ = try SigV4.verify(claim, secret: Self.secret, request: request, now: Self.now.addingTimeInterval(86401))
        }
    }

    @Test func chunkedUploadMatchesAWSExample() throws {
        // "Transferring Payload in Multiple Chunks": 66,560 bytes of 'a' in chunks of 65,536 and 1,024.
        let request = SigV4.Request(method: "PUT", rawPath: "/examplebucket/chunkObject.txt", rawQuery: "", headers: [
            "host": ["s3.amazonaws.com"], "x-amz-date": ["20130524T000000Z"], "x-amz-storage-class": ["REDUCED_REDUNDANCY"],
            "x-amz-content-sha256": [SigV4.streamingPayload], "content-encoding": ["aws-chunked"],
            "x-amz-decoded-content-length": ["66560"], "content-length": ["66824"],
            "authorization": ["AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"],
        ])
        let claim = try #require(try SigV4.claim(request))
        let key = try SigV4.verify(claim, secret: Self.secret, request: request, now: Self.now)
        let a = [UInt8](repeating: UInt8(ascii: "a"), count: 65536)
        var body: [UInt8] = []
        body += Array("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n".utf8) + a + Array("\r\n".utf8)
        body += Array("400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n".utf8) + a.prefix(1024) + Array("\r\n".utf8)
        body += Array("0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n".utf8)
        #expect(body.count == 66824)

        // Fed in odd-sized pieces, as a network delivers it.
        var decoder = AwsChunkedDecoder(signing: .init(key: key, amzDate: claim.amzDate, scope: claim.scope, seedSignature: claim.signature), hasTrailer: false)
        var out: [UInt8] = []
        var i = 0
        while i < body.count {
            let n = min(777, body.count - i)
            try body[i..<(i + n)].withUnsafeBytes { try decoder.feed($0) { out += $0 } }
            i += n
        }
        try decoder.finish()
        #expect(out.count == 66560 && out.allSatisfy { $0 == UInt8(ascii: "a") })

        var tampered = body
        tampered[100] = UInt8(ascii: "b")
        var second = AwsChunkedDecoder(signing: .init(key: key, amzDate: claim.amzDate, scope: claim.scope, seedSignature: claim.signature), hasTrailer: false)
        #expect(throws: S3Error.signatureDoesNotMatch) { try tampered.withUnsafeBytes { try second.feed($0) { _ in } } }
    }

    @Test func unsignedTrailerBodyCollectsChecksum() throws {
        let body = Array("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n".utf8)
        var decoder = AwsChunkedDecoder(signing: nil, hasTrailer: true)
        var out: [UInt8] = []
        try body.withUnsafeBytes { try decoder.feed($0) { out += $0 } }
        try decoder.finish()
        #expect(String(decoding: out, as: UTF8.self) == "hello")
        #expect(decoder.trailers["x-amz-checksum-crc32"] == "NhCmhg==")
        var d = BodyDigests(sha256: false, checksums: [.crc32])
        out.withUnsafeBytes { d.update($0) }
        #expect(d.finish().checksums[.crc32] == "NhCmhg==")
    }

    @Test func amzDatesParseWithoutACalendar() {
        #expect(SigV4.parseAmzDate("20130524T000000Z") == Date(timeIntervalSince1970: 1_369_353_600))
        #expect(SigV4.parseAmzDate("20240229T235959Z") == Date(timeIntervalSince1970: 1_709_251_199))
        #expect(SigV4.parseAmzDate("20241301T000000Z") == nil)
        #expect(SigV4.parseAmzDate("2024-01-01T00:00:00Z") == nil)
    }

    @Test func canonicalFormsEncodeLikeAWS() {
        #expect(SigV4.canonicalURI("/b/a%20b+c/%E2%82%AC!") == "/b/a%20b%2Bc/%E2%82%AC%21")
        #expect(SigV4.canonicalQuery("prefix=a%2Fb&list-type=2&uploads", excluding: nil) == "list-type=2&prefix=a%2Fb&uploads=")
        #expect(SigV4.canonicalQuery("b=2&a=%D0%9A&a=1&A=0", excluding: nil) == "A=0&a=%D0%9A&a=1&b=2")
    }

    @Test func queriesSplitOnBytesAndDecode() {
        let pairs = Query("a=1&&b=%2F+x&c&=v&d=&%D0%BA%D0%BB=%D0%97%D0%BD&e=a=b&").pairs
        #expect(pairs.map { $0.0 } == ["a", "b", "c", "", "d", "кл", "e"])
        #expect(pairs.map { $0.1 } == ["1", "/ x", "", "v", "", "Зн", "a=b"])
        #expect(Query("").pairs.isEmpty)
        #expect(Query("&&").pairs.isEmpty)
    }

    @Test func headerValuesAreTrimmedAndSqueezedLikeAWS() {
        for (value, expected) in [("a b", "a b"), ("  a   b ", "a b"), ("a\tb", "a\tb"), ("\u{00A0}x y\u{00A0}", "x y"), ("", ""), ("é  é", "é é")] {
            #expect(SigV4.normalizeSpace(value) == expected, "\(value)")
        }
    }

    @Test func checksumsMatchKnownValues() {
        var d = BodyDigests(sha256: true, checksums: [.crc32, .crc32c, .sha1, .crc64nvme])
        Array("123456789".utf8).withUnsafeBytes { d.update($0) }
        let r = d.finish()
        // CRC-32 and CRC-32C check values of "123456789": 0xCBF43926, 0xE3069283; CRC-64/NVME 0xAE8B14860A799888.
        #expect(r.checksums[.crc32] == Data([0xCB, 0xF4, 0x39, 0x26]).base64EncodedString())
        #expect(r.checksums[.crc32c] == Data([0xE3, 0x06, 0x92, 0x83]).base64EncodedString())
        #expect(r.checksums[.crc64nvme] == Data([0xAE, 0x8B, 0x14, 0x86, 0x0A, 0x79, 0x98, 0x88]).base64EncodedString())
        #expect(r.sha256Hex == "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225")
        #expect(Hex.encode(r.md5) == "25f9e794323b453885f5181f1b624d0b")
    }

    @Test func xmlParsesWhatClientsSend() throws {
        let doc = #"<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><ETag>&quot;abc&quot;</ETag><PartNumber>1</PartNumber></Part><Part><PartNumber>2</PartNumber><ETag>"def"</ETag></Part></CompleteMultipartUpload>"#
        let root = try XMLNode.parse(Array(doc.utf8))
        #expect(root.name == "CompleteMultipartUpload")
        #expect(root.all("Part").map { $0.value("ETag") } == ["\"abc\"", "\"def\""])
        #expect(throws: S3Error.malformedXML) { try XMLNode.parse(Array("<a><b></a>".utf8)) }
        #expect(XMLWriter.escape("a<b>&\"\u{1}") == "a&lt;b&gt;&amp;&quot;&#1;")
    }
}
