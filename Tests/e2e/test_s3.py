"""The S3 API with real clients (boto3, the AWS CLI, plain HTTP for presigned URLs): every
operation the blob store offers, its errors in S3's own codes, and the isolation of tenants."""
import base64
import datetime
import hashlib
import hmac
import http.client
import os
import socket
import subprocess
import sys
import time
import zlib
from unittest import mock
from pathlib import Path

import boto3
import pytest
import requests
from botocore.auth import S3SigV4Auth as SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import problem

AWS = str(Path(sys.executable).parent / "aws")


def wait_for_port(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"S3 listener on {port} never came up")


def client(server, key, secret, **config):
    return boto3.client("s3", endpoint_url=server.s3_url, aws_access_key_id=key, aws_secret_access_key=secret,
                        region_name="us-east-1", config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, **config))


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


@pytest.fixture(scope="module")
def s3env(shared_server):
    s = shared_server
    wait_for_port(s.s3_port)
    admin = s.admin_token()
    out = {"server": s}
    for name in ("alpha", "beta"):
        s.create_tenant(f"s3{name}", owner_email=f"owner@s3{name}.test", token=admin)
        token = s.login(f"owner@s3{name}.test", "owner-password-1", tenant=f"s3{name}")
        made = s.api("POST", "/s3/keys", token, json={"name": "tests"})
        assert made.status_code == 201, made.text
        body = made.json()
        out[name] = {"token": token, "key": body["key"]["access_key"], "secret": body["secret"],
                     "s3": client(s, body["key"]["access_key"], body["secret"])}
    return out


def test_keys_from_the_api_and_the_cli(s3env):
    s, a = s3env["server"], s3env["alpha"]
    listed = s.api("GET", "/s3/keys", a["token"]).json()["items"]
    assert [k["access_key"] for k in listed] == [a["key"]] and "secret" not in listed[0]
    assert s.api("POST", "/s3/keys", a["token"], json={"name": ""}).status_code == 400
    # Members who are not tenant admins cannot manage keys.
    s.api("POST", "/users", a["token"], json={"email": "m@s3alpha.test", "name": "M", "password": "member-pass-1"})
    member = s.login("m@s3alpha.test", "member-pass-1", tenant="s3alpha")
    assert s.api("GET", "/s3/keys", member).status_code == 403
    # A key made and revoked: requests signed with it fail at once.
    made = s.api("POST", "/s3/keys", a["token"], json={"name": "short-lived"}).json()
    c = client(s, made["key"]["access_key"], made["secret"])
    c.list_buckets()
    assert s.api("DELETE", f"/s3/keys/{made['key']['access_key']}", a["token"]).status_code == 204
    with pytest.raises(ClientError) as e:
        c.list_buckets()
    assert code(e) == "InvalidAccessKeyId"
    # The CLI sees the same keys; the secret is never stored in clear.
    from conftest import cli_json
    keys = cli_json("s3", "key", "list", "--tenant", "s3alpha", data=s.data)
    assert {k["access_key"] for k in keys} == {a["key"], made["key"]["access_key"]}
    control = (s.data / "control.sqlite").read_bytes() + (s.data / "control.sqlite-wal").read_bytes() if (s.data / "control.sqlite-wal").exists() else (s.data / "control.sqlite").read_bytes()
    assert a["secret"].encode() not in control
    assert oct((s.data / "secret.key").stat().st_mode & 0o777) == "0o600"


def test_buckets(s3env):
    c = s3env["alpha"]["s3"]
    c.create_bucket(Bucket="photos")
    c.create_bucket(Bucket="photos")  # already ours: 200 in us-east-1 (test_s3_tools covers other regions)
    for bad in ("ab", "UPPER", "a..b", "192.168.1.1", "-dash"):
        with pytest.raises(ClientError) as e:
            c.create_bucket(Bucket=bad)
        assert code(e) == "InvalidBucketName", bad
    assert "photos" in [b["Name"] for b in c.list_buckets()["Buckets"]]
    c.head_bucket(Bucket="photos")
    assert c.get_bucket_location(Bucket="photos")["LocationConstraint"] is None
    with pytest.raises(ClientError) as e:
        c.head_bucket(Bucket="nothing-here")
    assert e.value.response["Error"]["Code"] == "404"
    c.put_object(Bucket="photos", Key="x", Body=b"1")
    with pytest.raises(ClientError) as e:
        c.delete_bucket(Bucket="photos")
    assert code(e) == "BucketNotEmpty"
    c.delete_object(Bucket="photos", Key="x")
    c.delete_bucket(Bucket="photos")
    with pytest.raises(ClientError) as e:
        c.delete_bucket(Bucket="photos")
    assert code(e) == "NoSuchBucket"
    usage = s3env["server"].api("GET", "/s3/buckets", s3env["alpha"]["token"]).json()
    assert "photos" not in [b["name"] for b in usage["buckets"]] and usage["quota_bytes"] > 0


def test_objects_round_trip_with_ranges_conditions_and_checksums(s3env):
    c = s3env["alpha"]["s3"]
    c.create_bucket(Bucket="docs")
    body = os.urandom(10_000)
    put = c.put_object(Bucket="docs", Key="папка/файл €.bin", Body=body, ContentType="application/x-test",
                       Metadata={"owner": "anna"}, CacheControl="max-age=60", ContentDisposition="attachment")
    assert put["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
    got = c.get_object(Bucket="docs", Key="папка/файл €.bin")
    assert got["Body"].read() == body
    assert got["ContentType"] == "application/x-test" and got["Metadata"] == {"owner": "anna"}
    assert got["CacheControl"] == "max-age=60" and got["ContentDisposition"] == "attachment"
    head = c.head_object(Bucket="docs", Key="папка/файл €.bin")
    assert head["ContentLength"] == 10_000 and head["ETag"] == put["ETag"]

    def ranged(r):
        return c.get_object(Bucket="docs", Key="папка/файл €.bin", Range=r)
    assert ranged("bytes=0-9")["Body"].read() == body[:10]
    assert ranged("bytes=9990-")["Body"].read() == body[9990:]
    assert ranged("bytes=-5")["Body"].read() == body[-5:]
    r = ranged("bytes=100-199")
    assert r["ContentRange"] == "bytes 100-199/10000" and r["Body"].read() == body[100:200]
    with pytest.raises(ClientError) as e:
        ranged("bytes=20000-")
    assert code(e) == "InvalidRange"

    with pytest.raises(ClientError) as e:
        c.get_object(Bucket="docs", Key="папка/файл €.bin", IfMatch='"nope"')
    assert code(e) == "PreconditionFailed"
    with pytest.raises(ClientError) as e:
        c.get_object(Bucket="docs", Key="папка/файл €.bin", IfNoneMatch=put["ETag"])
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    with pytest.raises(ClientError) as e:
        c.get_object(Bucket="docs", Key="папка/файл €.bin", IfModifiedSince=datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1))
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    with pytest.raises(ClientError) as e:
        c.get_object(Bucket="docs", Key="папка/файл €.bin", IfUnmodifiedSince=datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc))
    assert code(e) == "PreconditionFailed"
    assert c.get_object(Bucket="docs", Key="папка/файл €.bin", IfMatch=put["ETag"])["Body"].read() == body
    over = c.get_object(Bucket="docs", Key="папка/файл €.bin", ResponseContentType="text/plain", ResponseContentDisposition="inline")
    assert over["ContentType"] == "text/plain" and over["ContentDisposition"] == "inline"

    # Create-only writes, and digests that do not match what arrived.
    with pytest.raises(ClientError) as e:
        c.put_object(Bucket="docs", Key="папка/файл €.bin", Body=b"other", IfNoneMatch="*")
    assert code(e) == "PreconditionFailed"
    with pytest.raises(ClientError) as e:
        c.put_object(Bucket="docs", Key="bad-md5", Body=b"hello", ContentMD5=base64.b64encode(hashlib.md5(b"other").digest()).decode())
    assert code(e) == "BadDigest"
    with pytest.raises(ClientError) as e:
        c.put_object(Bucket="docs", Key="bad-crc", Body=b"hello", ChecksumCRC32=base64.b64encode((1234).to_bytes(4, "big")).decode())
    assert code(e) == "BadDigest"
    good = c.put_object(Bucket="docs", Key="crc", Body=b"hello", ChecksumAlgorithm="CRC32")
    assert good["ChecksumCRC32"] == base64.b64encode(zlib.crc32(b"hello").to_bytes(4, "big")).decode()
    assert c.head_object(Bucket="docs", Key="crc", ChecksumMode="ENABLED")["ChecksumCRC32"] == good["ChecksumCRC32"]
    keys = {o["Key"] for o in c.list_objects_v2(Bucket="docs").get("Contents", [])}
    assert keys == {"папка/файл €.bin", "crc"}, "a rejected upload left an object behind"

    c.delete_object(Bucket="docs", Key="crc")
    with pytest.raises(ClientError) as e:
        c.get_object(Bucket="docs", Key="crc")
    assert code(e) == "NoSuchKey"
    c.delete_object(Bucket="docs", Key="crc")  # deleting what is gone succeeds, as on S3


def test_keys_never_escape_and_absurd_keys_are_refused(s3env):
    s, c = s3env["server"], s3env["alpha"]["s3"]
    c.create_bucket(Bucket="safe")
    for key in ("../../escape", "a/../../../etc/passwd", "x/.."):
        with pytest.raises(ClientError) as e:
            c.put_object(Bucket="safe", Key=key, Body=b"x")
        assert code(e) == "InvalidArgument", key
    with pytest.raises(ClientError) as e:
        c.put_object(Bucket="safe", Key="k" * 1025, Body=b"x")
    assert code(e) == "KeyTooLongError"
    # A NUL byte, sent raw (boto3 would not build such a request).
    creds = Credentials(s3env["alpha"]["key"], s3env["alpha"]["secret"])
    req = AWSRequest(method="PUT", url=f"{s.s3_url}/safe/a%00b", data=b"x", headers={"x-amz-content-sha256": hashlib.sha256(b"x").hexdigest()})
    SigV4Auth(creds, "s3", "us-east-1").add_auth(req)
    r = requests.put(req.url, data=b"x", headers=dict(req.headers))
    assert r.status_code == 400 and b"InvalidArgument" in r.content
    c.put_object(Bucket="safe", Key="dir/./odd//name?#&", Body=b"ok")
    assert c.get_object(Bucket="safe", Key="dir/./odd//name?#&")["Body"].read() == b"ok"
    assert not (s.data.parent / "escape").exists() and not any(p.name == "escape" for p in s.data.rglob("*"))


def test_copy_object(s3env):
    c = s3env["alpha"]["s3"]
    c.create_bucket(Bucket="src")
    c.create_bucket(Bucket="dst")
    put = c.put_object(Bucket="src", Key="a", Body=b"payload", ContentType="text/plain", Metadata={"k": "v"})
    copied = c.copy_object(Bucket="dst", Key="b", CopySource={"Bucket": "src", "Key": "a"})
    assert copied["CopyObjectResult"]["ETag"] == put["ETag"]
    got = c.get_object(Bucket="dst", Key="b")
    assert got["Body"].read() == b"payload" and got["Metadata"] == {"k": "v"} and got["ContentType"] == "text/plain"
    c.copy_object(Bucket="dst", Key="c", CopySource="src/a", MetadataDirective="REPLACE", ContentType="x/y", Metadata={"n": "2"})
    h = c.head_object(Bucket="dst", Key="c")
    assert h["ContentType"] == "x/y" and h["Metadata"] == {"n": "2"}
    with pytest.raises(ClientError) as e:
        c.copy_object(Bucket="dst", Key="d", CopySource="src/a", CopySourceIfMatch='"other"')
    assert code(e) == "PreconditionFailed"
    with pytest.raises(ClientError) as e:
        c.copy_object(Bucket="src", Key="a", CopySource="src/a")
    assert code(e) == "InvalidRequest"
    with pytest.raises(ClientError) as e:
        c.copy_object(Bucket="dst", Key="e", CopySource="src/missing")
    assert code(e) == "NoSuchKey"
    # The copy is independent of its source.
    c.delete_object(Bucket="src", Key="a")
    assert c.get_object(Bucket="dst", Key="b")["Body"].read() == b"payload"


def test_unversioned_buckets_and_unsupported_subresources(s3env):
    """Buckets are never versioned: versioning reads as never enabled, enabling it is NotImplemented (not a
    CreateBucket with a strange body), and an object's one version is "null". Subresources this store does
    not have answer NotImplemented whatever the method."""
    c = s3env["alpha"]["s3"]
    c.create_bucket(Bucket="plain")
    c.put_object(Bucket="plain", Key="k", Body=b"v1")
    assert "Status" not in c.get_bucket_versioning(Bucket="plain")
    with pytest.raises(ClientError) as e:
        c.put_bucket_versioning(Bucket="plain", VersioningConfiguration={"Status": "Enabled"})
    assert code(e) == "NotImplemented" and e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert c.get_object(Bucket="plain", Key="k", VersionId="null")["Body"].read() == b"v1"
    with pytest.raises(ClientError) as e:
        c.get_object(Bucket="plain", Key="k", VersionId="3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY")
    assert code(e) == "InvalidArgument"
    for call in (lambda: c.put_object_tagging(Bucket="plain", Key="k", Tagging={"TagSet": []}),
                 lambda: c.get_object_tagging(Bucket="plain", Key="k"),
                 lambda: c.put_bucket_policy(Bucket="plain", Policy="{}"),
                 lambda: c.select_object_content(Bucket="plain", Key="k", Expression="select * from s3object", ExpressionType="SQL",
                                                 InputSerialization={"CSV": {}}, OutputSerialization={"CSV": {}})):
        with pytest.raises(ClientError) as e:
            call()
        assert code(e) == "NotImplemented"
    # Nothing was created or changed on the way.
    assert [o["Key"] for o in c.list_objects_v2(Bucket="plain")["Contents"]] == ["k"]
    assert c.get_object(Bucket="plain", Key="k")["Body"].read() == b"v1"


def test_listings_v1_and_v2(s3env):
    c = s3env["alpha"]["s3"]
    c.create_bucket(Bucket="lists")
    keys = sorted(["a.txt", "b/1", "b/2", "b/c/3", "c+d e", "ü/x", "z"] + [f"many/{i:03}" for i in range(25)])
    for k in keys:
        c.put_object(Bucket="lists", Key=k, Body=k.encode())
    seen = []
    for page in c.get_paginator("list_objects_v2").paginate(Bucket="lists", PaginationConfig={"PageSize": 4}):
        assert page["KeyCount"] <= 4
        seen += [o["Key"] for o in page.get("Contents", [])]
    assert seen == sorted(keys, key=lambda k: k.encode())
    v1 = []
    for page in c.get_paginator("list_objects").paginate(Bucket="lists", PaginationConfig={"PageSize": 5}):
        v1 += [o["Key"] for o in page.get("Contents", [])]
    assert v1 == seen
    top = c.list_objects_v2(Bucket="lists", Delimiter="/")
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["b/", "many/", "ü/"]
    assert [o["Key"] for o in top["Contents"]] == ["a.txt", "c+d e", "z"]
    sub = c.list_objects_v2(Bucket="lists", Prefix="b/", Delimiter="/")
    assert [o["Key"] for o in sub["Contents"]] == ["b/1", "b/2"] and [p["Prefix"] for p in sub["CommonPrefixes"]] == ["b/c/"]
    after = c.list_objects_v2(Bucket="lists", StartAfter="many/020", Prefix="many/")
    assert [o["Key"] for o in after["Contents"]] == [f"many/{i:03}" for i in range(21, 25)]
    # Delimited pages: a common prefix counts once and paging continues after it.
    pages = list(c.get_paginator("list_objects_v2").paginate(Bucket="lists", Delimiter="/", PaginationConfig={"PageSize": 2}))
    flat = [x for p in pages for x in [o["Key"] for o in p.get("Contents", [])] + [q["Prefix"] for q in p.get("CommonPrefixes", [])]]
    assert sorted(flat) == sorted(["a.txt", "b/", "c+d e", "many/", "z", "ü/"])
    raw = c.list_objects(Bucket="lists", Prefix="c", EncodingType="url")
    assert raw["Contents"][0]["Key"] == "c%2Bd%20e"
    with pytest.raises(ClientError) as e:
        c.list_objects_v2(Bucket="no-such-list")
    assert code(e) == "NoSuchBucket"
    result = c.delete_objects(Bucket="lists", Delete={"Objects": [{"Key": k} for k in keys[:10]] + [{"Key": "never-was"}]})
    assert sorted(d["Key"] for d in result["Deleted"]) == sorted(keys[:10] + ["never-was"])
    quiet = c.delete_objects(Bucket="lists", Delete={"Objects": [{"Key": k} for k in keys[10:]], "Quiet": True})
    assert "Deleted" not in quiet
    assert c.list_objects_v2(Bucket="lists")["KeyCount"] == 0


def test_multipart(s3env):
    c = s3env["alpha"]["s3"]
    c.create_bucket(Bucket="mpu")
    parts = [os.urandom(5 * 1024 * 1024), os.urandom(5 * 1024 * 1024), os.urandom(1000)]
    up = c.create_multipart_upload(Bucket="mpu", Key="big.bin", ContentType="application/zip", Metadata={"m": "1"})
    uid = up["UploadId"]
    etags = [c.upload_part(Bucket="mpu", Key="big.bin", UploadId=uid, PartNumber=i + 1, Body=p)["ETag"] for i, p in enumerate(parts)]
    listed = c.list_parts(Bucket="mpu", Key="big.bin", UploadId=uid)["Parts"]
    assert [(p["PartNumber"], p["Size"], p["ETag"]) for p in listed] == [(i + 1, len(p), etags[i]) for i, p in enumerate(parts)]
    assert [u["UploadId"] for u in c.list_multipart_uploads(Bucket="mpu")["Uploads"]] == [uid]
    with pytest.raises(ClientError) as e:
        c.complete_multipart_upload(Bucket="mpu", Key="big.bin", UploadId=uid,
                                    MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": '"0000"'}]})
    assert code(e) == "InvalidPart"
    with pytest.raises(ClientError) as e:
        c.complete_multipart_upload(Bucket="mpu", Key="big.bin", UploadId=uid,
                                    MultipartUpload={"Parts": [{"PartNumber": 3, "ETag": etags[2]}, {"PartNumber": 1, "ETag": etags[0]}]})
    assert code(e) == "InvalidPartOrder"
    with pytest.raises(ClientError) as e:
        c.complete_multipart_upload(Bucket="mpu", Key="big.bin", UploadId=uid,
                                    MultipartUpload={"Parts": [{"PartNumber": 3, "ETag": etags[2]}, {"PartNumber": 4, "ETag": etags[2]}]})
    assert code(e) == "InvalidPart"
    done = c.complete_multipart_upload(Bucket="mpu", Key="big.bin", UploadId=uid, MultipartUpload={
        "Parts": [{"PartNumber": i + 1, "ETag": e} for i, e in enumerate(etags)]})
    expected = hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest() + "-3"
    assert done["ETag"] == f'"{expected}"'
    got = c.get_object(Bucket="mpu", Key="big.bin")
    assert got["Body"].read() == b"".join(parts) and got["ContentType"] == "application/zip" and got["Metadata"] == {"m": "1"}
    with pytest.raises(ClientError) as e:
        c.list_parts(Bucket="mpu", Key="big.bin", UploadId=uid)
    assert code(e) == "NoSuchUpload"

    # A part smaller than 5 MiB that is not the last; UploadPartCopy of a range; abort.
    up2 = c.create_multipart_upload(Bucket="mpu", Key="small")["UploadId"]
    e1 = c.upload_part(Bucket="mpu", Key="small", UploadId=up2, PartNumber=1, Body=b"tiny")["ETag"]
    e2 = c.upload_part_copy(Bucket="mpu", Key="small", UploadId=up2, PartNumber=2, CopySource="mpu/big.bin",
                            CopySourceRange="bytes=0-99")["CopyPartResult"]["ETag"]
    assert e2 == f'"{hashlib.md5(parts[0][:100]).hexdigest()}"'
    with pytest.raises(ClientError) as e:
        c.complete_multipart_upload(Bucket="mpu", Key="small", UploadId=up2,
                                    MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
    assert code(e) == "EntityTooSmall"
    with pytest.raises(ClientError) as e:
        c.upload_part(Bucket="mpu", Key="small", UploadId=up2, PartNumber=10001, Body=b"x")
    assert code(e) == "InvalidArgument"
    c.abort_multipart_upload(Bucket="mpu", Key="small", UploadId=up2)
    assert "Uploads" not in c.list_multipart_uploads(Bucket="mpu")
    with pytest.raises(ClientError) as e:
        c.upload_part(Bucket="mpu", Key="small", UploadId=up2, PartNumber=1, Body=b"x")
    assert code(e) == "NoSuchUpload"


def test_presigned_urls_from_plain_http(s3env):
    a = s3env["alpha"]
    c = a["s3"]
    v4 = client(s3env["server"], a["key"], a["secret"], signature_version="s3v4")
    c.create_bucket(Bucket="share")
    c.put_object(Bucket="share", Key="report.pdf", Body=b"%PDF-1.7 report")
    for signer in (c, v4):  # boto3's default (query V2) and SigV4
        url = signer.generate_presigned_url("get_object", Params={"Bucket": "share", "Key": "report.pdf"}, ExpiresIn=300)
        r = requests.get(url)
        assert r.status_code == 200 and r.content == b"%PDF-1.7 report", url
        assert requests.get(url.replace("report.pdf", "other.pdf")).status_code == 403
    put_url = v4.generate_presigned_url("put_object", Params={"Bucket": "share", "Key": "upload/в.txt"}, ExpiresIn=300)
    assert requests.put(put_url, data=b"uploaded by a browser").status_code == 200
    assert c.get_object(Bucket="share", Key="upload/в.txt")["Body"].read() == b"uploaded by a browser"
    ranged = requests.get(v4.generate_presigned_url("get_object", Params={"Bucket": "share", "Key": "report.pdf"}), headers={"Range": "bytes=0-3"})
    assert ranged.status_code == 206 and ranged.content == b"%PDF"
    short = v4.generate_presigned_url("get_object", Params={"Bucket": "share", "Key": "report.pdf"}, ExpiresIn=1)
    time.sleep(2.1)
    expired = requests.get(short)
    assert expired.status_code == 403 and b"<Code>AccessDenied</Code>" in expired.content and b"expired" in expired.content
    tampered = v4.generate_presigned_url("get_object", Params={"Bucket": "share", "Key": "report.pdf"}).replace("X-Amz-Signature=", "X-Amz-Signature=0")
    assert b"<Code>SignatureDoesNotMatch</Code>" in requests.get(tampered).content


def test_bad_credentials_and_signatures(s3env):
    s, a = s3env["server"], s3env["alpha"]
    wrong = a["secret"][:-1] + ("y" if a["secret"].endswith("x") else "x")  # never the secret itself
    with pytest.raises(ClientError) as e:
        client(s, a["key"], wrong).list_buckets()
    assert code(e) == "SignatureDoesNotMatch"
    with pytest.raises(ClientError) as e:
        client(s, "TPNOSUCHKEY000000000", "whatever").list_buckets()
    assert code(e) == "InvalidAccessKeyId"
    anonymous = requests.get(s.s3_url + "/")
    assert anonymous.status_code == 403 and b"<Code>AccessDenied</Code>" in anonymous.content
    # A signed body that is not the body sent.
    creds = Credentials(a["key"], a["secret"])
    req = AWSRequest(method="PUT", url=f"{s.s3_url}/share/x", data=b"good", headers={"x-amz-content-sha256": hashlib.sha256(b"good").hexdigest()})
    SigV4Auth(creds, "s3", "us-east-1").add_auth(req)
    r = requests.put(req.url, data=b"evil", headers=dict(req.headers))
    assert r.status_code == 400 and b"XAmzContentSHA256Mismatch" in r.content
    # A request signed an hour ago.
    old = AWSRequest(method="GET", url=f"{s.s3_url}/", headers={"x-amz-content-sha256": hashlib.sha256(b"").hexdigest()})
    an_hour_ago = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(hours=1)
    with mock.patch("botocore.auth.get_current_datetime", return_value=an_hour_ago):
        SigV4Auth(creds, "s3", "us-east-1").add_auth(old)
    r = requests.get(old.url, headers=dict(old.headers))
    assert r.status_code == 403 and b"RequestTimeTooSkewed" in r.content


def sign_chunked(url, key, secret, data, chunk=65536):
    """A STREAMING-AWS4-HMAC-SHA256-PAYLOAD upload, signed chunk by chunk (as the Java SDK and mc send)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    amz, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    scope = f"{day}/us-east-1/s3/aws4_request"
    chunks = [data[i:i + chunk] for i in range(0, len(data), chunk)] + [b""]
    length = sum(len(f"{len(c):x};chunk-signature=".encode()) + 64 + 2 + len(c) + 2 for c in chunks)
    host = url.split("/")[2]
    path = "/" + url.split("/", 3)[3]
    headers = {"host": host, "x-amz-date": amz, "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
               "content-encoding": "aws-chunked", "x-amz-decoded-content-length": str(len(data)), "content-length": str(length)}
    signed = sorted(headers)
    canonical = "\n".join(["PUT", path, "", "".join(f"{h}:{headers[h]}\n" for h in signed), ";".join(signed), headers["x-amz-content-sha256"]])
    k = ("AWS4" + secret).encode()
    for part in (day, "us-east-1", "s3", "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    to_sign = f"AWS4-HMAC-SHA256\n{amz}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    seed = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = f"AWS4-HMAC-SHA256 Credential={key}/{scope},SignedHeaders={';'.join(signed)},Signature={seed}"
    body, previous = b"", seed
    for c in chunks:
        s = f"AWS4-HMAC-SHA256-PAYLOAD\n{amz}\n{scope}\n{previous}\n{hashlib.sha256(b'').hexdigest()}\n{hashlib.sha256(c).hexdigest()}"
        previous = hmac.new(k, s.encode(), hashlib.sha256).hexdigest()
        body += f"{len(c):x};chunk-signature={previous}\r\n".encode() + c + b"\r\n"
    return headers, body


def test_aws_chunked_streaming_upload(s3env):
    s, a = s3env["server"], s3env["alpha"]
    a["s3"].create_bucket(Bucket="stream")
    data = os.urandom(200_000)
    headers, body = sign_chunked(f"{s.s3_url}/stream/chunked.bin", a["key"], a["secret"], data)
    r = requests.put(f"{s.s3_url}/stream/chunked.bin", data=body, headers=headers)
    assert r.status_code == 200, r.text
    assert a["s3"].get_object(Bucket="stream", Key="chunked.bin")["Body"].read() == data
    headers, body = sign_chunked(f"{s.s3_url}/stream/tampered.bin", a["key"], a["secret"], data)
    body = body[:-200] + bytes([body[-200] ^ 1]) + body[-199:]
    r = requests.put(f"{s.s3_url}/stream/tampered.bin", data=body, headers=headers)
    assert r.status_code == 403 and b"SignatureDoesNotMatch" in r.content
    with pytest.raises(ClientError):
        a["s3"].head_object(Bucket="stream", Key="tampered.bin")


def test_tenants_never_see_each_others_buckets(s3env):
    a, b = s3env["alpha"]["s3"], s3env["beta"]["s3"]
    a.create_bucket(Bucket="private-a")
    a.put_object(Bucket="private-a", Key="secret.txt", Body=b"alpha only")
    assert "private-a" not in [x["Name"] for x in b.list_buckets()["Buckets"]]
    for call in (lambda: b.get_object(Bucket="private-a", Key="secret.txt"), lambda: b.list_objects_v2(Bucket="private-a"),
                 lambda: b.put_object(Bucket="private-a", Key="planted", Body=b"x"), lambda: b.delete_bucket(Bucket="private-a"),
                 lambda: b.copy_object(Bucket="private-a", Key="c", CopySource="private-a/secret.txt")):
        with pytest.raises(ClientError) as e:
            call()
        assert code(e) == "NoSuchBucket"
    # Names are per tenant: beta's own bucket of the same name is a different bucket.
    b.create_bucket(Bucket="private-a")
    with pytest.raises(ClientError) as e:
        b.copy_object(Bucket="private-a", Key="c", CopySource="private-a/secret.txt")
    assert code(e) == "NoSuchKey"
    assert a.get_object(Bucket="private-a", Key="secret.txt")["Body"].read() == b"alpha only"
    assert b.list_objects_v2(Bucket="private-a")["KeyCount"] == 0


def test_quota_exceeded_is_refused_before_the_body(s3env):
    s = s3env["server"]
    admin = s.admin_token()
    t = s.api("POST", "/admin/tenants", admin, json={"slug": "s3free", "name": "Free", "plan": "free",
                                                      "owner": {"email": "o@s3free.test", "name": "O", "password": "owner-password-1"}})
    assert t.status_code == 201, t.text
    token = s.login("o@s3free.test", "owner-password-1", tenant="s3free")
    made = s.api("POST", "/s3/keys", token, json={"name": "q"}).json()
    c = client(s, made["key"]["access_key"], made["secret"])
    c.create_bucket(Bucket="full")
    creds = Credentials(made["key"]["access_key"], made["secret"])
    size = 2 * 1024 ** 3  # the free plan holds 1 GiB
    req = AWSRequest(method="PUT", url=f"{s.s3_url}/full/huge", headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD", "Content-Length": str(size)})
    SigV4Auth(creds, "s3", "us-east-1").add_auth(req)
    conn = http.client.HTTPConnection("127.0.0.1", s.s3_port, timeout=10)
    conn.putrequest("PUT", "/full/huge", skip_host=True, skip_accept_encoding=True)
    for name, value in req.headers.items():
        conn.putheader(name, value)
    conn.putheader("Host", f"127.0.0.1:{s.s3_port}")
    conn.endheaders()
    conn.send(b"x" * 1024)
    response = conn.getresponse()
    assert response.status == 403 and b"<Code>QuotaExceeded</Code>" in response.read()
    conn.close()
    assert c.list_objects_v2(Bucket="full")["KeyCount"] == 0
    assert s.api("GET", "/s3/buckets", token).json()["quota_bytes"] == 1024 ** 3


def aws(server, key, secret, *args, check=True):
    env = {**os.environ, "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}
    r = subprocess.run([AWS, "--endpoint-url", server.s3_url, *args], capture_output=True, text=True, env=env, timeout=600)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def test_aws_cli_cp_sync_ls_rm_and_a_100mb_multipart(s3env, tmp_path):
    s, a = s3env["server"], s3env["alpha"]
    run = lambda *args, **kw: aws(s, a["key"], a["secret"], *args, **kw)
    run("s3", "mb", "s3://tree")
    tree = tmp_path / "tree"
    files = {"readme.txt": b"top", "docs/звіт 2026.csv": b"a;b\n1;2\n", "docs/deep/er/file+plus.bin": os.urandom(3000),
             "images/日本.png": os.urandom(5000), "images/space name.jpg": b"jpg"}
    for rel, data in files.items():
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        (tree / rel).write_bytes(data)
    run("s3", "sync", str(tree), "s3://tree/site")
    listed = run("s3", "ls", "--recursive", "s3://tree/site/").stdout
    for rel in files:
        assert f"site/{rel}" in listed, listed
    assert run("s3", "sync", str(tree), "s3://tree/site").stdout.strip() == "", "a second sync copied again"
    back = tmp_path / "back"
    run("s3", "cp", "--recursive", "s3://tree/site", str(back))
    for rel, data in files.items():
        assert (back / rel).read_bytes() == data, rel
    run("s3", "rm", "--recursive", "s3://tree/site/images")
    assert "images/" not in run("s3", "ls", "--recursive", "s3://tree/").stdout

    big = tmp_path / "big.bin"
    with open(big, "wb") as f:
        for _ in range(100):
            f.write(os.urandom(1024 * 1024))
    run("s3", "cp", str(big), "s3://tree/big.bin")
    head = a["s3"].head_object(Bucket="tree", Key="big.bin")
    assert head["ContentLength"] == 100 * 1024 * 1024 and head["ETag"].endswith('-13"'), head["ETag"]  # 8 MiB parts
    run("s3", "cp", "s3://tree/big.bin", str(tmp_path / "big.back"))
    assert hashlib.sha256((tmp_path / "big.back").read_bytes()).digest() == hashlib.sha256(big.read_bytes()).digest()
    missing = run("s3", "cp", "s3://tree/nothing", str(tmp_path / "x"), check=False)
    assert missing.returncode != 0 and "404" in missing.stderr


def test_virtual_host_style_addressing(data_dir):
    """With s3.domain set, `<bucket>.<domain>` in the Host header names the bucket."""
    from conftest import Server
    s = Server(data_dir, env={"TRADEPOST_S3_DOMAIN": "s3.example.test"}).start()
    try:
        wait_for_port(s.s3_port)
        token = s.admin_token()
        s.create_tenant("vhost", owner_email="o@vhost.test", token=token)
        owner = s.login("o@vhost.test", "owner-password-1", tenant="vhost")
        made = s.api("POST", "/s3/keys", owner, json={"name": "v"}).json()
        client(s, made["key"]["access_key"], made["secret"]).create_bucket(Bucket="site")
        creds = Credentials(made["key"]["access_key"], made["secret"])

        def signed(method, path, body=b""):
            host = f"site.s3.example.test:{s.s3_port}"
            req = AWSRequest(method=method, url=f"http://{host}{path}", data=body,
                             headers={"x-amz-content-sha256": hashlib.sha256(body).hexdigest()})
            SigV4Auth(creds, "s3", "us-east-1").add_auth(req)
            headers = dict(req.headers)
            headers["Host"] = host
            return requests.request(method, f"{s.s3_url}{path}", data=body, headers=headers)

        assert signed("PUT", "/index.html", b"<h1>hi</h1>").status_code == 200
        assert signed("GET", "/index.html").content == b"<h1>hi</h1>"
        listing = signed("GET", "/?list-type=2")
        assert listing.status_code == 200 and b"<Key>index.html</Key>" in listing.content
        # Path style keeps working on the same listener.
        assert client(s, made["key"]["access_key"], made["secret"]).get_object(Bucket="site", Key="index.html")["Body"].read() == b"<h1>hi</h1>"
    finally:
        assert s.stop() == 0


def test_bucket_browsing_through_the_api(s3env):
    """What the Storage page uses: folder listing, upload, download, delete — the same objects as S3."""
    s, a = s3env["server"], s3env["alpha"]
    a["s3"].create_bucket(Bucket="browse")
    for key in ("top.txt", "docs/a.txt", "docs/b.txt", "docs/deep/c.txt"):
        a["s3"].put_object(Bucket="browse", Key=key, Body=key.encode())
    top = s.api("GET", "/s3/buckets/browse/objects", a["token"]).json()
    assert [o["key"] for o in top["items"]] == ["top.txt"] and top["prefixes"] == ["docs/"]
    docs = s.api("GET", "/s3/buckets/browse/objects?prefix=docs/&limit=1", a["token"]).json()
    assert [o["key"] for o in docs["items"]] == ["docs/a.txt"] and docs["next_cursor"]
    rest = s.api("GET", f"/s3/buckets/browse/objects?prefix=docs/&cursor={docs['next_cursor']}", a["token"]).json()
    assert [o["key"] for o in rest["items"]] == ["docs/b.txt"] and rest["prefixes"] == ["docs/deep/"]

    up = s.api("PUT", "/s3/buckets/browse/object", a["token"], params={"key": "docs/звіт.csv"}, data=b"a;b\n",
               headers={"Content-Type": "text/csv"})
    assert up.status_code == 200, up.text
    assert a["s3"].get_object(Bucket="browse", Key="docs/звіт.csv")["Body"].read() == b"a;b\n"
    down = s.api("GET", "/s3/buckets/browse/object", a["token"], params={"key": "docs/звіт.csv"})
    assert down.content == b"a;b\n" and down.headers["Content-Type"] == "text/csv" and "attachment" in down.headers["Content-Disposition"]
    assert s.api("DELETE", "/s3/buckets/browse/object", a["token"], params={"key": "docs/звіт.csv"}).status_code == 204
    problem(s.api("DELETE", "/s3/buckets/browse/object", a["token"], params={"key": "docs/звіт.csv"}), 404)
    problem(s.api("GET", "/s3/buckets/nope/objects", a["token"]), 404)
    problem(s.api("PUT", "/s3/buckets/browse/object", a["token"], params={"key": "../x"}, data=b"x"), 400)
    problem(s.api("GET", "/s3/buckets/browse/object", a["token"]), 400)
    # Another tenant's admin sees nothing of it.
    problem(s.api("GET", "/s3/buckets/browse/objects", s3env["beta"]["token"]), 404)
