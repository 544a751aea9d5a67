"""Snapshot figures (issue 6), one run on this machine:
- `tradepost snapshot --tenant` of a ~1 GB tenant database (server running) vs `cp` + fsync of the
  same file;
- commit latency of a concurrent writer on that database: p99 while idle vs p99 during the snapshot;
- the stripped binary's size and its `ldd` output."""
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

BIN = os.environ["TRADEPOST_BIN"]
SIZE_MB = int(os.environ.get("SNAPSHOT_BENCH_MB", "1024"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(data, port):
    env = {**os.environ, "TRADEPOST_S3_LISTEN": "off", "TRADEPOST_LOG_LEVEL": "warning", "TRADEPOST_ADMIN_PASSWORD": "bench-admin-pass"}
    proc = subprocess.Popen([BIN, "serve", "--data", str(data), "--listen", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    raise SystemExit("server did not start")


def fill(path, megabytes):
    """Grows the tenant database with a bench-only table of incompressible rows."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE IF NOT EXISTS bench_filler (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
    row = 3000
    for _ in range(megabytes * (1 << 20) // row // 10000):
        db.executemany("INSERT INTO bench_filler (payload) VALUES (?)", ((os.urandom(row),) for _ in range(10000)))
        db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


class Writer(threading.Thread):
    """Small commits into the live database, timing each; `mark` splits idle from during."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path, self.samples, self.stop, self.phase = path, {"idle": [], "during": []}, threading.Event(), "idle"

    def run(self):
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA busy_timeout=30000")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS bench_writes (id INTEGER PRIMARY KEY, at REAL, note TEXT)")
        while not self.stop.is_set():
            t0 = time.perf_counter()
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO bench_writes (at, note) VALUES (?, ?)", (time.time(), "x" * 200))
            db.execute("COMMIT")
            self.samples[self.phase].append(time.perf_counter() - t0)
            time.sleep(0.002)
        db.close()


def p99(xs):
    return statistics.quantiles(xs, n=100)[98] * 1000


def main():
    work = Path(tempfile.mkdtemp(prefix="tp-snapbench-", dir=os.environ.get("BENCH_DIR")))
    data = work / "data"
    try:
        port = free_port()
        server = serve(data, port)
        server.terminate()
        server.wait()
        tenant_db = next((data / "tenants").glob("*.sqlite"))
        fill(tenant_db, SIZE_MB)
        size = tenant_db.stat().st_size
        print(f"== snapshot (issue 6), {os.cpu_count()} cores, tenant database {size / (1 << 20):,.0f} MiB")

        t0 = time.perf_counter()
        copy = work / "copy.sqlite"
        shutil.copyfile(tenant_db, copy)
        fd = os.open(copy, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
        cp_s = time.perf_counter() - t0
        copy.unlink()

        server = serve(data, port)
        writer = Writer(str(tenant_db))
        writer.start()
        time.sleep(5)
        writer.phase = "during"
        t0 = time.perf_counter()
        subprocess.run([BIN, "snapshot", "--tenant", "demo", "--data", str(data), "--out", str(work / "snap.tar"), "--json"],
                       check=True, stdout=subprocess.DEVNULL)
        snap_s = time.perf_counter() - t0
        writer.phase = "after"
        writer.samples["after"] = []
        writer.stop.set()
        writer.join()
        server.terminate()
        server.wait()
        subprocess.run([BIN, "snapshot", "verify", str(work / "snap.tar"), "--json"], check=True, stdout=subprocess.DEVNULL)

        print(f"cp + fsync: {cp_s:.2f} s ({size / (1 << 20) / cp_s:,.0f} MiB/s); tradepost snapshot --tenant: {snap_s:.2f} s "
              f"({size / (1 << 20) / snap_s:,.0f} MiB/s) -> {cp_s / snap_s:.2f}x (bar 0.5x)")
        idle, during = writer.samples["idle"], writer.samples["during"]
        print(f"writer commit p99: idle {p99(idle):.2f} ms ({len(idle)} commits), during the snapshot {p99(during):.2f} ms "
              f"({len(during)} commits) -> {p99(during) / p99(idle):.2f}x (bar <= 2x)")

        stripped = work / "tradepost-stripped"
        shutil.copyfile(BIN, stripped)
        subprocess.run(["strip", str(stripped)], check=True)
        print(f"binary: {os.path.getsize(BIN) / 1e6:.1f} MB as built, {os.path.getsize(stripped) / 1e6:.1f} MB stripped; ldd:")
        print(subprocess.run(["ldd", str(stripped)], capture_output=True, text=True).stdout.rstrip())
    finally:
        if not os.environ.get("SNAPSHOT_BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
