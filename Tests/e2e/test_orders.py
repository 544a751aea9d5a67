"""Carts and orders through the real server: a buyer fills a cart (the price that won is shown),
places an order re-priced at placement with a readable number, the seller confirms or cancels
(releasing stock); transitions not allowed from the current state are 409 with that state; a
retried POST with the same Idempotency-Key places one order; 50 concurrent buyers racing for the
last 10 units reserve exactly 10; kill -9 in the middle of a burst of placements loses no
acknowledged order and leaves the ledger agreeing with the counters."""
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

from conftest import Server, problem, run_cli


def trade_world(s, stock=10, slug="acme"):
    admin = s.admin_token()
    s.create_tenant(slug, owner_email=f"boss@{slug}.test", token=admin)
    owner = s.login(f"boss@{slug}.test", "owner-password-1", tenant=slug)
    seller = s.api("POST", "/businesses", owner, json={"name": "Фарм Опт", "type": "wholesaler", "city": "Kyiv"}).json()
    buyer = s.api("POST", "/businesses", owner, json={"name": "Apteka", "type": "pharmacy", "city": "Lviv"}).json()
    tokens = {}
    for name, biz in (("seller", seller), ("buyer", buyer)):
        user = s.api("POST", "/users", owner, json={"email": f"{name}@{slug}.test", "name": name, "password": f"{name}-pass-1"}).json()["user"]
        assert s.api("PUT", f"/businesses/{biz['id']}/members/{user['id']}", owner, json={"role": "staff"}).status_code == 200
        tokens[name] = s.login(f"{name}@{slug}.test", f"{name}-pass-1", tenant=slug)
    product = s.api("POST", f"/businesses/{seller['id']}/products", tokens["seller"], json={
        "sku": "PAR-500", "name": "Парацетамол 500 мг", "currency": "UAH", "price": "42.50", "status": "published",
        "stock_quantity": stock, "tax_rate": "20", "tiers": [{"min_quantity": 10, "price": "40.00"}]}).json()
    assert product["tax_rate"] == "20", product
    return owner, tokens["seller"], tokens["buyer"], seller, buyer, product


def test_a_cart_becomes_an_order_that_the_seller_handles(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=50)
    cart = s.api("PUT", f"/businesses/{buyer['id']}/cart/lines/{product['id']}", buyer_token, json={"quantity": 12}).json()
    assert cart["lines"][0]["price_source"] == "tier" and cart["lines"][0]["unit_price"]["amount"] == "40.00"
    assert cart["total"] == {"amount": "480.00", "currency": "UAH"}
    quick = s.api("POST", f"/businesses/{buyer['id']}/cart/quick", buyer_token, json={"text": "PAR-500 3\nNOPE 2\nbad line"}).json()
    assert quick["added"] == 1 and [i["line"] for i in quick["issues"]] == [2, 3]
    assert quick["carts"][0]["lines"][0]["quantity"] == 15

    # The buyer saw 600.00; the seller raised the price meanwhile: placement says so and places nothing.
    assert s.api("PATCH", f"/products/{product['id']}", seller_token, json={"tiers": [{"min_quantity": 10, "price": "41.00"}]}).status_code == 200
    body = {"buyer_business_id": buyer["id"], "seller_business_id": seller["id"], "expected_total": {"amount": "600.00", "currency": "UAH"},
            "delivery_address": "Lviv, Svobody 1", "payment_terms": {"kind": "net", "days": 14}}
    changed = problem(s.api("POST", "/orders", buyer_token, json=body), 409, "price_changed")
    assert changed["total"] == "615.00"
    key = str(uuid.uuid4())
    body["expected_total"]["amount"] = "615.00"
    r = s.api("POST", "/orders", buyer_token, json=body, headers={"Idempotency-Key": key})
    assert r.status_code == 201, r.text
    order = r.json()
    again = s.api("POST", "/orders", buyer_token, json=body, headers={"Idempotency-Key": key})
    assert again.status_code == 201 and again.json() == order
    problem(s.api("POST", "/orders", buyer_token, json={**body, "notes": "other"}, headers={"Idempotency-Key": key}), 422, "idempotency_key_reused")
    assert order["number"].startswith("FARM-") and order["number"].endswith("-000001")
    assert (order["net"]["amount"], order["tax"]["amount"], order["gross"]["amount"]) == ("615.00", "123.00", "738.00")
    assert order["lines"][0]["reserved"] == 15 and order["payment_terms"] == {"days": 14, "kind": "net"}
    assert s.api("GET", f"/businesses/{buyer['id']}/carts", buyer_token).json()["items"] == []
    assert s.api("GET", f"/products/{product['id']}", buyer_token).json()["stock_quantity"] == 35

    listed = s.api("GET", f"/businesses/{seller['id']}/orders?side=seller", seller_token).json()["items"]
    assert [o["id"] for o in listed] == [order["id"]] and "lines" not in listed[0]
    problem(s.api("GET", f"/businesses/{seller['id']}/orders?side=seller", buyer_token), 403, "forbidden")
    problem(s.api("GET", f"/businesses/{seller['id']}/orders", seller_token), 400, "invalid")
    problem(s.api("POST", f"/orders/{order['id']}/confirm", buyer_token), 403, "forbidden")
    conflict = problem(s.api("POST", f"/orders/{order['id']}/complete", seller_token), 409, "invalid_state")
    assert conflict["state"] == "placed"
    confirmed = s.api("POST", f"/orders/{order['id']}/confirm", seller_token).json()
    assert confirmed["state"] == "confirmed"
    problem(s.api("POST", f"/orders/{order['id']}/cancel", buyer_token, json={"reason": "Too late"}), 403, "forbidden")
    cancelled = s.api("POST", f"/orders/{order['id']}/cancel", seller_token, json={"reason": "Out of season"}).json()
    assert cancelled["state"] == "cancelled" and cancelled["cancel_reason"] == "Out of season"
    assert [h["to"] for h in cancelled["history"]] == ["placed", "confirmed", "cancelled"]
    assert s.api("GET", f"/products/{product['id']}", buyer_token).json()["stock_quantity"] == 50
    again = problem(s.api("POST", f"/orders/{order['id']}/cancel", seller_token), 409, "invalid_state")
    assert again["state"] == "cancelled"
    assert s.api("POST", f"/orders/{order['id']}/reorder", buyer_token).json()["lines"][0]["quantity"] == 15
    events = {e["action"] for e in s.api("GET", "/audit?limit=200", owner).json()["items"]}
    assert {"order.placed", "order.confirmed", "order.cancelled"} <= events


def test_fifty_buyers_race_for_the_last_ten_units(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=10)
    body = {"buyer_business_id": buyer["id"], "seller_business_id": seller["id"], "lines": [{"product_id": product["id"], "quantity": 1}]}
    session_url = s.url + "/api/v1/orders"

    def place(_):
        r = requests.post(session_url, json=body, headers={"Authorization": f"Bearer {buyer_token}"}, timeout=60)
        return r.status_code, r.json()

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(place, range(50)))
    placed = [b for status, b in results if status == 201]
    refused = [b for status, b in results if status == 409]
    assert len(placed) == 10 and len(refused) == 40, [status for status, _ in results]
    assert all(b["code"] == "insufficient_stock" and b["available"] == 0 for b in refused)
    numbers = sorted(int(o["number"].rsplit("-", 1)[1]) for o in placed)
    assert numbers == list(range(1, 11))  # refused placements took no number: no gaps
    levels = s.api("GET", f"/businesses/{seller['id']}/stock", seller_token).json()["items"]
    assert [(l["on_hand"], l["reserved"], l["available"]) for l in levels] == [(10, 10, 0)]
    report = json.loads(run_cli("stock", "reconcile", "--tenant", "acme", "--json", data=s.data).stdout)
    assert report["drifts"] == []


def test_kill_9_during_a_burst_of_placements_loses_no_acknowledged_order(data_dir):
    s = Server(data_dir).start()
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=100000, slug="crashy")
    acknowledged = {}
    lock = threading.Lock()
    stop = threading.Event()

    def placer(n):
        i = 0
        while not stop.is_set():
            i += 1
            key = f"w{n}-{i}"
            try:
                r = requests.post(s.url + "/api/v1/orders", headers={"Authorization": f"Bearer {buyer_token}", "Idempotency-Key": key},
                                  json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"],
                                        "lines": [{"product_id": product["id"], "quantity": 1 + (i % 5)}]}, timeout=10)
            except requests.RequestException:
                return
            if r.status_code == 201:
                with lock:
                    acknowledged[r.json()["id"]] = r.json()

    threads = [threading.Thread(target=placer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    s.wait_for(lambda: len(acknowledged) >= 40, timeout=60, message="placements to get going")
    s.proc.kill()
    s.proc.wait()
    stop.set()
    for t in threads:
        t.join(timeout=30)
    s.log.close()

    s = Server(data_dir).start()
    seller_token = s.login("seller@crashy.test", "seller-pass-1", tenant="crashy")
    orders, cursor = [], None
    while True:
        page = s.api("GET", f"/businesses/{seller['id']}/orders?side=seller&limit=200" + (f"&cursor={cursor}" if cursor else ""), seller_token).json()
        orders += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    by_id = {o["id"]: o for o in orders}
    for oid, order in acknowledged.items():
        assert oid in by_id and by_id[oid]["number"] == order["number"], f"acknowledged order {order['number']} was lost"
    numbers = sorted(int(o["number"].rsplit("-", 1)[1]) for o in orders)
    assert numbers == list(range(1, len(numbers) + 1)), "order numbers have a gap"
    reserved = 0
    for o in orders:
        full = s.api("GET", f"/orders/{o['id']}", seller_token).json()
        assert full["lines"], f"{o['number']} has no lines: a half order"
        reserved += sum(line["reserved"] for line in full["lines"])
    level = s.api("GET", f"/businesses/{seller['id']}/stock", seller_token).json()["items"][0]
    assert level["reserved"] == reserved
    assert json.loads(run_cli("stock", "reconcile", "--tenant", "crashy", "--json", data=data_dir).stdout)["drifts"] == []
    assert s.stop() == 0


def test_the_command_line_lists_and_shows_orders(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=5)
    order = s.api("POST", "/orders", buyer_token, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"],
                                                        "lines": [{"sku": "PAR-500", "quantity": 2}]}).json()
    listed = json.loads(run_cli("orders", "list", "--tenant", "acme", "--business", seller["id"], "--side", "seller", "--json", data=s.data).stdout)
    assert [o["number"] for o in listed] == [order["number"]]
    shown = json.loads(run_cli("orders", "show", "--tenant", "acme", order["number"], "--json", data=s.data).stdout)
    assert shown["id"] == order["id"] and shown["lines"][0]["reserved"] == 2
    text = run_cli("orders", "show", "--tenant", "acme", order["id"], data=s.data).stdout
    assert order["number"] in text and "PAR-500" in text and "gross 102.00 UAH" in text
    out = run_cli("orders", "list", "--tenant", "acme", "--business", seller["id"], "--side", "sideways", data=s.data, check=False)
    assert out.returncode != 0 and "--side" in out.stderr
