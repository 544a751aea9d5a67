"""Orders (issue 21), all in one run on this machine:

1. The machine's own limit: a probe committing plain SQLite transactions (WAL, synchronous=NORMAL,
   as the tenant databases are opened) that each write as many rows as placing a 5-line order
   writes; its transactions per second and p99 commit time.
2. Placing 5-line orders with reservation through the HTTP API, 16 concurrent connections (wrk,
   POST with a Lua body), against bar: >= 0.3x the probe's tx/s, p99 <= 10x the probe's p99.
3. With 1,000,000 orders in a tenant: the first page of a seller's and of a buyer's order list,
   p99 <= 20 ms (wrk, 2 threads, 16 connections).
4. Reconciling 10,000,000 ledger rows (`tradepost stock reconcile`) against the time SQLite takes
   to scan that table once, reading the same columns: <= 2x.
The invoice PDF bar (a 100-line invoice made in <= 50 ms) is measured in process by
`tradepost-bench invoice-pdf`, which Tests/bench/run orders runs after this.
ORDERS_N and LEDGER_N shrink 3 and 4 for a quick run."""
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time

import requests

from core_bench import free_port, start, wait_ready

BIN = os.environ["TRADEPOST_BIN"]
ORDERS_N = int(os.environ.get("ORDERS_N", "1000000"))
LEDGER_N = int(os.environ.get("LEDGER_N", "10000000"))
DURATION = os.environ.get("ORDERS_BENCH_SECONDS", "10")
# Rows one 5-line placement writes: the order, its history, audit and number rows, and per line the
# line, the level update, the ledger row, the reservation row, the figure update and its event,
# plus the order's own event.
ROWS_PER_ORDER = 4 + 5 * 6 + 1


def probe(path, seconds=5.0):
    """Commits transactions of ROWS_PER_ORDER small rows each; answers (tx/s, p99 ms)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL, a INTEGER, b INTEGER, c TEXT)")
    db.execute("CREATE INDEX t_k ON t (k, id)")
    rows = [(f"order-{i}", i, i * 3, "x" * 40) for i in range(ROWS_PER_ORDER)]
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO t (k, a, b, c) VALUES (?, ?, ?, ?)", rows)
        db.execute("COMMIT")
        times.append(time.perf_counter() - t0)
    db.close()
    times.sort()
    return len(times) / sum(times), times[int(len(times) * 0.99)] * 1000


def wrk(url, token, script=None, connections=16, duration=DURATION):
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-H", f"Authorization: Bearer {token}"]
    if script:
        args += ["-s", script]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)], int(bad.group(1)) if bad else 0


def login(api, slug, email, password):
    return requests.post(api + "/auth/login", json={"tenant": slug, "email": email, "password": password}).json()["token"]


def main():
    work = tempfile.mkdtemp(prefix="tp-orders-bench-")
    server = None
    try:
        probe_tps, probe_p99 = probe(os.path.join(work, "probe.sqlite"))
        data = os.path.join(work, "data")
        port = free_port()
        server = start(data, port)
        wait_ready(port)
        api = f"http://127.0.0.1:{port}/api/v1"
        admin = requests.post(api + "/auth/login", json={"email": "admin@localhost", "password": "bench-admin-pass"}).json()["token"]
        requests.post(api + "/admin/tenants", headers={"Authorization": f"Bearer {admin}"}, json={
            "slug": "bench", "name": "Bench", "owner": {"email": "o@bench.test", "name": "O", "password": "owner-password-1"}}).raise_for_status()
        owner = {"Authorization": f"Bearer {login(api, 'bench', 'o@bench.test', 'owner-password-1')}"}
        seller = requests.post(api + "/businesses", headers=owner, json={"name": "Bench Opt", "type": "wholesaler", "city": "Kyiv"}).json()["id"]
        buyer = requests.post(api + "/businesses", headers=owner, json={"name": "Bench Apteka", "type": "pharmacy", "city": "Lviv"}).json()["id"]
        user = requests.post(api + "/users", headers=owner, json={"email": "b@bench.test", "name": "B", "password": "buyer-pass-1"}).json()["user"]
        requests.put(api + f"/businesses/{buyer}/members/{user['id']}", headers=owner, json={"role": "staff"}).raise_for_status()
        products = []
        for i in range(5):
            r = requests.post(api + f"/businesses/{seller}/products", headers=owner, json={
                "sku": f"SKU-{i}", "name": f"Product {i}", "currency": "UAH", "price": "12.34", "tax_rate": "20", "status": "published",
                "stock_quantity": 1_000_000_000})
            r.raise_for_status()
            products.append(r.json()["id"])
        token = login(api, "bench", "b@bench.test", "buyer-pass-1")
        body = json.dumps({"buyer_business_id": buyer, "seller_business_id": seller,
                           "lines": [{"product_id": p, "quantity": 1 + i} for i, p in enumerate(products)]})
        script = os.path.join(work, "place.lua")
        with open(script, "w") as f:
            f.write(f'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = {json.dumps(body)}\n')
        place_rps, place_p99, place_bad = wrk(api + "/orders", token, script)
        print(f"probe: plain SQLite transactions of {ROWS_PER_ORDER} rows (WAL, synchronous=NORMAL): {probe_tps:.0f} tx/s, p99 {probe_p99:.2f} ms")
        print(f"placing 5-line orders with reservation, HTTP, 16 connections: {place_rps:.0f} orders/s, p99 {place_p99:.2f} ms"
              f" ({place_bad} non-2xx) | {place_rps / probe_tps:.3f}x the probe's tx/s [bar >= 0.3x: {'meets' if place_rps >= 0.3 * probe_tps else 'MISSES'}],"
              f" p99 {place_p99 / probe_p99:.1f}x the probe's [bar <= 10x: {'meets' if place_p99 <= 10 * probe_p99 else 'MISSES'}]")
        reconciled = json.loads(subprocess.run([BIN, "stock", "reconcile", "--tenant", "bench", "--json", "--data", data],
                                               capture_output=True, text=True, check=True).stdout)
        print(f"after the run: {reconciled['levels']} levels, {reconciled['movements']} ledger rows, drift: {len(reconciled['drifts'])}")

        # Many orders, written straight into the tenant file (the server stopped), then listed.
        tenant_id = requests.get(api + "/tenant", headers=owner).json()["id"]
        server.terminate()
        server.wait()
        server = None
        path = os.path.join(data, "tenants", f"{tenant_id}.sqlite")
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA synchronous=OFF")
        existing = db.execute("SELECT count(*) FROM orders").fetchone()[0]
        buyers = [buyer] + [f"0bench{n:020d}" for n in range(19)]
        db.execute("BEGIN")
        for b in buyers[1:]:
            db.execute("INSERT INTO businesses (id, name, type, city, created_at, updated_at) VALUES (?, ?, 'pharmacy', 'Kyiv', '2026-01-01', '2026-01-01')", [b, b])
        t0 = time.perf_counter()
        rows = ((f"0{n:025d}", f"BENCH-2025-{n:07d}", seller, buyers[n % len(buyers)]) for n in range(max(0, ORDERS_N - existing)))
        db.executemany("""INSERT INTO orders (id, number, seller_business_id, buyer_business_id, state, currency, prices_include_tax, net_minor,
                          tax_minor, gross_minor, taxes, payment_kind, placed_by, placed_at, updated_at)
                          VALUES (?, ?, ?, ?, 'placed', 'UAH', 0, 1000, 200, 1200, '[]', 'prepaid', 'bench', '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000')""", rows)
        db.execute("COMMIT")
        total_orders = db.execute("SELECT count(*) FROM orders").fetchone()[0]
        print(f"wrote {total_orders - existing} more orders in {time.perf_counter() - t0:.0f} s: {total_orders} in the tenant")

        # The ledger grows to LEDGER_N rows over 100,000 levels (one product's level per warehouse).
        levels_before = db.execute("SELECT count(*) FROM stock_levels").fetchone()[0]
        moves_before = db.execute("SELECT count(*) FROM stock_moves").fetchone()[0]
        t0 = time.perf_counter()
        db.execute("BEGIN")
        db.execute("""INSERT INTO warehouses (id, business_id, name, priority, active, created_at, updated_at)
                      WITH RECURSIVE w(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM w WHERE x < 20000)
                      SELECT printf('wbench%020d', x), ?, printf('Bench %d', x), 0, 0, '2026-01-01', '2026-01-01' FROM w""", [seller])
        db.execute("""INSERT INTO stock_levels (product_id, warehouse_id, on_hand)
                      SELECT p.id, w.id, 0 FROM products p JOIN warehouses w ON w.id LIKE 'wbench%' WHERE p.business_id = ?""", [seller])
        first, last = db.execute("SELECT min(id), max(id) FROM stock_levels WHERE warehouse_id LIKE 'wbench%'").fetchone()
        count = last - first + 1
        more = max(0, LEDGER_N - moves_before)
        db.execute("""INSERT INTO stock_moves (level_id, at, kind, on_hand_delta, actor)
                      WITH RECURSIVE m(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM m WHERE x < ? - 1)
                      SELECT ? + x % ?, '2026-01-01 00:00:00.000', 'receipt', 1, 'bench' FROM m""", [more, first, count])
        db.execute("""UPDATE stock_levels SET on_hand = (SELECT count(*) FROM stock_moves m WHERE m.level_id = stock_levels.id)
                      WHERE warehouse_id LIKE 'wbench%'""")
        db.execute("COMMIT")
        ledger_rows = db.execute("SELECT count(*) FROM stock_moves").fetchone()[0]
        print(f"wrote {ledger_rows - moves_before} ledger rows over {count} new levels in {time.perf_counter() - t0:.0f} s: {ledger_rows} rows")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()

        # Scan once (warm the page cache first so both are measured the same way), then reconcile.
        scan = sqlite3.connect(path)
        scan.execute("SELECT count(*), sum(level_id), sum(on_hand_delta), sum(reserved_delta), sum(incoming_delta) FROM stock_moves").fetchone()
        scans = []
        for _ in range(3):
            t0 = time.perf_counter()
            scan.execute("SELECT count(*), sum(level_id), sum(on_hand_delta), sum(reserved_delta), sum(incoming_delta) FROM stock_moves").fetchone()
            scans.append(time.perf_counter() - t0)
        scan.close()
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            out = json.loads(subprocess.run([BIN, "stock", "reconcile", "--tenant", "bench", "--json", "--data", data],
                                            capture_output=True, text=True, check=True).stdout)
            runs.append(time.perf_counter() - t0)
        scan_s, rec_s = statistics.median(scans), statistics.median(runs)
        print(f"reconciling {out['movements']} ledger rows over {out['levels']} levels: {rec_s:.2f} s (the whole command, process start included);"
              f" SQLite scanning the table once: {scan_s:.2f} s | {rec_s / scan_s:.2f}x [bar <= 2x: {'meets' if rec_s <= 2 * scan_s else 'MISSES'}];"
              f" drift found: {len(out['drifts'])}")

        port = free_port()
        server = start(data, port)
        wait_ready(port)
        api = f"http://127.0.0.1:{port}/api/v1"
        seller_token = login(api, "bench", "o@bench.test", "owner-password-1")
        for side, business in (("seller", seller), ("buyer", buyer)):
            url = f"{api}/businesses/{business}/orders?side={side}"
            assert len(requests.get(url, headers={"Authorization": f"Bearer {seller_token}"}).json()["items"]) == 50
            rps, p99, bad = wrk(url, seller_token)
            print(f"{side}'s order list, first page of 50, {total_orders} orders in the tenant: {rps:.0f} req/s, p99 {p99:.2f} ms ({bad} non-2xx)"
                  f" [bar p99 <= 20 ms: {'meets' if p99 <= 20 and bad == 0 else 'MISSES'}]")
    finally:
        if server:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
