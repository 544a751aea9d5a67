"""A whole trade through the real server, every document checked: a buyer orders two products,
the seller confirms, ships part (stock leaves on-hand and the reservation), invoices what shipped,
ships the rest and invoices it; the invoices' numbers are consecutive, their PDFs (read back with
pypdf) carry both parties' legal details, Cyrillic included, tax per rate, the totals and the
total in words in the buyer's language; the buyer pays in parts, gets a refund; the shipments are
delivered and the order completed; the stock ledger agrees with the counters. Also: credit
limits put an order on hold at placement, and nobody outside the trade sees any of it."""
import asyncio
import csv
import io
import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
import websockets

from pypdf import PdfReader

from conftest import cli_json, problem
from test_orders import trade_world


def pdf_text(response):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_a_whole_trade_with_every_document_checked(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, par = trade_world(s, stock=30)
    vit = s.api("POST", f"/businesses/{seller['id']}/products", seller_token, json={
        "sku": "VIT-C", "name": "Вітамін С 100 мг, таблетки жувальні", "currency": "UAH", "price": "15.05", "status": "published",
        "stock_quantity": 8, "tax_rate": "7"}).json()
    assert s.api("PUT", f"/businesses/{seller['id']}/legal", seller_token, json={
        "legal_name": "ТОВ «Фарм Опт»", "tax_id": "12345678", "address": "Київ, вул. Хрещатик, 1",
        "bank_account": "UA213223130000026007233566001", "bank_name": "АТ «Приватбанк»", "document_language": "uk"}).status_code == 200
    problem(s.api("PUT", f"/businesses/{buyer['id']}/legal", seller_token, json={"legal_name": "X"}), 403, "forbidden")
    bad = problem(s.api("PUT", f"/businesses/{buyer['id']}/legal", owner, json={"legal_name": "", "document_language": "de"}), 400)
    assert {e["field"] for e in bad["errors"]} == {"legal_name", "document_language"}
    assert s.api("PUT", f"/businesses/{buyer['id']}/legal", owner, json={
        "legal_name": "ФОП Іваненко Ірина", "tax_id": "3012345678", "address": "Львів, пл. Ринок, 5", "document_language": "uk"}).status_code == 200

    order = s.api("POST", "/orders", buyer_token, json={
        "buyer_business_id": buyer["id"], "seller_business_id": seller["id"], "payment_terms": {"kind": "net", "days": 14},
        "lines": [{"sku": "PAR-500", "quantity": 12}, {"sku": "VIT-C", "quantity": 5}]}).json()
    assert order["state"] == "placed"
    problem(s.api("POST", f"/orders/{order['id']}/shipments", seller_token, json={}), 409, "invalid_state")
    problem(s.api("POST", f"/orders/{order['id']}/invoices", seller_token), 409, "invalid_state")
    assert s.api("POST", f"/orders/{order['id']}/confirm", seller_token).json()["state"] == "confirmed"

    # A partial shipment: 7 of the 12 boxes. Bad lines are named and change nothing.
    bad = problem(s.api("POST", f"/orders/{order['id']}/shipments", seller_token,
                        json={"lines": [{"line_no": 1, "quantity": 13}, {"line_no": 9, "quantity": 1}]}), 400)
    assert {e["field"] for e in bad["errors"]} == {"lines[0].quantity", "lines[1].line_no"}
    problem(s.api("POST", f"/orders/{order['id']}/shipments", buyer_token, json={}), 403, "forbidden")
    key = str(uuid.uuid4())
    body = {"lines": [{"line_no": 1, "quantity": 7}], "carrier": "Нова пошта", "tracking_number": "20450000000001"}
    first = s.api("POST", f"/orders/{order['id']}/shipments", seller_token, json=body, headers={"Idempotency-Key": key})
    assert first.status_code == 201, first.text
    again = s.api("POST", f"/orders/{order['id']}/shipments", seller_token, json=body, headers={"Idempotency-Key": key})
    assert again.json() == first.json()
    shipment1 = first.json()
    assert shipment1["number"] == 1 and shipment1["lines"] == [{"line_no": 1, "sku": "PAR-500", "name": "Парацетамол 500 мг", "quantity": 7}]
    order = s.api("GET", f"/orders/{order['id']}", buyer_token).json()
    assert order["state"] == "partially_shipped"
    assert [(l["shipped"], l["reserved"]) for l in order["lines"]] == [(7, 5), (0, 5)]
    level = s.api("GET", f"/businesses/{seller['id']}/stock?product_id={par['id']}", seller_token).json()["items"][0]
    assert (level["on_hand"], level["reserved"]) == (23, 5)
    moves = s.api("GET", f"/businesses/{seller['id']}/stock/movements?product_id={par['id']}", seller_token).json()["items"]
    assert moves[0]["kind"] == "shipment" and moves[0]["document_id"] == shipment1["id"]

    # Invoice what shipped: 7 × 40.00 at 20 %.
    inv1 = s.api("POST", f"/orders/{order['id']}/invoices", seller_token, json={"basis": "shipped"}).json()
    assert inv1["number"].startswith("INV-FARM-") and inv1["number"].endswith("-000001"), inv1
    assert (inv1["net"]["amount"], inv1["tax"]["amount"], inv1["gross"]["amount"]) == ("280.00", "56.00", "336.00")
    assert inv1["status"] == "open" and inv1["balance"]["amount"] == "336.00" and inv1["buyer"]["legal_name"] == "ФОП Іваненко Ірина"
    problem(s.api("POST", f"/orders/{order['id']}/invoices", seller_token, json={"basis": "shipped"}), 400, "invalid")

    # The rest ships without naming lines: everything the warehouse holds for the order.
    shipment2 = s.api("POST", f"/orders/{order['id']}/shipments", seller_token, json={"carrier": "Meest"}).json()
    assert [(l["line_no"], l["quantity"]) for l in shipment2["lines"]] == [(1, 5), (2, 5)]
    assert s.api("GET", f"/orders/{order['id']}", seller_token).json()["state"] == "shipped"
    inv2 = s.api("POST", f"/orders/{order['id']}/invoices", seller_token).json()
    assert inv2["number"] == inv1["number"][:-6] + "000002"
    # 5 × 40.00 at 20 % = 200.00 + 40.00; 5 × 15.05 at 7 % = 75.25 + 5.27 (5.2675 rounded half away from zero).
    assert [(t["rate"], t["net"]["amount"], t["tax"]["amount"]) for t in inv2["taxes"]] == [("20", "200.00", "40.00"), ("7", "75.25", "5.27")]
    assert inv2["gross"]["amount"] == "320.52"
    listed = s.api("GET", f"/orders/{order['id']}/invoices", buyer_token).json()["items"]
    assert [i["number"] for i in listed] == [inv1["number"], inv2["number"]]

    # Each invoice's PDF is made and kept by a job right after issue, before anyone downloads it.
    s.wait_for(lambda: sorted(j["state"] for j in s.api("GET", "/jobs?type=document.pdf", owner).json()["items"]) == ["succeeded", "succeeded"],
               message="the invoices' PDF jobs")

    # The PDFs, as the buyer downloads them.
    text, pages = pdf_text(s.api("GET", f"/invoices/{inv2['id']}/pdf", buyer_token))
    for expected in ["Рахунок-фактура", inv2["number"], order["number"], "ТОВ «Фарм Опт»", "12345678", "UA213223130000026007233566001",
                     "ФОП Іваненко Ірина", "Львів, пл. Ринок, 5", "Вітамін С 100 мг", "PAR-500", "75,25", "5,27", "320,52",
                     "Сума прописом", "Триста двадцять гривень 52 копійки", inv2["due_date"]]:
        assert expected in text, (expected, text)
    assert pages == 1
    text1, _ = pdf_text(s.api("GET", f"/invoices/{inv1['number']}/pdf", seller_token))
    assert "Триста тридцять шість гривень 00 копійок" in text1 and "336,00" in text1
    assert s.api("GET", f"/invoices/{inv2['id']}/pdf", seller_token).content == s.api("GET", f"/invoices/{inv2['id']}/pdf", buyer_token).content

    # Payments: in parts, never over the balance, a refund out; the buyer cannot record them.
    problem(s.api("POST", f"/invoices/{inv1['id']}/payments", buyer_token, json={"amount": "10.00", "method": "cash"}), 403, "forbidden")
    bad = problem(s.api("POST", f"/invoices/{inv1['id']}/payments", seller_token, json={"amount": "336.01", "method": "cash", "received_on": "soon"}), 400)
    assert {e["field"] for e in bad["errors"]} == {"amount", "received_on"}
    assert problem(s.api("POST", f"/invoices/{inv1['id']}/payments", seller_token, json={"amount": "1"}), 400)["errors"][0]["field"] == "method"
    key = str(uuid.uuid4())
    paid = s.api("POST", f"/invoices/{inv1['id']}/payments", seller_token, json={"amount": "100", "method": "bank_transfer", "reference": "п/д 17"},
                 headers={"Idempotency-Key": key})
    assert paid.status_code == 201 and paid.json()["status"] == "partially_paid" and paid.json()["balance"]["amount"] == "236.00"
    again = s.api("POST", f"/invoices/{inv1['id']}/payments", seller_token, json={"amount": "100", "method": "bank_transfer", "reference": "п/д 17"},
                  headers={"Idempotency-Key": key})
    assert again.json()["paid"]["amount"] == "100.00"
    assert s.api("POST", f"/invoices/{inv1['id']}/payments", seller_token, json={"amount": "236.00", "method": "card"}).json()["status"] == "paid"
    refund = s.api("POST", f"/invoices/{inv1['id']}/payments", seller_token, json={"amount": "36.00", "method": "bank_transfer", "direction": "out"}).json()
    assert refund["status"] == "partially_paid" and refund["paid"]["amount"] == "300.00"
    assert [(p["direction"], p["amount"]["amount"]) for p in refund["payments"]] == [("in", "100.00"), ("in", "236.00"), ("out", "36.00")]
    made = s.api("GET", f"/businesses/{buyer['id']}/payments?side=buyer", buyer_token).json()["items"]
    assert len(made) == 3 and made[0]["direction"] == "out"
    assert s.api("POST", f"/invoices/{inv2['id']}/payments", seller_token, json={"amount": "320.52", "method": "bank_transfer"}).json()["status"] == "paid"

    # A return: two of the five vitamin packs. Asking for more than shipped is refused, field by field.
    bad = problem(s.api("POST", f"/orders/{order['id']}/returns", buyer_token, json={"lines": [{"line_no": 2, "quantity": 6}], "reason": "Broken"}), 400)
    assert bad["errors"][0]["field"] == "lines[0].quantity"
    problem(s.api("POST", f"/orders/{order['id']}/returns", seller_token, json={"lines": [{"line_no": 2, "quantity": 2}], "reason": "x"}), 403, "forbidden")
    ret = s.api("POST", f"/orders/{order['id']}/returns", buyer_token, json={"lines": [{"line_no": 2, "quantity": 2}], "reason": "Пошкоджена упаковка"},
                headers={"Idempotency-Key": str(uuid.uuid4())})
    assert ret.status_code == 201, ret.text
    ret = ret.json()
    assert ret["state"] == "requested" and ret["lines"] == [{"line_no": 2, "sku": "VIT-C", "name": vit["name"], "quantity": 2, "damaged": 0}]
    problem(s.api("POST", f"/orders/{order['id']}/returns", buyer_token, json={"lines": [{"line_no": 2, "quantity": 4}], "reason": "more"}), 400)
    problem(s.api("POST", f"/returns/{ret['id']}/receive", seller_token), 409, "invalid_state")
    problem(s.api("POST", f"/returns/{ret['id']}/accept", buyer_token), 403, "forbidden")
    assert s.api("POST", f"/returns/{ret['id']}/accept", seller_token).json()["state"] == "accepted"
    assert problem(s.api("POST", f"/returns/{ret['id']}/refuse", seller_token), 409, "invalid_state")["state"] == "accepted"
    level_before = s.api("GET", f"/businesses/{seller['id']}/stock?product_id={vit['id']}", seller_token).json()["items"][0]["on_hand"]
    received = s.api("POST", f"/returns/{ret['id']}/receive", seller_token, json={"lines": [{"line_no": 2, "damaged": 1}]}).json()
    assert received["state"] == "received" and received["lines"][0]["damaged"] == 1 and received["credit_note_number"].startswith("CN-FARM-")
    # One back on the shelf, one written off: the ledger says both.
    assert s.api("GET", f"/businesses/{seller['id']}/stock?product_id={vit['id']}", seller_token).json()["items"][0]["on_hand"] == level_before + 1
    kinds = [m["kind"] for m in s.api("GET", f"/businesses/{seller['id']}/stock/movements?product_id={vit['id']}", seller_token).json()["items"][:2]]
    assert kinds == ["write_off", "return"]
    note = s.api("GET", f"/credit-notes/{received['credit_note_id']}", buyer_token).json()
    # 2 × 15.05 = 30.10 at 7 % = 2.107 → 2.11.
    assert (note["net"]["amount"], note["tax"]["amount"], note["gross"]["amount"], note["invoice_number"]) == ("30.10", "2.11", "32.21", inv2["number"])
    assert note["number"].endswith("-000001")
    credited = s.api("GET", f"/invoices/{inv2['id']}", seller_token).json()
    assert (credited["credited"]["amount"], credited["balance"]["amount"]) == ("32.21", "-32.21")
    refunded = s.api("POST", f"/invoices/{inv2['id']}/payments", seller_token, json={"amount": "32.21", "method": "bank_transfer", "direction": "out"}).json()
    assert refunded["balance"]["amount"] == "0.00" and refunded["status"] == "paid"
    text, _ = pdf_text(s.api("GET", f"/credit-notes/{note['id']}/pdf", buyer_token))
    for expected in ["Кредит-нота", note["number"], inv2["number"], "Пошкоджена упаковка", "ТОВ «Фарм Опт»", "ФОП Іваненко Ірина", "30,10", "2,11", "32,21",
                     "Тридцять дві гривні 21 копійка"]:
        assert expected in text, (expected, text)
    assert [r["id"] for r in s.api("GET", f"/businesses/{seller['id']}/returns?side=seller", seller_token).json()["items"]] == [ret["id"]]
    assert [c["number"] for c in s.api("GET", f"/orders/{order['id']}/credit-notes", buyer_token).json()["items"]] == [note["number"]]
    assert [i["number"] for i in s.api("GET", f"/businesses/{seller['id']}/invoices?side=seller", seller_token).json()["items"]] == [inv2["number"], inv1["number"]]

    # Delivery: the buyer confirms each shipment; with the last one the order is delivered.
    assert s.api("POST", f"/shipments/{shipment1['id']}/deliver", buyer_token).json()["delivered_at"]
    problem(s.api("POST", f"/shipments/{shipment1['id']}/deliver", buyer_token), 409, "invalid_state")
    assert s.api("GET", f"/orders/{order['id']}", buyer_token).json()["state"] == "shipped"
    s.api("POST", f"/shipments/{shipment2['id']}/deliver", seller_token)
    assert s.api("GET", f"/orders/{order['id']}", buyer_token).json()["state"] == "delivered"
    done = s.api("POST", f"/orders/{order['id']}/complete", seller_token).json()
    assert [h["to"] for h in done["history"]] == ["placed", "confirmed", "partially_shipped", "shipped", "delivered", "completed"]

    # Accounting exports: one row each, amounts as decimals, the catalog export's encodings.
    rows = list(csv.DictReader(io.StringIO(s.api("GET", f"/businesses/{seller['id']}/invoices/export?side=seller", seller_token).content.decode("utf-8-sig"))))
    assert [(r["number"], r["gross"], r["paid"], r["status"], r["buyer"]) for r in rows] == [
        (inv1["number"], "336.00", "300.00", "partially_paid", "ФОП Іваненко Ірина"), (inv2["number"], "320.52", "288.31", "paid", "ФОП Іваненко Ірина")]
    assert rows[1]["tax_by_rate"] == "20%: 200.00/40.00; 7%: 75.25/5.27"
    cp1251 = s.api("GET", f"/businesses/{buyer['id']}/payments/export?side=buyer&encoding=windows-1251&delimiter=;", buyer_token)
    assert cp1251.headers["content-type"] == "text/csv; charset=windows-1251"
    rows = list(csv.DictReader(io.StringIO(cp1251.content.decode("cp1251")), delimiter=";"))
    assert [(r["direction"], r["amount"], r["reference"]) for r in rows] == [("in", "100.00", "п/д 17"), ("in", "236.00", ""), ("out", "36.00", ""),
                                                                            ("in", "320.52", ""), ("out", "32.21", "")]
    orders_csv = s.api("GET", f"/businesses/{seller['id']}/orders/export?side=seller&from=2000-01-01&to=2200-12-31", seller_token).content.decode("utf-8-sig")
    assert list(csv.DictReader(io.StringIO(orders_csv)))[0]["number"] == order["number"]
    assert s.api("GET", f"/businesses/{seller['id']}/orders/export?side=seller&from=2000-01-01&to=2000-01-02", seller_token).content.decode("utf-8-sig").count("\n") == 1
    bad = problem(s.api("GET", f"/businesses/{seller['id']}/orders/export?side=seller&from=yesterday", seller_token), 400)
    assert bad["errors"][0]["field"] == "from"
    problem(s.api("GET", f"/businesses/{seller['id']}/invoices/export?side=seller", buyer_token), 403, "forbidden")

    report = cli_json("stock", "reconcile", "--tenant", "acme", "--json", data=s.data)
    assert report["drifts"] == [] and report["movements"] >= 6

    # Nobody outside the trade sees any of it.
    other = s.create_tenant("other", owner_email="boss@other.test", token=s.admin_token())
    stranger = s.login("boss@other.test", "owner-password-1", tenant="other")
    for path in [f"/invoices/{inv1['id']}", f"/invoices/{inv1['id']}/pdf", f"/credit-notes/{note['id']}/pdf", f"/orders/{order['id']}/returns", f"/orders/{order['id']}/shipments", f"/orders/{order['id']}/invoices",
                 f"/businesses/{seller['id']}/invoices/export?side=seller"]:
        problem(s.api("GET", path, stranger), 404)
    problem(s.api("POST", f"/shipments/{shipment1['id']}/deliver", stranger), 404)
    problem(s.api("POST", f"/invoices/{inv1['id']}/payments", stranger, json={"amount": "1", "method": "cash"}), 404)


def test_an_order_over_the_credit_limit_waits_for_the_seller(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, par = trade_world(s, stock=100)
    bad = problem(s.api("PUT", f"/businesses/{seller['id']}/credit-limits/{buyer['id']}", seller_token, json={"limit": {"amount": "-5", "currency": "UAH"}}), 400)
    assert bad["errors"][0]["field"].startswith("limit")
    limit = s.api("PUT", f"/businesses/{seller['id']}/credit-limits/{buyer['id']}", seller_token, json={"limit": {"amount": "1000.00", "currency": "UAH"}}).json()
    assert limit["exposure"] == {"amount": "0.00", "currency": "UAH"}
    problem(s.api("GET", f"/businesses/{seller['id']}/credit-limits", buyer_token), 403, "forbidden")

    def place(quantity):
        return s.api("POST", "/orders", buyer_token, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"],
                                                          "lines": [{"sku": "PAR-500", "quantity": quantity}]}).json()

    first = place(16)     # 16 × 40.00 + 20 % = 768.00: within the limit
    assert first["state"] == "placed"
    second = place(10)    # 480.00 more would make 1248.00
    assert second["state"] == "on_hold" and "credit limit" in second["history"][0]["note"]
    assert second["lines"][0]["reserved"] == 10
    listed = s.api("GET", f"/businesses/{seller['id']}/credit-limits", seller_token).json()["items"]
    assert listed[0]["exposure"]["amount"] == "1248.00"
    problem(s.api("POST", f"/orders/{second['id']}/approve", buyer_token), 403, "forbidden")
    assert s.api("POST", f"/orders/{second['id']}/approve", seller_token).json()["state"] == "placed"
    assert s.api("DELETE", f"/businesses/{seller['id']}/credit-limits/{buyer['id']}", seller_token).status_code == 204
    assert place(10)["state"] == "placed"


def test_order_changes_reach_live_sockets_of_both_sides_only_and_a_reconnect_catches_up(server):
    """The buyer's and the seller's members hear every change to their orders over /api/v1/live,
    numbered; a member of another business hears nothing; a client that was away asks for what came
    after its last number and gets exactly the changes it missed, from the database."""
    s = server
    owner, seller_token, buyer_token, seller, buyer, par = trade_world(s, stock=50)
    stranger_biz = s.api("POST", "/businesses", owner, json={"name": "Elsewhere", "type": "pharmacy", "city": "Odesa"}).json()
    user = s.api("POST", "/users", owner, json={"email": "stranger@acme.test", "name": "S", "password": "stranger-pass-1"}).json()["user"]
    s.api("PUT", f"/businesses/{stranger_biz['id']}/members/{user['id']}", owner, json={"role": "staff"})

    def cookie(email, password):
        session = requests.Session()
        assert session.post(s.url + "/api/v1/auth/login", json={"tenant": "acme", "email": email, "password": password, "mode": "cookie"}).status_code == 200
        return "; ".join(f"{c.name}={c.value}" for c in session.cookies)

    cookies = {"buyer": cookie("buyer@acme.test", "buyer-pass-1"), "seller": cookie("seller@acme.test", "seller-pass-1"),
               "stranger": cookie("stranger@acme.test", "stranger-pass-1")}
    url = s.url.replace("http://", "ws://") + "/api/v1/live"

    async def open_orders(who, after=None):
        ws = await websockets.connect(url, additional_headers={"Cookie": cookies[who], "Origin": s.url})
        assert json.loads(await ws.recv())["type"] == "hello"
        await ws.send(json.dumps({"subscribe": "orders", **({"after": after} if after is not None else {})}))
        return ws

    async def until_subscribed(ws):
        seen = []
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), 5))
            if message["type"] == "subscribed":
                return seen, message["seq"]
            seen.append(message)

    async def next_changes(ws, count):
        return [json.loads(await asyncio.wait_for(ws.recv(), 5)) for _ in range(count)]

    async def scenario():
        buyer_ws, seller_ws, stranger_ws = await open_orders("buyer"), await open_orders("seller"), await open_orders("stranger")
        for ws in (buyer_ws, seller_ws, stranger_ws):
            assert (await until_subscribed(ws))[0] == []
        order = s.api("POST", "/orders", buyer_token, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"],
                                                            "lines": [{"sku": "PAR-500", "quantity": 3}]}).json()
        s.api("POST", f"/orders/{order['id']}/confirm", seller_token)
        for ws in (buyer_ws, seller_ws):
            changes = await next_changes(ws, 2)
            assert [(c["type"], c["topic"], c["order_id"], c["state"]) for c in changes] == [
                ("order.changed", "order.placed", order["id"], "placed"), ("order.changed", "order.confirmed", order["id"], "confirmed")]
            assert changes[1]["seq"] == changes[0]["seq"] + 1
        last_seen = changes[1]["seq"]
        await buyer_ws.close()
        # While the buyer is away: a shipment and an invoice.
        s.api("POST", f"/orders/{order['id']}/shipments", seller_token, json={})
        s.api("POST", f"/orders/{order['id']}/invoices", seller_token)
        assert [c["topic"] for c in await next_changes(seller_ws, 2)] == ["order.shipped", "invoice.issued"]
        back = await open_orders("buyer", after=last_seen)
        missed, seq = await until_subscribed(back)
        assert [(m["topic"], m["seq"]) for m in missed] == [("order.shipped", last_seen + 1), ("invoice.issued", last_seen + 2)]
        assert seq == last_seen + 2
        try:
            extra = await asyncio.wait_for(stranger_ws.recv(), 0.5)
            raise AssertionError(f"a member of another business heard {extra}")
        except asyncio.TimeoutError:
            pass
        for ws in (back, seller_ws, stranger_ws):
            await ws.close()

    asyncio.run(scenario())


def test_promo_codes_at_placement_with_limits_over_http(server):
    """A seller's code takes 10 % off the lines it covers, shown per line and carried into the
    invoice; codes that do not apply are refused naming promo_code; 20 concurrent buyers race for a
    code good for 5 uses: exactly 5 orders get it."""
    s = server
    owner, seller_token, buyer_token, seller, buyer, par = trade_world(s, stock=500)
    cat = s.api("POST", "/categories", owner, json={"name": "Vitamins"}).json()
    vit = s.api("POST", f"/businesses/{seller['id']}/products", seller_token, json={
        "sku": "VIT-C", "name": "Vitamin C", "currency": "UAH", "price": "20.00", "status": "published", "stock_quantity": 500, "tax_rate": "7",
        "category_id": cat["id"]}).json()
    bad = problem(s.api("POST", f"/businesses/{seller['id']}/promo-codes", seller_token, json={"code": "x", "kind": "fixed", "percent": "10"}), 400)
    assert {e["field"] for e in bad["errors"]} == {"code", "currency", "amount", "percent"}
    problem(s.api("POST", f"/businesses/{seller['id']}/promo-codes", buyer_token, json={"code": "MINE", "kind": "percent", "percent": "50"}), 403, "forbidden")
    code = s.api("POST", f"/businesses/{seller['id']}/promo-codes", seller_token, json={
        "code": "vita10", "kind": "percent", "percent": "10", "category_ids": [cat["id"]], "min_order": "100", "currency": "UAH"}).json()
    assert code["code"] == "VITA10" and code["min_order"] == {"amount": "100.00", "currency": "UAH"}
    problem(s.api("POST", f"/businesses/{seller['id']}/promo-codes", seller_token, json={"code": "VITA10", "kind": "percent", "percent": "5"}), 409)

    def place(lines, promo, token=buyer_token):
        return s.api("POST", "/orders", token, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"], "lines": lines, "promo_code": promo})

    small = problem(place([{"sku": "VIT-C", "quantity": 1}], "VITA10"), 400)
    assert small["errors"][0]["field"] == "promo_code" and "100.00" in small["errors"][0]["message"]
    assert problem(place([{"sku": "VIT-C", "quantity": 9}], "NOPE-1"), 400)["errors"][0]["field"] == "promo_code"
    order = place([{"sku": "PAR-500", "quantity": 2}, {"sku": "VIT-C", "quantity": 5}], "vita10")
    assert order.status_code == 201, order.text
    order = order.json()
    # Only the vitamins are in the category: 5 × 20.00 = 100.00, 10 % off → 90.00 + 7 % = 96.30; paracetamol 2 × 42.50 + 20 % = 102.00.
    assert [(l["sku"], (l.get("discount") or {}).get("amount"), l["net"]["amount"], l["gross"]["amount"]) for l in order["lines"]] == [
        ("PAR-500", None, "85.00", "102.00"), ("VIT-C", "10.00", "90.00", "96.30")]
    assert order["promo_code"] == "VITA10" and order["discount"]["amount"] == "10.00" and order["gross"]["amount"] == "198.30"
    s.api("POST", f"/orders/{order['id']}/confirm", seller_token)
    invoice = s.api("POST", f"/orders/{order['id']}/invoices", seller_token).json()
    assert invoice["gross"]["amount"] == "198.30"

    limited = s.api("POST", f"/businesses/{seller['id']}/promo-codes", seller_token, json={
        "code": "RUSH", "kind": "fixed", "amount": "5.00", "currency": "UAH", "total_limit": 5}).json()
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: place([{"sku": "PAR-500", "quantity": 1}], "RUSH"), range(20)))
    assert sorted(a.status_code for a in answers).count(201) == 5, [a.status_code for a in answers]
    assert all(a.json()["errors"][0]["field"] == "promo_code" for a in answers if a.status_code != 201)
    codes = {c["code"]: c for c in s.api("GET", f"/businesses/{seller['id']}/promo-codes", seller_token).json()["items"]}
    assert codes["RUSH"]["used"] == 5 and codes["VITA10"]["used"] == 1
    off = s.api("PATCH", f"/promo-codes/{limited['id']}", seller_token, json={"active": False}).json()
    assert off["active"] is False


def test_a_seller_proposes_a_new_version_the_buyer_accepts_or_declines(server):
    """Nothing changes until the buyer accepts; accepting replaces lines, totals and dates and moves
    the reservation; declining leaves the order as it was; the wrong side or state is refused."""
    s = server
    owner, seller_token, buyer_token, seller, buyer, par = trade_world(s, stock=40)
    vit = s.api("POST", f"/businesses/{seller['id']}/products", seller_token, json={
        "sku": "VIT-C", "name": "Vitamin C", "currency": "UAH", "price": "20.00", "status": "published", "stock_quantity": 30, "tax_rate": "7"}).json()
    order = s.api("POST", "/orders", buyer_token, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"],
                                                        "lines": [{"sku": "PAR-500", "quantity": 20}]}).json()
    assert order["gross"]["amount"] == "960.00"   # 20 × 40.00 (tier) + 20 %
    bad = problem(s.api("POST", f"/orders/{order['id']}/proposals", seller_token, json={"lines": [
        {"sku": "NOPE", "quantity": 1}, {"sku": "PAR-500", "quantity": 1}, {"sku": "PAR-500", "quantity": 2, "unit_price": "abc"}]}), 400)
    assert {e["field"] for e in bad["errors"]} == {"lines[0]", "lines[2]"}
    problem(s.api("POST", f"/orders/{order['id']}/proposals", buyer_token, json={"lines": [{"sku": "PAR-500", "quantity": 1}]}), 403, "forbidden")
    # Only 12 paracetamol at a better price, 10 vitamins added, a later date.
    first = s.api("POST", f"/orders/{order['id']}/proposals", seller_token, json={
        "lines": [{"sku": "PAR-500", "quantity": 12, "unit_price": "39.00"}, {"sku": "VIT-C", "quantity": 10}], "requested_date": "2026-12-24",
        "note": "12 left in stock"}).json()
    assert first["version"] == 2 and first["state"] == "open" and first["gross"]["amount"] == "775.60"   # 468.00 + 93.60 + 200.00 + 14.00
    unchanged = s.api("GET", f"/orders/{order['id']}", buyer_token).json()
    assert unchanged["gross"]["amount"] == "960.00" and unchanged["lines"][0]["reserved"] == 20
    problem(s.api("POST", f"/proposals/{first['id']}/accept", seller_token), 403, "forbidden")
    declined = s.api("POST", f"/proposals/{first['id']}/decline", buyer_token).json()
    assert declined["state"] == "declined"
    assert problem(s.api("POST", f"/proposals/{first['id']}/accept", buyer_token), 409, "invalid_state")["state"] == "declined"
    second = s.api("POST", f"/orders/{order['id']}/proposals", seller_token, json={
        "lines": [{"sku": "PAR-500", "quantity": 12, "unit_price": "39.00"}, {"sku": "VIT-C", "quantity": 10}], "requested_date": "2026-12-24"}).json()
    assert second["version"] == 3
    accepted = s.api("POST", f"/proposals/{second['id']}/accept", buyer_token).json()
    assert accepted["state"] == "accepted"
    changed = s.api("GET", f"/orders/{order['id']}", buyer_token).json()
    assert [(l["sku"], l["quantity"], l["unit_price"]["amount"], l["reserved"]) for l in changed["lines"]] == [("PAR-500", 12, "39.00", 12), ("VIT-C", 10, "20.00", 10)]
    assert changed["gross"]["amount"] == "775.60" and changed["requested_date"] == "2026-12-24" and changed["state"] == "placed"
    assert changed["history"][-1]["note"] == "Version 3 accepted"
    assert s.api("GET", f"/products/{par['id']}", buyer_token).json()["stock_quantity"] == 28   # 40 − 12
    assert [p["state"] for p in s.api("GET", f"/orders/{order['id']}/proposals", buyer_token).json()["items"]] == ["declined", "accepted"]
    s.api("POST", f"/orders/{order['id']}/confirm", seller_token)
    problem(s.api("POST", f"/orders/{order['id']}/proposals", seller_token, json={"lines": [{"sku": "PAR-500", "quantity": 1}]}), 409, "invalid_state")
    assert cli_json("stock", "reconcile", "--tenant", "acme", "--json", data=s.data)["drifts"] == []


def test_every_unsafe_post_of_the_trade_answers_a_retry_once(server):
    """A retried POST with the same Idempotency-Key gets the first answer and changes nothing again:
    quick order (no doubled quantities), a transition, a delivery, a return's decision and receipt
    (one credit note), a proposal's acceptance. The same key with another request is 422."""
    s = server
    owner, seller_token, buyer_token, seller, buyer, par = trade_world(s, stock=50)

    def twice(method, path, token, body=None):
        key = str(uuid.uuid4())
        first = s.api(method, path, token, json=body, headers={"Idempotency-Key": key})
        again = s.api(method, path, token, json=body, headers={"Idempotency-Key": key})
        assert first.status_code in (200, 201), first.text
        assert again.status_code == first.status_code and again.json() == first.json(), (path, again.text)
        return first.json(), key

    cart, key = twice("POST", f"/businesses/{buyer['id']}/cart/quick", buyer_token, {"text": "PAR-500 4"})
    assert cart["carts"][0]["lines"][0]["quantity"] == 4
    problem(s.api("POST", f"/businesses/{buyer['id']}/cart/quick", buyer_token, json={"text": "PAR-500 5"}, headers={"Idempotency-Key": key}),
            422, "idempotency_key_reused")
    order = s.api("POST", "/orders", buyer_token, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"]}).json()
    assert order["lines"][0]["quantity"] == 4
    proposal = s.api("POST", f"/orders/{order['id']}/proposals", seller_token, json={"lines": [{"sku": "PAR-500", "quantity": 3}]}).json()
    twice("POST", f"/proposals/{proposal['id']}/accept", buyer_token)
    confirmed, _ = twice("POST", f"/orders/{order['id']}/confirm", seller_token)
    assert confirmed["state"] == "confirmed"
    assert problem(s.api("POST", f"/orders/{order['id']}/confirm", seller_token), 409, "invalid_state")["state"] == "confirmed"
    shipment = s.api("POST", f"/orders/{order['id']}/shipments", seller_token, json={}).json()
    twice("POST", f"/shipments/{shipment['id']}/deliver", buyer_token)
    ret = s.api("POST", f"/orders/{order['id']}/returns", buyer_token, json={"lines": [{"line_no": 1, "quantity": 1}], "reason": "Dented"}).json()
    twice("POST", f"/returns/{ret['id']}/accept", seller_token)
    received, _ = twice("POST", f"/returns/{ret['id']}/receive", seller_token, {"lines": [{"line_no": 1, "damaged": 0}]})
    assert len(s.api("GET", f"/orders/{order['id']}/credit-notes", buyer_token).json()["items"]) == 1 and received["credit_note_id"]
    twice("POST", f"/orders/{order['id']}/reorder", buyer_token)
    assert s.api("GET", f"/businesses/{buyer['id']}/carts", buyer_token).json()["items"][0]["lines"][0]["quantity"] == 3
