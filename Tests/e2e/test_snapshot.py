"""Snapshots and restore with the real binary: an online snapshot while API and S3 writes run,
restored into a new data dir that a second server then serves; an offline snapshot restored
row-for-row and blob-for-blob equal; verify catching one flipped byte; restore refusing to touch a
directory that is in use or not empty."""
import hashlib
import json
import sqlite3
import subprocess
import tarfile
import threading
from pathlib import Path

import requests

from conftest import BIN, Server, cli_json, problem, run_cli
from test_s3 import client, wait_for_port


def setup_tenant(s):
    s.create_tenant("snappy", owner_email="o@snappy.test")
    token = s.login("o@snappy.test", "owner-password-1", tenant="snappy")
    made = s.api("POST", "/s3/keys", token, json={"name": "snap"}).json()
    return token, made["key"]["access_key"], made["secret"]


def table_rows(path):
    """Every row of every table, for comparing two copies of a database."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        db.close()


def blob_hashes(data):
    return {str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((data / "blobs").glob("*/objects/*/*"))}


def enqueue_and_wait(server, data, *args, until, message, env=None, timeout=60):
    """Enqueues a job with the CLI and returns it once `until(job)` holds."""
    job = cli_json("jobs", "enqueue", *args, data=data, env=env)
    job_id = str(job["id"] if "id" in job else job["job"]["id"])

    def reached():
        current = cli_json("jobs", "show", job_id, data=data, env=env)
        return current if until(current) else None
    return server.wait_for(reached, timeout=timeout, message=message)


def test_online_snapshot_under_write_load_restores_into_a_working_server(tmp_path):
    data = tmp_path / "data"
    s = Server(data).start()
    wait_for_port(s.s3_port)
    token, key, secret = setup_tenant(s)
    c = client(s, key, secret)
    c.create_bucket(Bucket="load")
    acknowledged, businesses, lock, stop = {}, [], threading.Lock(), threading.Event()

    def s3_writer(n):
        w = client(s, key, secret)
        i = 0
        while not stop.is_set():
            i += 1
            body = f"{n}-{i}-".encode() * (50 + i % 200)
            # a few keys are overwritten again and again: their old blobs are deleted under the snapshot
            k = f"hot/{n}-{i % 3}" if i % 2 else f"cold/{n}/{i}/ключ"
            w.put_object(Bucket="load", Key=k, Body=body)
            with lock:
                acknowledged.setdefault(k, []).append(body)

    def api_writer():
        i = 0
        while not stop.is_set():
            i += 1
            r = s.api("POST", "/businesses", token, json={"name": f"Biz {i}", "type": "supplier", "city": "Lviv"})
            assert r.status_code == 201, r.text
            with lock:
                businesses.append(r.json()["id"])

    threads = [threading.Thread(target=s3_writer, args=(n,)) for n in range(3)] + [threading.Thread(target=api_writer)]
    for t in threads:
        t.start()
    s.wait_for(lambda: len(acknowledged) > 30 and len(businesses) > 10, message="write load")
    with lock:
        before = {k: v[-1] for k, v in acknowledged.items()}
        before_businesses = list(businesses)
    archive = tmp_path / "online.tar"
    summary = cli_json("snapshot", "--out", str(archive), data=data)
    stop.set()
    for t in threads:
        t.join()
    assert summary["kind"] == "full" and archive.exists()
    assert {f["path"] for f in summary["manifest"]["files"]} >= {"control.sqlite", "jobs.sqlite", "secret.key"}
    assert cli_json("snapshot", "verify", str(archive))["problems"] == []
    assert s.stop() == 0

    restored = tmp_path / "restored"
    result = cli_json("restore", str(archive), "--data", str(restored))
    assert result["data_dir"] == str(restored)
    r = Server(restored).start()
    try:
        wait_for_port(r.s3_port)
        rc = client(r, key, secret)  # the S3 key and its encrypted secret came back too
        listed = {}
        for page in rc.get_paginator("list_objects_v2").paginate(Bucket="load"):
            for o in page.get("Contents", []):
                listed[o["Key"]] = o["ETag"].strip('"')
        for k, body in before.items():
            assert k in listed, f"{k} was acknowledged before the snapshot began but is missing"
        for k, etag in listed.items():
            got = rc.get_object(Bucket="load", Key=k)["Body"].read()
            assert hashlib.md5(got).hexdigest() == etag, f"{k}: row and blob disagree"
            assert got in acknowledged[k], f"{k} holds bytes no client wrote"
            if k.startswith("cold/"):
                assert got == acknowledged[k][0]
        owner = r.login("o@snappy.test", "owner-password-1", tenant="snappy")
        names = {b["id"] for b in r.api("GET", "/businesses?limit=200", owner).json()["items"]}
        assert set(before_businesses) <= names
    finally:
        assert r.stop() == 0


def test_offline_snapshot_restores_every_row_and_blob_and_verify_catches_a_flipped_byte(tmp_path):
    data = tmp_path / "data"
    s = Server(data).start()
    wait_for_port(s.s3_port)
    token, key, secret = setup_tenant(s)
    c = client(s, key, secret)
    c.create_bucket(Bucket="docs")
    for i in range(25):
        c.put_object(Bucket="docs", Key=f"folder/{i}/файл.txt", Body=bytes([i]) * (1000 + i * 37))
    assert s.stop() == 0

    archive = tmp_path / "snap.tar"
    run_cli("snapshot", "--out", str(archive), data=data)
    with tarfile.open(archive) as t:  # an ordinary tar: tar -tf lists it
        names = t.getnames()
    assert names[-1] == "manifest.json" and "control.sqlite" in names

    restored = tmp_path / "restored"
    run_cli("restore", str(archive), "--data", str(restored))
    databases = ["control.sqlite", "jobs.sqlite"] + [f"tenants/{p.name}" for p in (data / "tenants").glob("*.sqlite")]
    for db in databases:
        assert table_rows(data / db) == table_rows(restored / db), db
    assert blob_hashes(data) == blob_hashes(restored) and len(blob_hashes(data)) == 25

    # One flipped bit inside a blob: verify names the file, exits 1, and restore refuses it.
    raw = bytearray(archive.read_bytes())
    at = raw.find(bytes([7]) * 1259) + 600
    raw[at] ^= 0x01
    broken = tmp_path / "broken.tar"
    broken.write_bytes(bytes(raw))
    out = run_cli("snapshot", "verify", str(broken), "--json", check=False)
    assert out.returncode == 1
    import json
    problems = json.loads(out.stdout)["problems"]
    assert len(problems) == 1 and problems[0].startswith("blobs/") and "SHA-256" in problems[0]
    refused = run_cli("restore", str(broken), "--data", str(tmp_path / "never"), check=False)
    assert refused.returncode == 1 and "damaged snapshot" in refused.stderr
    assert not (tmp_path / "never").exists() and not (tmp_path / "never.restoring").exists()


def test_restore_refuses_a_dir_in_use_or_not_empty(tmp_path):
    data = tmp_path / "data"
    s = Server(data).start()
    archive = tmp_path / "snap.tar"
    run_cli("snapshot", "--out", str(archive), data=data)
    try:
        busy = run_cli("restore", str(archive), "--data", str(data), "--force", check=False)
        assert busy.returncode == 1 and "stop the server" in busy.stderr
        assert s.api("GET", "/me", s.admin_token()).status_code == 200  # untouched
    finally:
        assert s.stop() == 0
    full = run_cli("restore", str(archive), "--data", str(data), check=False)
    assert full.returncode == 1 and "--force" in full.stderr
    moved = cli_json("restore", str(archive), "--data", str(data), "--force")
    assert Path(moved["moved_aside"]).joinpath("control.sqlite").exists()
    again = Server(data).start()
    assert again.stop() == 0
    assert subprocess.run([BIN, "snapshot", "verify", str(tmp_path / "missing.tar")], capture_output=True).returncode != 0


def test_server_snapshots_through_the_jobs_engine_keeps_n_and_reports_failures(tmp_path):
    data = tmp_path / "data"
    s = Server(data, env={"TRADEPOST_SNAPSHOT_KEEP": "2", "TRADEPOST_S3_LISTEN": "off"}).start()
    try:
        for _ in range(3):
            cli_json("jobs", "enqueue", "snapshot.scheduled", data=data)
            s.wait_for(lambda: all(j["state"] == "succeeded" for j in cli_json("jobs", "list", data=data)
                                   if j["type"] == "snapshot.scheduled"), timeout=60, message="snapshot job")
        kept = sorted((data / "snapshots").glob("tradepost-auto-*.tar"))
        assert len(kept) == 2
        for archive in kept:
            report = cli_json("snapshot", "verify", str(archive))
            assert report["problems"] == [] and report["manifest"]["kind"] == "full"
        # The snapshots folder is not itself part of a snapshot.
        names = tarfile.open(kept[-1]).getnames()
        assert not any(n.startswith("snapshots/") for n in names)
    finally:
        assert s.stop() == 0

    # A destination that cannot be written: the job fails with its error, visible in the jobs list
    # and in the jobs metrics.
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    s = Server(data, env={"TRADEPOST_SNAPSHOT_DIR": str(blocker / "snapshots"), "TRADEPOST_S3_LISTEN": "off"}).start()
    try:
        failed = enqueue_and_wait(s, data, "snapshot.scheduled", until=lambda j: j.get("last_error"), message="the failed attempt")
        assert failed["attempts"] >= 1 and failed["state"] in ("pending", "discarded")
        metrics = s.wait_for(lambda: (lambda t: t if 'tradepost_jobs_failed_total{queue="snapshots",type="snapshot.scheduled"}' in t else None)(
            requests.get(s.url + "/metrics").text), message="the failure metric")
        assert metrics
    finally:
        assert s.stop() == 0


def test_tenant_export_import_between_boxes_and_single_tenant_restore(tmp_path):
    a_data, b_data = tmp_path / "a", tmp_path / "b"
    a = Server(a_data).start()
    wait_for_port(a.s3_port)
    token, key, secret = setup_tenant(a)  # tenant "snappy"
    before = a.api("POST", "/businesses", token, json={"name": "Original", "type": "supplier", "city": "Lviv"}).json()
    client(a, key, secret).create_bucket(Bucket="moving")
    client(a, key, secret).put_object(Bucket="moving", Key="docs/прайс.csv", Body=b"sku;price\n1;2\n")
    archive = tmp_path / "snappy.tar"
    exported = cli_json("tenant", "export", "snappy", "--out", str(archive), data=a_data)  # online
    assert exported["kind"] == "tenant" and exported["tenant"]["slug"] == "snappy"

    # Another box: the tenant arrives with its users, businesses and files.
    b = Server(b_data).start()
    wait_for_port(b.s3_port)
    try:
        result = cli_json("tenant", "import", str(archive), data=b_data)
        assert result["tenant"]["slug"] == "snappy" and result["replaced"] is False
        owner = b.login("o@snappy.test", "owner-password-1", tenant="snappy")
        assert [x["name"] for x in b.api("GET", "/businesses", owner).json()["items"]] == ["Original"]
        made = b.api("POST", "/s3/keys", owner, json={"name": "new box"}).json()  # keys stay on the old box
        got = client(b, made["key"]["access_key"], made["secret"]).get_object(Bucket="moving", Key="docs/прайс.csv")
        assert got["Body"].read() == b"sku;price\n1;2\n"
        again = run_cli("tenant", "import", str(archive), data=b_data, check=False)
        assert again.returncode == 1 and "already exists" in again.stderr
        audit = b.api("GET", "/admin/audit?action=tenant.import", b.admin_token()).json()["items"]
        assert audit and audit[0]["target"] == result["tenant"]["id"]
    finally:
        assert b.stop() == 0

    # Back on the first box: a later change, then the tenant restored to the export by the
    # running server (the CLI hands it over as a job), the same session still working after.
    a.api("POST", "/businesses", token, json={"name": "After export", "type": "supplier", "city": "Kyiv"})
    live = cli_json("restore", str(archive), "--tenant", "snappy", "--data", str(a_data))
    assert live["state"] == "succeeded" and live["type"] == "tenant.restore"
    assert [x["id"] for x in a.api("GET", "/businesses", token).json()["items"]] == [before["id"]]
    assert not any((a_data / "restore-incoming").iterdir())  # the server removed its copy
    # Offline too: another change, the server stopped, the tenant restored by the CLI itself.
    a.api("POST", "/businesses", token, json={"name": "After export", "type": "supplier", "city": "Kyiv"})
    assert a.stop() == 0
    wrong = run_cli("restore", str(archive), "--tenant", "demo", "--data", str(a_data), check=False)
    assert wrong.returncode == 1 and "not demo" in wrong.stderr
    restored = cli_json("restore", str(archive), "--tenant", "snappy", "--data", str(a_data))
    assert restored["replaced"] is True and Path(restored["kept_aside"]).exists()
    a = Server(a_data).start()
    try:
        owner = a.login("o@snappy.test", "owner-password-1", tenant="snappy")
        assert [x["id"] for x in a.api("GET", "/businesses", owner).json()["items"]] == [before["id"]]
        # The other tenant on the box was not touched.
        demo = a.api("GET", "/admin/tenants", a.admin_token()).json()["items"]
        assert {"demo", "snappy"} <= {t["slug"] for t in demo}
        # The restore job reads only file names inside restore-incoming/, never a path.
        failed = enqueue_and_wait(a, a_data, "tenant.restore", "--payload", '{"archive": "../control.sqlite", "tenant": "snappy"}',
                                  until=lambda j: j["state"] == "discarded", message="the refused restore job")
        assert "file name" in failed["last_error"]
        assert (a_data / "control.sqlite").exists()
    finally:
        assert a.stop() == 0


def test_one_tenant_restored_inside_the_running_server(tmp_path):
    data = tmp_path / "data"
    s = Server(data).start()
    try:
        token, key, secret = setup_tenant(s)
        admin = s.admin_token()
        tenant = next(t for t in s.api("GET", "/admin/tenants", admin).json()["items"] if t["slug"] == "snappy")
        original = s.api("POST", "/businesses", token, json={"name": "Original", "type": "supplier", "city": "Lviv"}).json()
        archive = tmp_path / "snappy.tar"
        run_cli("tenant", "export", "snappy", "--out", str(archive), data=data)
        s.api("POST", "/businesses", token, json={"name": "After export", "type": "supplier", "city": "Kyiv"})
        full = tmp_path / "full.tar"
        run_cli("snapshot", "--out", str(full), data=data)

        headers = {"Content-Type": "application/x-tar"}
        url = f"/admin/tenants/{tenant['id']}/restore"
        problem(s.api("POST", url, token, data=archive.read_bytes(), headers=dict(headers)), 403, "forbidden")
        problem(s.api("POST", url, admin, data=full.read_bytes(), headers=dict(headers)), 409, "conflict")
        problem(s.api("POST", url, admin, data=b"not a tar", headers={"Content-Type": "text/plain"}), 415)
        demo = next(t for t in s.api("GET", "/admin/tenants", admin).json()["items"] if t["slug"] == "demo")
        problem(s.api("POST", f"/admin/tenants/{demo['id']}/restore", admin, data=archive.read_bytes(), headers=dict(headers)), 409, "conflict")

        r = s.api("POST", url, admin, data=archive.read_bytes(), headers=dict(headers))
        assert r.status_code == 200, r.text
        assert r.json()["replaced"] is True and (data / Path(r.json()["kept_aside"]).name).exists()
        # The same session keeps working; the tenant is back to the export and active again.
        assert [b["id"] for b in s.api("GET", "/businesses", token).json()["items"]] == [original["id"]]
        assert s.api("GET", f"/admin/tenants/{tenant['id']}", admin).json()["status"] == "active"
        entry = s.api("GET", "/admin/audit?action=tenant.restore", admin).json()["items"][0]
        assert entry["target"] == tenant["id"] and entry["actor"].startswith("platform:")
        assert cli_json("audit", "verify", "--tenant", "snappy", data=data)["ok"]
    finally:
        assert s.stop() == 0


def test_scheduled_snapshots_are_also_uploaded_to_an_s3_store(tmp_path):
    # The "external" store is a second Tradepost's S3 listener: a real SigV4 server.
    offsite = Server(tmp_path / "offsite").start()
    wait_for_port(offsite.s3_port)
    _, key, secret = setup_tenant(offsite)
    store = client(offsite, key, secret)
    store.create_bucket(Bucket="offsite")
    data = tmp_path / "data"
    env = {"TRADEPOST_SNAPSHOT_S3_URL": f"http://127.0.0.1:{offsite.s3_port}/offsite/box-a",
           "TRADEPOST_SNAPSHOT_S3_ACCESS_KEY": key, "TRADEPOST_SNAPSHOT_S3_SECRET_KEY": secret, "TRADEPOST_S3_LISTEN": "off"}
    s = Server(data, env=env).start()
    try:
        cli_json("jobs", "enqueue", "snapshot.scheduled", data=data, env=env)
        s.wait_for(lambda: any(j["state"] == "succeeded" for j in cli_json("jobs", "list", data=data, env=env)
                               if j["type"] == "snapshot.scheduled"), timeout=60, message="snapshot job")
        local = next((data / "snapshots").glob("tradepost-auto-*.tar"))
        uploaded = store.get_object(Bucket="offsite", Key=f"box-a/{local.name}")
        assert uploaded["ContentType"] == "application/x-tar"
        assert uploaded["Body"].read() == local.read_bytes()
    finally:
        assert s.stop() == 0

    # A wrong secret: the job fails with the store's answer in its error.
    env["TRADEPOST_SNAPSHOT_S3_SECRET_KEY"] = "wrong-secret"
    s = Server(data, env=env).start()
    try:
        failed = enqueue_and_wait(s, data, "snapshot.scheduled", env=env, until=lambda j: j.get("last_error"), message="the failed upload")
        assert "SignatureDoesNotMatch" in failed["last_error"] and "HTTP 403" in failed["last_error"]
    finally:
        assert s.stop() == 0
        assert offsite.stop() == 0


def test_a_snapshot_from_an_older_schema_is_migrated_on_restore(tmp_path):
    """An archive as an older release made it: its tenant database stops at schema 7 (before the
    blob store, media, the audit chain and the stored search dictionary), its manifest says so.
    `restore` migrates it, and the server then serves it, old data intact and new features working."""
    data = tmp_path / "data"
    s = Server(data, env={"TRADEPOST_S3_LISTEN": "off"}).start()
    s.create_tenant("older", owner_email="o@older.test")
    token = s.login("o@older.test", "owner-password-1", tenant="older")
    biz = s.api("POST", "/businesses", token, json={"name": "Old Supplier", "type": "supplier", "city": "Lviv"}).json()
    assert s.stop() == 0
    current = tmp_path / "current.tar"
    run_cli("snapshot", "--out", str(current), data=data)

    # Rewrite it as schema 7: undo migrations 18 (its column; its tables are made only if missing), 11, 10, 9
    # and 8 in every tenant database.
    unpacked = tmp_path / "unpacked"
    with tarfile.open(current) as t:
        t.extractall(unpacked, filter="data")
    manifest = json.loads((unpacked / "manifest.json").read_text())
    for f in manifest["files"]:
        if f["path"].startswith("tenants/"):
            db = sqlite3.connect(unpacked / f["path"])
            db.executescript("""
                DROP TABLE search_terms;
                DROP TRIGGER audit_log_append_only_update; DROP TRIGGER audit_log_append_only_delete;
                DROP INDEX audit_log_by_action; ALTER TABLE audit_log DROP COLUMN hash;
                DROP TRIGGER media_follows_product; DROP TRIGGER media_follows_business; DROP TABLE media;
                DROP TABLE s3_parts; DROP TABLE s3_uploads; DROP TABLE s3_objects; DROP TABLE s3_buckets; DROP TABLE s3_garbage;
                ALTER TABLE products DROP COLUMN tax_rate_bp;
                DELETE FROM schema_migrations WHERE version > 7;
                PRAGMA journal_mode = DELETE;
            """)
            db.close()
            f["schema_version"] = 7
        body = (unpacked / f["path"]).read_bytes()
        f["size"], f["sha256"] = len(body), hashlib.sha256(body).hexdigest()
    (unpacked / "manifest.json").write_text(json.dumps(manifest))
    older = tmp_path / "older.tar"
    with tarfile.open(older, "w", format=tarfile.USTAR_FORMAT) as t:
        for f in manifest["files"]:
            t.add(unpacked / f["path"], arcname=f["path"])
        t.add(unpacked / "manifest.json", arcname="manifest.json")
    assert cli_json("snapshot", "verify", str(older))["problems"] == []

    restored = tmp_path / "restored"
    result = cli_json("restore", str(older), "--data", str(restored))
    tenant_files = [p for p in result["migrated"] if p.startswith("tenants/")]
    assert tenant_files and all(result["migrated"][p][0] == 7 and result["migrated"][p][1] >= 10 for p in tenant_files)
    r = Server(restored).start()
    try:
        wait_for_port(r.s3_port)
        owner = r.login("o@older.test", "owner-password-1", tenant="older")
        assert [b["id"] for b in r.api("GET", "/businesses", owner).json()["items"]] == [biz["id"]]
        made = r.api("POST", "/s3/keys", owner, json={"name": "after upgrade"}).json()  # tables from migration 8
        client(r, made["key"]["access_key"], made["secret"]).create_bucket(Bucket="upgraded")
        assert r.api("GET", "/audit/verify", owner).json()["ok"] is True  # the chain sealed the old entries
    finally:
        assert r.stop() == 0
