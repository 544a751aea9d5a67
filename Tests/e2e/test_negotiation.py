"""Negotiation through the real server: a buyer asks for a quote, the seller offers, the buyer
counters, the seller accepts — and the order is placed from the accepted revision's lines and prices,
once, however many tabs click "accept". Superseded and expired revisions are refused with 409 naming
the current revision; offers with bad lines are 422 naming each line; a salesperson linked to a
business acts for it until the link is revoked, and the next action after that is refused."""
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

from conftest import problem
from test_orders import trade_world


def world(s):
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=1000)
    assert s.api("PATCH", f"/products/{product['id']}", seller_token, json={"min_order_quantity": 10, "order_multiple": 10}).status_code == 200
    return owner, seller_token, buyer_token, seller, buyer, product


def test_three_revisions_become_one_order(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, product = world(s)
    body = {"buyer_business_id": buyer["id"], "seller_business_id": seller["id"], "product_id": product["id"]}
    r = s.api("POST", "/conversations", buyer_token, json=body)
    assert r.status_code == 201, r.text
    conversation = r.json()
    again = s.api("POST", "/conversations", seller_token, json=body)
    assert again.status_code == 200 and again.json()["id"] == conversation["id"]

    # Revision 1: the buyer asks for a quote on 200 packs.
    r = s.api("POST", f"/conversations/{conversation['id']}/negotiations", buyer_token,
              json={"kind": "rfq", "lines": [{"product_id": product["id"], "quantity": 200}], "note": "Better price for 200?"})
    assert r.status_code == 201, r.text
    n = r.json()
    assert n["revision"] == 1 and n["revisions"][0]["kind"] == "rfq" and n["revisions"][0]["side"] == "buyer"
    assert n["revisions"][0]["lines"][0].get("unit_price") is None
    # A request for quote has nothing to accept; the buyer cannot accept their own.
    assert problem(s.api("POST", f"/negotiations/{n['id']}/accept", seller_token, json={"revision": 1}), 409, "invalid_state")["state"] == "rfq"

    # Revision 2: the seller offers 40.00 with terms; it expires tomorrow.
    expires = (datetime.now(timezone.utc) + timedelta(days=1)).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    r = s.api("POST", f"/negotiations/{n['id']}/counter", seller_token, json={
        "revision": 1, "lines": [{"product_id": product["id"], "quantity": 200, "unit_price": "40.00"}], "expires_at": expires,
        "delivery_terms": "Our truck, Friday", "payment_terms": "14 days"})
    assert r.status_code == 201, r.text
    n = r.json()
    rev2 = n["revisions"][1]
    assert (rev2["revision"], rev2["kind"], rev2["side"], rev2["state"]) == (2, "offer", "seller", "open")
    assert rev2["net"] == {"amount": "8000.00", "currency": "UAH"} and rev2["gross"]["amount"] == "9600.00"
    assert {"field": "unit_price", "sku": "PAR-500", "after": "40.00"} in rev2["changes"]
    assert n["revisions"][0]["state"] == "superseded"

    # Revision 3: the buyer counters with more packs at a lower price.
    r = s.api("POST", f"/negotiations/{n['id']}/counter", buyer_token, json={
        "revision": 2, "lines": [{"product_id": product["id"], "quantity": 240, "unit_price": "38.00"}], "expires_at": expires,
        "delivery_terms": "Our truck, Friday", "payment_terms": "14 days"})
    assert r.status_code == 201, r.text
    n = r.json()
    changes = {c["field"]: c for c in n["revisions"][2]["changes"]}
    assert changes["quantity"]["before"] == "200" and changes["quantity"]["after"] == "240"
    assert changes["unit_price"]["before"] == "40.00" and changes["unit_price"]["after"] == "38.00"

    # Revision 2 is superseded: accepting it is 409 naming the current revision.
    stale = problem(s.api("POST", f"/negotiations/{n['id']}/accept", buyer_token, json={"revision": 2}), 409, "invalid_state")
    assert stale["current_revision"] == 3 and stale["state"] == "superseded"
    # The buyer made revision 3: only the seller accepts it.
    problem(s.api("POST", f"/negotiations/{n['id']}/accept", buyer_token, json={"revision": 3}), 403)

    # Two tabs accept at once: one order.
    results = []
    def accept():
        results.append(s.api("POST", f"/negotiations/{n['id']}/accept", seller_token, json={"revision": 3}))
    threads = [threading.Thread(target=accept) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 409, 409, 409], [r.text for r in results]
    accepted = next(r.json() for r in results if r.status_code == 200)
    assert accepted["state"] == "accepted" and accepted["revisions"][2]["state"] == "accepted"
    order = s.api("GET", f"/orders/{accepted['order_id']}", buyer_token).json()
    line = order["lines"][0]
    assert (line["quantity"], line["unit_price"]["amount"], line["price_source"]) == (240, "38.00", "offer")
    assert order["net"]["amount"] == "9120.00" and order["gross"]["amount"] == "10944.00" and order["state"] == "placed"
    assert order["buyer_business_id"] == buyer["id"] and order["seller_business_id"] == seller["id"]
    orders = s.api("GET", f"/businesses/{buyer['id']}/orders?side=buyer", buyer_token).json()["items"]
    assert [o["id"] for o in orders] == [order["id"]]
    # Stock is reserved for it like any order.
    assert s.api("GET", f"/products/{product['id']}", seller_token).json()["stock_quantity"] == 760

    # The conversation shows every revision as an offer message, with the accepted state.
    page = s.api("GET", f"/conversations/{conversation['id']}/messages", buyer_token).json()
    offers = [m for m in page["items"] if m["kind"] == "offer"]
    assert [m["offer"]["revision"] for m in offers] == [1, 2, 3]
    assert offers[-1]["offer"]["state"] == "accepted" and offers[-1]["offer"]["order_id"] == order["id"]
    # Declining an accepted negotiation: 409 with its state.
    assert problem(s.api("POST", f"/negotiations/{n['id']}/decline", buyer_token, json={"revision": 3}), 409)["state"] == "accepted"


def test_bad_offers_are_refused_naming_each_line_and_expired_ones_cannot_be_accepted(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, product = world(s)
    conversation = s.api("POST", "/conversations", seller_token, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"]}).json()
    path = f"/conversations/{conversation['id']}/negotiations"
    bad = problem(s.api("POST", path, seller_token, json={"kind": "offer", "lines": [
        {"product_id": product["id"], "quantity": 15, "unit_price": "40.00"},   # not a multiple of 10
        {"sku": "NOPE", "quantity": 10, "unit_price": "1.00"},                   # not the seller's
        {"sku": "PAR-500", "quantity": 20}]}), 422)                             # no price in an offer (and twice)
    fields = {f["field"] for f in bad["errors"]}
    assert {"lines[0].quantity", "lines[1]", "lines[2]"} <= fields, bad
    # Malformed (not a decimal): 400 from the document's checks, naming the field.
    assert problem(s.api("POST", path, seller_token, json={"lines": [{"product_id": product["id"], "quantity": 10, "unit_price": "abc"}]}), 400)["errors"]
    problem(s.api("POST", path, seller_token, json={"kind": "rfq", "lines": [{"product_id": product["id"], "quantity": 10}]}), 422)
    past = (datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat()
    assert "expires_at" in {f["field"] for f in problem(s.api("POST", path, seller_token, json={
        "lines": [{"product_id": product["id"], "quantity": 10, "unit_price": "40.00"}], "expires_at": past}), 422)["errors"]}
    assert s.api("GET", path, seller_token).json()["items"] == []  # nothing was made

    soon = (datetime.now(timezone.utc) + timedelta(seconds=2)).isoformat()
    key = str(uuid.uuid4())
    r = s.api("POST", path, seller_token, json={"lines": [{"product_id": product["id"], "quantity": 10, "unit_price": "40.00"}], "expires_at": soon},
              headers={"Idempotency-Key": key})
    assert r.status_code == 201
    retry = s.api("POST", path, seller_token, json={"lines": [{"product_id": product["id"], "quantity": 10, "unit_price": "40.00"}], "expires_at": soon},
                  headers={"Idempotency-Key": key})
    assert retry.json()["id"] == r.json()["id"] and len(s.api("GET", path, seller_token).json()["items"]) == 1
    time.sleep(2.5)
    expired = problem(s.api("POST", f"/negotiations/{r.json()['id']}/accept", buyer_token, json={"revision": 1}), 409, "invalid_state")
    assert expired["state"] == "expired" and expired["current_revision"] == 1
    # Declining says why, and the seller sees it.
    d = s.api("POST", f"/negotiations/{r.json()['id']}/decline", buyer_token, json={"revision": 1, "reason": "Too late"}).json()
    assert d["state"] == "declined" and d["revisions"][0]["decline_reason"] == "Too late"


def test_a_quote_request_from_the_cart(server):
    s = server
    owner, seller_token, buyer_token, seller, buyer, product = world(s)
    assert s.api("PUT", f"/businesses/{buyer['id']}/cart/lines/{product['id']}", buyer_token, json={"quantity": 50}).status_code == 200
    r = s.api("POST", f"/businesses/{buyer['id']}/quote-requests", buyer_token, json={"seller_business_id": seller["id"], "note": "For the cart"})
    assert r.status_code == 201, r.text
    rfq = r.json()["revisions"][0]
    assert rfq["kind"] == "rfq" and [(l["sku"], l["quantity"]) for l in rfq["lines"]] == [("PAR-500", 50)]
    mine = s.api("GET", "/conversations", seller_token).json()["items"]
    assert [c["id"] for c in mine] == [r.json()["conversation_id"]] and mine[0]["unread"] == 1
    problem(s.api("POST", f"/businesses/{buyer['id']}/quote-requests", seller_token, json={"seller_business_id": seller["id"]}), 403)
