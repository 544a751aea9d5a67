"""The shared inbox's inbound path (issue 24), on this machine in one run: INBOX_RATE signed WhatsApp
webhooks a second (1,000) for INBOX_SECONDS (10) from INBOX_CUSTOMERS customers (200), posted by load
processes on kept-alive connections; an agent holds a live socket subscribed to conversations.
Measured: each post's acknowledgement (p50/p99, bar <= 50 ms) and the time from the post's start to
its message arriving on the agent's socket (p50/p99, bar <= 250 ms); every acknowledged message
arrives once. Load generators and the socket run in processes of their own."""
import asyncio
import hashlib
import hmac
import http.client
import json
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import time

import requests
import websockets

from core_bench import free_port, wait_ready

BIN = os.environ["TRADEPOST_BIN"]
RATE = float(os.environ.get("INBOX_RATE", "1000"))
SECONDS = float(os.environ.get("INBOX_SECONDS", "10"))
CUSTOMERS = int(os.environ.get("INBOX_CUSTOMERS", "200"))
WORKERS = int(os.environ.get("INBOX_WORKERS", "4"))
PHONE, SECRET = "1234567890", "bench-app-secret"


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p + 0.999999) - 1)] if values else float("nan")


def body(n):
    wa = f"38050{n % CUSTOMERS:07d}"
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "380440000000", "phone_number_id": PHONE},
        "contacts": [{"profile": {"name": f"Клієнт {n % CUSTOMERS}"}, "wa_id": wa, "user_id": f"UA.{wa}"}],
        "messages": [{"from": wa, "id": f"wamid.B{n}", "timestamp": str(int(time.time())), "type": "text", "text": {"body": f"m{n} Є парацетамол? 💊"}}]}}]}]},
        ensure_ascii=False).encode()


def poster(port, path, worker, out):
    """Posts every WORKERS-th message on schedule; reports (n, start, ack seconds, status)."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    total = int(RATE * SECONDS)
    mine = range(worker, total, WORKERS)
    prepared = []
    for n in mine:
        data = body(n)
        prepared.append((n, data, "sha256=" + hmac.new(SECRET.encode(), data, hashlib.sha256).hexdigest()))
    results = []
    t0 = out.get()  # the common start
    for n, data, sig in prepared:
        due = t0 + n / RATE
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        start = time.monotonic()
        conn.request("POST", path, body=data, headers={"Content-Type": "application/json", "X-Hub-Signature-256": sig})
        r = conn.getresponse()
        r.read()
        results.append((n, start, time.monotonic() - start, r.status))
    out.put(results)


def receiver(port, token, ready, out, expected):
    async def main():
        got = {}
        ws = await websockets.connect(f"ws://127.0.0.1:{port}/api/v1/live", additional_headers={"Authorization": f"Bearer {token}"},
                                      max_queue=None, ping_interval=None)
        await ws.recv()
        await ws.send(json.dumps({"subscribe": "conversations"}))
        ready.set()
        deadline = time.monotonic() + SECONDS + 60
        try:
            while len(got) < expected and time.monotonic() < deadline:
                m = json.loads(await asyncio.wait_for(ws.recv(), 30))
                if m.get("type") == "conversation.event" and (m.get("message") or {}).get("text", "").startswith("m"):
                    n = int(m["message"]["text"].split(" ", 1)[0][1:])
                    got.setdefault(n, []).append(time.monotonic())
        except asyncio.TimeoutError:
            pass
        await ws.close()
        out.put(got)
    asyncio.run(main())


def main():
    data = tempfile.mkdtemp(prefix="tp-inbox-bench-")
    port = free_port()
    env = {**os.environ, "TRADEPOST_ADMIN_EMAIL": "root@bench.test", "TRADEPOST_ADMIN_PASSWORD": "bench-admin-pass",
           "TRADEPOST_S3_LISTEN": f"127.0.0.1:{free_port()}"}
    server = subprocess.Popen([BIN, "serve", "--data", data, "--listen", f"127.0.0.1:{port}", "--no-demo"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        wait_ready(port)
        api = f"http://127.0.0.1:{port}/api/v1"
        admin = requests.post(f"{api}/auth/login", json={"email": "root@bench.test", "password": "bench-admin-pass"}).json()["token"]
        h = lambda t: {"Authorization": f"Bearer {t}"}  # noqa: E731
        requests.post(f"{api}/admin/tenants", headers=h(admin), json={"slug": "acme", "name": "Acme", "owner": {
            "email": "boss@acme.test", "name": "Boss", "password": "owner-password-1"}}).raise_for_status()
        owner = requests.post(f"{api}/auth/login", json={"tenant": "acme", "email": "boss@acme.test", "password": "owner-password-1"}).json()["token"]
        shop = requests.post(f"{api}/businesses", headers=h(owner), json={"name": "Shop", "type": "wholesaler", "city": "Kyiv"}).json()
        agent = requests.post(f"{api}/users", headers=h(owner), json={"email": "agent@acme.test", "name": "Agent", "password": "agent-pass-12"}).json()["user"]
        requests.put(f"{api}/businesses/{shop['id']}/members/{agent['id']}", headers=h(owner), json={"role": "staff"}).raise_for_status()
        channel = requests.post(f"{api}/inbox/channels", headers=h(owner), json={"kind": "whatsapp", "name": "WA", "business_id": shop["id"],
                                "phone_number_id": PHONE, "access_token": "t", "app_secret": SECRET, "verify_token": "v"}).json()
        requests.put(f"{api}/inbox/channels/{channel['id']}/agents/{agent['id']}", headers=h(owner), json={"capacity": 1000}).raise_for_status()
        token = requests.post(f"{api}/auth/login", json={"tenant": "acme", "email": "agent@acme.test", "password": "agent-pass-12"}).json()["token"]
        requests.patch(f"{api}/inbox/me", headers=h(token), json={"availability": "online"}).raise_for_status()
        path = f"/api/v1/whatsapp/acme/{channel['id']}/webhook"
        total = int(RATE * SECONDS)
        ready, got = multiprocessing.Event(), multiprocessing.Queue()
        rx = multiprocessing.Process(target=receiver, args=(port, token, ready, got, total))
        rx.start()
        ready.wait(30)
        queues = [multiprocessing.Queue() for _ in range(WORKERS)]
        workers = [multiprocessing.Process(target=poster, args=(port, path, w, queues[w])) for w in range(WORKERS)]
        for w in workers:
            w.start()
        time.sleep(2)  # the bodies are prepared
        t0 = time.monotonic() + 0.5
        for q in queues:
            q.put(t0)
        results = [r for q in queues for r in q.get()]
        for w in workers:
            w.join()
        arrivals = got.get()
        rx.join()
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(data, ignore_errors=True)
    ok = [r for r in results if r[3] == 200]
    acks = [r[2] * 1000 for r in ok]
    started = {n: s for n, s, _, _ in ok}
    shown = [(arrivals[n][0] - started[n]) * 1000 for n in started if n in arrivals]
    twice = sum(1 for n in arrivals if len(arrivals[n]) > 1)
    span = max(s + a for _, s, a, _ in results) - min(s for _, s, _, _ in results)
    print(f"== shared inbox inbound (issue 24), {os.cpu_count()} cores, {CUSTOMERS} customers, {WORKERS} load processes")
    print(f"posted {len(results)} signed webhooks at {RATE:.0f}/s target, {len(results) / span:.0f}/s achieved; acknowledged {len(ok)}")
    print(f"acknowledgement: p50 {pct(acks, .5):.1f} ms, p99 {pct(acks, .99):.1f} ms, max {max(acks):.1f} ms (bar: p99 <= 50 ms)")
    print(f"post -> agent's socket: p50 {pct(shown, .5):.1f} ms, p99 {pct(shown, .99):.1f} ms, max {max(shown) if shown else float('nan'):.1f} ms "
          f"(bar: p99 <= 250 ms); shown {len(shown)} of {len(ok)}, shown twice {twice}")


if __name__ == "__main__":
    main()
