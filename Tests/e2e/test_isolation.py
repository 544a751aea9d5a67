"""The tenant-isolation matrix: for every endpoint in the OpenAPI document, a credential of tenant A
used on tenant B's resources gets 404 (403 for platform endpoints) and changes nothing in B.

The matrix is driven by /api/openapi.json: an endpoint without a case here fails the test, so
every new endpoint has to join the matrix.
"""
import time
import urllib.parse
from datetime import datetime, timedelta, timezone

import init_data_py
import pytest
import requests
from telegram import User

from conftest import Server, problem
from fake_bot_api import FakeBotAPI
from fake_whatsapp_api import text_message
from test_telegram import text_update

BOT_TOKENS = {"alpha": "7100001:AAH" + "a" * 32, "beta": "7100002:AAH" + "b" * 32}
BETA_TELEGRAM_USER = 7200002
WHATSAPP = {"alpha": ("1000000001", "alpha-app-secret"), "beta": ("1000000002", "beta-app-secret")}


def post_whatsapp(server, slug, channel, body, secret):
    import hashlib
    import hmac
    import json
    data = json.dumps(body, ensure_ascii=False).encode()
    return requests.post(server.url + f"/api/v1/whatsapp/{slug}/{channel}/webhook", data=data, headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": "sha256=" + hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()})


@pytest.fixture
def bots():
    """A fake Bot API serving both tenants' bots, each by its own token."""
    api = FakeBotAPI(BOT_TOKENS["alpha"], bot_id=7100001, username="alpha_bot")
    api.add(BOT_TOKENS["beta"], 7100002, "beta_bot")
    yield api
    api.close()


@pytest.fixture
def server(data_dir, bots):
    """The usual server, told where the fake Bot API is, so both tenants can connect a bot."""
    s = Server(data_dir, env={"TRADEPOST_NOTIFY_TELEGRAM_API_URL": bots.url}).start()
    yield s
    code = s.stop()
    assert code == 0, f"server exited with {code}:\n{s.output()[-3000:]}"


def bot_secret(bots, slug):
    return [c for c in bots.of("setWebhook") if c["url"].endswith(f"/telegram/{slug}/webhook")][-1]["secret_token"]


def post_update(server, slug, update, secret):
    return requests.post(server.url + f"/api/v1/telegram/{slug}/webhook", json=update.to_dict(),
                         headers={"X-Telegram-Bot-Api-Secret-Token": secret})


@pytest.fixture
def world(server, bots):
    admin = server.admin_token()
    a = server.create_tenant("alpha", owner_email="owner@alpha.test", token=admin)
    b = server.create_tenant("beta", owner_email="owner@beta.test", token=admin)
    ta = server.login("owner@alpha.test", "owner-password-1", tenant="alpha")
    tb = server.login("owner@beta.test", "owner-password-1", tenant="beta")

    def seed(token, tenant):
        user = server.api("POST", "/users", token, json={"email": f"staff@{tenant}.test", "name": "Staff", "password": "staff-pass-1"}).json()["user"]
        biz = server.api("POST", "/businesses", token, json={"name": f"{tenant} pharma", "type": "pharmacy", "city": "Lviv"}).json()
        assert server.api("PUT", f"/businesses/{biz['id']}/members/{user['id']}", token, json={"role": "staff"}).status_code == 200
        api_token = server.api("POST", "/me/tokens", token, json={"name": "t", "scopes": ["read"]}).json()
        session = [s for s in server.api("GET", "/me/sessions", token).json()["items"] if s["current"]][0]
        category = server.api("POST", "/categories", token, json={"name": "Medicine"}).json()
        product = server.api("POST", f"/businesses/{biz['id']}/products", token, json={
            "sku": "ASP-1", "name": f"Aspirin {tenant}", "currency": "UAH", "price": "10.00", "status": "published",
            "category_id": category["id"]}).json()
        assert product["status"] == "published", product
        upload = server.api("POST", f"/businesses/{biz['id']}/imports", token, params={"dry_run": "true"}, data=b"sku,name,price\nX-1,X,1\n",
                            headers={"Content-Type": "text/csv"})
        assert upload.status_code == 202, upload.text
        # Finished before the snapshots, so only a leak could change it between them.
        server.wait_for(lambda: server.api("GET", f"/imports/{upload.json()['id']}", token).json()["state"] == "succeeded",
                        message="the seeded dry run")
        group = server.api("POST", f"/businesses/{biz['id']}/buyer-groups", token, json={"name": "Own", "buyer_business_ids": [biz["id"]]})
        assert group.status_code == 201, group.text
        plist = server.api("POST", f"/businesses/{biz['id']}/price-lists", token, json={
            "name": "Own", "buyer_group_id": group.json()["id"], "items": [{"sku": "ASP-1", "price": "9.00"}]})
        assert plist.status_code == 201, plist.text
        warehouse = server.api("POST", f"/businesses/{biz['id']}/warehouses", token, json={"name": "Main"})
        assert warehouse.status_code == 201, warehouse.text
        moved = server.api("POST", f"/businesses/{biz['id']}/stock/movements", token, json={
            "kind": "receipt", "product_id": product["id"], "warehouse_id": warehouse.json()["id"], "quantity": 7})
        assert moved.status_code == 201, moved.text
        shop = server.api("POST", "/businesses", token, json={"name": f"{tenant} wholesale", "type": "wholesaler", "city": "Kyiv"}).json()
        sold = server.api("POST", f"/businesses/{shop['id']}/products", token, json={
            "sku": "IBU-1", "name": f"Ibuprofen {tenant}", "currency": "UAH", "price": "5.00", "status": "published", "stock_quantity": 9}).json()
        owner_id = server.api("GET", "/me", token).json()["id"]
        assert server.api("PUT", f"/businesses/{shop['id']}/members/{owner_id}", token, json={"role": "manager"}).status_code == 200
        order = server.api("POST", "/orders", token, json={"buyer_business_id": biz["id"], "seller_business_id": shop["id"],
                                                           "lines": [{"product_id": sold["id"], "quantity": 2}]})
        assert order.status_code == 201, order.text
        assert server.api("PUT", f"/businesses/{biz['id']}/cart/lines/{sold['id']}", token, json={"quantity": 1}).status_code == 200
        proposal = server.api("POST", f"/orders/{order.json()['id']}/proposals", token, json={"lines": [{"product_id": sold["id"], "quantity": 2, "unit_price": "4.00"}]})
        assert proposal.status_code == 201, proposal.text
        assert server.api("POST", f"/orders/{order.json()['id']}/confirm", token).status_code == 200
        shipment = server.api("POST", f"/orders/{order.json()['id']}/shipments", token, json={"lines": [{"line_no": 1, "quantity": 1}]})
        assert shipment.status_code == 201, shipment.text
        invoice = server.api("POST", f"/orders/{order.json()['id']}/invoices", token)
        assert invoice.status_code == 201, invoice.text
        paid = server.api("POST", f"/invoices/{invoice.json()['id']}/payments", token, json={"amount": "1.00", "method": "cash"})
        assert paid.status_code == 201, paid.text
        assert server.api("GET", f"/invoices/{invoice.json()['id']}/pdf", token).status_code == 200
        limit = server.api("PUT", f"/businesses/{shop['id']}/credit-limits/{biz['id']}", token, json={"limit": {"amount": "500", "currency": "UAH"}})
        assert limit.status_code == 200, limit.text
        promo = server.api("POST", f"/businesses/{shop['id']}/promo-codes", token, json={"code": f"{tenant}-10", "kind": "percent", "percent": "10"})
        assert promo.status_code == 201, promo.text
        returned = server.api("POST", f"/orders/{order.json()['id']}/returns", token, json={"lines": [{"line_no": 1, "quantity": 1}], "reason": "Seed"})
        assert returned.status_code == 201, returned.text
        assert server.api("POST", f"/returns/{returned.json()['id']}/accept", token).status_code == 200
        credit = server.api("POST", f"/returns/{returned.json()['id']}/receive", token)
        assert credit.status_code == 200, credit.text
        second = server.api("POST", f"/orders/{order.json()['id']}/returns", token, json={"lines": [{"line_no": 1, "quantity": 1}], "reason": "Open"})
        assert second.status_code == 400, second.text  # the one shipped unit is back already
        png = bytes.fromhex("89504e470d0a1a0a") + tenant.encode()
        assert server.api("PUT", f"/products/{product['id']}/image", token, data=png, headers={"Content-Type": "image/png"}).status_code == 200
        assert server.api("PUT", f"/businesses/{biz['id']}/logo", token, data=png, headers={"Content-Type": "image/png"}).status_code == 200
        s3key = server.api("POST", "/s3/keys", token, json={"name": f"{tenant} backups"})
        assert s3key.status_code == 201, s3key.text
        staff = server.login(f"staff@{tenant}.test", "staff-pass-1", tenant=tenant)
        talk = server.api("POST", "/conversations", staff, json={"buyer_business_id": biz["id"], "seller_business_id": shop["id"]})
        assert talk.status_code == 201, talk.text
        cid = talk.json()["id"]
        attachment = server.api("POST", f"/conversations/{cid}/attachments?name=a.pdf", staff, data=b"%PDF-1.4 " + tenant.encode(),
                                headers={"Content-Type": "application/pdf"})
        assert attachment.status_code == 201, attachment.text
        message = server.api("POST", f"/conversations/{cid}/messages", staff, json={"text": f"aspirin talk {tenant}", "attachment_ids": [attachment.json()["id"]]})
        assert message.status_code == 201, message.text
        rfq = server.api("POST", f"/conversations/{cid}/negotiations", staff, json={"kind": "rfq", "lines": [{"product_id": sold["id"], "quantity": 3}]})
        assert rfq.status_code == 201, rfq.text
        rep = server.api("POST", "/users", token, json={"email": f"rep@{tenant}.test", "name": "Rep", "password": "rep-pass-1", "kind": "salesperson"}).json()["user"]
        rep_token = server.login(f"rep@{tenant}.test", "rep-pass-1", tenant=tenant)
        link = server.api("POST", "/salesperson-links", rep_token, json={"business_id": shop["id"], "side": "seller"})
        assert link.status_code == 201, link.text
        document = server.api("PUT", "/salespeople/me/document?name=passport.pdf", rep_token, data=b"%PDF-1.4 id", headers={"Content-Type": "application/pdf"})
        assert document.status_code == 200, document.text
        # Notifications (the owner manages the selling shop), a webhook endpoint with a test message (a documentation
        # address: nothing answers), the mail relay.
        hook = server.api("POST", "/webhooks", token, json={"url": f"https://203.0.113.10/{tenant}", "event_types": ["order.placed"]})
        assert hook.status_code == 201, hook.text
        hook_message = server.api("POST", f"/webhooks/{hook.json()['id']}/test", token)
        assert hook_message.status_code == 202, hook_message.text
        assert server.api("PUT", "/channels/email", token, json={"host": "203.0.113.10", "port": 587, "security": "starttls",
                                                                  "from_email": f"shop@{tenant}.test", "password": tenant}).status_code == 200
        bot = server.api("PUT", "/channels/telegram", token, json={"token": BOT_TOKENS[tenant]})
        assert bot.status_code == 200, bot.text
        # A WhatsApp channel for the shop, its owner an agent, and a customer who wrote in.
        phone, secret = WHATSAPP[tenant]
        channel = server.api("POST", "/inbox/channels", token, json={
            "kind": "whatsapp", "name": f"{tenant} WA", "business_id": shop["id"], "phone_number_id": phone, "access_token": f"token-{tenant}",
            "app_secret": secret, "verify_token": f"verify-{tenant}"})
        assert channel.status_code == 201, channel.text
        assert server.api("PUT", f"/inbox/channels/{channel.json()['id']}/agents/{owner_id}", token, json={"capacity": 3}).status_code == 200
        wa_id = "38050" + ("1111111" if tenant == "alpha" else "2222222")
        assert post_whatsapp(server, tenant, channel.json()["id"], text_message(phone, wa_id, f"Client {tenant}", f"wamid.{tenant}", "Привіт"),
                             secret).status_code == 200
        inbox = server.wait_for(lambda: server.api("GET", "/inbox/conversations", token).json()["items"], message="the seeded inbox conversation")
        # An auto-reply, made after the customer wrote (nothing is sent: the Cloud API is not reachable here).
        rule = server.api("POST", f"/inbox/channels/{channel.json()['id']}/rules", token, json={"kind": "keyword", "keywords": ["price"],
                                                                                               "replies": {"en": f"{tenant} prices"}})
        assert rule.status_code == 201, rule.text
        expected = {"order.placed", "payment.recorded", "return.requested", "salesperson_link.requested"}
        server.wait_for(lambda: expected <= {n["kind"] for n in server.api("GET", "/notifications", token).json()["items"]},
                        message="the seeded notifications")
        notification = str(server.api("GET", "/notifications", token).json()["items"][0]["id"])  # a string: job ids are numbers too
        bucket = f"files-{tenant}"
        assert server.api("GET", "/s3/buckets", token).status_code == 200
        from test_s3 import client, wait_for_port
        wait_for_port(server.s3_port)
        s3 = client(server, s3key.json()["key"]["access_key"], s3key.json()["secret"])
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="secret.txt", Body=tenant.encode())
        return {"user": user["id"], "business": biz["id"], "token": api_token["token"]["id"], "session": session["id"],
                "s3key": s3key.json()["key"]["access_key"], "bucket": bucket,
                "category": category["id"], "product": product["id"], "import": upload.json()["id"],
                "group": group.json()["id"], "price_list": plist.json()["id"], "warehouse": warehouse.json()["id"],
                "order": order.json()["id"], "shop": shop["id"], "sold": sold["id"], "shipment": shipment.json()["id"],
                "invoice": invoice.json()["id"], "return": returned.json()["id"], "credit_note": credit.json()["credit_note_id"],
                "promo": promo.json()["id"], "proposal": proposal.json()["id"], "conversation": cid, "message": message.json()["id"],
                "attachment": attachment.json()["id"], "negotiation": rfq.json()["id"], "link": link.json()["id"], "salesperson": rep["id"],
                "staff_token": staff, "endpoint": hook.json()["id"], "webhook_message": hook_message.json()["id"], "owner": owner_id,
                "notification": notification, "order_number": order.json()["number"], "channel": channel.json()["id"],
                "inbox_conversation": inbox[0]["id"], "contact": inbox[0]["contact"]["id"], "rule": rule.json()["id"]}

    world = {"admin": admin, "a": a, "b": b, "ta": ta, "tb": tb, "A": seed(ta, "alpha"), "B": seed(tb, "beta"), "bots": bots}
    # B's owner links their Telegram account through B's bot.
    code = urllib.parse.parse_qs(urllib.parse.urlparse(server.api("POST", "/me/telegram/link", tb).json()["url"]).query)["start"][0]
    linked = post_update(server, "beta", text_update(9001, User(id=BETA_TELEGRAM_USER, first_name="B", is_bot=False), f"/start {code}"),
                         bot_secret(bots, "beta"))
    assert linked.status_code == 200 and server.api("GET", "/me/telegram", tb).json()["linked"] is True, linked.text
    for key, token in (("A", ta), ("B", tb)):
        server.wait_for(lambda: [h["product"]["id"] for h in server.api("GET", "/search/products?q=aspirin", token).json()["items"]]
                        == [world[key]["product"]], message="the seeded product in search")
    # What the seeding raised is fanned out by jobs: wait until both tenants' notifications, deliveries
    # and webhook messages stop changing, so only a leak could change them between the snapshots.
    def fanned_out(token):
        return (server.api("GET", "/notifications/deliveries?limit=500", token).json(),
                [server.api("GET", f"/webhooks/{e['id']}/messages", token).json()["items"] for e in server.api("GET", "/webhooks", token).json()["items"]])
    for token in (ta, tb):
        previous = None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            now = ([(d["id"], d["user_id"], d["status"]) for d in fanned_out(token)[0]["items"]], [[m["id"] for m in ms] for ms in fanned_out(token)[1]],
                   [(j["id"], j["state"], j["attempts"]) for j in server.api("GET", "/jobs", token).json()["items"]])
            if now == previous:
                break
            previous = now
            time.sleep(0.7)
    for key, tenant in (("A", a), ("B", b)):
        job = server.api("POST", "/admin/jobs", admin, json={"type": "tenant.maintenance", "tenant_id": tenant["id"], "delay_seconds": 3600})
        assert job.status_code == 201, job.text
        world[key]["job"] = job.json()["id"]
    return world


def picture(r):
    """A picture's bytes, or the status of its absence (a problem's request id differs every time)."""
    return r.content if r.status_code == 200 else r.status_code


def snapshot(server, token):
    """Everything tenant B owns, as B sees it."""
    businesses = server.api("GET", "/businesses", token).json()["items"]
    orders = [o["id"] for b in businesses for o in server.api("GET", f"/businesses/{b['id']}/orders?side=buyer", token).json()["items"]]
    return {
        "me": server.api("GET", "/me", token).json(),
        "tenant": server.api("GET", "/tenant", token).json(),
        "users": server.api("GET", "/users", token).json()["items"],
        "businesses": businesses,
        "members": {b["id"]: server.api("GET", f"/businesses/{b['id']}/members", token).json()["items"] for b in businesses},
        "tokens": server.api("GET", "/me/tokens", token).json()["items"],
        "sessions": sorted(s["id"] for s in server.api("GET", "/me/sessions", token).json()["items"]),
        # B's own webhook retries (5 s after the seeded test message, to an address that never answers) go on meanwhile.
        "jobs": [{k: v for k, v in j.items() if j["type"] != "webhook.deliver" or k not in ("attempts", "run_at", "started_at", "last_error")}
                 for j in server.api("GET", "/jobs", token).json()["items"]],
        "job_stats": server.api("GET", "/jobs/stats", token).json()["items"],
        "categories": server.api("GET", "/categories", token).json()["items"],
        "products": server.api("GET", "/products", token).json()["items"],
        "history": {p["id"]: server.api("GET", f"/products/{p['id']}/price-history", token).json()["items"]
                    for p in server.api("GET", "/products", token).json()["items"]},
        "search": server.api("GET", "/search/products?q=aspirin&facets=true", token).json()["items"],
        "vocabulary": server.api("GET", "/search/vocabulary", token).json(),
        "catalog_settings": server.api("GET", "/catalog/settings", token).json(),
        "price_lists": {b["id"]: server.api("GET", f"/businesses/{b['id']}/price-lists", token).json()["items"] for b in businesses},
        "buyer_groups": {b["id"]: server.api("GET", f"/businesses/{b['id']}/buyer-groups", token).json()["items"] for b in businesses},
        "my_price_lists": server.api("GET", "/me/price-lists", token).json()["items"],
        "s3_keys": server.api("GET", "/s3/keys", token).json()["items"],
        "images": {p["id"]: picture(server.api("GET", f"/products/{p['id']}/image", token))
                   for p in server.api("GET", "/products", token).json()["items"]},
        "logos": {b["id"]: picture(server.api("GET", f"/businesses/{b['id']}/logo", token)) for b in businesses},
        "s3_buckets": server.api("GET", "/s3/buckets", token).json(),
        "s3_files": server.api("GET", "/s3/buckets/files-beta/objects", token).json(),
        "warehouses": {b["id"]: server.api("GET", f"/businesses/{b['id']}/warehouses", token).json()["items"] for b in businesses},
        "stock": {b["id"]: server.api("GET", f"/businesses/{b['id']}/stock", token).json()["items"] for b in businesses},
        "ledger": {b["id"]: server.api("GET", f"/businesses/{b['id']}/stock/movements", token).json()["items"] for b in businesses},
        "carts": {b["id"]: server.api("GET", f"/businesses/{b['id']}/carts", token).json()["items"] for b in businesses},
        "orders": {(b["id"], side): [server.api("GET", f"/orders/{o['id']}", token).json()
                                     for o in server.api("GET", f"/businesses/{b['id']}/orders?side={side}", token).json()["items"]]
                   for b in businesses for side in ("buyer", "seller")},
        "trade_settings": {b["id"]: server.api("GET", f"/businesses/{b['id']}/trade-settings", token).json() for b in businesses},
        "shipments": {o: server.api("GET", f"/orders/{o}/shipments", token).json()["items"] for o in orders},
        "invoices": {(b["id"], side): [server.api("GET", f"/invoices/{i['id']}", token).json()
                                       for i in server.api("GET", f"/businesses/{b['id']}/invoices?side={side}", token).json()["items"]]
                     for b in businesses for side in ("buyer", "seller")},
        "payments": {b["id"]: server.api("GET", f"/businesses/{b['id']}/payments?side=seller", token).json()["items"] for b in businesses},
        "legal": {b["id"]: server.api("GET", f"/businesses/{b['id']}/legal", token).json() for b in businesses},
        "credit_limits": {b["id"]: server.api("GET", f"/businesses/{b['id']}/credit-limits", token).json()["items"] for b in businesses},
        "promo_codes": {b["id"]: server.api("GET", f"/businesses/{b['id']}/promo-codes", token).json()["items"] for b in businesses},
        "proposals": {o: server.api("GET", f"/orders/{o}/proposals", token).json()["items"] for o in orders},
        "returns": {o: server.api("GET", f"/orders/{o}/returns", token).json()["items"] for o in orders},
        "credit_notes": {o: [server.api("GET", f"/credit-notes/{c['id']}", token).json()
                             for c in server.api("GET", f"/orders/{o}/credit-notes", token).json()["items"]] for o in orders},
        "conversations": [(c, server.api("GET", f"/conversations/{c['id']}/messages", token).json(),
                           server.api("GET", f"/conversations/{c['id']}/negotiations", token).json())
                          for c in server.api("GET", "/conversations", token).json()["items"]],
        "salesperson_links": server.api("GET", "/salesperson-links", token).json()["items"],
        "salespeople": server.api("GET", "/salespeople", token).json()["items"],
        "notifications": [(n["id"], n["kind"], n["title"], n.get("read_at")) for n in server.api("GET", "/notifications", token).json()["items"]],
        "notification_settings": server.api("GET", "/notifications/settings", token).json(),
        "deliveries": [(d["id"], d["channel"], d["user_id"]) for d in server.api("GET", "/notifications/deliveries", token).json()["items"]],
        "webhooks": [({k: v for k, v in e.items() if k != "updated_at"},
                      [(m["id"], m["event_type"]) for m in server.api("GET", f"/webhooks/{e['id']}/messages", token).json()["items"]])
                     for e in server.api("GET", "/webhooks", token).json()["items"]],
        "email_channel": server.api("GET", "/channels/email", token).json(),
        "telegram_bot": server.api("GET", "/channels/telegram", token).json(),
        "telegram_link": server.api("GET", "/me/telegram", token).json(),
        "inbox_channels": [(c, server.api("GET", f"/inbox/channels/{c['id']}/agents", token).json()["items"],
                            server.api("GET", f"/inbox/channels/{c['id']}/rules", token).json()["items"])
                           for c in server.api("GET", "/inbox/channels", token).json()["items"]],
        "inbox": [(c, server.api("GET", f"/inbox/conversations/{c['id']}/deliveries", token).json()["items"])
                  for c in server.api("GET", "/inbox/conversations", token).json()["items"]],
        "contacts": [server.api("GET", f"/contacts/{c['id']}", token).json() for c in server.api("GET", "/contacts", token).json()["items"]],
        "agent": server.api("GET", "/inbox/me", token).json(),
        "imports": {b["id"]: [(i["id"], i["state"]) for i in server.api("GET", f"/businesses/{b['id']}/imports", token).json()["items"]]
                    for b in businesses},
    }


def case_not_found(method, path, body=None):
    def run(server, w):
        B, A = w["B"], w["A"]
        concrete = path.format(id=B["user"] if "/users/" in path else B["business"], user_id=B["user"], bucket=B["bucket"],
                               product=B["product"], buyer=B["business"])
        if path.startswith("/me/sessions/"):
            concrete = path.format(id=B["session"])
        if path.startswith("/me/tokens/"):
            concrete = path.format(id=B["token"])
        if path.startswith("/jobs/"):
            concrete = path.format(id=B["job"])
        if path.startswith("/categories/"):
            concrete = path.format(id=B["category"])
        if path.startswith("/products/"):
            concrete = path.format(id=B["product"])
        if path.startswith("/imports/"):
            concrete = path.format(id=B["import"])
        if path.startswith("/buyer-groups/"):
            concrete = path.format(id=B["group"])
        if path.startswith("/price-lists/"):
            concrete = path.format(id=B["price_list"])
        if path.startswith("/orders/"):
            concrete = path.format(id=B["order"])
        if "/cart/lines/" in path:
            concrete = path.format(id=B["business"], product=B["sold"])
        if path.startswith("/warehouses/"):
            concrete = path.format(id=B["warehouse"], product=B["product"])
        if path.startswith("/shipments/"):
            concrete = path.format(id=B["shipment"])
        if path.startswith("/invoices/"):
            concrete = path.format(id=B["invoice"])
        if path.startswith("/proposals/"):
            concrete = path.format(id=B["proposal"])
        if path.startswith("/promo-codes/"):
            concrete = path.format(id=B["promo"])
        if path.startswith("/returns/"):
            concrete = path.format(id=B["return"])
        if path.startswith("/credit-notes/"):
            concrete = path.format(id=B["credit_note"])
        if "/credit-limits/" in path:
            concrete = path.format(id=B["shop"], buyer=B["business"])
        for prefix, key in (("/conversations/", "conversation"), ("/attachments/", "attachment"), ("/messages/", "message"),
                            ("/negotiations/", "negotiation"), ("/salesperson-links/", "link"), ("/salespeople/", "salesperson")):
            if path.startswith(prefix):
                concrete = path.format(id=B[key])
        if path.startswith("/webhooks/"):
            concrete = path.format(id=B["endpoint"])
        if path.startswith("/webhook-messages/"):
            concrete = path.format(id=B["webhook_message"])
        if path.startswith("/s3/keys/"):
            concrete = path.format(id=B["s3key"])
        for prefix, key in (("/inbox/channels/", "channel"), ("/inbox/conversations/", "inbox_conversation"), ("/contacts/", "contact"),
                            ("/inbox/rules/", "rule")):
            if path.startswith(prefix):
                concrete = path.format(id=B[key], user_id=B["owner"])
        problem(server.api(method, concrete, w["ta"], json=body), 404, "not_found")
        if "{user_id}" in path:
            # A's own business with B's user: the user does not exist in A.
            mixed = path.format(id=A["business"], user_id=B["user"])
            problem(server.api(method, mixed, w["ta"], json=body), 404, "not_found")
    return run


def case_placing_into_b(server, w):
    """An order from A's own business to B's seller, and from B's buyer to A's seller: neither exists for A."""
    A, B = w["A"], w["B"]
    for buyer, seller, product in ((A["business"], B["shop"], B["sold"]), (B["business"], A["shop"], A["sold"])):
        r = server.api("POST", "/orders", w["ta"], json={"buyer_business_id": buyer, "seller_business_id": seller,
                                                          "lines": [{"product_id": product, "quantity": 1}]})
        problem(r, 404, "not_found")


def case_talking_into_b(server, w):
    """A conversation with B's business or user, a link with B's business: neither exists for A."""
    A, B = w["A"], w["B"]
    for body in ({"buyer_business_id": A["business"], "seller_business_id": B["shop"]}, {"user_id": B["user"]}):
        problem(server.api("POST", "/conversations", A["staff_token"], json=body), 404, "not_found")


def case_linking_into_b(server, w):
    rep = server.login("rep@alpha.test", "rep-pass-1", tenant="alpha")
    problem(server.api("POST", "/salesperson-links", rep, json={"business_id": w["B"]["shop"], "side": "seller"}), 404, "not_found")


def no_b_messages(r, w):
    assert r.status_code == 200
    assert not {h["message"]["conversation_id"] for h in r.json()["items"]} & set(w["B"].values()), "message search leaked tenant B"


def only_a_inbox(r, w):
    assert r.status_code == 200 and not set(r.json()["conversations"]) & set(w["B"].values())


def case_platform_only(method, path, body=None):
    def run(server, w):
        concrete = path.format(id=w["b"]["id"], queue="maintenance")
        problem(server.api(method, concrete, w["ta"], json=body), 403, "forbidden")
    return run


def case_list(path, key="id"):
    def run(server, w):
        r = server.api("GET", path, w["ta"])
        assert r.status_code == 200
        items = r.json()["items"]
        ids = {item[key] for item in items}
        assert not ids & set(w["B"].values()), f"{path} leaked tenant B ids"
        assert all(item.get("tenant_id") in (None, w["a"]["id"]) for item in items), f"{path} leaked another tenant's item"
    return run


def case_create(path, body):
    def run(server, w):
        r = server.api("POST", path, w["ta"], json=body)
        assert r.status_code in (200, 201), r.text
    return run


def case_reading_b_notification(server, w):
    """Notification ids are per tenant: A naming B's id reaches A's own (or nothing), never B's."""
    r = server.api("POST", f"/notifications/{w['B']['notification']}/read", w["ta"])
    if r.status_code == 200:
        assert r.json()["id"] in {n["id"] for n in server.api("GET", "/notifications", w["ta"]).json()["items"]}
    else:
        problem(r, 404, "not_found")


def case_forged_unsubscribe(server, w):
    token = f"{w['b']['id']}.{w['B']['owner']}.order.placed.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    problem(server.api("POST", "/unsubscribe", params={"token": token}), 404, "not_found")


def case_telegram_webhook(server, w):
    """Each tenant's webhook opens only with its own bot's secret; a customer linked in B writing to
    A's bot is a stranger there and hears nothing of B."""
    secrets = {slug: bot_secret(w["bots"], slug) for slug in ("alpha", "beta")}
    for slug, secret in (("alpha", secrets["beta"]), ("beta", secrets["alpha"]), ("gamma", secrets["alpha"]), ("gamma", secrets["beta"])):
        r = requests.post(server.url + f"/api/v1/telegram/{slug}/webhook", json={"update_id": 1}, headers={"X-Telegram-Bot-Api-Secret-Token": secret})
        problem(r, 403, "forbidden")
    stranger = User(id=BETA_TELEGRAM_USER, first_name="B", is_bot=False)
    r = post_update(server, "alpha", text_update(9101, stranger, "/orders"), secrets["alpha"])
    assert r.status_code == 200 and w["B"]["order_number"] not in r.text, r.text


def case_telegram_sign_in(server, w):
    """Init data B's bot signed for B's linked user opens nothing in A; signed by A's bot, the same
    Telegram user is a stranger in A (the link is B's)."""
    user = {"user": '{"id":%d,"first_name":"B"}' % BETA_TELEGRAM_USER}
    from_b = init_data_py.sign(user, BOT_TOKENS["beta"], auth_date=datetime.now(timezone.utc))
    init_data_py.validate_by_hash(from_b, BOT_TOKENS["beta"])  # genuine: only the tenant makes it fail
    problem(requests.post(server.url + "/api/v1/auth/telegram", json={"tenant": "alpha", "init_data": from_b}), 401, "unauthenticated")
    from_a = init_data_py.sign(user, BOT_TOKENS["alpha"], auth_date=datetime.now(timezone.utc) - timedelta(seconds=5))
    problem(requests.post(server.url + "/api/v1/auth/telegram", json={"tenant": "alpha", "init_data": from_a}), 403, "forbidden")


def case_whatsapp_verify(server, w):
    """B's channel under A's name, or with B's verify token on A's channel: no challenge."""
    for slug, channel, token in (("alpha", w["B"]["channel"], "verify-beta"), ("alpha", w["A"]["channel"], "verify-beta"),
                                 ("beta", w["B"]["channel"], "verify-alpha")):
        r = requests.get(server.url + f"/api/v1/whatsapp/{slug}/{channel}/webhook",
                         params={"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "7"})
        problem(r, 403, "forbidden")


def case_whatsapp_post(server, w):
    """A body signed with B's app secret opens neither A's channel nor B's channel under A's name; A's secret does not open B's."""
    body = text_message(WHATSAPP["beta"][0], "380509999999", "Intruder", "wamid.intruder", "hi")
    problem(post_whatsapp(server, "alpha", w["B"]["channel"], body, WHATSAPP["beta"][1]), 404, "not_found")
    problem(post_whatsapp(server, "alpha", w["A"]["channel"], body, WHATSAPP["beta"][1]), 403, "forbidden")
    problem(post_whatsapp(server, "beta", w["B"]["channel"], body, WHATSAPP["alpha"][1]), 403, "forbidden")


def only_a_channels(r, w):
    assert r.status_code == 200 and [c["id"] for c in r.json()["items"]] == [w["A"]["channel"]], r.text


def only_a_inbox_conversations(r, w):
    assert r.status_code == 200, r.text
    assert [c["id"] for c in r.json()["items"]] == [w["A"]["inbox_conversation"]], r.text


def only_a_contacts(r, w):
    assert r.status_code == 200 and [c["id"] for c in r.json()["items"]] == [w["A"]["contact"]], r.text


def case_merging_b_contact(server, w):
    """B's contact merged into A's, or A's into B's: neither exists for A."""
    problem(server.api("POST", f"/contacts/{w['A']['contact']}/merge", w["ta"], json={"source_id": w["B"]["contact"]}), 400, "invalid")
    problem(server.api("POST", f"/contacts/{w['B']['contact']}/merge", w["ta"], json={"source_id": w["A"]["contact"]}), 404, "not_found")


def case_channel_for_b_business(server, w):
    r = server.api("POST", "/inbox/channels", w["ta"], json={"kind": "telegram", "name": "X", "business_id": w["B"]["shop"]})
    assert [e["field"] for e in problem(r, 400, "invalid")["errors"]] == ["business_id"]


def case_telegram_bot(r, w):
    assert r.status_code == 200 and r.json()["connected"] and r.json()["bot"]["bot_username"] == "alpha_bot", r.text


def case_disconnect_own_bot(server, w):
    """A disconnects its own bot (B's stays: the snapshot says so), then connects it again."""
    assert server.api("DELETE", "/channels/telegram", w["ta"]).status_code == 204
    assert server.api("GET", "/channels/telegram", w["ta"]).json() == {"connected": False}
    assert server.api("PUT", "/channels/telegram", w["ta"], json={"token": BOT_TOKENS["alpha"]}).status_code == 200


def case_own_link(r, w):
    assert r.status_code in (200, 201) and r.json()["url"].startswith("https://t.me/alpha_bot?start="), r.text


def no_b_notifications(r, w):
    assert r.status_code == 200
    links = " ".join(n.get("link") or "" for n in r.json()["items"])
    leaked = [(k, v) for k, v in w["B"].items() if isinstance(v, str) and len(v) >= 20 and v in links]  # ids; numbers repeat across tenants
    assert r.json()["items"] and not leaked, f"notifications leaked tenant B: {leaked} in {links}"


def no_b_deliveries(r, w):
    assert r.status_code == 200 and not {d["user_id"] for d in r.json()["items"]} & set(w["B"].values())


def a_channel_or_none(r, w):
    assert r.status_code in (200, 404), r.text
    body = r.json() if r.status_code == 200 else {}
    settings = body.get("settings", body) if body.get("configured", True) else None
    assert settings is None or settings.get("from_email") == "shop@alpha.test", r.text


def case_own(method, path, check, body=None):
    def run(server, w):
        r = server.api(method, path, w["ta"], json=body)
        check(r, w)
    return run


def tenant_is_a(r, w):
    assert r.status_code == 200 and r.json()["id"] == w["a"]["id"]


def me_is_a(r, w):
    assert r.status_code == 200 and r.json()["tenant"]["id"] == w["a"]["id"]


def session_is_a(r, w):
    assert r.status_code == 200 and r.json()["me"]["tenant"]["id"] == w["a"]["id"]


def only_a_products(r, w):
    assert r.status_code == 200
    body = r.json()
    assert [h["product"]["id"] for h in body["items"]] == [w["A"]["product"]]
    assert w["B"]["business"] not in {f["value"] for f in body["facets"]["business"]}


def only_a_businesses(r, w):
    assert r.status_code == 200
    assert not {m["business"]["id"] for m in r.json()["items"]} & set(w["B"].values()), "my businesses leaked tenant B's"


def only_a_suggestions(r, w):
    assert r.status_code == 200 and [s["product_id"] for s in r.json()["items"]] == [w["A"]["product"]]


def only_a_audit(r, w):
    assert r.status_code == 200
    targets = {e.get("target") for e in r.json()["items"]} - {None}
    assert targets and not targets & set(w["B"].values()), "the audit trail leaked tenant B entries"
    assert w["A"]["business"] in targets


def public(server, w):
    pass  # no tenant data behind it


def login_into_b_with_a_password(server, w):
    r = server.api("POST", "/auth/login", json={"tenant": "beta", "email": "owner@alpha.test", "password": "owner-password-1"})
    problem(r, 401, "unauthenticated")


MATRIX = {
    "GET /healthz": public,
    "GET /readyz": public,
    "GET /metrics": public,
    "GET /api/openapi.json": public,
    "POST /api/v1/auth/login": login_into_b_with_a_password,
    "POST /api/v1/auth/logout": public,  # acts on the caller's own session only (checked by the B snapshot)
    "GET /api/v1/auth/session": case_own("GET", "/auth/session", session_is_a),
    "GET /api/v1/me": case_own("GET", "/me", me_is_a),
    "PATCH /api/v1/me": case_own("PATCH", "/me", me_is_a, {"name": "Owner A"}),
    "POST /api/v1/me/password": public,  # the caller's own password (exercised in test_auth)
    "GET /api/v1/me/sessions": case_list("/me/sessions"),
    "DELETE /api/v1/me/sessions/{id}": case_not_found("DELETE", "/me/sessions/{id}"),
    "GET /api/v1/me/tokens": case_list("/me/tokens"),
    "POST /api/v1/me/tokens": case_create("/me/tokens", {"name": "a2", "scopes": ["read"]}),
    "DELETE /api/v1/me/tokens/{id}": case_not_found("DELETE", "/me/tokens/{id}"),
    "GET /api/v1/tenant": case_own("GET", "/tenant", tenant_is_a),
    "GET /api/v1/users": case_list("/users"),
    "POST /api/v1/users": case_create("/users", {"email": "staff@beta.test", "name": "Same email, other tenant"}),
    "GET /api/v1/users/{id}": case_not_found("GET", "/users/{id}"),
    "PATCH /api/v1/users/{id}": case_not_found("PATCH", "/users/{id}", {"name": "Hijacked", "disabled": True}),
    "POST /api/v1/users/{id}/password": case_not_found("POST", "/users/{id}/password", {"password": "hijacked-pass"}),
    "GET /api/v1/businesses": case_list("/businesses"),
    "POST /api/v1/businesses": case_create("/businesses", {"name": "beta pharma", "type": "supplier", "city": "Lviv"}),
    "GET /api/v1/businesses/{id}": case_not_found("GET", "/businesses/{id}"),
    "PATCH /api/v1/businesses/{id}": case_not_found("PATCH", "/businesses/{id}", {"name": "Hijacked"}),
    "GET /api/v1/businesses/{id}/members": case_not_found("GET", "/businesses/{id}/members"),
    "PUT /api/v1/businesses/{id}/members/{user_id}": case_not_found("PUT", "/businesses/{id}/members/{user_id}", {"role": "manager"}),
    "DELETE /api/v1/businesses/{id}/members/{user_id}": case_not_found("DELETE", "/businesses/{id}/members/{user_id}"),
    "GET /api/v1/admin/plans": case_platform_only("GET", "/admin/plans"),
    "GET /api/v1/admin/tenants": case_platform_only("GET", "/admin/tenants"),
    "POST /api/v1/admin/tenants": case_platform_only("POST", "/admin/tenants", {"slug": "gamma", "name": "G"}),
    "GET /api/v1/admin/tenants/{id}": case_platform_only("GET", "/admin/tenants/{id}"),
    "PATCH /api/v1/admin/tenants/{id}": case_platform_only("PATCH", "/admin/tenants/{id}", {"name": "Hijacked"}),
    "POST /api/v1/admin/tenants/{id}/suspend": case_platform_only("POST", "/admin/tenants/{id}/suspend"),
    "POST /api/v1/admin/tenants/{id}/resume": case_platform_only("POST", "/admin/tenants/{id}/resume"),
    "GET /api/v1/admin/tenants/{id}/users": case_platform_only("GET", "/admin/tenants/{id}/users"),
    "POST /api/v1/admin/tenants/{id}/users": case_platform_only("POST", "/admin/tenants/{id}/users", {"email": "x@beta.test", "name": "X"}),
    "GET /api/v1/jobs/stats": case_own("GET", "/jobs/stats", lambda r, w: r.raise_for_status()),
    "GET /api/v1/jobs": case_list("/jobs"),
    "GET /api/v1/jobs/{id}": case_not_found("GET", "/jobs/{id}"),
    "POST /api/v1/jobs/{id}/retry": case_not_found("POST", "/jobs/{id}/retry"),
    "POST /api/v1/jobs/{id}/discard": case_not_found("POST", "/jobs/{id}/discard"),
    "POST /api/v1/jobs/{id}/cancel": case_not_found("POST", "/jobs/{id}/cancel"),
    "POST /api/v1/admin/jobs": case_platform_only("POST", "/admin/jobs", {"type": "tenant.maintenance", "tenant_id": "{id}"}),
    "POST /api/v1/admin/queues/{queue}/pause": case_platform_only("POST", "/admin/queues/{queue}/pause"),
    "POST /api/v1/admin/queues/{queue}/resume": case_platform_only("POST", "/admin/queues/{queue}/resume"),
    "GET /api/v1/categories": case_list("/categories"),
    "POST /api/v1/categories": case_create("/categories", {"name": "Medicine 2"}),
    "PATCH /api/v1/categories/{id}": case_not_found("PATCH", "/categories/{id}", {"name": "Hijacked"}),
    "POST /api/v1/categories/{id}/merge": case_not_found("POST", "/categories/{id}/merge", {"into": "00000000000000000000000000"}),
    "DELETE /api/v1/categories/{id}": case_not_found("DELETE", "/categories/{id}"),
    "GET /api/v1/products": case_list("/products"),
    "POST /api/v1/businesses/{id}/products": case_not_found("POST", "/businesses/{id}/products",
                                                            {"sku": "X", "name": "Planted", "currency": "UAH", "price": "1"}),
    "GET /api/v1/products/{id}": case_not_found("GET", "/products/{id}"),
    "PATCH /api/v1/products/{id}": case_not_found("PATCH", "/products/{id}", {"price": "0.01"}),
    "DELETE /api/v1/products/{id}": case_not_found("DELETE", "/products/{id}"),
    "GET /api/v1/products/{id}/price-history": case_not_found("GET", "/products/{id}/price-history"),
    "GET /api/v1/products/{id}/price": case_not_found("GET", "/products/{id}/price?quantity=1"),
    "GET /api/v1/moderation/products": case_list("/moderation/products"),
    "PUT /api/v1/businesses/{id}/verification": case_not_found("PUT", "/businesses/{id}/verification", {"verified": True}),
    "GET /api/v1/businesses/{id}/buyer-groups": case_not_found("GET", "/businesses/{id}/buyer-groups"),
    "POST /api/v1/businesses/{id}/buyer-groups": case_not_found("POST", "/businesses/{id}/buyer-groups", {"name": "Hijack"}),
    "PATCH /api/v1/buyer-groups/{id}": case_not_found("PATCH", "/buyer-groups/{id}", {"name": "Hijack"}),
    "DELETE /api/v1/buyer-groups/{id}": case_not_found("DELETE", "/buyer-groups/{id}"),
    "GET /api/v1/businesses/{id}/price-lists": case_not_found("GET", "/businesses/{id}/price-lists"),
    "POST /api/v1/businesses/{id}/price-lists": case_not_found("POST", "/businesses/{id}/price-lists", {"name": "Hijack", "buyer_business_id": "0" * 26}),
    "GET /api/v1/price-lists/{id}": case_not_found("GET", "/price-lists/{id}"),
    "PATCH /api/v1/price-lists/{id}": case_not_found("PATCH", "/price-lists/{id}", {"name": "Hijack"}),
    "DELETE /api/v1/price-lists/{id}": case_not_found("DELETE", "/price-lists/{id}"),
    "GET /api/v1/me/price-lists": case_list("/me/price-lists"),
    "POST /api/v1/businesses/{id}/imports": case_not_found("POST", "/businesses/{id}/imports?dry_run=false"),
    "GET /api/v1/businesses/{id}/imports": case_not_found("GET", "/businesses/{id}/imports"),
    "GET /api/v1/imports/{id}": case_not_found("GET", "/imports/{id}"),
    "POST /api/v1/imports/{id}/apply": case_not_found("POST", "/imports/{id}/apply"),
    "GET /api/v1/businesses/{id}/products/export": case_not_found("GET", "/businesses/{id}/products/export"),
    "POST /api/v1/products/{id}/approve": case_not_found("POST", "/products/{id}/approve"),
    "POST /api/v1/products/{id}/reject": case_not_found("POST", "/products/{id}/reject", {"reason": "Hijacked"}),
    "GET /api/v1/catalog/settings": case_own("GET", "/catalog/settings", lambda r, w: r.raise_for_status()),
    "PUT /api/v1/catalog/settings": case_own("PUT", "/catalog/settings", lambda r, w: r.raise_for_status(), {"require_review": True}),
    "GET /api/v1/search/products": case_own("GET", "/search/products?q=aspirin&facets=true", lambda r, w: only_a_products(r, w)),
    "GET /api/v1/search/suggest": case_own("GET", "/search/suggest?q=aspi", lambda r, w: only_a_suggestions(r, w)),
    "PUT /api/v1/products/{id}/image": case_not_found("PUT", "/products/{id}/image"),
    "GET /api/v1/products/{id}/image": case_not_found("GET", "/products/{id}/image"),
    "GET /api/v1/products/{id}/image-info": case_not_found("GET", "/products/{id}/image-info"),
    "GET /api/v1/businesses/{id}/logo-info": case_not_found("GET", "/businesses/{id}/logo-info"),
    "DELETE /api/v1/products/{id}/image": case_not_found("DELETE", "/products/{id}/image"),
    "PUT /api/v1/businesses/{id}/logo": case_not_found("PUT", "/businesses/{id}/logo"),
    "GET /api/v1/businesses/{id}/logo": case_not_found("GET", "/businesses/{id}/logo"),
    "DELETE /api/v1/businesses/{id}/logo": case_not_found("DELETE", "/businesses/{id}/logo"),
    "GET /api/v1/businesses/{id}/warehouses": case_not_found("GET", "/businesses/{id}/warehouses"),
    "POST /api/v1/businesses/{id}/warehouses": case_not_found("POST", "/businesses/{id}/warehouses", {"name": "Planted"}),
    "PATCH /api/v1/warehouses/{id}": case_not_found("PATCH", "/warehouses/{id}", {"active": False}),
    "GET /api/v1/businesses/{id}/stock": case_not_found("GET", "/businesses/{id}/stock"),
    "PUT /api/v1/warehouses/{id}/stock/{product}/threshold": case_not_found("PUT", "/warehouses/{id}/stock/{product}/threshold",
                                                                             {"low_threshold": 100}),
    "POST /api/v1/warehouses/{id}/stock/counts": case_not_found("POST", "/warehouses/{id}/stock/counts?dry_run=false"),
    "GET /api/v1/businesses/{id}/stock/movements": case_not_found("GET", "/businesses/{id}/stock/movements"),
    "POST /api/v1/businesses/{id}/stock/movements": case_not_found("POST", "/businesses/{id}/stock/movements", {
        "kind": "write_off", "product_id": "0" * 26, "warehouse_id": "0" * 26, "quantity": 1, "reason": "Hijack"}),
    "GET /api/v1/me/businesses": case_own("GET", "/me/businesses", only_a_businesses),
    "GET /api/v1/businesses/{id}/carts": case_not_found("GET", "/businesses/{id}/carts"),
    "PUT /api/v1/businesses/{id}/cart/lines/{product}": case_not_found("PUT", "/businesses/{id}/cart/lines/{product}", {"quantity": 50}),
    "POST /api/v1/businesses/{id}/cart/quick": case_not_found("POST", "/businesses/{id}/cart/quick", {"text": "IBU-1 5"}),
    "POST /api/v1/orders": case_placing_into_b,
    "GET /api/v1/businesses/{id}/orders": case_not_found("GET", "/businesses/{id}/orders?side=buyer"),
    "GET /api/v1/orders/{id}": case_not_found("GET", "/orders/{id}"),
    "POST /api/v1/orders/{id}/reorder": case_not_found("POST", "/orders/{id}/reorder"),
    "POST /api/v1/orders/{id}/approve": case_not_found("POST", "/orders/{id}/approve"),
    "POST /api/v1/orders/{id}/confirm": case_not_found("POST", "/orders/{id}/confirm"),
    "POST /api/v1/orders/{id}/cancel": case_not_found("POST", "/orders/{id}/cancel", {"reason": "Hijack"}),
    "POST /api/v1/orders/{id}/deliver": case_not_found("POST", "/orders/{id}/deliver"),
    "POST /api/v1/orders/{id}/complete": case_not_found("POST", "/orders/{id}/complete"),
    "GET /api/v1/businesses/{id}/trade-settings": case_not_found("GET", "/businesses/{id}/trade-settings"),
    "PUT /api/v1/businesses/{id}/trade-settings": case_not_found("PUT", "/businesses/{id}/trade-settings", {
        "order_prefix": "HIJACK", "prices_include_tax": True, "allow_backorders": True, "default_payment_terms": {"kind": "prepaid"}}),
    "POST /api/v1/orders/{id}/shipments": case_not_found("POST", "/orders/{id}/shipments", {"carrier": "Hijack"}),
    "GET /api/v1/orders/{id}/shipments": case_not_found("GET", "/orders/{id}/shipments"),
    "POST /api/v1/shipments/{id}/deliver": case_not_found("POST", "/shipments/{id}/deliver"),
    "POST /api/v1/orders/{id}/invoices": case_not_found("POST", "/orders/{id}/invoices", {"basis": "order"}),
    "GET /api/v1/orders/{id}/invoices": case_not_found("GET", "/orders/{id}/invoices"),
    "GET /api/v1/businesses/{id}/invoices": case_not_found("GET", "/businesses/{id}/invoices?side=buyer"),
    "GET /api/v1/invoices/{id}": case_not_found("GET", "/invoices/{id}"),
    "GET /api/v1/invoices/{id}/pdf": case_not_found("GET", "/invoices/{id}/pdf"),
    "POST /api/v1/invoices/{id}/payments": case_not_found("POST", "/invoices/{id}/payments", {"amount": "1.00", "method": "cash", "direction": "out"}),
    "GET /api/v1/businesses/{id}/payments": case_not_found("GET", "/businesses/{id}/payments?side=buyer"),
    "GET /api/v1/businesses/{id}/legal": case_not_found("GET", "/businesses/{id}/legal"),
    "PUT /api/v1/businesses/{id}/legal": case_not_found("PUT", "/businesses/{id}/legal", {"legal_name": "Hijack"}),
    "GET /api/v1/businesses/{id}/credit-limits": case_not_found("GET", "/businesses/{id}/credit-limits"),
    "PUT /api/v1/businesses/{id}/credit-limits/{buyer}": case_not_found("PUT", "/businesses/{id}/credit-limits/{buyer}",
                                                                        {"limit": {"amount": "999999", "currency": "UAH"}}),
    "DELETE /api/v1/businesses/{id}/credit-limits/{buyer}": case_not_found("DELETE", "/businesses/{id}/credit-limits/{buyer}"),
    "GET /api/v1/businesses/{id}/orders/export": case_not_found("GET", "/businesses/{id}/orders/export?side=buyer"),
    "GET /api/v1/businesses/{id}/invoices/export": case_not_found("GET", "/businesses/{id}/invoices/export?side=buyer"),
    "GET /api/v1/businesses/{id}/payments/export": case_not_found("GET", "/businesses/{id}/payments/export?side=buyer"),
    "POST /api/v1/orders/{id}/proposals": case_not_found("POST", "/orders/{id}/proposals", {"lines": [{"sku": "IBU-1", "quantity": 1, "unit_price": "0.01"}]}),
    "GET /api/v1/orders/{id}/proposals": case_not_found("GET", "/orders/{id}/proposals"),
    "POST /api/v1/proposals/{id}/accept": case_not_found("POST", "/proposals/{id}/accept"),
    "POST /api/v1/proposals/{id}/decline": case_not_found("POST", "/proposals/{id}/decline"),
    "GET /api/v1/businesses/{id}/promo-codes": case_not_found("GET", "/businesses/{id}/promo-codes"),
    "POST /api/v1/businesses/{id}/promo-codes": case_not_found("POST", "/businesses/{id}/promo-codes", {"code": "HIJACK", "kind": "percent", "percent": "90"}),
    "PATCH /api/v1/promo-codes/{id}": case_not_found("PATCH", "/promo-codes/{id}", {"active": False}),
    "POST /api/v1/orders/{id}/returns": case_not_found("POST", "/orders/{id}/returns", {"lines": [{"line_no": 1, "quantity": 1}], "reason": "Hijack"}),
    "GET /api/v1/orders/{id}/returns": case_not_found("GET", "/orders/{id}/returns"),
    "GET /api/v1/businesses/{id}/returns": case_not_found("GET", "/businesses/{id}/returns?side=buyer"),
    "POST /api/v1/returns/{id}/accept": case_not_found("POST", "/returns/{id}/accept"),
    "POST /api/v1/returns/{id}/refuse": case_not_found("POST", "/returns/{id}/refuse", {"reason": "Hijack"}),
    "POST /api/v1/returns/{id}/receive": case_not_found("POST", "/returns/{id}/receive", {"lines": []}),
    "GET /api/v1/orders/{id}/credit-notes": case_not_found("GET", "/orders/{id}/credit-notes"),
    "GET /api/v1/credit-notes/{id}": case_not_found("GET", "/credit-notes/{id}"),
    "GET /api/v1/credit-notes/{id}/pdf": case_not_found("GET", "/credit-notes/{id}/pdf"),
    "GET /api/v1/s3/keys": case_list("/s3/keys", key="access_key"),
    "POST /api/v1/s3/keys": case_create("/s3/keys", {"name": "beta backups"}),
    "DELETE /api/v1/s3/keys/{id}": case_not_found("DELETE", "/s3/keys/{id}"),
    "GET /api/v1/s3/buckets/{bucket}/objects": case_not_found("GET", "/s3/buckets/{bucket}/objects"),
    "GET /api/v1/s3/buckets/{bucket}/object": case_not_found("GET", "/s3/buckets/{bucket}/object?key=secret.txt"),
    "PUT /api/v1/s3/buckets/{bucket}/object": case_not_found("PUT", "/s3/buckets/{bucket}/object?key=planted.txt"),
    "DELETE /api/v1/s3/buckets/{bucket}/object": case_not_found("DELETE", "/s3/buckets/{bucket}/object?key=secret.txt"),
    "GET /api/v1/s3/buckets": case_own("GET", "/s3/buckets", lambda r, w: r.raise_for_status()),
    "GET /api/v1/search/vocabulary": case_own("GET", "/search/vocabulary", lambda r, w: r.raise_for_status()),
    "PUT /api/v1/search/vocabulary": case_own("PUT", "/search/vocabulary", lambda r, w: r.raise_for_status(),
                                              {"synonyms": [["aspirin", "asa"]], "stop_words": ["the"]}),
    "GET /api/v1/audit": case_own("GET", "/audit?limit=200", only_a_audit),
    "GET /api/v1/audit/verify": case_own("GET", "/audit/verify", lambda r, w: r.status_code == 200 and r.json()["ok"] or r.raise_for_status()),
    "GET /api/v1/admin/audit": case_platform_only("GET", "/admin/audit"),
    "POST /api/v1/admin/tenants/{id}/restore": case_platform_only("POST", "/admin/tenants/{id}/restore"),
    "GET /api/v1/admin/audit/verify": case_platform_only("GET", "/admin/audit/verify"),
    "POST /api/v1/conversations": case_talking_into_b,
    "GET /api/v1/conversations": case_list("/conversations"),
    "GET /api/v1/conversations/{id}": case_not_found("GET", "/conversations/{id}"),
    "POST /api/v1/conversations/{id}/archive": case_not_found("POST", "/conversations/{id}/archive"),
    "POST /api/v1/conversations/{id}/reopen": case_not_found("POST", "/conversations/{id}/reopen"),
    "GET /api/v1/conversations/{id}/messages": case_not_found("GET", "/conversations/{id}/messages"),
    "POST /api/v1/conversations/{id}/messages": case_not_found("POST", "/conversations/{id}/messages", {"text": "planted"}),
    "GET /api/v1/conversations/{id}/events": case_not_found("GET", "/conversations/{id}/events?after=0"),
    "POST /api/v1/conversations/{id}/read": case_not_found("POST", "/conversations/{id}/read", {}),
    "POST /api/v1/conversations/{id}/attachments": case_not_found("POST", "/conversations/{id}/attachments?name=x.csv"),
    "GET /api/v1/attachments/{id}": case_not_found("GET", "/attachments/{id}"),
    "PATCH /api/v1/messages/{id}": case_not_found("PATCH", "/messages/{id}", {"text": "hijacked"}),
    "DELETE /api/v1/messages/{id}": case_not_found("DELETE", "/messages/{id}"),
    "GET /api/v1/search/messages": case_own("GET", "/search/messages?q=aspirin", no_b_messages),
    "GET /api/v1/inbox": case_own("GET", "/inbox", only_a_inbox),
    "POST /api/v1/conversations/{id}/negotiations": case_not_found("POST", "/conversations/{id}/negotiations",
                                                                   {"kind": "rfq", "lines": [{"sku": "IBU-1", "quantity": 1}]}),
    "GET /api/v1/conversations/{id}/negotiations": case_not_found("GET", "/conversations/{id}/negotiations"),
    "GET /api/v1/negotiations/{id}": case_not_found("GET", "/negotiations/{id}"),
    "POST /api/v1/negotiations/{id}/counter": case_not_found("POST", "/negotiations/{id}/counter",
                                                             {"revision": 1, "lines": [{"sku": "IBU-1", "quantity": 1, "unit_price": "0.01"}]}),
    "POST /api/v1/negotiations/{id}/accept": case_not_found("POST", "/negotiations/{id}/accept", {"revision": 1}),
    "POST /api/v1/negotiations/{id}/decline": case_not_found("POST", "/negotiations/{id}/decline", {"revision": 1}),
    "POST /api/v1/businesses/{id}/quote-requests": case_not_found("POST", "/businesses/{id}/quote-requests", {"seller_business_id": "0" * 26}),
    "POST /api/v1/salesperson-links": case_linking_into_b,
    "GET /api/v1/salesperson-links": case_list("/salesperson-links"),
    "POST /api/v1/salesperson-links/{id}/approve": case_not_found("POST", "/salesperson-links/{id}/approve", {}),
    "POST /api/v1/salesperson-links/{id}/refuse": case_not_found("POST", "/salesperson-links/{id}/refuse", {}),
    "POST /api/v1/salesperson-links/{id}/revoke": case_not_found("POST", "/salesperson-links/{id}/revoke", {}),
    "GET /api/v1/salespeople": case_list("/salespeople", key="user_id"),
    # The caller's own document only: A's owner is no salesperson (403), and nothing of B is named.
    "PUT /api/v1/salespeople/me/document": case_own("PUT", "/salespeople/me/document?name=x.pdf", lambda r, w: problem(r, 403)),
    "GET /api/v1/salespeople/{id}/document": case_not_found("GET", "/salespeople/{id}/document"),
    "POST /api/v1/salespeople/{id}/verify": case_not_found("POST", "/salespeople/{id}/verify"),
    # The WebSocket: a plain GET is refused, and a socket only ever carries the caller's own scope
    # (test_jobs.test_live_channel_pushes_job_changes_to_the_right_people).
    "GET /api/v1/live": case_own("GET", "/live", lambda r, w: problem(r, 400, "invalid")),
    "GET /api/v1/notifications": case_own("GET", "/notifications", no_b_notifications),
    "POST /api/v1/notifications/{id}/read": case_reading_b_notification,
    "POST /api/v1/notifications/read-all": case_own("POST", "/notifications/read-all", lambda r, w: r.status_code == 200 or problem(r, 200)),
    "GET /api/v1/notifications/settings": case_own("GET", "/notifications/settings", lambda r, w: r.status_code == 200 or problem(r, 200)),
    "PATCH /api/v1/notifications/settings": case_own("PATCH", "/notifications/settings", lambda r, w: r.status_code == 200 or problem(r, 200),
                                                     body={"digest": "daily"}),
    "GET /api/v1/notifications/deliveries": case_own("GET", "/notifications/deliveries", no_b_deliveries),
    "GET /api/v1/webhooks/event-types": case_own("GET", "/webhooks/event-types", lambda r, w: r.status_code == 200 or problem(r, 200)),
    "GET /api/v1/webhooks": case_list("/webhooks"),
    "POST /api/v1/webhooks": case_create("/webhooks", {"url": "https://203.0.113.11/a"}),
    "GET /api/v1/webhooks/{id}": case_not_found("GET", "/webhooks/{id}"),
    "PATCH /api/v1/webhooks/{id}": case_not_found("PATCH", "/webhooks/{id}", {"enabled": False}),
    "DELETE /api/v1/webhooks/{id}": case_not_found("DELETE", "/webhooks/{id}"),
    "POST /api/v1/webhooks/{id}/rotate-secret": case_not_found("POST", "/webhooks/{id}/rotate-secret"),
    "GET /api/v1/webhooks/{id}/messages": case_not_found("GET", "/webhooks/{id}/messages"),
    "POST /api/v1/webhooks/{id}/test": case_not_found("POST", "/webhooks/{id}/test"),
    "POST /api/v1/webhooks/{id}/replay": case_not_found("POST", "/webhooks/{id}/replay",
                                                        {"from": "2020-01-01T00:00:00Z", "to": "2099-01-01T00:00:00Z"}),
    "POST /api/v1/webhook-messages/{id}/replay": case_not_found("POST", "/webhook-messages/{id}/replay"),
    "GET /api/v1/channels/email": case_own("GET", "/channels/email", a_channel_or_none),
    "PUT /api/v1/channels/email": case_own("PUT", "/channels/email", a_channel_or_none,
                                           body={"host": "203.0.113.12", "port": 25, "security": "none", "from_email": "shop@alpha.test"}),
    "DELETE /api/v1/channels/email": case_own("DELETE", "/channels/email", lambda r, w: r.status_code in (204, 404) or problem(r, 204)),
    "POST /api/v1/channels/email/test": case_own("POST", "/channels/email/test", lambda r, w: r.status_code in (200, 409) or problem(r, 200)),
    "GET /api/v1/unsubscribe": case_own("GET", "/unsubscribe?token=x", lambda r, w: r.status_code == 200 or problem(r, 200)),
    "POST /api/v1/unsubscribe": case_forged_unsubscribe,
    "GET /api/v1/channels/sms": case_own("GET", "/channels/sms", lambda r, w: r.json() == {"configured": False} or problem(r, 200)),
    "PUT /api/v1/channels/sms": case_own("PUT", "/channels/sms", lambda r, w: problem(r, 400, "invalid"),
                                         body={"provider": "generic", "url": "http://127.0.0.1/x?to={to}&t={text}", "method": "GET", "from": "A"}),
    "DELETE /api/v1/channels/sms": case_own("DELETE", "/channels/sms", lambda r, w: problem(r, 404, "not_found")),
    "POST /api/v1/channels/sms/test": case_own("POST", "/channels/sms/test", lambda r, w: problem(r, 409, "conflict"), body={"to": "+380501234567"}),
    "GET /api/v1/channels/telegram": case_own("GET", "/channels/telegram", case_telegram_bot),
    "PUT /api/v1/channels/telegram": case_own("PUT", "/channels/telegram", lambda r, w: problem(r, 400, "invalid"), body={"token": "x"}),
    "DELETE /api/v1/channels/telegram": case_disconnect_own_bot,
    "GET /api/v1/me/telegram": case_own("GET", "/me/telegram", lambda r, w: r.json() == {"linked": False, "bot_username": "alpha_bot"} or problem(r, 200)),
    "POST /api/v1/me/telegram/link": case_own("POST", "/me/telegram/link", case_own_link),
    "DELETE /api/v1/me/telegram": case_own("DELETE", "/me/telegram", lambda r, w: problem(r, 404, "not_found")),
    "POST /api/v1/telegram/{tenant}/webhook": case_telegram_webhook,
    "POST /api/v1/auth/telegram": case_telegram_sign_in,
    "GET /api/v1/inbox/channels": case_own("GET", "/inbox/channels", only_a_channels),
    "POST /api/v1/inbox/channels": case_channel_for_b_business,
    "PATCH /api/v1/inbox/channels/{id}": case_not_found("PATCH", "/inbox/channels/{id}", body={"name": "Stolen"}),
    "DELETE /api/v1/inbox/channels/{id}": case_not_found("DELETE", "/inbox/channels/{id}"),
    "POST /api/v1/inbox/channels/{id}/test": case_not_found("POST", "/inbox/channels/{id}/test"),
    "GET /api/v1/inbox/channels/{id}/agents": case_not_found("GET", "/inbox/channels/{id}/agents"),
    "PUT /api/v1/inbox/channels/{id}/agents/{user_id}": case_not_found("PUT", "/inbox/channels/{id}/agents/{user_id}", body={"capacity": 9}),
    "DELETE /api/v1/inbox/channels/{id}/agents/{user_id}": case_not_found("DELETE", "/inbox/channels/{id}/agents/{user_id}"),
    "GET /api/v1/inbox/channels/{id}/rules": case_not_found("GET", "/inbox/channels/{id}/rules"),
    "POST /api/v1/inbox/channels/{id}/rules": case_not_found("POST", "/inbox/channels/{id}/rules", body={"kind": "greeting", "replies": {"en": "x"}}),
    "PATCH /api/v1/inbox/rules/{id}": case_not_found("PATCH", "/inbox/rules/{id}", body={"enabled": False}),
    "DELETE /api/v1/inbox/rules/{id}": case_not_found("DELETE", "/inbox/rules/{id}"),
    "GET /api/v1/inbox/conversations": case_own("GET", "/inbox/conversations", only_a_inbox_conversations),
    "GET /api/v1/inbox/conversations/{id}": case_not_found("GET", "/inbox/conversations/{id}"),
    "PATCH /api/v1/inbox/conversations/{id}": case_not_found("PATCH", "/inbox/conversations/{id}", body={"status": "resolved"}),
    "POST /api/v1/inbox/conversations/{id}/reply": case_not_found("POST", "/inbox/conversations/{id}/reply", body={"text": "hi"}),
    "GET /api/v1/inbox/conversations/{id}/deliveries": case_not_found("GET", "/inbox/conversations/{id}/deliveries"),
    "GET /api/v1/inbox/measures": case_own("GET", "/inbox/measures", lambda r, w: [c["channel_id"] for c in r.json()["channels"]] == [w["A"]["channel"]]
                                            or problem(r, 200)),
    "GET /api/v1/inbox/me": case_own("GET", "/inbox/me", lambda r, w: r.json()["seats"][0]["channel_id"] == w["A"]["channel"] or problem(r, 200)),
    "PATCH /api/v1/inbox/me": case_own("PATCH", "/inbox/me", lambda r, w: r.json()["availability"] == "online" or problem(r, 200),
                                       body={"availability": "online"}),
    "GET /api/v1/contacts": case_own("GET", "/contacts", only_a_contacts),
    "GET /api/v1/contacts/{id}": case_not_found("GET", "/contacts/{id}"),
    "PATCH /api/v1/contacts/{id}": case_not_found("PATCH", "/contacts/{id}", body={"name": "Stolen"}),
    "POST /api/v1/contacts/{id}/merge": case_merging_b_contact,
    "GET /api/v1/whatsapp/{tenant}/{channel}/webhook": case_whatsapp_verify,
    "POST /api/v1/whatsapp/{tenant}/{channel}/webhook": case_whatsapp_post,
}


def operations(server):
    doc = requests.get(server.url + "/api/openapi.json").json()
    return {f"{method.upper()} {path}" for path, item in doc["paths"].items() for method in item}


def test_every_endpoint_is_in_the_matrix(server):
    documented = operations(server)
    assert documented - MATRIX.keys() == set(), "add these endpoints to the isolation matrix"
    assert MATRIX.keys() - documented == set(), "the matrix names endpoints that no longer exist"


def test_tenant_a_never_touches_tenant_b(server, world):
    before = snapshot(server, world["tb"])
    for name in sorted(operations(server)):
        MATRIX[name](server, world)
    after = snapshot(server, world["tb"])
    assert after == before
    # B's credentials still work and B still sees only its own.
    assert server.api("GET", "/me", world["tb"]).json()["tenant"]["slug"] == "beta"


def test_live_conversation_topics_carry_only_the_callers_tenant(server, world):
    """A's socket asking to resume B's conversation gets an error for it, and B's new messages never
    reach A's conversation or inbox topics."""
    import asyncio
    import json
    import websockets
    A, B = world["A"], world["B"]

    async def scenario():
        ws = await websockets.connect(server.url.replace("http://", "ws://") + "/api/v1/live",
                                      additional_headers={"Authorization": f"Bearer {A['staff_token']}"})
        assert json.loads(await ws.recv())["type"] == "hello"
        await ws.send(json.dumps({"subscribe": "conversations", "after": {B["conversation"]: 0, A["conversation"]: 0}}))
        await ws.send(json.dumps({"subscribe": "inbox"}))
        await ws.send(json.dumps({"typing": B["conversation"]}))
        got = []
        while not any(m["type"] == "inbox" for m in got):
            got.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
        assert {"type": "error", "conversation_id": B["conversation"], "detail": "No such conversation"} in got
        own = [m for m in got if m["type"] == "conversation.event"]
        assert own and {m["conversation_id"] for m in own} == {A["conversation"]}
        assert server.api("POST", f"/conversations/{B['conversation']}/messages", B["staff_token"], json={"text": "B only"}).status_code == 201
        try:
            extra = json.loads(await asyncio.wait_for(ws.recv(), 1.0))
            raise AssertionError(f"A heard {extra}")
        except asyncio.TimeoutError:
            pass
        await ws.close()
    asyncio.run(scenario())


def test_the_notifications_topic_carries_only_the_callers_own(server, world):
    """A's socket resuming notifications from 0 gets A's own, and B's new ones never reach it."""
    import asyncio
    import json
    import websockets
    A, B = world["A"], world["B"]
    own = {n["id"] for n in server.api("GET", "/notifications", world["ta"]).json()["items"]}

    async def scenario():
        ws = await websockets.connect(server.url.replace("http://", "ws://") + "/api/v1/live",
                                      additional_headers={"Authorization": f"Bearer {world['ta']}"})
        assert json.loads(await ws.recv())["type"] == "hello"
        await ws.send(json.dumps({"subscribe": "notifications", "after": 0}))
        got = []
        try:
            while True:
                got.append(json.loads(await asyncio.wait_for(ws.recv(), 1.5)))
        except asyncio.TimeoutError:
            pass
        # B's owner hears of a new salesperson link request; A's socket stays quiet.
        rep = server.login("rep@beta.test", "rep-pass-1", tenant="beta")
        server.api("POST", f"/salesperson-links/{B['link']}/revoke", world["tb"])
        assert server.api("POST", "/salesperson-links", rep, json={"business_id": B["shop"], "side": "seller"}).status_code == 201
        server.wait_for(lambda: server.api("GET", "/notifications?unread=true", world["tb"]).json()["unread"] >= 1 and
                        sum(n["kind"] == "salesperson_link.requested" for n in server.api("GET", "/notifications", world["tb"]).json()["items"]) == 2)
        try:
            extra = json.loads(await asyncio.wait_for(ws.recv(), 1.0))
            got.append(extra)
        except asyncio.TimeoutError:
            pass
        await ws.close()
        return got

    got = asyncio.run(scenario())
    pushed = [m["notification"] for m in got if m["type"] == "notification"]
    assert {n["id"] for n in pushed} == own
    assert not any(v in (n.get("link") or "") for n in pushed for v in B.values() if isinstance(v, str) and len(v) >= 20)  # ids, not numbers
