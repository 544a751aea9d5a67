"""Core server figures (issue 2): time to first request on an existing data dir, idle RSS, and
wrk -t2 -c64 -d10s on an authenticated GET /api/v1/me."""
import os
import re
import shutil
import socket
import subprocess
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

BIN = os.environ["TRADEPOST_BIN"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data, port):
    # A port of its own for the S3 listener too: a stray server on the default 9000 must not stop a run.
    env = {**os.environ, "TRADEPOST_ADMIN_PASSWORD": "bench-admin-pass", "TRADEPOST_S3_LISTEN": f"127.0.0.1:{free_port()}"}
    return subprocess.Popen([BIN, "serve", "--data", data, "--listen", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def wait_ready(port, seconds=30):
    """Polls /healthz until the server started on `port` answers 200."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.05)
    raise SystemExit(f"the server on port {port} did not answer /healthz in {seconds} s")


def tenant_with_business(url, slug):
    """Creates tenant `slug` as the platform admin; returns its owner's session and a wholesaler's id."""
    admin = requests.post(url + "/auth/login", json={"email": "admin@localhost", "password": "bench-admin-pass"}).json()["token"]
    requests.post(url + "/admin/tenants", headers={"Authorization": f"Bearer {admin}"}, json={
        "slug": slug, "name": slug.title(), "owner": {"email": f"o@{slug}.test", "name": "O", "password": "owner-password-1"}}).raise_for_status()
    session = requests.Session()
    token = session.post(url + "/auth/login", json={"tenant": slug, "email": f"o@{slug}.test", "password": "owner-password-1"}).json()["token"]
    session.headers["Authorization"] = f"Bearer {token}"
    business = session.post(url + "/businesses", json={"name": f"{slug.title()} Pharma", "type": "wholesaler", "city": "Kyiv"}).json()["id"]
    return session, business


def first_response_ms(data):
    """From exec to the first 200 from /healthz, polling a raw socket as fast as possible."""
    port = free_port()
    t0 = time.perf_counter()
    proc = start(data, port)
    request = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(request)
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    elapsed = (time.perf_counter() - t0) * 1000
                    break
        except OSError:
            pass
        if proc.poll() is not None:
            raise SystemExit("server exited")
    return proc, port, elapsed


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main():
    work = tempfile.mkdtemp(prefix="tp-bench-")
    data = os.path.join(work, "data")
    try:
        # Prepare an existing data dir: bootstrap, a tenant with an owner.
        proc, port, _ = first_response_ms(data)
        proc.terminate(); proc.wait()
        subprocess.run([BIN, "tenant", "create", "bench", "--name", "Bench", "--data", data], check=True, capture_output=True)
        subprocess.run([BIN, "user", "add", "owner@bench.test", "--tenant", "bench", "--name", "Owner", "--role", "owner",
                        "--password-stdin", "--data", data], input=b"bench-owner-pass\n", check=True, capture_output=True)

        times = []
        for _ in range(10):
            proc, port, ms = first_response_ms(data)
            times.append(ms)
            proc.terminate(); proc.wait()

        proc, port, _ = first_response_ms(data)
        base = f"http://127.0.0.1:{port}"
        token = requests.post(base + "/api/v1/auth/login", json={"tenant": "bench", "email": "owner@bench.test",
                                                                 "password": "bench-owner-pass"}).json()["token"]
        assert requests.get(base + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        time.sleep(2)
        idle = rss_mb(proc.pid)

        wrk = subprocess.run(["wrk", "-t2", "-c64", "-d10s", "--latency", "-H", f"Authorization: Bearer {token}", base + "/api/v1/me"],
                             capture_output=True, text=True, check=True).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1))
        p99 = re.search(r"99%\s+([\d.]+\w+)", wrk).group(1)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk)
        after = rss_mb(proc.pid)
        proc.terminate(); proc.wait()

        size = os.path.getsize(BIN) / 1e6
        print(f"binary: {BIN} ({size:.1f} MB unstripped)")
        print(f"first request after start (existing data dir), 10 runs: median {statistics.median(times):.1f} ms, "
              f"max {max(times):.1f} ms   [bar: <= 100 ms]")
        print(f"idle RSS after start and one login: {idle:.1f} MB   [bar: <= 40 MB]")
        print(f"wrk -t2 -c64 -d10s GET /api/v1/me (Bearer session): {rps:.0f} req/s, p99 {p99}"
              + (f", NON-2xx: {non2xx.group(1)}" if non2xx else ""))
        print(f"RSS after the wrk run: {after:.1f} MB")
        print(f"machine: {os.cpu_count()} cores")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
