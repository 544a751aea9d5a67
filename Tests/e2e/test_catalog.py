"""The catalog and its search through the real server: products, exact prices, history, moderation,
search that follows committed changes through the outbox, and the search CLI."""
import sqlite3
import time

from conftest import Server, cli_json, problem, run_cli


def setup_catalog(s):
    admin = s.admin_token()
    s.create_tenant("acme", owner_email="boss@acme.test", token=admin)
    owner = s.login("boss@acme.test", "owner-password-1", tenant="acme")
    seller = s.api("POST", "/users", owner, json={"email": "seller@acme.test", "name": "Seller", "password": "seller-pass-1"}).json()["user"]
    s.api("POST", "/users", owner, json={"email": "buyer@acme.test", "name": "Buyer", "password": "buyer-pass-1"})
    biz = s.api("POST", "/businesses", owner, json={"name": "Apteka Plus", "type": "pharmacy", "city": "Kyiv"}).json()
    assert s.api("PUT", f"/businesses/{biz['id']}/members/{seller['id']}", owner, json={"role": "staff"}).status_code == 200
    seller_token = s.login("seller@acme.test", "seller-pass-1", tenant="acme")
    buyer = s.login("buyer@acme.test", "buyer-pass-1", tenant="acme")
    return owner, seller_token, buyer, biz


def test_products_prices_history_and_search_follow_changes(server):
    s = server
    owner, seller, buyer, biz = setup_catalog(s)
    medicine = s.api("POST", "/categories", owner, json={"name": "Medicine"}).json()
    pain = s.api("POST", "/categories", owner, json={"name": "Painkillers", "parent_id": medicine["id"]}).json()
    problem(s.api("POST", "/categories", seller, json={"name": "Mine"}), 403, "forbidden")

    body = {"sku": "PAR-500", "name": "Парацетамол таблетки 500 мг", "brand": "Darnitsa", "currency": "UAH", "price": "25.50",
            "tiers": [{"min_quantity": 10, "price": "24.00"}, {"min_quantity": 100, "price": 22}], "stock_quantity": 40,
            "category_id": pain["id"], "attributes": {"dosage_form": "tablet", "strength_mg": 500}, "min_order_quantity": 2,
            "status": "published", "description": "Жаропонижающее средство"}
    r = s.api("POST", f"/businesses/{biz['id']}/products", seller, json=body)
    assert r.status_code == 201, r.text
    product = r.json()
    assert product["price"] == {"amount": "25.50", "currency": "UAH"}
    assert [t["price"]["amount"] for t in product["tiers"]] == ["24.00", "22.00"]
    problem(s.api("POST", f"/businesses/{biz['id']}/products", seller, json=body), 409, "conflict")
    problem(s.api("POST", f"/businesses/{biz['id']}/products", buyer, json={**body, "sku": "X"}), 403, "forbidden")

    # Bad input gets a problem and changes nothing.
    for bad, field in ((({"price": "1.234"}), "price"), ({"tiers": [{"min_quantity": 1, "price": "1"}]}, "tiers"),
                       ({"colour": "red"}, "colour"), ({"price": [1]}, "price")):
        r = s.api("PATCH", f"/products/{product['id']}", seller, json=bad)
        p = problem(r, 400)
        if field:
            assert field in {e["field"] for e in p.get("errors", [])} or field in p["detail"], p
    assert s.api("GET", f"/products/{product['id']}", buyer).json()["price"]["amount"] == "25.50"

    # The effective price for a quantity: minimum, multiple, tiers.
    assert s.api("GET", f"/products/{product['id']}/price?quantity=10", buyer).json()["unit_price"]["amount"] == "24.00"
    total = s.api("GET", f"/products/{product['id']}/price?quantity=100", buyer).json()
    assert total["total"] == {"amount": "2200.00", "currency": "UAH"} and total["tier_min_quantity"] == 100
    problem(s.api("GET", f"/products/{product['id']}/price?quantity=1", buyer), 400, "invalid")

    # Search finds it with a typo, by prefix, with facets; a change reaches the index through the outbox.
    s.wait_for(lambda: s.api("GET", "/search/products?q=парацетомол", buyer).json()["items"], timeout=5, message="indexing")
    hits = s.api("GET", "/search/products?q=параце&facets=true", buyer).json()
    assert hits["items"][0]["product"]["id"] == product["id"]
    assert "<mark>Парацетамол</mark>" in hits["items"][0]["highlight"]["name"]
    assert {f["label"] for f in hits["facets"]["category"]} == {"Medicine", "Painkillers"}
    assert s.api("GET", f"/search/products?q=tablet&attr.dosage_form=tablet&category_id={medicine['id']}", buyer).json()["items"]
    assert not s.api("GET", "/search/products?q=парацетамол&business_type=wholesaler", buyer).json()["items"]
    assert s.api("GET", "/search/suggest?q=пар", buyer).json()["items"][0]["product_id"] == product["id"]
    problem(s.api("GET", "/search/products?sort=cheapest", buyer), 400, "invalid")

    changed = time.monotonic()
    r = s.api("PATCH", f"/products/{product['id']}", seller, json={"name": "Цитрамон форте", "price": "27.00"})
    assert r.status_code == 200, r.text
    s.wait_for(lambda: s.api("GET", "/search/products?q=цитрамон", buyer).json()["items"], timeout=5, message="the renamed product")
    print(f"index followed the change in {time.monotonic() - changed:.3f} s")
    assert not s.api("GET", "/search/products?q=парацетамол&prefix=false", buyer).json()["items"]

    history = s.api("GET", f"/products/{product['id']}/price-history", buyer).json()["items"]
    assert history[0]["old_price"]["amount"] == "25.50" and history[0]["new_price"]["amount"] == "27.00"
    assert history[0]["actor_label"] == "seller@acme.test"

    # Drafts stay with their business; archiving removes a product from search.
    draft = s.api("POST", f"/businesses/{biz['id']}/products", seller, json={**body, "sku": "D-1", "status": "draft"}).json()
    problem(s.api("GET", f"/products/{draft['id']}", buyer), 404, "not_found")
    assert s.api("GET", f"/products/{draft['id']}", seller).json()["status"] == "draft"
    s.api("PATCH", f"/products/{product['id']}", seller, json={"status": "archived"})
    s.wait_for(lambda: not s.api("GET", "/search/products?q=цитрамон", buyer).json()["items"], timeout=5, message="removal from search")

    # The CLI rebuilds the index and searches it.
    s.api("PATCH", f"/products/{product['id']}", seller, json={"status": "published"})
    s.wait_for(lambda: s.api("GET", "/search/products?q=цитрамон", buyer).json()["items"], timeout=5, message="republished")
    rebuilt = cli_json("search", "reindex", "--tenant", "acme", data=s.data)
    assert rebuilt["tenant"] == "acme" and rebuilt["products"] == 1
    found = cli_json("search", "query", "--tenant", "acme", "цитрамон", data=s.data)
    assert [p["id"] for p in found] == [product["id"]]
    assert s.api("GET", "/search/products?q=цитрамон", buyer).json()["items"][0]["product"]["id"] == product["id"]
    bad = run_cli("search", "reindex", "--tenant", "nope", data=s.data, check=False)
    assert bad.returncode != 0 and "tenant list" in bad.stderr


def test_moderation_holds_products_until_approved(server):
    s = server
    owner, seller, buyer, biz = setup_catalog(s)
    problem(s.api("PUT", "/catalog/settings", seller, json={"require_review": True}), 403, "forbidden")
    assert s.api("PUT", "/catalog/settings", owner, json={"require_review": True}).json() == {"require_review": True}
    product = s.api("POST", f"/businesses/{biz['id']}/products", seller, json={
        "sku": "IBU", "name": "Ibuprofen 200", "currency": "UAH", "price": "40", "status": "published"}).json()
    assert product["status"] == "pending_review"
    problem(s.api("GET", "/moderation/products", seller), 403, "forbidden")
    assert [p["id"] for p in s.api("GET", "/moderation/products", owner).json()["items"]] == [product["id"]]
    problem(s.api("POST", f"/products/{product['id']}/reject", owner, json={}), 400, "invalid")
    assert s.api("POST", f"/products/{product['id']}/approve", owner).json()["status"] == "published"
    problem(s.api("POST", f"/products/{product['id']}/approve", owner), 409, "conflict")
    s.wait_for(lambda: s.api("GET", "/search/products?q=ibuprofen", buyer).json()["items"], timeout=5, message="the approved product")
    changed = s.api("PATCH", f"/products/{product['id']}", seller, json={"name": "Ibuprofen 400"}).json()
    assert changed["status"] == "pending_review"
    rejected = s.api("POST", f"/products/{product['id']}/reject", owner, json={"reason": "Strength does not match the pack"}).json()
    assert rejected["status"] == "rejected" and rejected["rejection_reason"].startswith("Strength")
    s.wait_for(lambda: not s.api("GET", "/search/products?q=ibuprofen", buyer).json()["items"], timeout=5, message="leaving search")


# The search tables as tenant migration 4 made them, before migration 12 (search_compact).
SEARCH_TABLES_V11 = """
DROP TABLE product_vocab; DROP TABLE product_fts; DROP TABLE search_docs;
CREATE TABLE search_docs (docid INTEGER PRIMARY KEY, product_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, codes TEXT NOT NULL,
    extra TEXT NOT NULL, body TEXT NOT NULL, tags TEXT NOT NULL, brand TEXT, category_id TEXT, business_id TEXT NOT NULL,
    business_type TEXT NOT NULL, city TEXT NOT NULL, in_stock INTEGER NOT NULL, currency TEXT NOT NULL,
    price_minor INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE VIRTUAL TABLE product_fts USING fts5 (name, codes, extra, body, tags,
    content = 'search_docs', content_rowid = 'docid', tokenize = 'ascii', detail = 'column');
CREATE VIRTUAL TABLE product_vocab USING fts5vocab (product_fts, row);
-- Migration 18's product column goes (it runs again).
ALTER TABLE products DROP COLUMN tax_rate_bp;
-- Migration 13's change undone too: the products table's checks as IN lists again.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'availability = ''in_stock'' OR availability = ''out_of_stock'' OR availability = ''on_request''',
    'availability IN (''in_stock'', ''out_of_stock'', ''on_request'')'),
    'status = ''draft'' OR status = ''pending_review'' OR status = ''published'' OR status = ''rejected'' OR status = ''archived''',
    'status IN (''draft'', ''pending_review'', ''published'', ''rejected'', ''archived'')')
    WHERE type = 'table' AND name = 'products';
PRAGMA writable_schema = RESET;
DELETE FROM schema_migrations WHERE version >= 12;
"""


def test_an_upgrade_that_remakes_the_index_rebuilds_it_from_the_products(data_dir):
    """A tenant file from before migration 12: the migration remakes the search tables empty, and the
    server, by itself, rebuilds them from the products (an outbox event becomes a search.reindex job);
    migration 13 then rewrites the products table's checks in place, rows intact."""
    s = Server(data_dir).start()
    owner, seller, buyer, biz = setup_catalog(s)
    r = s.api("POST", f"/businesses/{biz['id']}/products", seller,
              json={"sku": "ASP-1", "name": "Aspirin Cardio", "currency": "UAH", "price": "10", "status": "published"})
    assert r.status_code == 201, r.text
    s.wait_for(lambda: s.api("GET", "/search/products?q=aspirin", buyer).json()["items"], timeout=5, message="indexing")
    assert s.stop() == 0
    def has_products(path):
        db = sqlite3.connect(path)
        try:
            return db.execute("SELECT count(*) FROM products").fetchone()[0] > 0
        finally:
            db.close()
    [tenant_file] = [p for p in (data_dir / "tenants").glob("*.sqlite") if has_products(p)]
    db = sqlite3.connect(tenant_file)
    db.executescript(SEARCH_TABLES_V11)
    assert "status IN (" in db.execute("SELECT sql FROM sqlite_schema WHERE name = 'products'").fetchone()[0]
    db.close()

    s = Server(data_dir).start()
    try:
        buyer = s.login("buyer@acme.test", "buyer-pass-1", tenant="acme")
        s.wait_for(lambda: s.api("GET", "/search/products?q=aspirin", buyer).json()["items"], timeout=30, message="the rebuilt index")
        hit = s.api("GET", "/search/products?q=aspirin&facets=true", buyer).json()
        assert [i["product"]["id"] for i in hit["items"]] == [r.json()["id"]]
        assert hit["facets"]["city"] == [{"value": "Kyiv", "count": 1}]
        db = sqlite3.connect(tenant_file)
        assert db.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] >= 13
        products = db.execute("SELECT sql FROM sqlite_schema WHERE name = 'products'").fetchone()[0]
        assert " IN (" not in products and "status = 'archived'" in products
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
    finally:
        assert s.stop() == 0
