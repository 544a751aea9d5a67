"""Conversations in real time (issue 22), all in one run on this machine:

1. The peer first: a fan-out server written with Python `websockets` (below, a few dozen lines:
   rooms in memory, a sender's message acknowledged, then broadcast to its room), under the same
   load as ours: 1,000 connected clients in 100 conversations (10 each), 50 messages/s for
   TALK_SECONDS. Ours takes the messages through the HTTP API (a commit each) and delivers them
   over /api/v1/live. Bar: acknowledged -> delivered to every subscriber, p99 <= 0.1x the peer's;
   no message lost or duplicated.
2. 10,000 idle authenticated connections (subscribed to their conversations): the server's
   resident memory per connection, bar <= 20 KB.
3. A reconnection storm: 1,000 clients drop at once while 5 messages per conversation are sent,
   then reconnect with their last sequence numbers: all caught up, 0 lost, within 5x the time one
   client takes to do the same alone.
4. A tenant with TALK_MESSAGES (1,000,000) messages: a conversation's history page and message
   search, p99 <= 20 ms (sequential keep-alive requests).
Load generators run in processes of their own (senders apart from receivers)."""
import asyncio
import json
import multiprocessing
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import requests
import websockets

from core_bench import free_port, wait_ready

BIN = os.environ["TRADEPOST_BIN"]
BENCH = os.environ.get("TRADEPOST_BENCH_BIN", ".build-release/release/tradepost-bench")
SECONDS = float(os.environ.get("TALK_SECONDS", "30"))
RATE = 50
MESSAGES = int(os.environ.get("TALK_MESSAGES", "1000000"))
IDLE = int(os.environ.get("TALK_IDLE", "10000"))


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p + 0.999999) - 1)] if values else float("nan")


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# --- The peer: a fan-out server with Python websockets ------------------------------------------

def peer_server(port, ready):
    async def main():
        rooms = {}

        async def handler(ws):
            path = ws.request.path
            if path.startswith("/room/"):
                room = rooms.setdefault(path[6:], set())
                room.add(ws)
                if path.endswith("/storm"):
                    await ws.send('{"type":"caught_up"}')  # nothing to replay: the peer keeps no history
                try:
                    await ws.wait_closed()
                finally:
                    room.discard(ws)
                return
            try:
                async for text in ws:  # a sender: {"room": ..., "k": ...}
                    m = json.loads(text)
                    await ws.send(json.dumps({"ack": m["k"]}))
                    websockets.broadcast(rooms.get(m["room"], ()), json.dumps({"k": m["k"], "text": m["text"]}))
            except websockets.ConnectionClosed:
                pass

        async with websockets.serve(handler, "127.0.0.1", port, max_queue=None):
            ready.set()
            await asyncio.Future()
    asyncio.run(main())


# --- Load: receivers and senders in processes of their own ----------------------------------------

def receivers(kind, port, rooms, out_path, ready, stop):
    """Opens one connection per (room, token), records (k, receive time) per connection."""
    raise_fd_limit()

    async def main():
        records = []
        async def client(room, token, i):
            got = []
            records.append((room, got))
            if kind == "peer":
                ws = await websockets.connect(f"ws://127.0.0.1:{port}/room/{room}", max_size=None)
            else:
                ws = await websockets.connect(f"ws://127.0.0.1:{port}/api/v1/live", additional_headers={"Authorization": f"Bearer {token}"},
                                              max_size=None)
                await ws.recv()
                await ws.send(json.dumps({"subscribe": "conversations", "after": {}}))
            opened.append(1)
            async for text in ws:
                t = time.time()
                m = json.loads(text)
                if kind == "peer":
                    got.append((m["k"], t))
                elif m.get("type") == "conversation.event" and m["kind"] == "message.created":
                    got.append((int(m["message"]["text"].split()[1]), t))
        opened = []
        tasks = []
        for room, tokens in rooms:
            for i, token in enumerate(tokens):
                tasks.append(asyncio.create_task(client(room, token, i)))
                if len(tasks) % 50 == 0:
                    await asyncio.sleep(0.02)
        while len(opened) < len(tasks):
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.0)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        await asyncio.sleep(2.0)  # stragglers
        with open(out_path, "w") as f:
            json.dump([[room, got] for room, got in records], f)
        os._exit(0)
    asyncio.run(main())


def sender(kind, port, rooms, out_path, start, stop):
    """Sends RATE messages/s round-robin over the rooms; records (k, room, sent, acked)."""
    sent = []
    if kind == "ours":
        lock = threading.Lock()
        counter = iter(range(10**9))
        t0 = time.time() + 0.2

        def worker():
            session = requests.Session()
            while True:
                with lock:
                    k = next(counter)
                if k >= SECONDS * RATE:
                    return
                room, tokens = rooms[k % len(rooms)]
                delay = t0 + k / RATE - time.time()
                if delay > 0:
                    time.sleep(delay)
                ts = time.time()
                r = session.post(f"http://127.0.0.1:{port}/api/v1/conversations/{room}/messages", json={"text": f"bench {k}"},
                                 headers={"Authorization": f"Bearer {tokens[0]}"})
                ta = time.time()
                if r.status_code == 201:
                    with lock:
                        sent.append((k, room, ts, ta))
        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        async def main():
            ws = await websockets.connect(f"ws://127.0.0.1:{port}/send")
            times = {}
            async def acks():
                async for text in ws:
                    k = json.loads(text)["ack"]
                    times[k] = (*times[k], time.time())
            reader = asyncio.create_task(acks())
            t0 = time.time() + 0.2
            for k in range(int(SECONDS * RATE)):
                delay = t0 + k / RATE - time.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                room = rooms[k % len(rooms)][0]
                times[k] = (room, time.time())
                await ws.send(json.dumps({"room": room, "k": k, "text": f"bench {k}"}))
            await asyncio.sleep(1.0)
            reader.cancel()
            for k, v in times.items():
                if len(v) == 3:
                    sent.append((k, v[0], v[1], v[2]))
        asyncio.run(main())
    with open(out_path, "w") as f:
        json.dump(sent, f)


def fan_out(kind, port, rooms, work):
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    rx = multiprocessing.Process(target=receivers, args=(kind, port, rooms, f"{work}/{kind}-rx.json", ready, stop))
    rx.start()
    if not ready.wait(120):
        raise SystemExit(f"{kind}: receivers did not connect")
    tx = multiprocessing.Process(target=sender, args=(kind, port, rooms, f"{work}/{kind}-tx.json", None, stop))
    tx.start()
    tx.join()
    stop.set()
    rx.join(60)
    sent = json.load(open(f"{work}/{kind}-tx.json"))
    received = json.load(open(f"{work}/{kind}-rx.json"))
    by_room = {}
    for room, got in received:
        by_room.setdefault(room, []).append(got)
    ack_lat, send_lat, lost, dup = [], [], 0, 0
    for k, room, ts, ta in sent:
        last = 0.0
        for got in by_room[room]:
            times = [t for kk, t in got if kk == k]
            if not times:
                lost += 1
                continue
            dup += len(times) - 1
            last = max(last, times[0])
        if last:
            ack_lat.append(max(0.0, last - ta) * 1000)
            send_lat.append((last - ts) * 1000)
    return {"sent": len(sent), "deliveries": sum(len(g) for _, g in received), "lost": lost, "duplicated": dup,
            "ack_p50": pct(ack_lat, 0.5), "ack_p99": pct(ack_lat, 0.99), "send_p50": pct(send_lat, 0.5), "send_p99": pct(send_lat, 0.99)}


# --- Ours ---------------------------------------------------------------------------------------------

def start_server(data, port):
    env = {**os.environ, "TRADEPOST_ADMIN_PASSWORD": "bench-admin-pass", "TRADEPOST_S3_LISTEN": "off", "TRADEPOST_LOG_LEVEL": "warning",
           "TRADEPOST_DEMO_ENABLED": "false"}
    return subprocess.Popen([BIN, "serve", "--data", data, "--listen", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)


def rss_kb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def idle_connections(port, tokens, n, pid, out):
    raise_fd_limit()

    async def main():
        sockets = []
        sem = asyncio.Semaphore(200)
        async def one(i):
            async with sem:
                ws = await websockets.connect(f"ws://127.0.0.1:{port}/api/v1/live", additional_headers={"Authorization": f"Bearer {tokens[i % len(tokens)]}"},
                                              ping_interval=None)
                await ws.recv()
                await ws.send(json.dumps({"subscribe": "conversations", "after": {}}))
                await ws.recv()
                sockets.append(ws)
        before = rss_kb(pid)
        await asyncio.gather(*(one(i) for i in range(n)))
        await asyncio.sleep(3)
        after = rss_kb(pid)
        out.put((before, after, len(sockets)))
        for ws in sockets:
            await ws.close()
    asyncio.run(main())


async def storm(port, rooms):
    """1000 clients drop together and reconnect with their seqs; against one client alone."""
    async def connect(token, after):
        ws = await websockets.connect(f"ws://127.0.0.1:{port}/api/v1/live", additional_headers={"Authorization": f"Bearer {token}"}, max_size=None)
        await ws.recv()
        await ws.send(json.dumps({"subscribe": "conversations", "after": after}))
        got = []
        while True:
            m = json.loads(await ws.recv())
            if m["type"] == "caught_up":
                return ws, got
            if m["type"] == "conversation.event" and m["kind"] == "message.created":
                got.append(m["seq"])

    def last_seq(room, token):
        return requests.get(f"http://127.0.0.1:{port}/api/v1/conversations/{room}", headers={"Authorization": f"Bearer {token}"}).json()["last_seq"]

    def post_missed(targets, session):
        for room, token in targets:
            for i in range(5):
                assert session.post(f"http://127.0.0.1:{port}/api/v1/conversations/{room}/messages", json={"text": f"missed {i}"},
                                    headers={"Authorization": f"Bearer {token}"}).status_code == 201

    session = requests.Session()
    # One client alone, five times: its median.
    room, tokens = rooms[0]
    alone = []
    for _ in range(5):
        seq = last_seq(room, tokens[1])
        post_missed([(room, tokens[0])], session)
        t = time.monotonic()
        ws, got = await connect(tokens[1], {room: seq})
        alone.append(time.monotonic() - t)
        assert len(got) == 5, got
        await ws.close()
    # 1000 together.
    cursors = {room: last_seq(room, tokens[0]) for room, tokens in rooms}
    post_missed([(room, tokens[0]) for room, tokens in rooms], session)
    clients = [(room, token) for room, tokens in rooms for token in tokens]
    t = time.monotonic()
    results = await asyncio.gather(*(connect(token, {room: cursors[room]}) for room, token in clients))
    together = time.monotonic() - t
    lost = sum(1 for _, got in results if len(got) != 5)
    for ws, _ in results:
        await ws.close()
    return statistics.median(alone), together, lost, len(clients)


async def peer_storm(port, n):
    """What the load generator alone needs to open `n` sockets at once and get one message on each."""
    async def one(i):
        ws = await websockets.connect(f"ws://127.0.0.1:{port}/room/r{i % 100}/storm")
        await ws.recv()
        return ws
    t = time.monotonic()
    sockets = await asyncio.gather(*(one(i) for i in range(n)))
    took = time.monotonic() - t
    for ws in sockets:
        await ws.close()
    return took


def timed_gets(url, token, paths, n):
    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}"}
    for p in paths[:20]:
        session.get(url + p, headers=headers)  # warm
    times = []
    for i in range(n):
        t = time.perf_counter()
        r = session.get(url + paths[i % len(paths)], headers=headers)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, r.text
    return pct(times, 0.5), pct(times, 0.99)


def main():
    work = tempfile.mkdtemp(prefix="tp-talk-bench-")
    data = f"{work}/data"
    print(f"== conversations (issue 22), {os.cpu_count()} cores; setting up 100 conversations x 10 users and {MESSAGES:,} messages", flush=True)
    t = time.monotonic()
    setup = json.loads(subprocess.run([BENCH, "talk-setup", data, "100", "5", str(MESSAGES)], check=True, capture_output=True).stdout)
    print(f"   setup took {time.monotonic() - t:.0f} s", flush=True)
    rooms = [(c["id"], c["tokens"]) for c in setup["conversations"]]

    port = free_port()
    peer_ready = multiprocessing.Event()
    peer = multiprocessing.Process(target=peer_server, args=(port, peer_ready))
    peer.start()
    peer_ready.wait(10)
    print(f"-- fan-out, peer (Python websockets {websockets.__version__}): 1000 clients, 100 rooms, {RATE} msg/s for {SECONDS:.0f} s", flush=True)
    p = fan_out("peer", port, rooms, work)
    peer_storm_s = asyncio.run(peer_storm(port, 1000))
    peer.terminate()
    print(f"   sent {p['sent']}, deliveries {p['deliveries']}, lost {p['lost']}, duplicated {p['duplicated']}")
    print(f"   ack -> delivered to all: p50 {p['ack_p50']:.1f} ms, p99 {p['ack_p99']:.1f} ms; send -> delivered: p50 {p['send_p50']:.1f} ms, p99 {p['send_p99']:.1f} ms", flush=True)

    port = free_port()
    server = start_server(data, port)
    wait_ready(port, 60)
    print("-- fan-out, tradepost: the same load, messages through POST /conversations/{id}/messages (a commit each), delivery over /api/v1/live", flush=True)
    o = fan_out("ours", port, rooms, work)
    print(f"   sent {o['sent']}, deliveries {o['deliveries']}, lost {o['lost']}, duplicated {o['duplicated']}")
    print(f"   ack -> delivered to all: p50 {o['ack_p50']:.1f} ms, p99 {o['ack_p99']:.1f} ms; send -> delivered: p50 {o['send_p50']:.1f} ms, p99 {o['send_p99']:.1f} ms")
    ratio = o["ack_p99"] / p["ack_p99"] if p["ack_p99"] else float("nan")
    print(f"   BAR ack->delivered p99 ratio {ratio:.3f}x the peer's (bar <= 0.1x): {'PASS' if ratio <= 0.1 and o['lost'] == 0 and o['duplicated'] == 0 else 'FAIL'}"
          f"; send->delivered p99 ratio {o['send_p99'] / p['send_p99']:.3f}x", flush=True)

    q = multiprocessing.Queue()
    all_tokens = [t for _, tokens in rooms for t in tokens]
    proc = multiprocessing.Process(target=idle_connections, args=(port, all_tokens, IDLE, server.pid, q))
    proc.start()
    before, after, opened = q.get(timeout=600)
    proc.join(120)
    per = (after - before) / max(opened, 1)
    print(f"-- {opened:,} idle authenticated connections: server RSS {before / 1024:.0f} MB -> {after / 1024:.0f} MB, {per:.1f} KB per connection "
          f"(bar <= 20 KB): {'PASS' if per <= 20 and opened == IDLE else 'FAIL'}", flush=True)

    alone, together, lost, n = asyncio.run(storm(port, rooms))
    print(f"-- reconnection storm: one client catches up 5 missed messages in {alone * 1000:.1f} ms (median of 5); {n} clients together in "
          f"{together * 1000:.0f} ms = {together / alone:.1f}x, {lost} lost (bar <= 5x, 0 lost): {'PASS' if together <= 5 * alone and lost == 0 else 'FAIL'}", flush=True)
    print(f"   the load generator alone: 1000 sockets opened at once to the Python peer, one message on each, in {peer_storm_s * 1000:.0f} ms "
          f"(tradepost's storm = {together / peer_storm_s:.2f}x that)", flush=True)

    if MESSAGES:
        h = setup["history"]
        url = f"http://127.0.0.1:{port}/api/v1"
        rng = random.Random(22)
        pages = [f"/conversations/{rng.choice(h['conversations'])}/messages?limit=50" for _ in range(200)]
        deep = [f"/conversations/{rng.choice(h['conversations'])}/messages?limit=50&before={rng.randint(60, 900)}" for _ in range(200)]
        words = ["знижка", "поставки", "цена", "delivery", "парацетамол доставка", "invoice truck", "скидки заказ", "упаковк", "ибупрофен", "pallets"]
        searches = [f"/search/messages?q={w}" for w in words]
        mine = [f"/search/messages?q={w}&conversation_id={h['conversations'][0]}" for w in words]
        print(f"-- a tenant with {h['messages']:,} messages in 1000 conversations (sequential keep-alive requests)")
        for label, token, paths, bar in (("history page, latest 50", h["tokens"]["seller"], pages, True),
                                         ("history page, older 50 (before=)", h["tokens"]["seller"], deep, True),
                                         ("search, a seller in all 1000 conversations", h["tokens"]["seller"], searches, True),
                                         ("search, a buyer in one conversation", h["buyer_token"], searches, True),
                                         ("search within one conversation", h["tokens"]["seller"], mine, True)):
            p50, p99 = timed_gets(url, token, paths, 1000)
            print(f"   {label}: p50 {p50:.2f} ms, p99 {p99:.2f} ms (bar <= 20 ms): {'PASS' if p99 <= 20 else 'FAIL'}", flush=True)

    server.terminate()
    server.wait(30)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
