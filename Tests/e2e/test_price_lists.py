"""Customer price lists through the real server: a seller prices one buyer and a buyer group; each
buyer sees only their own price, the effective price weighs lists, tiers and dates, and bad input
changes nothing."""
from conftest import problem
from test_catalog import setup_catalog


def test_each_buyer_sees_only_their_own_prices(server):
    s = server
    owner, seller, buyer, biz = setup_catalog(s)
    me = s.api("GET", "/me", buyer).json()
    buyer_id = me["user"]["id"] if "user" in me else me["id"]
    mine = s.api("POST", "/businesses", owner, json={"name": "Buyer Pharmacy", "type": "pharmacy", "city": "Lviv"}).json()
    assert s.api("PUT", f"/businesses/{mine['id']}/members/{buyer_id}", owner, json={"role": "manager"}).status_code == 200
    rival_user = s.api("POST", "/users", owner, json={"email": "rival@acme.test", "name": "Rival", "password": "rival-pass-1"}).json()["user"]
    rival_biz = s.api("POST", "/businesses", owner, json={"name": "Rival", "type": "pharmacy", "city": "Dnipro"}).json()
    s.api("PUT", f"/businesses/{rival_biz['id']}/members/{rival_user['id']}", owner, json={"role": "manager"})
    rival = s.login("rival@acme.test", "rival-pass-1", tenant="acme")
    chain = s.api("POST", "/businesses", owner, json={"name": "Chain", "type": "pharmacy", "city": "Kyiv"}).json()

    product = s.api("POST", f"/businesses/{biz['id']}/products", seller, json={
        "sku": "IBU-200", "name": "Ibuprofen 200", "currency": "UAH", "price": "50.00", "status": "published",
        "tiers": [{"min_quantity": 100, "price": "40.00"}]}).json()
    r = s.api("POST", f"/businesses/{biz['id']}/price-lists", seller, json={
        "name": "Buyer Pharmacy contract", "buyer_business_id": mine["id"], "valid_from": "2020-01-01", "valid_to": "2100-12-31",
        "items": [{"sku": "IBU-200", "price": "45,50"}]})
    assert r.status_code == 201, r.text
    contract = r.json()
    assert contract["items"] == [{"product_id": product["id"], "sku": "IBU-200", "price": {"amount": "45.50", "currency": "UAH"}}]
    group = s.api("POST", f"/businesses/{biz['id']}/buyer-groups", seller, json={"name": "Chains", "buyer_business_ids": [chain["id"]]}).json()
    s.api("POST", f"/businesses/{biz['id']}/price-lists", seller, json={
        "name": "Chains", "buyer_group_id": group["id"], "items": [{"product_id": product["id"], "price": "47"}]})

    # The buyer pays their contract price; a tier below it still wins; the rival pays the base price.
    p = s.api("GET", f"/products/{product['id']}/price?quantity=10", buyer).json()
    assert p["unit_price"]["amount"] == "45.50" and p["price_list_id"] == contract["id"] and p["total"]["amount"] == "455.00"
    assert s.api("GET", f"/products/{product['id']}/price?quantity=100", buyer).json()["unit_price"]["amount"] == "40.00"
    assert s.api("GET", f"/products/{product['id']}/price?quantity=10&date=2101-01-01", buyer).json().get("price_list_id") is None
    p = s.api("GET", f"/products/{product['id']}/price?quantity=10", rival).json()
    assert p["unit_price"]["amount"] == "50.00" and p.get("price_list_id") is None
    # The seller may quote a customer; nobody may ask for someone else's price.
    assert s.api("GET", f"/products/{product['id']}/price?quantity=10&buyer_business_id={chain['id']}", seller).json()["unit_price"]["amount"] == "47.00"
    problem(s.api("GET", f"/products/{product['id']}/price?quantity=10&buyer_business_id={mine['id']}", rival), 404)

    # Lists: the buyer sees theirs, the rival none; only the seller manages them.
    assert [l["id"] for l in s.api("GET", "/me/price-lists", buyer).json()["items"]] == [contract["id"]]
    assert s.api("GET", "/me/price-lists", rival).json()["items"] == []
    assert s.api("GET", f"/price-lists/{contract['id']}", buyer).status_code == 200
    problem(s.api("GET", f"/price-lists/{contract['id']}", rival), 404)
    problem(s.api("PATCH", f"/price-lists/{contract['id']}", buyer, json={"name": "Mine now"}), 404)
    problem(s.api("GET", f"/businesses/{biz['id']}/price-lists", buyer), 403, "forbidden")
    assert len(s.api("GET", f"/businesses/{biz['id']}/price-lists", seller).json()["items"]) == 2

    # Bad input is a problem and changes nothing.
    for body, field in (({"items": [{"sku": "IBU-200", "price": "1.234"}]}, "items[0].price"),
                        ({"items": [{"sku": "NOPE", "price": "1"}]}, "items[0]"),
                        ({"valid_to": "2000-01-01"}, "valid_to"), ({"valid_from": "tomorrow"}, "valid_from"),
                        ({"buyer_business_id": rival_biz["id"]}, "buyer_business_id"), ({"colour": "red"}, "colour")):
        p = problem(s.api("PATCH", f"/price-lists/{contract['id']}", seller, json=body), 400)
        assert field in {e["field"] for e in p.get("errors", [])}, p
    problem(s.api("POST", f"/businesses/{biz['id']}/price-lists", seller, json={"name": "Both", "buyer_business_id": mine["id"],
                                                                                "buyer_group_id": group["id"]}), 400)
    assert s.api("GET", f"/price-lists/{contract['id']}", seller).json()["items"][0]["price"]["amount"] == "45.50"

    # Replacing the items changes the price the buyer sees; deleting the list ends it.
    s.api("PATCH", f"/price-lists/{contract['id']}", seller, json={"items": [{"sku": "IBU-200", "price": "44"}]}).raise_for_status()
    assert s.api("GET", f"/products/{product['id']}/price?quantity=10", buyer).json()["unit_price"]["amount"] == "44.00"
    assert s.api("DELETE", f"/price-lists/{contract['id']}", seller).status_code == 204
    assert s.api("GET", f"/products/{product['id']}/price?quantity=10", buyer).json()["unit_price"]["amount"] == "50.00"
