"""Warehouses, stock and the ledger through the real server: receipts, transfers, counts and
write-offs move the product's stock figure and search's in-stock filter; a retried POST with the
same Idempotency-Key is recorded once; bad input and taking too much change nothing; another
business's stock is not there; the CLI and doctor find counters edited behind the ledger's back."""
import json
import sqlite3
import uuid

from conftest import problem, run_cli
from test_catalog import setup_catalog


def test_stock_moves_through_the_ledger_and_the_figure_follows(server):
    s = server
    owner, seller, buyer, biz = setup_catalog(s)
    product = s.api("POST", f"/businesses/{biz['id']}/products", seller, json={
        "sku": "ASP-100", "name": "Аспірин 100 мг", "currency": "UAH", "price": "12.00", "status": "published", "stock_quantity": 20}).json()
    # The figure given on the product went into a default warehouse as the ledger's first row.
    warehouses = s.api("GET", f"/businesses/{biz['id']}/warehouses", seller).json()["items"]
    assert [w["name"] for w in warehouses] == ["Main warehouse"]
    main = warehouses[0]
    r = s.api("POST", f"/businesses/{biz['id']}/warehouses", seller, json={"name": "Lviv", "address": "Shevchenka 5", "priority": 10})
    assert r.status_code == 201, r.text
    lviv = r.json()
    problem(s.api("POST", f"/businesses/{biz['id']}/warehouses", seller, json={"name": "Lviv"}), 409, "conflict")

    def move(body, key=None, token=seller):
        headers = {"Idempotency-Key": key} if key else {}
        return s.api("POST", f"/businesses/{biz['id']}/stock/movements", token, json=body, headers=headers)

    def figure():
        return s.api("GET", f"/products/{product['id']}", buyer).json()["stock_quantity"]

    key = str(uuid.uuid4())
    receipt = {"kind": "receipt", "product_id": product["id"], "warehouse_id": lviv["id"], "quantity": 30}
    first = move(receipt, key)
    assert first.status_code == 201, first.text
    again = move(receipt, key)
    assert again.status_code == 201 and again.json() == first.json()  # the first answer, nothing recorded again
    problem(move({**receipt, "quantity": 31}, key), 422, "idempotency_key_reused")
    assert figure() == 50

    r = move({"kind": "transfer", "product_id": product["id"], "warehouse_id": main["id"], "to_warehouse_id": lviv["id"], "quantity": 5})
    assert [m["kind"] for m in r.json()["items"]] == ["transfer_out", "transfer_in"], r.text
    r = move({"kind": "adjustment", "product_id": product["id"], "warehouse_id": lviv["id"], "counted": 33, "reason": "Stocktake"})
    assert [m["on_hand_delta"] for m in r.json()["items"]] == [-2], r.text
    assert figure() == 48

    # Taking more than there is: 409 with what is available; bad input names every field; neither writes.
    too_much = problem(move({"kind": "write_off", "product_id": product["id"], "warehouse_id": main["id"], "quantity": 16, "reason": "Broken"}),
                       409, "insufficient_stock")
    assert too_much["available"] == 15 and too_much["requested"] == 16
    bad = problem(move({"kind": "adjustment", "warehouse_id": main["id"], "quantity": 0}), 400, "invalid")
    assert {e["field"] for e in bad["errors"]} >= {"product_id"}
    bad = problem(move({"kind": "adjustment", "product_id": product["id"], "warehouse_id": main["id"], "quantity": 0}), 400, "invalid")
    assert {e["field"] for e in bad["errors"]} == {"quantity", "reason"}
    problem(move({"kind": "gift", "product_id": product["id"], "warehouse_id": main["id"], "quantity": 1}), 400, "invalid")
    ledger = s.api("GET", f"/businesses/{biz['id']}/stock/movements", seller).json()["items"]
    assert [m["kind"] for m in ledger] == ["adjustment", "transfer_in", "transfer_out", "receipt", "adjustment"]
    assert ledger[-1]["document_type"] == "product" and ledger[0]["document_type"] == "stock_count" and ledger[0]["reason"] == "Stocktake"
    assert figure() == 48

    levels = s.api("GET", f"/businesses/{biz['id']}/stock", seller).json()["items"]
    assert {(l["warehouse_name"], l["on_hand"], l["available"]) for l in levels} == {("Main warehouse", 15, 15), ("Lviv", 33, 33)}
    r = s.api("PUT", f"/warehouses/{lviv['id']}/stock/{product['id']}/threshold", seller, json={"low_threshold": 40})
    assert r.status_code == 200 and r.json()["low"] is True, r.text
    low = s.api("GET", f"/businesses/{biz['id']}/stock?low=true", seller).json()["items"]
    assert [l["warehouse_id"] for l in low] == [lviv["id"]]

    # Setting the figure on the product is an adjustment in the default warehouse (Lviv: priority 10).
    r = s.api("PATCH", f"/products/{product['id']}", seller, json={"stock_quantity": 40})
    assert r.status_code == 200 and r.json()["stock_quantity"] == 40, r.text
    assert s.api("GET", f"/businesses/{biz['id']}/stock?warehouse_id={lviv['id']}", seller).json()["items"][0]["on_hand"] == 25

    # An inactive warehouse does not count; search's in-stock filter follows the figure.
    for warehouse in (main, lviv):
        assert s.api("PATCH", f"/warehouses/{warehouse['id']}", seller, json={"active": False}).status_code == 200
    assert figure() == 0
    s.wait_for(lambda: s.api("GET", "/search/products?q=аспірин&in_stock=true", buyer).json()["items"] == [],
               message="search's in-stock filter to drop the product")
    assert s.api("PATCH", f"/warehouses/{main['id']}", seller, json={"active": True}).status_code == 200
    s.wait_for(lambda: [h["product"]["id"] for h in s.api("GET", "/search/products?q=аспірин&in_stock=true", buyer).json()["items"]]
               == [product["id"]], message="search's in-stock filter to find the product again")

    # Someone who is not the business's: 403 on its collections, 404 on its warehouses.
    problem(s.api("GET", f"/businesses/{biz['id']}/stock", buyer), 403, "forbidden")
    problem(s.api("GET", f"/businesses/{biz['id']}/stock/movements", buyer), 403, "forbidden")
    problem(move({"kind": "receipt", "product_id": product["id"], "warehouse_id": main["id"], "quantity": 1}, token=buyer), 403, "forbidden")
    problem(s.api("PATCH", f"/warehouses/{main['id']}", buyer, json={"name": "Mine"}), 404, "not_found")
    problem(s.api("PUT", f"/warehouses/{main['id']}/stock/{product['id']}/threshold", buyer, json={"low_threshold": 1}), 404, "not_found")
    # A product of the business in another business's warehouse: not found, nothing written.
    other = s.api("POST", "/businesses", owner, json={"name": "Other", "type": "wholesaler", "city": "Odesa"}).json()
    theirs = s.api("POST", f"/businesses/{other['id']}/warehouses", owner, json={"name": "Theirs"}).json()
    problem(move({"kind": "receipt", "product_id": product["id"], "warehouse_id": theirs["id"], "quantity": 1}), 404, "not_found")
    assert len(s.api("GET", f"/businesses/{biz['id']}/stock/movements", seller).json()["items"]) == 6


def test_reconcile_and_doctor_name_counters_edited_behind_the_ledger(server):
    s = server
    owner, seller, buyer, biz = setup_catalog(s)
    product = s.api("POST", f"/businesses/{biz['id']}/products", seller, json={
        "sku": "ASP-100", "name": "Aspirin", "currency": "UAH", "price": "12.00", "stock_quantity": 20}).json()
    report = json.loads(run_cli("stock", "reconcile", "--tenant", "acme", "--json", data=s.data).stdout)
    assert (report["levels"], report["movements"], report["drifts"], report["repaired"]) == (1, 1, [], False)

    tenant_id = s.api("GET", "/tenant", owner).json()["id"]
    db = sqlite3.connect(s.data / "tenants" / f"{tenant_id}.sqlite")
    assert db.execute("UPDATE stock_levels SET on_hand = 23").rowcount == 1
    db.commit()
    db.close()
    out = run_cli("stock", "reconcile", "--tenant", "acme", "--json", data=s.data, check=False)
    assert out.returncode == 1, out.stderr
    drift = json.loads(out.stdout)["drifts"]
    assert drift == [{"product_id": product["id"], "warehouse_id": drift[0]["warehouse_id"], "counter": "on_hand", "recorded": 23, "ledger": 20}]
    doctor = json.loads(run_cli("doctor", "--json", data=s.data, check=False).stdout)
    stock = [f for f in doctor["findings"] if f["check"] == "stock"]
    assert stock and stock[0]["severity"] == "warning" and "--repair" in stock[0]["fix"]

    out = run_cli("stock", "reconcile", "--tenant", "acme", "--repair", data=s.data)
    assert "Repaired" in out.stdout
    assert json.loads(run_cli("stock", "reconcile", "--tenant", "acme", "--json", data=s.data).stdout)["drifts"] == []
    assert s.api("GET", f"/products/{product['id']}", seller).json()["stock_quantity"] == 20
    entries = s.api("GET", "/audit?limit=200", owner).json()["items"]
    assert any(e["action"] == "stock.reconcile" for e in entries)


def test_a_stock_count_file_is_checked_then_applied_all_or_nothing(server):
    s = server
    owner, seller, buyer, biz = setup_catalog(s)
    for sku, stock in (("A-1", 10), ("B-2", 5), ("C-3", 0)):
        assert s.api("POST", f"/businesses/{biz['id']}/products", seller, json={
            "sku": sku, "name": sku, "currency": "UAH", "price": "1.00", "stock_quantity": stock}).status_code == 201
    main = s.api("GET", f"/businesses/{biz['id']}/warehouses", seller).json()["items"][0]

    def count(body, dry_run, token=seller, **params):
        return s.api("POST", f"/warehouses/{main['id']}/stock/counts", token, params={"dry_run": str(dry_run).lower(), **params},
                     data=body, headers={"Content-Type": "text/csv"})

    # Windows-1251 with ";" and Ukrainian headers, as spreadsheets export it; one bad row, one unknown SKU.
    bad = "Артикул;Залишок;Примітка\nA-1;12;\nB-2;п'ять;\nZ-9;1;\n".encode("cp1251")
    report = count(bad, False).json()
    assert (report["encoding"], report["delimiter"], report["rows"], report["failed"], report["applied"]) == ("windows-1251", ";", 3, 2, False)
    assert [(i["line"], i["sku"]) for i in report["issues"]] == [(3, "B-2"), (4, "Z-9")] and report["ignored_columns"] == ["Примітка"]
    assert s.api("GET", f"/businesses/{biz['id']}/stock/movements", seller).json()["items"].__len__() == 2  # nothing written

    good = "sku,stock\nA-1,12\nB-2,5\nC-3,4\n"
    report = count(good, True).json()
    assert (report["changed"], report["unchanged"], report["failed"], report["applied"]) == (2, 1, 0, False)
    r = count(good, False)
    report = r.json()
    assert r.status_code == 200 and report["applied"] and report["changed"] == 2, r.text
    moves = s.api("GET", f"/businesses/{biz['id']}/stock/movements", seller).json()["items"][:2]
    assert {(m["sku"], m["on_hand_delta"], m["document_id"]) for m in moves} == {("A-1", 2, report["count_id"]), ("C-3", 4, report["count_id"])}
    problem(count(good, False, token=buyer), 404, "not_found")
    problem(count("name\nx\n", True), 400, "invalid")
