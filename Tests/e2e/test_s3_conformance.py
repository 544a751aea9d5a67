"""An independent S3 conformance check: MinIO's functional suite (minio-py's tests/functional/tests.py,
the suite MinIO's Mint runs against S3 servers) run against our S3 listener with its own client.
scripts/install-test-deps fetches the suite from minio-py's source distribution (version pinned).

Every test of the suite is accounted for: the ones for what Tradepost implements must pass; the ones for
features it does not have (versioning, bucket policies, notifications, S3 Select) must meet S3's
NotImplemented answer, which the suite reports as "NA"; three are not run, each for a stated reason."""
import contextlib
import importlib.util
import io
import json
import os
import shutil
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import requests

from test_s3 import wait_for_port

SUITE = Path(sys.executable).parent.parent / "minio-functional" / "tests.py"

PASS = {
    "test_make_bucket_default_region", "test_make_bucket_with_region", "test_negative_make_bucket_invalid_name",
    "test_list_buckets", "test_fput_object_small_file", "test_fput_object_large_file", "test_fput_object_with_content_type",
    "test_copy_object_no_copy_condition", "test_copy_object_with_metadata", "test_copy_object_etag_match",
    "test_copy_object_negative_etag_match", "test_copy_object_modified_since", "test_copy_object_unmodified_since",
    "test_put_object", "test_negative_put_object_with_path_segment", "test_stat_object", "test_get_object", "test_fget_object",
    "test_get_object_with_default_length", "test_get_partial_object", "test_list_objects_v1", "test_list_objects_with_prefix",
    "test_list_objects_with_1001_files", "test_list_objects", "test_presigned_get_object_default_expiry",
    "test_presigned_get_object_expiry", "test_presigned_get_object_response_headers", "test_presigned_put_object_default_expiry",
    "test_presigned_put_object_expiry", "test_presigned_post_policy", "test_thread_safe", "test_remove_object",
    "test_remove_objects", "test_remove_bucket",
}
# Features this store does not have: S3 answers NotImplemented (501), and the suite counts that as "NA".
NOT_IMPLEMENTED = {
    "test_stat_object_version", "test_get_object_version", "test_fget_object_version", "test_list_object_v1_versions",
    "test_list_object_versions", "test_presigned_get_object_version", "test_remove_object_version",
    "test_remove_object_versions", "test_set_get_bucket_versioning", "test_get_bucket_policy", "test_set_bucket_policy_readonly",
    "test_set_bucket_policy_readwrite", "test_get_bucket_notification", "test_select_object_content",
}
NOT_RUN = {
    # It wants 200 for a presigned GET with a Range header; S3 (and HTTP) answer 206 Partial Content, which
    # test_presigned_get_with_range below checks on the same request.
    "test_presigned_get_object_range": "expects 200 where S3 answers 206",
    # MinIO's own extension: a tar uploaded with X-Amz-Meta-Snowball-Auto-Extract is unpacked into objects.
    # S3 stores the tar as one object, as Tradepost does, and the test's cleanup then finds the bucket not empty.
    "test_upload_snowball_objects": "MinIO extension",
    "test_upload_snowball_objects_with_staging": "MinIO extension",
}


@pytest.fixture(scope="module")
def suite(shared_server, tmp_path_factory):
    assert SUITE.exists(), f"{SUITE} is missing: run scripts/install-test-deps"
    s = shared_server
    wait_for_port(s.s3_port)
    admin = s.admin_token()
    s.create_tenant("mint", owner_email="owner@mint.test", token=admin)
    token = s.login("owner@mint.test", "owner-password-1", tenant="mint")
    made = s.api("POST", "/s3/keys", token, json={"name": "minio-suite"}).json()
    spec = importlib.util.spec_from_file_location("minio_functional", SUITE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from minio import Minio
    module._client = Minio(f"127.0.0.1:{s.s3_port}", made["key"]["access_key"], made["secret"], secure=False)
    module._is_aws = False
    work = tmp_path_factory.mktemp("minio-suite")
    module._test_file, module._large_file = str(work / "datafile-1-MB"), str(work / "datafile-11-MB")
    for path, size in ((module._test_file, 1 * module.MB), (module._large_file, 11 * module.MB)):
        with open(path, "wb") as f:
            shutil.copyfileobj(module.LimitedRandomReader(size), f)
    return module


def run(module, name):
    """Runs one test of the suite; returns its log entry (status PASS, NA or FAIL, and the error)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            module._call_test(getattr(module, name))
        except module.TestFailed:
            pass
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_every_test_of_the_suite_is_accounted_for(suite):
    names = {n for n in dir(suite) if n.startswith("test_") and callable(getattr(suite, n))}
    assert names == PASS | NOT_IMPLEMENTED | set(NOT_RUN)


@pytest.mark.parametrize("name", sorted(PASS))
def test_passes(suite, name):
    entry = run(suite, name)
    assert entry["status"] == "PASS", f"{name}: {entry.get('message')}\n{entry.get('error', '')}"


@pytest.mark.parametrize("name", sorted(NOT_IMPLEMENTED))
def test_unsupported_features_answer_not_implemented(suite, name):
    entry = run(suite, name)
    assert entry["status"] == "NA", f"{name}: {entry.get('status')} {entry.get('message')}\n{entry.get('error', '')}"


def test_presigned_get_with_range(suite):
    """The request of the suite's test_presigned_get_object_range, answered as S3 answers it."""
    client = suite._client
    client.make_bucket("range-check")
    size = 556433
    client.put_object("range-check", "unaligned", suite.LimitedRandomReader(size), size)
    url = client.presigned_get_object("range-check", "unaligned", timedelta(seconds=120))
    whole = requests.get(url).content
    r = requests.get(url, headers={"Range": "bytes=490897-556432"})
    assert r.status_code == 206, r.text
    assert r.headers["Content-Range"] == f"bytes 490897-556432/{size}"
    assert r.content == whole[490897:]
    client.remove_object("range-check", "unaligned")
    client.remove_bucket("range-check")
