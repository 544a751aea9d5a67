"""A newcomer's first look: `serve` on an empty data dir fills the demo tenant with a sample in
which every feature has something to show — and can be told not to."""
import re

from conftest import ARTIFACTS, Server, banner_passwords, problem
from test_browser import browser  # noqa: F401 - the Chromium fixture
from test_browser_pages import SIZES, check_page


def start_with_sample(data_dir, **env):
    s = Server(data_dir, env={"TRADEPOST_DEMO_SAMPLE": "true", **env}).start()
    s.wait_for(lambda: "filled with a sample" in s.output() or "listening" in s.output(), message="the banner")
    return s


def test_the_demo_tenant_shows_every_feature_working(data_dir):
    s = start_with_sample(data_dir)
    try:
        out = s.output()
        assert re.search(r"filled with a sample: 5 businesses, 6 more people, 28 products, 2 price lists", out), out
        owner = s.login("owner@demo.local", banner_passwords(out)[-1], tenant="demo")
        businesses = s.api("GET", "/businesses", owner).json()["items"]
        assert sorted(b["type"] for b in businesses) == ["importer", "pharmacy", "pharmacy", "pharmacy", "wholesaler"]
        assert {b["name"] for b in businesses if b["verified"]} == {"MedImport Ukraine", "Фармація Оптом"}
        by_name = {b["name"]: b for b in businesses}
        users = s.api("GET", "/users", owner).json()["items"]
        assert len(users) == 7 and [u["name"] for u in users if u["kind"] == "salesperson"] == ["Андрій Мельник"]
        products = s.api("GET", "/products", owner, params={"limit": 100}).json()["items"]
        assert len(products) == 28 and all(p["status"] == "published" for p in products)
        names = " ".join(p["name"] for p in products)
        assert re.search("[іїєґ]", names) and re.search("[ыэъ]", names) and re.search("[A-Za-z]{6}", names), "Ukrainian, Russian and English"
        assert sum(1 for p in products if p["tiers"]) >= 15 and any(p["attributes"].get("rx") is True for p in products)
        # Pictures on every product and business.
        for p in products[:5]:
            info = s.api("GET", f"/products/{p['id']}/image-info", owner).json()["media"]
            assert info and info["content_type"] == "image/png" and info["size"] > 1000
            assert s.api("GET", f"/products/{p['id']}/image", owner).content.startswith(b"\x89PNG")
        assert s.api("GET", f"/businesses/{businesses[0]['id']}/logo-info", owner).json()["media"]
        # A price history, customer prices and search with synonyms.
        paracetamol = next(p for p in products if p["sku"] == "MI-PAR-500")
        history = s.api("GET", f"/products/{paracetamol['id']}/price-history", owner).json()["items"]
        assert [h["new_price"]["amount"] for h in history if h["kind"] == "base"] == ["38.50", "36.90"]
        citramon = next(p for p in products if p["sku"] == "FO-PAR-500")
        price = s.api("GET", f"/products/{citramon['id']}/price", owner,
                      params={"quantity": 20, "buyer_business_id": by_name["Аптека «Здоров’я»"]["id"]}).json()
        assert price["unit_price"]["amount"] == "17.40" and price["price_list_id"]
        found = s.wait_for(lambda: s.api("GET", "/search/products", owner, params={"q": "acetaminophen"}).json()["items"] or None)
        assert {h["product"]["sku"] for h in found} == {"MI-PAR-500", "FO-PAR-500"}
        assert s.api("GET", "/search/products", owner, params={"q": "вітамін"}).json()["total"] >= 3
        # The owner manages the wholesaler: its two new orders wait in the bell.
        s.wait_for(lambda: [n["kind"] for n in s.api("GET", "/notifications", owner).json()["items"]].count("order.placed") == 2,
                   message="the sample's notifications")
    finally:
        assert s.stop() == 0


def test_the_sample_reads_well_in_a_browser(data_dir, browser):  # noqa: F811
    s = start_with_sample(data_dir)
    try:
        password = banner_passwords(s.output())[-1]
        for size in SIZES:
            context = browser.new_context(viewport=SIZES[size], locale="uk-UA")
            page = context.new_page()
            problems = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.goto(s.url + "/login")
            page.locator("[name=tenant]").fill("demo")
            page.locator("[name=email]").fill("owner@demo.local")
            page.locator("[name=password]").fill(password)
            page.keyboard.press("Enter")
            page.locator("#site-nav").wait_for(state="attached")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for path in ["/", "/catalog", "/businesses"]:
                page.goto(s.url + path)
                check_page(page, problems, f"{size} {path}")
                page.screenshot(path=str(ARTIFACTS / f"demo-{path.strip('/') or 'home'}-{size}.png"), full_page=True)
            page.goto(s.url + "/catalog?q=парацетамол")
            page.locator(".product-card").first.click()
            check_page(page, problems, f"{size} a product")
            assert page.locator(".picture-frame img").count() == 1
            page.screenshot(path=str(ARTIFACTS / f"demo-product-{size}.png"), full_page=True)
            context.close()
    finally:
        assert s.stop() == 0


def test_no_demo_and_no_sample(tmp_path):
    quiet = Server(tmp_path / "a", extra_args=["--no-demo"]).start()
    try:
        admin = quiet.admin_token()
        assert [t["slug"] for t in quiet.api("GET", "/admin/tenants", admin).json()["items"]] == []
        assert "Demo tenant" not in quiet.output()
    finally:
        assert quiet.stop() == 0
    empty = Server(tmp_path / "b").start()  # the suite's default: demo.sample false
    try:
        owner = empty.login("owner@demo.local", banner_passwords(empty.output())[-1], tenant="demo")
        assert empty.api("GET", "/businesses", owner).json()["items"] == []
        problem(empty.api("GET", "/products/" + "0" * 26, owner), 404, "not_found")
    finally:
        assert empty.stop() == 0
