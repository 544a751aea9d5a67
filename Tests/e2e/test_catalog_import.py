"""Price-list import and export through the real server and CLI: a Windows-1251 semicolon file with
decimal commas, a dry run's row-by-row report, an all-or-nothing apply, idempotence, search following
the import, the export reading back, and the CLI's progress and --json."""
import json

from conftest import problem, run_cli
from test_catalog import setup_catalog

GOOD = (
    "Артикул;Найменування;Ціна;Залишок;Категорія;Бренд;tiers;attr:dosage_form\r\n"
    "P-1;Парацетамол 500 мг;25,50;100;Ліки / Знеболювальні;Дарниця;10:24,00 100:22,00;таблетки\r\n"
    "P-2;\"Ібупрофен; 200 мг\";1 234,00;0;Знеболювальні;;;капсули\r\n"
)


def upload(s, token, biz, body, **params):
    return s.api("POST", f"/businesses/{biz}/imports", token, params=params, data=body, headers={"Content-Type": "text/csv"})


def finished(s, token, item):
    return s.wait_for(lambda: (lambda r: r if r["state"] in ("succeeded", "failed") else None)(
        s.api("GET", f"/imports/{item['id']}", token).json()), timeout=20, message="the import to finish")


def test_import_dry_run_apply_idempotence_export_and_isolation(server):
    s = server
    owner, seller, buyer, biz = setup_catalog(s)
    meds = s.api("POST", "/categories", owner, json={"name": "Ліки"}).json()
    s.api("POST", "/categories", owner, json={"name": "Знеболювальні", "parent_id": meds["id"]})

    # A file with bad rows: the dry run reports each by line; the apply writes nothing.
    bad = GOOD + "P-3;Аспірин;abc;;;;;\r\nP-1;Дубль;1;;;;;\r\n"
    r = upload(s, seller, biz["id"], bad.encode("cp1251"), dry_run="true", file_name="prices.csv")
    assert r.status_code == 202, r.text
    report = finished(s, seller, r.json())["report"]
    assert report["encoding"] == "windows-1251" and report["delimiter"] == ";"
    assert (report["rows"], report["created"], report["failed"]) == (4, 2, 2)
    assert [(i["line"], i["field"]) for i in report["issues"]] == [(4, "price"), (5, "sku")]
    done = finished(s, seller, upload(s, seller, biz["id"], bad.encode("cp1251")).json())
    assert done["state"] == "failed" and done["report"]["applied"] is False
    assert s.api("GET", f"/products?business_id={biz['id']}", seller).json()["items"] == []

    # The good file: dry run, then apply the same upload; everything or nothing.
    dry = finished(s, seller, upload(s, seller, biz["id"], GOOD.encode("cp1251"), dry_run="true").json())
    assert dry["state"] == "succeeded" and dry["report"]["created"] == 2 and dry["report"]["failed"] == 0
    r = s.api("POST", f"/imports/{dry['id']}/apply", seller)
    assert r.status_code == 202, r.text
    applied = finished(s, seller, r.json())
    assert applied["state"] == "succeeded" and applied["report"]["applied"] and applied["report"]["created"] == 2
    products = {p["sku"]: p for p in s.api("GET", f"/products?business_id={biz['id']}", buyer).json()["items"]}
    assert products["P-1"]["price"] == {"amount": "25.50", "currency": "UAH"}
    assert [t["price"]["amount"] for t in products["P-1"]["tiers"]] == ["24.00", "22.00"]
    assert products["P-2"]["name"] == "Ібупрофен; 200 мг" and products["P-2"]["price"]["amount"] == "1234.00"
    assert products["P-1"]["attributes"]["dosage_form"] == "таблетки"
    # Search follows the import through the outbox.
    s.wait_for(lambda: s.api("GET", "/search/products?q=ібупрофен", buyer).json()["items"], timeout=10, message="indexing")

    # Applying the same file again changes nothing; the applied upload is gone, so re-applying it is a conflict.
    again = finished(s, seller, upload(s, seller, biz["id"], GOOD.encode("utf-8-sig")).json())
    assert again["report"]["encoding"] == "utf-8" and again["report"]["unchanged"] == 2 and again["report"]["updated"] == 0
    problem(s.api("POST", f"/imports/{dry['id']}/apply", seller), 409, "conflict")
    assert [i["id"] for i in s.api("GET", f"/businesses/{biz['id']}/imports", seller).json()["items"]][:2] == [again["id"], applied["id"]]

    # Export: CSV that imports back unchanged, in either encoding.
    r = s.api("GET", f"/businesses/{biz['id']}/products/export", seller, params={"encoding": "windows-1251", "delimiter": ";"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    text = r.content.decode("cp1251")
    assert text.splitlines()[0].startswith("sku;name;brand") and "Ліки / Знеболювальні" in text and '"Ібупрофен; 200 мг"' in text
    back = finished(s, seller, upload(s, seller, biz["id"], r.content).json())
    assert back["report"]["unchanged"] == 2 and back["report"]["failed"] == 0, back

    # Bad input: a problem, nothing stored.
    problem(upload(s, seller, biz["id"], b""), 400, "invalid")
    problem(upload(s, seller, biz["id"], b"sku\nA", dry_run="maybe"), 400, "invalid")
    problem(upload(s, seller, biz["id"], b"sku\nA", delimiter="|"), 400, "invalid")
    problem(s.api("POST", f"/businesses/{biz['id']}/imports", seller, json={"sku": "A"}), 415)
    header_only = finished(s, seller, upload(s, seller, biz["id"], "назва;ціна\nA;1\n".encode()).json())
    assert header_only["state"] == "failed" and "SKU" in header_only["error"]
    # Buyers may not import or export; another tenant sees nothing.
    problem(upload(s, buyer, biz["id"], GOOD.encode()), 403, "forbidden")
    problem(s.api("GET", f"/businesses/{biz['id']}/products/export", buyer), 403, "forbidden")
    problem(s.api("GET", f"/imports/{applied['id']}", buyer), 404)
    s.create_tenant("other", owner_email="boss@other.test")
    other = s.login("boss@other.test", "owner-password-1", tenant="other")
    problem(s.api("GET", f"/imports/{applied['id']}", other), 404)
    problem(s.api("POST", f"/imports/{applied['id']}/apply", other), 404)
    problem(upload(s, other, biz["id"], GOOD.encode()), 404)
    problem(s.api("GET", f"/businesses/{biz['id']}/products/export", other), 404)


def test_cli_import_reports_progress_and_json(server, tmp_path):
    s = server
    owner, seller, buyer, biz = setup_catalog(s)
    path = tmp_path / "prices.csv"
    rows = ["sku,name,price,stock"] + [f"C-{i},Product {i},{i}.50,{i}" for i in range(1, 12001)]
    path.write_text("\n".join(rows) + "\n")
    r = run_cli("catalog", "import", str(path), "--tenant", "acme", "--business", "Apteka Plus", "--dry-run", data=s.data)
    assert "checking: 10000 rows" in r.stderr and "12000 rows read" in r.stdout and "12000 would be created" in r.stdout
    r = run_cli("catalog", "import", str(path), "--tenant", "acme", "--business", biz["id"], "--json", data=s.data)
    report = json.loads(r.stdout)
    assert report["applied"] and report["created"] == 12000 and r.stderr == ""
    assert s.api("GET", f"/products?business_id={biz['id']}&limit=1", buyer).json()["items"][0]["sku"].startswith("C-")
    # A bad row: exit status 1, the report says which line, nothing changes.
    path.write_text("sku,name,price\nC-1,Changed,1\nC-2,Bad,x\n")
    r = run_cli("catalog", "import", str(path), "--tenant", "acme", "--business", biz["id"], check=False, data=s.data)
    assert r.returncode == 1 and "3" in r.stdout and "price" in r.stdout and "Nothing was changed" in r.stdout
    out = tmp_path / "export.csv"
    run_cli("catalog", "export", "--tenant", "acme", "--business", biz["id"], "--output", str(out), data=s.data)
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 12001
    r = run_cli("catalog", "import", str(path), "--tenant", "acme", "--business", "No Such", check=False, data=s.data)
    assert r.returncode == 1 and "no business" in r.stderr
