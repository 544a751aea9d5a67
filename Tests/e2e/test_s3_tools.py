"""S3 behaviour that bucket tools rely on (emptying, mirroring, retrying), checked with boto3 and the
AWS CLI against what AWS documents for each operation — linked in each test."""
import hashlib
import json
import os
import socket
import subprocess
import threading
import time
import urllib.parse

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from conftest import Server
from test_s3 import AWS, client, code, wait_for_port


@pytest.fixture(scope="module")
def s3(shared_server):
    s = shared_server
    wait_for_port(s.s3_port)
    s.create_tenant("s3tools", owner_email="owner@s3tools.test")
    token = s.login("owner@s3tools.test", "owner-password-1", tenant="s3tools")
    made = s.api("POST", "/s3/keys", token, json={"name": "tools"}).json()
    key, secret = made["key"]["access_key"], made["secret"]
    return {"server": s, "key": key, "secret": secret, "c": client(s, key, secret),
            "v4": client(s, key, secret, signature_version="s3v4")}


KEYS = sorted(["a.txt", "b/1", "b/2", "b/c/3", "c d/e f", "c d/g", "ü/x", "z"] + [f"many/{i:02}" for i in range(12)])


def fill(c, bucket, keys=KEYS):
    c.create_bucket(Bucket=bucket)
    for k in keys:
        c.put_object(Bucket=bucket, Key=k, Body=k.encode())


def test_list_object_versions_of_an_unversioned_bucket(s3):
    """https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html — a bucket that never
    had versioning lists each object once, VersionId "null", IsLatest, no delete markers; paging by
    key-marker/version-id-marker, prefix and delimiter as ListObjects."""
    c = s3["c"]
    fill(c, "versions")
    listed = c.list_object_versions(Bucket="versions")
    assert [v["Key"] for v in listed["Versions"]] == KEYS  # botocore asks for url encoding and decodes it
    assert all(v["VersionId"] == "null" and v["IsLatest"] is True for v in listed["Versions"])
    assert "DeleteMarkers" not in listed and listed["IsTruncated"] is False
    assert listed["Versions"][0]["ETag"] == f'"{hashlib.md5(KEYS[0].encode()).hexdigest()}"'
    seen, pages = [], 0
    for page in c.get_paginator("list_object_versions").paginate(Bucket="versions", PaginationConfig={"PageSize": 3}):
        pages += 1
        assert len(page.get("Versions", [])) <= 3
        if page["IsTruncated"]:
            assert page["NextVersionIdMarker"] == "null" and page["NextKeyMarker"] == page["Versions"][-1]["Key"]
        seen += [v["Key"] for v in page.get("Versions", [])]
    assert seen == KEYS and pages == 7
    top = c.list_object_versions(Bucket="versions", Delimiter="/")
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["b/", "c d/", "many/", "ü/"]
    assert [v["Key"] for v in top["Versions"]] == ["a.txt", "z"]
    sub = c.list_object_versions(Bucket="versions", Prefix="many/", KeyMarker="many/09", VersionIdMarker="null")
    assert [v["Key"] for v in sub["Versions"]] == ["many/10", "many/11"]
    for bad in ({"VersionIdMarker": "null"}, {"KeyMarker": "a.txt", "VersionIdMarker": "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"}):
        with pytest.raises(ClientError) as e:
            c.list_object_versions(Bucket="versions", **bad)
        assert code(e) == "InvalidArgument", bad
    # The XML itself (botocore's presigned URL asks for url encoding too): ListObjectVersions encodes
    # Prefix as well as the keys, and a bucket-level SigV2 presign (signed as "/versions/") is accepted.
    raw = requests.get(c.generate_presigned_url("list_object_versions", Params={"Bucket": "versions", "Prefix": "c d/"}))
    assert raw.status_code == 200, raw.content
    for element in (b"<Prefix>c%20d/</Prefix>", b"<Key>c%20d/e%20f</Key>", b"<VersionId>null</VersionId>", b"<EncodingType>url</EncodingType>"):
        assert element in raw.content, (element, raw.content)
    with pytest.raises(ClientError) as e:
        c.list_object_versions(Bucket="no-such-versions")
    assert code(e) == "NoSuchBucket"


def test_tools_empty_a_bucket_through_its_versions(s3):
    """boto3's `bucket.object_versions.delete()` (ListObjectVersions, then DeleteObjects with VersionId
    null) and `aws s3api delete-object --version-id null`, as tools that empty buckets do.
    https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html"""
    c, s = s3["c"], s3["server"]
    fill(c, "emptied")
    resource = boto3.resource("s3", endpoint_url=s.s3_url, aws_access_key_id=s3["key"], aws_secret_access_key=s3["secret"],
                              region_name="us-east-1")
    bucket = resource.Bucket("emptied")
    deleted = bucket.object_versions.filter(Prefix="many/").delete()
    assert sorted(d["Key"] for r in deleted for d in r["Deleted"]) == [k for k in KEYS if k.startswith("many/")]
    assert all(d["VersionId"] == "null" for r in deleted for d in r["Deleted"])
    # A version this store cannot have is refused per key; the rest go.
    mixed = c.delete_objects(Bucket="emptied", Delete={"Objects": [{"Key": "a.txt", "VersionId": "null"},
                                                                   {"Key": "z", "VersionId": "3HL4kqtJlcpXroDTDmJ"}]})
    assert [(d["Key"], d["VersionId"]) for d in mixed["Deleted"]] == [("a.txt", "null")]
    assert [(e["Key"], e["Code"]) for e in mixed["Errors"]] == [("z", "InvalidArgument")]
    env = {**os.environ, "AWS_ACCESS_KEY_ID": s3["key"], "AWS_SECRET_ACCESS_KEY": s3["secret"], "AWS_DEFAULT_REGION": "us-east-1"}
    out = subprocess.run([AWS, "--endpoint-url", s.s3_url, "s3api", "delete-object", "--bucket", "emptied", "--key", "z",
                          "--version-id", "null"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    bucket.object_versions.delete()
    assert "Versions" not in c.list_object_versions(Bucket="emptied")
    c.delete_bucket(Bucket="emptied")


def test_presigned_lifetimes_out_of_range_and_expired_puts_are_access_denied(s3):
    """https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html — X-Amz-Expires is
    1 to 604,800 seconds; outside that, and once expired, S3 answers 403 AccessDenied."""
    c, v4 = s3["c"], s3["v4"]
    c.create_bucket(Bucket="presign-limits")
    c.put_object(Bucket="presign-limits", Key="k", Body=b"v")
    for expires in (0, -5, 604801, 10**9):
        url = v4.generate_presigned_url("get_object", Params={"Bucket": "presign-limits", "Key": "k"}, ExpiresIn=expires)
        assert f"X-Amz-Expires={expires}" in url
        r = requests.get(url)
        assert r.status_code == 403 and b"<Code>AccessDenied</Code>" in r.content, (expires, r.content)
    week = v4.generate_presigned_url("get_object", Params={"Bucket": "presign-limits", "Key": "k"}, ExpiresIn=604800)
    assert requests.get(week).content == b"v"
    garbled = week.replace("X-Amz-Expires=604800", "X-Amz-Expires=soon")
    assert b"<Code>AuthorizationQueryParametersError</Code>" in requests.get(garbled).content
    put = v4.generate_presigned_url("put_object", Params={"Bucket": "presign-limits", "Key": "late"}, ExpiresIn=1)
    time.sleep(2.1)
    r = requests.put(put, data=b"too late" * 1000)
    assert r.status_code == 403 and b"<Code>AccessDenied</Code>" in r.content, r.content
    with pytest.raises(ClientError) as e:
        c.head_object(Bucket="presign-limits", Key="late")
    assert e.value.response["Error"]["Code"] == "404"


def test_completing_twice_answers_the_same_result(s3):
    """https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html — a retried
    completion (its first answer lost) gets the first result again, also when two race."""
    c = s3["c"]
    c.create_bucket(Bucket="retries")
    parts = [os.urandom(5 * 1024 * 1024), b"tail"]
    uid = c.create_multipart_upload(Bucket="retries", Key="obj", ChecksumAlgorithm="SHA256")["UploadId"]
    etags = [c.upload_part(Bucket="retries", Key="obj", UploadId=uid, PartNumber=i + 1, Body=p, ChecksumAlgorithm="SHA256")
             for i, p in enumerate(parts)]
    chosen = {"Parts": [{"PartNumber": i + 1, "ETag": e["ETag"], "ChecksumSHA256": e["ChecksumSHA256"]} for i, e in enumerate(etags)]}
    first = c.complete_multipart_upload(Bucket="retries", Key="obj", UploadId=uid, MultipartUpload=chosen)
    again = c.complete_multipart_upload(Bucket="retries", Key="obj", UploadId=uid, MultipartUpload=chosen)
    assert again["ETag"] == first["ETag"] and again["ChecksumSHA256"] == first["ChecksumSHA256"]
    assert c.get_object(Bucket="retries", Key="obj")["Body"].read() == b"".join(parts)
    # Another key's upload id is still unknown there.
    with pytest.raises(ClientError) as e:
        c.complete_multipart_upload(Bucket="retries", Key="other", UploadId=uid, MultipartUpload=chosen)
    assert code(e) == "NoSuchUpload"
    # Two completions at once: both succeed with one result, one object.
    uid2 = c.create_multipart_upload(Bucket="retries", Key="raced")["UploadId"]
    e1 = c.upload_part(Bucket="retries", Key="raced", UploadId=uid2, PartNumber=1, Body=parts[0])["ETag"]
    results, errors = [], []

    def complete():
        try:
            mine = client(s3["server"], s3["key"], s3["secret"])
            results.append(mine.complete_multipart_upload(Bucket="retries", Key="raced", UploadId=uid2,
                                                          MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}]})["ETag"])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
    threads = [threading.Thread(target=complete) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(results)) == 1 and len(results) == 3, (results, errors)
    assert c.get_object(Bucket="retries", Key="raced")["Body"].read() == parts[0]


def test_a_part_uploaded_twice_is_the_last_to_finish(s3):
    """https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html — uploading a part number
    again overwrites it; of two overlapping uploads the one that finishes last is kept, even when it
    started first."""
    c, v4, s = s3["c"], s3["v4"], s3["server"]
    c.create_bucket(Bucket="parts")
    uid = c.create_multipart_upload(Bucket="parts", Key="obj")["UploadId"]
    slow_body, fast_body = b"S" * 200_000, b"F" * 100_000
    url = urllib.parse.urlsplit(v4.generate_presigned_url(
        "upload_part", Params={"Bucket": "parts", "Key": "obj", "UploadId": uid, "PartNumber": 1}))
    with socket.create_connection(("127.0.0.1", s.s3_port), timeout=30) as slow:
        slow.sendall(f"PUT {url.path}?{url.query} HTTP/1.1\r\nHost: {url.netloc}\r\nContent-Length: {len(slow_body)}\r\n\r\n".encode()
                     + slow_body[:1000])
        time.sleep(0.3)  # the slow upload has started
        fast = c.upload_part(Bucket="parts", Key="obj", UploadId=uid, PartNumber=1, Body=fast_body)["ETag"]
        assert [p["ETag"] for p in c.list_parts(Bucket="parts", Key="obj", UploadId=uid)["Parts"]] == [fast]
        slow.sendall(slow_body[1000:])
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += slow.recv(4096)
        assert answer.startswith(b"HTTP/1.1 200"), answer
    slow_etag = f'"{hashlib.md5(slow_body).hexdigest()}"'
    assert [p["ETag"] for p in c.list_parts(Bucket="parts", Key="obj", UploadId=uid)["Parts"]] == [slow_etag]
    with pytest.raises(ClientError) as e:
        c.complete_multipart_upload(Bucket="parts", Key="obj", UploadId=uid, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": fast}]})
    assert code(e) == "InvalidPart"
    c.complete_multipart_upload(Bucket="parts", Key="obj", UploadId=uid, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": slow_etag}]})
    assert c.get_object(Bucket="parts", Key="obj")["Body"].read() == slow_body


def test_upload_part_copy_refuses_a_range_past_the_source(s3):
    """https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html — the range must lie
    within the source object; a range past its end is refused, not shortened."""
    c = s3["c"]
    c.create_bucket(Bucket="copyrange")
    c.put_object(Bucket="copyrange", Key="src", Body=b"0123456789")
    uid = c.create_multipart_upload(Bucket="copyrange", Key="dst")["UploadId"]
    for bad, expected in (("bytes=0-10", "InvalidRange"), ("bytes=5-100", "InvalidRange"), ("bytes=10-10", "InvalidRange"),
                          ("bytes=3-", "InvalidArgument"), ("bytes=-3", "InvalidArgument"), ("bytes=4-2", "InvalidArgument")):
        with pytest.raises(ClientError) as e:
            c.upload_part_copy(Bucket="copyrange", Key="dst", UploadId=uid, PartNumber=1, CopySource="copyrange/src", CopySourceRange=bad)
        assert code(e) == expected, bad
    assert "Parts" not in c.list_parts(Bucket="copyrange", Key="dst", UploadId=uid)
    ok = c.upload_part_copy(Bucket="copyrange", Key="dst", UploadId=uid, PartNumber=1, CopySource="copyrange/src",
                            CopySourceRange="bytes=2-9")["CopyPartResult"]["ETag"]
    c.complete_multipart_upload(Bucket="copyrange", Key="dst", UploadId=uid, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": ok}]})
    assert c.get_object(Bucket="copyrange", Key="dst")["Body"].read() == b"23456789"


def test_max_keys_zero_and_v1_url_encoding(s3):
    """https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html — max-keys=0 answers an
    empty list that is not truncated; with encoding-type=url, V1 encodes Key, Marker, NextMarker,
    Delimiter and common prefixes but sends Prefix as given (clients decode exactly those)."""
    c = s3["c"]
    fill(c, "encoded")
    for listing in (c.list_objects(Bucket="encoded", MaxKeys=0), c.list_objects_v2(Bucket="encoded", MaxKeys=0)):
        assert listing["IsTruncated"] is False and "Contents" not in listing and "CommonPrefixes" not in listing
    assert c.list_objects_v2(Bucket="encoded", MaxKeys=0)["KeyCount"] == 0
    v1 = c.list_objects(Bucket="encoded", Prefix="c d/", Delimiter="/")  # botocore sets encoding-type=url
    assert v1["Prefix"] == "c d/" and [o["Key"] for o in v1["Contents"]] == ["c d/e f", "c d/g"]
    v2 = c.list_objects_v2(Bucket="encoded", Prefix="c d/")
    assert v2["Prefix"] == "c d/" and [o["Key"] for o in v2["Contents"]] == ["c d/e f", "c d/g"]
    keys, markers = [], []
    for page in c.get_paginator("list_objects").paginate(Bucket="encoded", Delimiter="/", PaginationConfig={"PageSize": 3}):
        keys += [o["Key"] for o in page.get("Contents", [])] + [p["Prefix"] for p in page.get("CommonPrefixes", [])]
        markers.append(page.get("NextMarker"))
    assert sorted(keys) == ["a.txt", "b/", "c d/", "many/", "z", "ü/"] and "c d/" in markers
    raw = requests.get(c.generate_presigned_url("list_objects", Params={"Bucket": "encoded", "Prefix": "c d/", "EncodingType": "url"}))
    assert b"<Prefix>c d/</Prefix>" in raw.content and b"<Key>c%20d/e%20f</Key>" in raw.content, raw.content
    raw2 = requests.get(c.generate_presigned_url("list_objects_v2", Params={"Bucket": "encoded", "Prefix": "c d/", "EncodingType": "url"}))
    assert b"<Prefix>c%20d/</Prefix>" in raw2.content, raw2.content


def test_creating_a_bucket_you_own_outside_us_east_1(data_dir):
    """https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html — in us-east-1 creating a
    bucket you own answers 200 (test_s3's test_buckets); in any other region BucketAlreadyOwnedByYou."""
    s = Server(data_dir, env={"TRADEPOST_S3_REGION": "eu-central-1"}).start()
    try:
        wait_for_port(s.s3_port)
        s.create_tenant("s3eu", owner_email="o@s3eu.test")
        owner = s.login("o@s3eu.test", "owner-password-1", tenant="s3eu")
        made = s.api("POST", "/s3/keys", owner, json={"name": "eu"}).json()
        eu = boto3.client("s3", endpoint_url=s.s3_url, aws_access_key_id=made["key"]["access_key"],
                          aws_secret_access_key=made["secret"], region_name="eu-central-1")
        where = {"LocationConstraint": "eu-central-1"}
        eu.create_bucket(Bucket="mine", CreateBucketConfiguration=where)
        with pytest.raises(ClientError) as e:
            eu.create_bucket(Bucket="mine", CreateBucketConfiguration=where)
        assert code(e) == "BucketAlreadyOwnedByYou" and e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
        assert eu.get_bucket_location(Bucket="mine")["LocationConstraint"] == "eu-central-1"
    finally:
        assert s.stop() == 0
