"""Conversations through the real server and real clients (requests, websockets): messages with
replies, files (size and type limits, image sizes, downloads for participants only), edits and
tombstones, unread counts, search with the catalog's Russian/Ukrainian analysis; live delivery with
per-conversation sequence numbers — a client that drops while messages, edits and deletions go on
reconnects with its last number and ends with exactly the server's history; a kill -9 during a burst
loses no acknowledged message; a salesperson whose link is revoked is refused on the next action and
hears nothing more."""
import asyncio
import json
import struct
import threading
import time
import zlib

import requests
import websockets

from conftest import cli_json, problem
from test_orders import trade_world


def png(width, height):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def ws_url(s):
    return s.url.replace("http://", "ws://") + "/api/v1/live"


class Client:
    """A live socket subscribed to the caller's conversations, keeping the last seq per conversation
    and applying events to its own copy of each conversation's messages."""

    def __init__(self, s, token):
        self.s, self.token = s, token
        self.seqs, self.messages, self.others = {}, {}, []

    async def connect(self):
        self.ws = await websockets.connect(ws_url(self.s), additional_headers={"Authorization": f"Bearer {self.token}"})
        assert json.loads(await self.ws.recv())["type"] == "hello"
        await self.ws.send(json.dumps({"subscribe": "conversations", "after": self.seqs}))
        while True:
            m = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
            if m["type"] == "caught_up":
                return self
            self.apply(m)

    def apply(self, m):
        if m["type"] != "conversation.event":
            self.others.append(m)
            return
        c = m["conversation_id"]
        assert m["seq"] > self.seqs.get(c, 0), f"seq went back: {m['seq']} after {self.seqs.get(c)}"
        self.seqs[c] = m["seq"]
        if m.get("message"):
            self.messages.setdefault(c, {})[m["message"]["id"]] = m["message"]

    async def pump(self, until, timeout=10):
        deadline = time.monotonic() + timeout
        while not until():
            left = deadline - time.monotonic()
            assert left > 0, "timed out waiting for live events"
            self.apply(json.loads(await asyncio.wait_for(self.ws.recv(), left)))

    async def quiet(self, seconds=0.5):
        try:
            m = await asyncio.wait_for(self.ws.recv(), seconds)
            return json.loads(m)
        except asyncio.TimeoutError:
            return None


def history(s, token, conversation):
    return {m["id"]: m for m in s.api("GET", f"/conversations/{conversation}/messages?limit=200", token).json()["items"]}


def setup(s):
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=100)
    c = s.api("POST", "/conversations", buyer_token, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"]}).json()
    return owner, seller_token, buyer_token, seller, buyer, product, c


def test_messages_files_edits_tombstones_unread_and_search(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, product, c = setup(s)
    path = f"/conversations/{c['id']}"
    first = s.api("POST", path + "/messages", buyer_token, json={"text": "Потрібна знижка на парацетамол, see https://example.com/list"})
    assert first.status_code == 201, first.text
    first = first.json()
    assert first["seq"] == 1 and first["author_name"] == "buyer"
    # Files: an image with its size known, a PDF; too large and disallowed ones refused.
    image = s.api("POST", path + "/attachments?name=photo.png", buyer_token, data=png(40, 30), headers={"Content-Type": "image/png"})
    assert image.status_code == 201, image.text
    assert (image.json()["width"], image.json()["height"]) == (40, 30)
    pdf = s.api("POST", path + "/attachments?name=price.pdf", buyer_token, data=b"%PDF-1.4\n%%EOF\n", headers={"Content-Type": "application/pdf"}).json()
    problem(s.api("POST", path + "/attachments?name=x.exe", buyer_token, data=b"MZ", headers={"Content-Type": "application/x-msdownload"}), 415)
    problem(s.api("POST", path + "/attachments?name=fake.png", buyer_token, data=b"not a png", headers={"Content-Type": "image/png"}), 415)
    problem(s.api("POST", path + "/attachments?name=big.pdf", buyer_token, data=b"%PDF-" + b"0" * (21 << 20), headers={"Content-Type": "application/pdf"}), 413)
    reply = s.api("POST", path + "/messages", seller_token, json={"text": "Знижки будуть", "reply_to": first["id"], "product_id": product["id"]})
    assert reply.status_code == 201
    # The seller cannot send the buyer's files.
    problem(s.api("POST", path + "/messages", seller_token, json={"attachment_ids": [pdf["id"]]}), 400)
    files = s.api("POST", path + "/messages", buyer_token, json={"attachment_ids": [image.json()["id"], pdf["id"]]}).json()
    assert [a["name"] for a in files["attachments"]] == ["photo.png", "price.pdf"]
    got = s.api("GET", f"/attachments/{pdf['id']}", seller_token)
    assert got.status_code == 200 and got.content == b"%PDF-1.4\n%%EOF\n" and got.headers["Content-Type"] == "application/pdf"

    # Unread: replying marked the seller's read up to the reply; the buyer's files came after.
    inbox = s.api("GET", "/inbox", seller_token).json()
    assert inbox == {"total": 1, "conversations": {c["id"]: 1}}
    assert s.api("POST", path + "/read", seller_token, json={}).json()["total"] == 0
    assert s.api("GET", "/inbox", buyer_token).json()["total"] == 0  # sending the files marked the reply read

    # Edits within the window, by the author only; deletion leaves a tombstone and removes the files.
    problem(s.api("PATCH", f"/messages/{first['id']}", seller_token, json={"text": "hacked"}), 403)
    edited = s.api("PATCH", f"/messages/{first['id']}", buyer_token, json={"text": "Потрібні знижки на парацетамол"}).json()
    assert edited["edited_at"] and edited["text"] == "Потрібні знижки на парацетамол"
    gone = s.api("DELETE", f"/messages/{files['id']}", buyer_token).json()
    assert gone["deleted_at"] and gone.get("text") is None and gone["attachments"] == []
    problem(s.api("GET", f"/attachments/{pdf['id']}", seller_token), 404)
    problem(s.api("PATCH", f"/messages/{files['id']}", buyer_token, json={"text": "back"}), 409)

    # Search with stemming across Ukrainian forms; the deleted message is not found.
    hits = s.api("GET", "/search/messages", seller_token, params={"q": "знижка"}).json()["items"]
    assert {h["message"]["id"] for h in hits} == {first["id"], reply.json()["id"]}
    assert s.api("GET", "/search/messages", seller_token, params={"q": "парацет"}).json()["items"][0]["message"]["id"] == first["id"]

    # The history: oldest first, paged backwards (seq numbers every event: the read, edit and deletion too).
    page = s.api("GET", path + "/messages?limit=2", buyer_token).json()
    assert [m["seq"] for m in page["items"]] == [2, 3] and page["next_before"] == 2 and page["last_seq"] == 6
    older = s.api("GET", path + f"/messages?limit=2&before={page['next_before']}", buyer_token).json()
    assert [m["seq"] for m in older["items"]] == [1] and older.get("next_before") is None

    # Archive and reopen; sending to an archived conversation is 409.
    assert s.api("POST", path + "/archive", seller_token).json()["state"] == "archived"
    assert problem(s.api("POST", path + "/messages", buyer_token, json={"text": "hi"}), 409)["state"] == "archived"
    problem(s.api("POST", path + "/archive", seller_token), 409)
    assert s.api("POST", path + "/reopen", buyer_token).json()["state"] == "open"


def test_a_dropped_client_catches_up_to_exactly_the_servers_history(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, product, c = setup(s)
    path = f"/conversations/{c['id']}/messages"

    async def scenario():
        watcher = await Client(s, seller_token).connect()
        sent = [s.api("POST", path, buyer_token, json={"text": f"m{i}"}).json() for i in range(5)]
        await watcher.pump(lambda: watcher.seqs.get(c["id"], 0) >= 5)
        assert [m["text"] for m in watcher.messages[c["id"]].values()] == [f"m{i}" for i in range(5)]
        await watcher.ws.close()
        # While it is away: more messages, an edit and a deletion of messages it already has.
        for i in range(5, 9):
            s.api("POST", path, buyer_token, json={"text": f"m{i}"})
        s.api("PATCH", f"/messages/{sent[1]['id']}", buyer_token, json={"text": "m1 edited"})
        s.api("DELETE", f"/messages/{sent[2]['id']}", buyer_token)
        await watcher.connect()  # sends its last seq per conversation
        assert watcher.seqs[c["id"]] == 11
        assert watcher.messages[c["id"]] == history(s, seller_token, c["id"])
        # Live again: a new message arrives once, in order.
        s.api("POST", path, buyer_token, json={"text": "after"})
        await watcher.pump(lambda: watcher.seqs[c["id"]] >= 12)
        assert await watcher.quiet() is None
        assert watcher.messages[c["id"]] == history(s, seller_token, c["id"])
        # Far behind (more than talk.resume_limit events): told to reload.
        await watcher.ws.close()
        await watcher.connect()
        await watcher.ws.close()
        lagging = Client(s, seller_token)
        lagging.seqs = {c["id"]: 1}
        await lagging.connect()
        assert [m["type"] for m in lagging.others] == ["subscribed"] and lagging.seqs[c["id"]] == 12
        await lagging.ws.close()

    asyncio.run(scenario())


def test_resume_past_the_limit_is_a_resync(data_dir):
    from conftest import Server
    s = Server(data_dir, env={"TRADEPOST_TALK_RESUME_LIMIT": "3"}).start()
    try:
        owner, seller_token, buyer_token, seller, buyer, product, c = setup(s)
        for i in range(6):
            s.api("POST", f"/conversations/{c['id']}/messages", buyer_token, json={"text": f"m{i}"})

        async def scenario():
            client = Client(s, seller_token)
            client.seqs = {c["id"]: 1}
            await client.connect()
            assert client.others == [{"type": "subscribed", "topic": "conversations"},
                                     {"type": "resync", "conversation_id": c["id"], "seq": 6}]
            await client.ws.close()
        asyncio.run(scenario())
        assert s.api("GET", f"/conversations/{c['id']}/events?after=1", seller_token).json()["resync"] is True
        events = s.api("GET", f"/conversations/{c['id']}/events?after=4", seller_token).json()
        assert [e["seq"] for e in events["events"]] == [5, 6] and events["resync"] is False
    finally:
        s.stop()


def test_kill_9_during_a_burst_loses_no_acknowledged_message(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, product, c = setup(s)
    acked, stop = [], threading.Event()

    def burst():
        i = 0
        while not stop.is_set():
            try:
                r = requests.post(s.url + f"/api/v1/conversations/{c['id']}/messages", json={"text": f"burst {i}"},
                                  headers={"Authorization": f"Bearer {buyer_token}"}, timeout=5)
                if r.status_code == 201:
                    acked.append(r.json()["id"])
            except requests.RequestException:
                time.sleep(0.05)
            i += 1

    async def scenario():
        watchers = [await Client(s, seller_token).connect(), await Client(s, buyer_token).connect()]
        thread = threading.Thread(target=burst)
        thread.start()
        await asyncio.sleep(1.0)
        s.proc.kill()
        s.proc.wait()
        for w in watchers:
            try:
                await w.pump(lambda: False, timeout=2)
            except (AssertionError, websockets.ConnectionClosed, OSError, asyncio.TimeoutError):
                pass
        s.start()
        await asyncio.sleep(0.5)
        stop.set()
        thread.join()
        for w in watchers:
            await w.connect()
            final = history(s, seller_token, c["id"]) if len(acked) < 200 else None
            total = s.api("GET", f"/conversations/{c['id']}", seller_token).json()["last_seq"]
            await w.pump(lambda: w.seqs.get(c["id"], 0) >= total)
            missing = [m for m in acked if m not in w.messages[c["id"]]]
            assert not missing, f"{len(missing)} acknowledged messages never reached a subscriber"
            if final is not None:
                assert w.messages[c["id"]] == final
            await w.ws.close()
        assert len(acked) > 10

    asyncio.run(scenario())


def test_a_revoked_salesperson_is_refused_on_the_next_action_and_hears_nothing_more(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, product, c = setup(s)
    manager = s.api("POST", "/users", owner, json={"email": "boss@seller.test", "name": "Manager", "password": "manager-pass-1"}).json()["user"]
    s.api("PUT", f"/businesses/{seller['id']}/members/{manager['id']}", owner, json={"role": "manager"})
    manager_token = s.login("boss@seller.test", "manager-pass-1", tenant="acme")
    rep = s.api("POST", "/users", owner, json={"email": "rep@acme.test", "name": "Rep", "password": "rep-pass-1", "kind": "salesperson"}).json()["user"]
    rep_token = s.login("rep@acme.test", "rep-pass-1", tenant="acme")
    problem(s.api("GET", f"/conversations/{c['id']}", rep_token), 404)
    # Only salespeople ask; the manager approves.
    problem(s.api("POST", "/salesperson-links", buyer_token, json={"business_id": seller["id"], "side": "seller"}), 403)
    link = s.api("POST", "/salesperson-links", rep_token, json={"business_id": seller["id"], "side": "seller", "note": "I sell for you"})
    assert link.status_code == 201, link.text
    link = link.json()
    problem(s.api("POST", "/salesperson-links", rep_token, json={"business_id": seller["id"], "side": "seller"}), 409)
    problem(s.api("POST", f"/salesperson-links/{link['id']}/approve", rep_token), 403)
    problem(s.api("POST", f"/salesperson-links/{link['id']}/approve", buyer_token), 404)
    assert [l["id"] for l in s.api("GET", "/salesperson-links", manager_token).json()["items"]] == [link["id"]]
    assert s.api("POST", f"/salesperson-links/{link['id']}/approve", manager_token).json()["state"] == "active"
    problem(s.api("POST", f"/salesperson-links/{link['id']}/approve", manager_token), 409)

    # Linked: the salesperson takes part and makes offers for the seller.
    assert s.api("POST", f"/conversations/{c['id']}/messages", rep_token, json={"text": "Hello from your rep"}).status_code == 201
    offer = s.api("POST", f"/conversations/{c['id']}/negotiations", rep_token,
                  json={"lines": [{"product_id": product["id"], "quantity": 5, "unit_price": "40.00"}]})
    assert offer.status_code == 201 and offer.json()["revisions"][0]["side"] == "seller"

    async def scenario():
        rep_ws = await Client(s, rep_token).connect()
        s.api("POST", f"/conversations/{c['id']}/messages", buyer_token, json={"text": "seen by rep"})
        await rep_ws.pump(lambda: any(m.get("text") == "seen by rep" for m in rep_ws.messages.get(c["id"], {}).values()))
        # The manager revokes while the salesperson's session and socket are open.
        assert s.api("POST", f"/salesperson-links/{link['id']}/revoke", manager_token, json={"reason": "Left"}).json()["state"] == "revoked"
        problem(s.api("POST", f"/conversations/{c['id']}/messages", rep_token, json={"text": "still here?"}), 404)
        problem(s.api("POST", f"/negotiations/{offer.json()['id']}/counter", rep_token,
                      json={"revision": 1, "lines": [{"product_id": product["id"], "quantity": 5, "unit_price": "39.00"}]}), 404)
        problem(s.api("GET", f"/conversations/{c['id']}/messages", rep_token), 404)
        s.api("POST", f"/conversations/{c['id']}/messages", buyer_token, json={"text": "not for the rep"})
        assert await rep_ws.quiet(1.0) is None
        await rep_ws.ws.close()

    asyncio.run(scenario())
    audit = s.api("GET", "/audit", owner).json()["items"]
    assert {"salesperson_link.requested", "salesperson_link.active", "salesperson_link.revoked"} <= {a["action"] for a in audit}


def test_a_buyer_linked_salesperson_places_orders_until_revoked(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, product, c = setup(s)
    rep = s.api("POST", "/users", owner, json={"email": "agent@acme.test", "name": "Agent", "password": "agent-pass-1", "kind": "salesperson"}).json()["user"]
    rep_token = s.login("agent@acme.test", "agent-pass-1", tenant="acme")
    link = s.api("POST", "/salesperson-links", rep_token, json={"business_id": buyer["id"], "side": "buyer"}).json()
    body = {"buyer_business_id": buyer["id"], "seller_business_id": seller["id"], "lines": [{"sku": "PAR-500", "quantity": 2}]}
    problem(s.api("POST", "/orders", rep_token, json=body), 403)
    assert s.api("POST", f"/salesperson-links/{link['id']}/approve", owner).json()["state"] == "active"
    placed = s.api("POST", "/orders", rep_token, json=body)
    assert placed.status_code == 201, placed.text
    assert s.api("GET", f"/orders/{placed.json()['id']}", rep_token).status_code == 200
    assert s.api("POST", f"/salesperson-links/{link['id']}/revoke", rep_token).json()["state"] == "revoked"
    problem(s.api("POST", "/orders", rep_token, json=body), 403)
    problem(s.api("GET", f"/orders/{placed.json()['id']}", rep_token), 404)


def test_an_admin_lists_and_revokes_links_from_the_command_line(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, product, c = setup(s)
    s.api("POST", "/users", owner, json={"email": "cli-rep@acme.test", "name": "Rep", "password": "rep-pass-1", "kind": "salesperson"})
    rep_token = s.login("cli-rep@acme.test", "rep-pass-1", tenant="acme")
    link = s.api("POST", "/salesperson-links", rep_token, json={"business_id": seller["id"], "side": "seller"}).json()
    assert s.api("POST", f"/salesperson-links/{link['id']}/approve", owner).json()["state"] == "active"
    assert s.api("POST", f"/conversations/{c['id']}/messages", rep_token, json={"text": "hi"}).status_code == 201
    listed = cli_json("salespeople", "links", "--tenant", "acme", "--state", "active", data=s.data)
    assert [(l["id"], l["user_email"], l["state"]) for l in listed] == [(link["id"], "cli-rep@acme.test", "active")]
    revoked = cli_json("salespeople", "revoke", "--tenant", "acme", link["id"], "--reason", "Left", data=s.data)
    assert revoked["state"] == "revoked" and revoked["reason"] == "Left"
    problem(s.api("POST", f"/conversations/{c['id']}/messages", rep_token, json={"text": "again"}), 404)
    assert any(a["action"] == "salesperson_link.revoked" for a in s.api("GET", "/audit", owner).json()["items"])


def test_a_member_of_another_business_sees_none_of_it(server):
    """Isolation across businesses of one tenant, for every endpoint of conversations and
    negotiations in the OpenAPI document: a member of a third business gets 404 on each, and the
    lists, search and inbox show it nothing."""
    s = server
    owner, seller_token, buyer_token, seller, buyer, product, c = setup(s)
    other = s.api("POST", "/businesses", owner, json={"name": "Elsewhere", "type": "pharmacy", "city": "Odesa"}).json()
    user = s.api("POST", "/users", owner, json={"email": "other@acme.test", "name": "Other", "password": "other-pass-1"}).json()["user"]
    s.api("PUT", f"/businesses/{other['id']}/members/{user['id']}", owner, json={"role": "manager"})
    stranger = s.login("other@acme.test", "other-pass-1", tenant="acme")
    path = f"/conversations/{c['id']}"
    att = s.api("POST", path + "/attachments?name=a.pdf", buyer_token, data=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}).json()
    msg = s.api("POST", path + "/messages", buyer_token, json={"text": "secret aspirin price", "attachment_ids": [att["id"]]}).json()
    n = s.api("POST", path + "/negotiations", seller_token, json={"lines": [{"product_id": product["id"], "quantity": 1, "unit_price": "1.00"}]}).json()
    ids = {"conversations": c["id"], "attachments": att["id"], "messages": msg["id"], "negotiations": n["id"]}
    bodies = {"messages": {"text": "x"}, "counter": {"revision": 1, "lines": [{"sku": "PAR-500", "quantity": 1, "unit_price": "1.00"}]},
              "accept": {"revision": 1}, "decline": {"revision": 1}, "read": {}, "negotiations": {"lines": [{"sku": "PAR-500", "quantity": 1}]},
              "PATCH": {"text": "x"}}
    doc = requests.get(s.url + "/api/openapi.json").json()
    checked = set()
    for template, item in doc["paths"].items():
        for method, op in item.items():
            if op["tags"][0] not in ("conversations", "negotiations") or "{id}" not in template or template.startswith("/api/v1/businesses/"):
                continue
            root = template.split("/")[3]
            concrete = template.replace("{id}", ids[root])[len("/api/v1"):]
            body = bodies.get(method.upper()) or bodies.get(concrete.rsplit("/", 1)[-1])
            if concrete.endswith("/attachments"):
                concrete += "?name=x.pdf"
            r = s.api(method.upper(), concrete, stranger, json=body)
            assert r.status_code == 404, f"{method.upper()} {concrete}: {r.status_code} {r.text}"
            checked.add(f"{method.upper()} {template}")
    assert len(checked) >= 17, checked
    # Quote requests name the buyer: a business the stranger is not in is refused.
    problem(s.api("POST", f"/businesses/{buyer['id']}/quote-requests", stranger, json={"seller_business_id": seller["id"]}), 403)
    problem(s.api("POST", "/conversations", stranger, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"]}), 403)
    assert s.api("GET", "/conversations", stranger).json()["items"] == []
    assert s.api("GET", "/search/messages?q=aspirin", stranger).json()["items"] == []
    assert s.api("GET", "/inbox", stranger).json() == {"total": 0, "conversations": {}}
    assert s.api("GET", f"/conversations/{c['id']}/messages", buyer_token).json()["items"][0]["id"] == msg["id"]  # still there for its owners
