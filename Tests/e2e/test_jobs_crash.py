"""kill -9 under load, at least 20 times: every acknowledged enqueue runs at least once, every
committed outbox event is dispatched, and no job ever runs twice at the same time."""
import random
import re
import signal
import threading
import time

import requests

from conftest import Server

KILLS = 22


class Load:
    """Enqueues probe jobs and creates businesses as fast as the server lets it, remembering
    only what the server acknowledged (a 201)."""

    def __init__(self, server, admin, owner):
        self.server, self.admin, self.owner = server, admin, owner
        self.jobs, self.businesses = set(), set()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.n = 0

    def worker(self, kind):
        session = requests.Session()
        while not self.stop.is_set():
            with self.lock:
                self.n += 1
                n = self.n
            try:
                if kind == "job":
                    r = session.post(self.server.url + "/api/v1/admin/jobs", timeout=5,
                                     headers={"Authorization": f"Bearer {self.admin}"},
                                     json={"type": "test.probe", "payload": {"tag": f"t{n}", "sleep_ms": random.randint(0, 40)}})
                    if r.status_code == 201:
                        with self.lock:
                            self.jobs.add(r.json()["id"])
                else:
                    r = session.post(self.server.url + "/api/v1/businesses", timeout=5,
                                     headers={"Authorization": f"Bearer {self.owner}"},
                                     json={"name": f"B{n}", "type": "supplier", "city": "Kyiv"})
                    if r.status_code == 201:
                        with self.lock:
                            self.businesses.add(r.json()["id"])
            except requests.RequestException:
                time.sleep(0.02)  # the server is down; try again when it is back

    def start(self):
        self.threads = [threading.Thread(target=self.worker, args=(kind,), daemon=True) for kind in ("job", "job", "job", "business", "business")]
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(10)


def test_kill_nine_under_job_and_outbox_load(data_dir):
    probe = data_dir.parent / "probe.log"
    env = {"TRADEPOST_JOBS_LEASE_SECONDS": "2", "TRADEPOST_JOBS_SHUTDOWN_GRACE_SECONDS": "1"}
    server = Server(data_dir, probe=probe, env=env).start()
    admin = server.admin_token()
    server.create_tenant("crash", owner_email="boss@crash.test", token=admin)
    owner = server.login("boss@crash.test", "owner-password-1", tenant="crash")
    load = Load(server, admin, owner)
    load.start()
    rng = random.Random(20261121)
    kills = 0
    try:
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.2, 1.2))
            server.stop(signal.SIGKILL)
            kills += 1
            restarted = Server(data_dir, probe=probe, env=env)
            restarted.port = server.port  # the load keeps talking to the same address
            restarted.url = server.url
            server = restarted.start()
    finally:
        load.finish()
    assert kills >= 20
    assert len(load.jobs) > 100 and len(load.businesses) > 50, (len(load.jobs), len(load.businesses))

    def lines():
        return probe.read_text(errors="replace").splitlines()

    def missing():
        text = lines()
        started = {int(m.group(1)) for l in text if (m := re.match(r"start (\d+) ", l))}
        events = " ".join(l for l in text if l.startswith("event ") and " business.created " in l)
        return (load.jobs - started, {b for b in load.businesses if b not in events})

    try:
        server.wait_for(lambda: missing() == (set(), set()), timeout=90, interval=0.5,
                        message="every acknowledged job and event to be handled")
    finally:
        jobs_left, events_left = missing()
        assert server.stop() == 0
    assert not jobs_left, f"{len(jobs_left)} acknowledged jobs never ran, e.g. {sorted(jobs_left)[:10]}"
    assert not events_left, f"{len(events_left)} committed business events never dispatched"

    text = lines()
    assert not [l for l in text if l.startswith("overlap")], "a job ran twice at the same time"
    # Within each process, a job's runs never overlap: no second start before the first ended.
    open_runs = {}
    for line in text:
        parts = line.split()
        if len(parts) >= 4 and parts[0] == "start":
            key = (parts[1], parts[3])
            assert key not in open_runs, f"job {parts[1]} started twice in process {parts[3]} without ending"
            open_runs[key] = True
        elif len(parts) == 3 and parts[0] == "end":
            open_runs.pop((parts[1], parts[2]), None)
