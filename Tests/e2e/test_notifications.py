"""Notifications through the real server: an order's life tells exactly the users who should hear
(the seller's people when it is placed, the buyer's when it is confirmed or shipped; never the one
outside either business), in their language, once each; they arrive live over the socket with
sequence numbers and a reconnecting client catches up from where it stopped; read marks; settings
with every bad field named; a user who turned a kind off in the app does not see it."""
import asyncio
import json

import websockets

from conftest import problem
from test_browser import browser  # noqa: F401 - the Chromium fixture
from test_orders import trade_world


def ws_url(s):
    return s.url.replace("http://", "ws://") + "/api/v1/live"


def kinds(s, token):
    return [n["kind"] for n in s.api("GET", "/notifications", token).json()["items"]]


def place(s, buyer_token, seller, buyer, product, quantity=3):
    assert s.api("PUT", f"/businesses/{buyer['id']}/cart/lines/{product['id']}", buyer_token, json={"quantity": quantity}).status_code == 200
    r = s.api("POST", "/orders", buyer_token, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"]})
    assert r.status_code == 201, r.text
    return r.json()


async def subscribe(s, token, after=None):
    ws = await websockets.connect(ws_url(s), additional_headers={"Authorization": f"Bearer {token}"})
    assert json.loads(await ws.recv())["type"] == "hello"
    await ws.send(json.dumps({"subscribe": "notifications", **({"after": after} if after is not None else {})}))
    m = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert m["type"] == "subscribed" and m["topic"] == "notifications", m
    return ws, m["seq"]


async def next_notification(ws, timeout=10):
    while True:
        m = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if m["type"] == "notification":
            return m


def test_an_orders_life_tells_exactly_who_should_hear(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=50)
    outsider = s.api("POST", "/users", owner, json={"email": "out@acme.test", "name": "Out", "password": "outsider-pass-1"}).json()["user"]
    outsider_token = s.login("out@acme.test", "outsider-pass-1", tenant="acme")
    # The buyer reads Ukrainian.
    assert s.api("PATCH", "/me", buyer_token, json={"locale": "uk"}).status_code == 200

    async def flow():
        seller_ws, start = await subscribe(s, seller_token)
        order = place(s, buyer_token, seller, buyer, product)
        pushed = await next_notification(seller_ws)
        assert pushed["seq"] > start and pushed["notification"]["kind"] == "order.placed"
        assert order["number"] in pushed["notification"]["title"] and pushed["notification"]["link"] == f"/orders/{order['id']}"
        await seller_ws.close()
        return order, pushed["seq"]

    order, seen = asyncio.run(flow())
    assert s.api("POST", f"/orders/{order['id']}/confirm", seller_token).status_code == 200
    s.wait_for(lambda: "order.confirmed" in kinds(s, buyer_token), message="the buyer hears of the confirmation")
    buyer_items = s.api("GET", "/notifications", buyer_token).json()
    confirmed = [n for n in buyer_items["items"] if n["kind"] == "order.confirmed"][0]
    assert confirmed["title"] == f"Замовлення {order['number']} підтверджено" and buyer_items["unread"] == 1
    assert kinds(s, seller_token) == ["order.placed"]  # the seller does not hear of their own confirmation
    assert kinds(s, outsider_token) == [] and kinds(s, owner) == []

    # A reconnecting client catches up from its last seq: the seller, who saw everything of its own,
    # is sent nothing again; the buyer, from 0, gets its one notification.
    async def catch_up():
        ws, _ = await subscribe(s, seller_token, after=seen)
        try:
            await asyncio.wait_for(next_notification(ws), 0.5)
            raise AssertionError("the seller was sent something it had seen")
        except asyncio.TimeoutError:
            pass
        await ws.close()
        ws, _ = await subscribe(s, buyer_token, after=0)
        m = await next_notification(ws)
        assert m["notification"]["kind"] == "order.confirmed"
        await ws.close()
    asyncio.run(catch_up())

    # Read marks: one, then all; nobody marks another's.
    problem(s.api("POST", f"/notifications/{confirmed['id']}/read", seller_token), 404, "not_found")
    read = s.api("POST", f"/notifications/{confirmed['id']}/read", buyer_token).json()
    assert read["read_at"] and s.api("GET", "/notifications", buyer_token).json()["unread"] == 0
    place(s, buyer_token, seller, buyer, product)
    s.wait_for(lambda: kinds(s, seller_token).count("order.placed") == 2)
    assert s.api("POST", "/notifications/read-all", seller_token).json()["updated"] == 2
    assert s.api("GET", "/notifications?unread=true", seller_token).json()["items"] == []


def test_settings_name_every_bad_field_and_a_kind_turned_off_stays_out_of_the_app(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=50)
    settings = s.api("GET", "/notifications/settings", seller_token).json()
    placed = {c["channel"]: c["enabled"] for c in settings["choices"] if c["kind"] == "order.placed"}
    assert placed == {"in_app": True, "email": True, "telegram": True, "sms": False}
    # Defaults follow the role: staff are not mailed payments (their managers are); a salesperson is
    # mailed new orders but hears of shipments by Telegram and in the app.
    def email(token, kind):
        found = s.api("GET", "/notifications/settings", token).json()
        return found["defaults_role"], [c["enabled"] for c in found["choices"] if c["kind"] == kind and c["channel"] == "email"][0]
    assert email(seller_token, "payment.recorded") == ("member", False)
    assert s.api("PUT", f"/businesses/{seller['id']}/members/{s.api('GET', '/me', seller_token).json()['id']}", owner,
                 json={"role": "manager"}).status_code == 200
    assert email(seller_token, "payment.recorded") == ("manager", True)
    assert s.api("POST", "/users", owner, json={"email": "rep@acme.test", "name": "Rep", "password": "rep-pass-12",
                                                "kind": "salesperson"}).status_code == 201
    rep = s.login("rep@acme.test", "rep-pass-12", tenant="acme")
    assert email(rep, "order.placed") == ("salesperson", True) and email(rep, "order.shipped") == ("salesperson", False)
    assert email(owner, "order.shipped") == ("admin", True)
    settings = s.api("GET", "/notifications/settings", seller_token).json()
    assert settings["digest"] == "off" and settings["time_zone"] == "UTC"

    bad = problem(s.api("PATCH", "/notifications/settings", seller_token, json={
        "choices": [{"kind": "order.nope", "channel": "email", "enabled": False}], "time_zone": "Mars/Base",
        "quiet_start": "25:00", "quiet_end": "07:00", "phone": "12345"}), 400, "invalid")
    assert {e["field"] for e in bad["errors"]} >= {"choices[0].kind", "quiet_start", "phone"}, bad
    assert s.api("GET", "/notifications/settings", seller_token).json() == settings

    changed = s.api("PATCH", "/notifications/settings", seller_token, json={
        "choices": [{"kind": "order.placed", "channel": "in_app", "enabled": False}], "time_zone": "Europe/Kyiv",
        "quiet_start": "22:00", "quiet_end": "07:00", "digest": "daily", "phone": "+380501234567"}).json()
    assert changed["time_zone"] == "Europe/Kyiv" and changed["quiet_start"] == "22:00" and changed["digest"] == "daily"
    assert [c["enabled"] for c in changed["choices"] if c["kind"] == "order.placed" and c["channel"] == "in_app"] == [False]
    place(s, buyer_token, seller, buyer, product)
    # The in-app one is stored read (email still goes), so the centre shows nothing unread.
    s.wait_for(lambda: s.api("GET", "/notifications", seller_token).json()["items"])
    assert s.api("GET", "/notifications", seller_token).json()["unread"] == 0
    problem(s.api("GET", "/notifications/deliveries", seller_token), 403, "forbidden")
    deliveries = s.api("GET", "/notifications/deliveries?channel=email", owner).json()["items"]
    assert [d["status"] for d in deliveries] == ["digest"]


def test_the_bell_counts_live_and_the_centre_opens_and_reads(server, browser):  # noqa: F811
    from playwright.sync_api import expect
    s = server
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=50)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(s.url + "/login")
    page.get_by_label("Company").fill("acme")
    page.get_by_label("Email").fill("seller@acme.test")
    page.get_by_label("Password").fill("seller-pass-1")
    page.keyboard.press("Enter")
    bell = page.get_by_role("link", name="Notifications, 0 unread")
    expect(bell).to_be_visible()
    # An order placed elsewhere rings the bell without a reload.
    order = place(s, buyer_token, seller, buyer, product)
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    page.get_by_role("link", name="Notifications, 1 unread").click()
    expect(page.get_by_role("heading", name="Notifications", exact=True)).to_be_visible()
    item = page.get_by_role("link", name=f"New order {order['number']}")
    expect(item).to_be_visible()
    # A second one arrives while the centre is open, at the top.
    place(s, buyer_token, seller, buyer, product)
    expect(page.locator(".notice")).to_have_count(2)
    item.click()
    expect(page).to_have_url(s.url + f"/orders/{order['id']}")
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    # Settings: turning a kind's email off is saved.
    page.goto(s.url + "/notifications")
    page.get_by_label("Order placed: Email").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Settings saved")).to_be_visible()
    choices = s.api("GET", "/notifications/settings", seller_token).json()["choices"]
    assert {(c["kind"], c["channel"]): c["enabled"] for c in choices}[("order.placed", "email")] is False
    assert errors == []
    context.close()


def test_a_tenants_job_given_up_tells_its_admins(probed_server):
    s = probed_server
    admin = s.admin_token()
    tenant = s.create_tenant("acme", owner_email="boss@acme.test", token=admin)
    owner = s.login("boss@acme.test", "owner-password-1", tenant="acme")
    assert s.api("POST", "/users", owner, json={"email": "m@acme.test", "name": "M", "password": "member-pass-1"}).status_code == 201
    r = s.api("POST", "/admin/jobs", admin, json={"type": "test.probe", "payload": {"tag": "doomed", "fail": True}, "tenant_id": tenant["id"]})
    assert r.status_code == 201, r.text
    note = s.wait_for(lambda: [n for n in s.api("GET", "/notifications", owner).json()["items"] if n["kind"] == "job.failed"])[0]
    assert note["urgent"] and "test.probe" in note["title"] and "failed as asked" in note["body"] and note["link"] == "/jobs"
    assert s.api("GET", "/notifications", s.login("m@acme.test", "member-pass-1", tenant="acme")).json()["items"] == []
