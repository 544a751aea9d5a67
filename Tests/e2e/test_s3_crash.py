"""kill -9 while S3 PUTs are in flight: after a restart every acknowledged object reads back
byte-identical, an object being overwritten is the old or the new version (never torn), and the
blob folder holds no temporary or unreferenced file."""
import hashlib
import os
import random
import threading
import time

from botocore.exceptions import BotoCoreError, ClientError

from conftest import Server
from test_s3 import client, wait_for_port


def test_kill_9_during_concurrent_puts(data_dir):
    rng = random.Random(7)
    s = Server(data_dir).start()
    wait_for_port(s.s3_port)
    admin = s.admin_token()
    s.create_tenant("crashy", owner_email="o@crashy.test", token=admin)
    token = s.login("o@crashy.test", "owner-password-1", tenant="crashy")
    made = s.api("POST", "/s3/keys", token, json={"name": "crash"}).json()
    key, secret = made["key"]["access_key"], made["secret"]
    client(s, key, secret).create_bucket(Bucket="crash")
    acknowledged = {}      # key -> sha256 of the body S3 said 200 to
    possible = {}          # overwritten key -> every body that may be there (acknowledged or in flight)
    lock = threading.Lock()

    for round_no in range(6):
        if round_no:
            s = Server(data_dir).start()
            wait_for_port(s.s3_port)
        stop = threading.Event()

        def writer(n):
            c = client(s, key, secret)
            i = 0
            while not stop.is_set():
                i += 1
                body = os.urandom(random.randint(1, 300_000))
                name = f"r{round_no}/w{n}/{i}" if n else "hot"
                digest = hashlib.sha256(body).hexdigest()
                if not n:
                    with lock:
                        possible.setdefault(name, set()).add(digest)
                try:
                    c.put_object(Bucket="crash", Key=name, Body=body)
                except (ClientError, BotoCoreError, Exception):
                    return
                with lock:
                    acknowledged[name] = digest
                    if not n:
                        # Once a newer version is acknowledged, older ones can no longer be there.
                        possible[name] = {digest}

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.4, 1.5))
        s.proc.kill()
        s.proc.wait()
        stop.set()
        for t in threads:
            t.join(timeout=60)
        s.log.close()

    s = Server(data_dir).start()
    wait_for_port(s.s3_port)
    c = client(s, key, secret)
    assert len(acknowledged) > 20, "the load never got going"
    for name, digest in acknowledged.items():
        body = c.get_object(Bucket="crash", Key=name)["Body"].read()
        got = hashlib.sha256(body).hexdigest()
        if name == "hot":
            assert got in possible["hot"] | {digest}, "the overwritten object is torn or lost"
        else:
            assert got == digest, f"{name} changed after the crash"
    listed = []
    for page in c.get_paginator("list_objects_v2").paginate(Bucket="crash"):
        listed += [o["Key"] for o in page.get("Contents", [])]
    assert set(acknowledged) <= set(listed)
    blobs = next((data_dir / "blobs").iterdir())
    assert not any((blobs / "tmp").iterdir()), "temporary files survived the restart"
    on_disk = [p for p in (blobs / "objects").rglob("*") if p.is_file()]
    assert len(on_disk) == len(listed), "files no object names are left behind"
    assert s.stop() == 0
