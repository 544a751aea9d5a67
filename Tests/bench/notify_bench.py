"""Reaching people (issue 23), all in one run on this machine:

1. One event to 1,000 recipients: a salesperson asks to link with a wholesaler its 1,000 managers
   run; each manager has a live socket subscribed to notifications. Measured: the request's
   acknowledgement -> each notification arriving on its socket; p99 over NOTIFY_EVENTS events.
   Bar: p99 <= 100 ms, every notification stored and pushed once.
2. Email to a local aiosmtpd: 1,000 notification emails (the same event, the tenant's relay set to
   the local server) against Python's own smtplib sending 1,000 messages of the same size on one
   reused connection to the same server, in the same run. Bar: ours >= 0.5x smtplib's messages/s.
3. Webhooks: NOTIFY_WEBHOOK_EVENTS (10,000) product changes at NOTIFY_RATE events/s to 10 healthy
   local endpoints: commit (the event's timestamp) -> delivery, p99 <= 100 ms; then again with one
   of the ten dead (a closed port): the healthy nine's p99 within 1.5x of the first.
Load generators and receivers run in processes of their own."""
import asyncio
import json
import multiprocessing
import os
import resource
import shutil
import smtplib
import statistics
import subprocess
import tempfile
import threading
import time
from datetime import datetime
from email.message import EmailMessage

import requests
import websockets
from aiosmtpd.controller import Controller

from core_bench import free_port, wait_ready

BIN = os.environ["TRADEPOST_BIN"]
BENCH = os.environ.get("TRADEPOST_BENCH_BIN", ".build-release/release/tradepost-bench")
RECIPIENTS = int(os.environ.get("NOTIFY_RECIPIENTS", "1000"))
EVENTS = int(os.environ.get("NOTIFY_EVENTS", "5"))
WEBHOOK_EVENTS = int(os.environ.get("NOTIFY_WEBHOOK_EVENTS", "10000"))
RATE = float(os.environ.get("NOTIFY_RATE", "100"))


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p + 0.999999) - 1)] if values else float("nan")


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# --- 1. sockets ---------------------------------------------------------------------------------

def socket_receivers(port, tokens, ready, out, expected):
    """Connects every token, subscribes to notifications, reports each arrival (monotonic time)."""
    raise_fd_limit()

    async def main():
        arrivals = []
        done = asyncio.Event()

        async def one(token):
            ws = await websockets.connect(f"ws://127.0.0.1:{port}/api/v1/live", additional_headers={"Authorization": f"Bearer {token}"},
                                          max_queue=None, ping_interval=None, open_timeout=60)
            await ws.recv()
            await ws.send(json.dumps({"subscribe": "notifications"}))
            while json.loads(await ws.recv())["type"] != "subscribed":
                pass
            return ws

        sockets = []
        for i in range(0, len(tokens), 100):
            sockets += await asyncio.gather(*(one(t) for t in tokens[i:i + 100]))
        ready.set()

        async def listen(ws):
            async for text in ws:
                m = json.loads(text)
                if m["type"] == "notification":
                    arrivals.append((m["notification"]["id"], time.monotonic()))
                    if len(arrivals) >= expected:
                        done.set()

        tasks = [asyncio.create_task(listen(ws)) for ws in sockets]
        try:
            await asyncio.wait_for(done.wait(), 120)
        except asyncio.TimeoutError:
            pass
        for t in tasks:
            t.cancel()
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
        out.put(arrivals)

    asyncio.run(main())


def fan_out(port, setup):
    api = f"http://127.0.0.1:{port}/api/v1"
    rep = {"Authorization": f"Bearer {setup['rep']}"}
    q = multiprocessing.Queue()
    ready = multiprocessing.Event()
    proc = multiprocessing.Process(target=socket_receivers, args=(port, setup["managers"], ready, q, EVENTS * len(setup["managers"])))
    proc.start()
    ready.wait(300)
    acks = []
    for i in range(EVENTS):
        r = requests.post(f"{api}/salesperson-links", json={"business_id": setup["business"], "side": "seller"}, headers=rep)
        acks.append(time.monotonic())
        assert r.status_code == 201, r.text
        time.sleep(1.0)
        assert requests.post(f"{api}/salesperson-links/{r.json()['id']}/revoke", json={}, headers=rep).status_code == 200
        time.sleep(0.5)
    arrivals = q.get(timeout=180)
    proc.join()
    # Each event's notifications: ids grow with the events, so the i-th thousand belongs to the i-th event.
    arrivals.sort()
    latencies = []
    ids = [a[0] for a in arrivals]
    for i in range(EVENTS):
        chunk = arrivals[i * len(setup["managers"]):(i + 1) * len(setup["managers"])]
        latencies += [(t - acks[i]) * 1000 for _, t in chunk]
    return latencies, len(arrivals), len(set(ids))


# --- 2. email -----------------------------------------------------------------------------------

class Counter:
    def __init__(self):
        self.count, self.first, self.last, self.sizes = 0, None, None, []

    async def handle_DATA(self, server, session, envelope):
        now = time.monotonic()
        self.first = self.first or now
        self.last = now
        self.count += 1
        self.sizes.append(len(envelope.original_content or b""))
        return "250 OK"


def email_phase(port, setup, smtp_port, counter):
    api = f"http://127.0.0.1:{port}/api/v1"
    admin = {"Authorization": f"Bearer {setup['admin']}"}
    rep = {"Authorization": f"Bearer {setup['rep']}"}
    assert requests.put(f"{api}/channels/email", json={"host": "127.0.0.1", "port": smtp_port, "security": "none", "from_email": "shop@bench.test"},
                        headers=admin).status_code == 200
    counter.count, counter.first, counter.sizes = 0, None, []
    start = time.monotonic()
    r = requests.post(f"{api}/salesperson-links", json={"business_id": setup["business"], "side": "seller"}, headers=rep)
    assert r.status_code == 201, r.text
    deadline = time.monotonic() + 300
    while counter.count < len(setup["managers"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    elapsed = counter.last - start
    return counter.count, counter.count / elapsed, statistics.mean(counter.sizes)


def smtplib_peer(smtp_port, counter, n, size):
    counter.count, counter.first, counter.sizes = 0, None, []
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "shop@bench.test", "m@bench.test", "A salesperson asks to link · Bench"
    msg.set_content("x" * max(100, int(size * 0.35)))
    msg.add_alternative("<p>" + "y" * max(100, int(size * 0.35)) + "</p>", subtype="html")
    start = time.monotonic()
    with smtplib.SMTP("127.0.0.1", smtp_port) as c:
        for i in range(n):
            c.send_message(msg, to_addrs=[f"m{i}@bench.test"])
    while counter.count < n:
        time.sleep(0.01)
    return n / (counter.last - start)


# --- 3. webhooks --------------------------------------------------------------------------------

def receivers(ports, out, stop):
    """Minimal HTTP/1.1 endpoints on asyncio: answer 200, record (endpoint, webhook-id, body timestamp, arrival)."""
    async def main():
        got = []

        async def handle(reader, writer, port):
            try:
                while True:
                    head = await reader.readuntil(b"\r\n\r\n")
                    length = 0
                    wid = ""
                    for line in head.split(b"\r\n"):
                        low = line.lower()
                        if low.startswith(b"content-length:"):
                            length = int(line.split(b":")[1])
                        elif low.startswith(b"webhook-id:"):
                            wid = line.split(b":", 1)[1].strip().decode()
                    body = await reader.readexactly(length)
                    now = time.time()
                    stamp = json.loads(body)["timestamp"]
                    got.append((port, wid, stamp, now))
                    writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
                    await writer.drain()
            except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
                pass
            finally:
                writer.close()

        servers = [await asyncio.start_server(lambda r, w, p=p: handle(r, w, p), "127.0.0.1", p) for p in ports]
        while not stop.is_set():
            await asyncio.sleep(0.2)
        for s in servers:
            s.close()
        out.put(got)

    asyncio.run(main())


def webhook_phase(port, setup, product, ports, dead=None):
    api = f"http://127.0.0.1:{port}/api/v1"
    admin = {"Authorization": f"Bearer {setup['admin']}"}
    for e in requests.get(f"{api}/webhooks", headers=admin).json()["items"]:
        requests.delete(f"{api}/webhooks/{e['id']}", headers=admin)
    targets = [f"http://127.0.0.1:{p}/hook" for p in ports] + ([f"http://127.0.0.1:{dead}/hook"] if dead else [])
    for url in targets:
        r = requests.post(f"{api}/webhooks", json={"url": url, "event_types": ["product.changed"]}, headers=admin)
        assert r.status_code == 201, r.text
    q, stop = multiprocessing.Queue(), multiprocessing.Event()
    proc = multiprocessing.Process(target=receivers, args=(ports, q, stop))
    proc.start()
    time.sleep(0.5)
    session = requests.Session()
    session.headers.update(admin)
    start = time.monotonic()
    for i in range(WEBHOOK_EVENTS):
        due = start + i / RATE
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        r = session.patch(f"{api}/products/{product}", json={"description": f"change {i}"})
        assert r.status_code == 200, r.text
    expected = WEBHOOK_EVENTS * len(ports)
    deadline = time.monotonic() + 120
    time.sleep(2)
    # Let the last deliveries land, then collect.
    while time.monotonic() < deadline:
        time.sleep(1)
        break
    time.sleep(3)
    stop.set()
    got = q.get(timeout=60)
    proc.join()
    lat = [(now - datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()) * 1000 for _, _, stamp, now in got]
    ids = {(p, w) for p, w, _, _ in got}
    return lat, len(got), len(ids), expected


def main():
    raise_fd_limit()
    root = tempfile.mkdtemp(prefix="tp-notify-bench-")
    data = os.path.join(root, "data")
    print(f"== notifications, email and webhooks (issue 23), {os.cpu_count()} cores")
    setup = json.loads(subprocess.run([BENCH, "notify-setup", data, str(RECIPIENTS)], check=True, capture_output=True).stdout)
    counter = Counter()
    smtp_port = free_port()
    smtp = Controller(counter, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    port = free_port()
    env = {**os.environ, "TRADEPOST_ADMIN_PASSWORD": "bench-admin-pass", "TRADEPOST_S3_LISTEN": "off", "TRADEPOST_LOG_LEVEL": "warning",
           "TRADEPOST_DEMO_ENABLED": "false", "TRADEPOST_NOTIFY_ALLOW_PRIVATE_DESTINATIONS": "true"}
    server = subprocess.Popen([BIN, "serve", "--data", data, "--listen", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        wait_ready(port, 60)
        phases = os.environ.get("NOTIFY_PHASES", "sockets,email,webhooks").split(",")
        if "sockets" in phases:
            lat, got, unique = fan_out(port, setup)
            print(f"one event to {RECIPIENTS} sockets, {EVENTS} events: {got} notifications pushed ({unique} distinct, {EVENTS * RECIPIENTS} expected); "
                  f"ack -> socket min {min(lat):.1f} ms, p50 {pct(lat, 0.5):.1f} ms, p99 {pct(lat, 0.99):.1f} ms, max {max(lat):.1f} ms (bar p99 <= 100 ms)")
        if "email" in phases:
            sent, ours, size = email_phase(port, setup, smtp_port, counter)
            peer = smtplib_peer(smtp_port, counter, sent, size)
            print(f"email to aiosmtpd: {sent} notification mails at {ours:.0f}/s (event -> last accepted); Python smtplib, one connection, "
                  f"{sent} messages of ~{size:.0f} bytes: {peer:.0f}/s; ratio {ours / peer:.2f}x (bar >= 0.5x)")
        if "webhooks" not in phases:
            return
        admin = {"Authorization": f"Bearer {setup['admin']}"}
        product = requests.post(f"http://127.0.0.1:{port}/api/v1/businesses/{setup['business']}/products", headers=admin, json={
            "sku": "HOOK-1", "name": "Webhook probe", "currency": "UAH", "price": "1.00", "status": "published"}).json()["id"]
        ports = [free_port() for _ in range(10)]
        lat1, got1, unique1, expected1 = webhook_phase(port, setup, product, ports)
        print(f"webhooks, {WEBHOOK_EVENTS} events at {RATE:.0f}/s to 10 healthy endpoints: {got1} of {expected1} delivered ({unique1} distinct); "
              f"commit -> delivery p50 {pct(lat1, 0.5):.1f} ms, p99 {pct(lat1, 0.99):.1f} ms (bar p99 <= 100 ms)")
        dead = free_port()
        lat2, got2, unique2, expected2 = webhook_phase(port, setup, product, ports[:9], dead=dead)
        print(f"webhooks, the same with one of ten dead: the nine healthy got {got2} of {expected2} ({unique2} distinct); p99 {pct(lat2, 0.99):.1f} ms, "
              f"{pct(lat2, 0.99) / pct(lat1, 0.99):.2f}x the healthy run (bar <= 1.5x)")
    finally:
        server.terminate()
        server.wait(30)
        smtp.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
