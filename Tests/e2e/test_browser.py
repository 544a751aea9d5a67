import base64
"""The web app in headless Chromium (Debian's package, driven by Playwright; never `playwright install`)."""
import os
import shutil

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, ARTIFACTS, run_cli

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: scripts/test installs Debian's chromium package")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def watch(page):
    problems = []
    page.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return problems


def test_platform_admin_and_tenant_owner_journeys(server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-US")
    page = context.new_page()
    problems = watch(page)

    # Deep link while signed out → login, then back to where we wanted to go.
    page.goto(server.url + "/platform/tenants")
    expect(page).to_have_url(server.url + "/login?next=%2Fplatform%2Ftenants")
    page.get_by_label("I am a platform administrator").check()
    expect(page.get_by_label("Company")).to_be_hidden()
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Tenants")).to_be_visible()
    expect(page).to_have_url(server.url + "/platform/tenants")

    page.get_by_role("button", name="New tenant").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).first.fill("Fresh Farm")
    expect(dialog.get_by_label("Short name")).to_have_value("fresh-farm")
    dialog.locator("[name='owner.email']").fill("olena@fresh.test")
    dialog.locator("[name='owner.name']").fill("Olena")
    dialog.get_by_role("button", name="Create").click()
    secret = dialog.locator("input.secret")
    expect(secret).to_be_visible()
    owner_password = secret.input_value()
    dialog.get_by_role("button", name="Done").click()
    row = page.get_by_role("row").filter(has_text="fresh-farm")
    expect(row).to_be_visible()
    page.on("dialog", lambda d: d.accept())
    row.get_by_role("button", name="Suspend").click()
    expect(row.get_by_text("Suspended")).to_be_visible()
    row.get_by_role("button", name="Resume").click()
    expect(row.get_by_text("Active")).to_be_visible()
    # Restore a tenant from its export, live: the page uploads the archive, the server swaps it.
    archive = server.data.parent / "demo-export.tar"
    run_cli("tenant", "export", "demo", "--out", str(archive), data=server.data)
    demo_row = page.get_by_role("row").filter(has_text="demo")
    demo_row.locator("input[type=file]").set_input_files(str(archive))
    expect(page.get_by_text("was restored")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "platform-tenants.png"), full_page=True)

    # The jobs page: queues with their counts, updated live over the WebSocket.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    expect(page.get_by_role("heading", name="Jobs", exact=True)).to_be_visible()
    expect(page.locator(".live-badge")).to_have_text("live")
    maintenance = page.get_by_role("region", name="maintenance")
    expect(maintenance).to_be_visible()
    maintenance.get_by_role("button", name="Pause").click()
    expect(maintenance.get_by_text("paused")).to_be_visible()
    maintenance.get_by_role("button", name="Resume").click()
    expect(maintenance.get_by_role("button", name="Pause")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "jobs.png"), full_page=True)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    # The tenant's owner: keyboard-only login.
    page.get_by_label("Company").fill("fresh-farm")
    page.keyboard.press("Tab")
    page.keyboard.type("olena@fresh.test")
    page.keyboard.press("Tab")
    page.keyboard.type(owner_password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Hello, Olena")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link")).to_have_text(["Home", "Catalog", "Cart", "Orders", "Invoices", "Messages", "Inbox", "Contacts", "Salespeople", "Businesses", "Moderation", "Search settings", "Users", "Storage", "Webhooks", "Email and SMS", "Jobs",
                                                  "Audit", "My account"])

    nav.get_by_role("link", name="Businesses").click()
    page.get_by_role("button", name="Add business").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("Аптека «Здоров’я»")
    dialog.get_by_label("Type").select_option("pharmacy")
    dialog.get_by_label("City").fill("Львів")
    dialog.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", name="Аптека «Здоров’я»")).to_be_visible()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("cell", name="Olena")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "business.png"), full_page=True)

    nav.get_by_role("link", name="Users").click()
    page.get_by_role("button", name="Add user").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Email").fill("not-an-email")
    dialog.get_by_label("Name").fill("Petro")
    dialog.get_by_role("button", name="Add").click()
    expect(dialog.get_by_text("is not a valid email address")).to_be_visible()
    dialog.get_by_label("Email").fill("petro@fresh.test")
    dialog.get_by_label("Kind").select_option("salesperson")
    dialog.get_by_role("button", name="Add").click()
    expect(dialog.locator("input.secret")).to_be_visible()
    dialog.get_by_role("button", name="Done").click()
    expect(page.get_by_role("cell", name="petro@fresh.test")).to_be_visible()

    nav.get_by_role("link", name="My account").click()
    expect(page.get_by_role("heading", name="Sessions")).to_be_visible()
    expect(page.get_by_text("this device")).to_be_visible()
    page.get_by_role("button", name="New token").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("price sync")
    dialog.get_by_role("button", name="Create").click()
    expect(dialog.locator("input.secret")).to_be_visible()
    token = dialog.locator("input.secret").input_value()
    assert token.startswith("tpt_")
    dialog.get_by_role("button", name="Done").click()
    expect(page.get_by_role("cell", name="price sync")).to_be_visible()

    # Storage: an S3 key whose secret is shown once, then revoked; bucket usage against the quota.
    nav.get_by_role("link", name="Storage").click()
    expect(page.get_by_role("heading", name="S3 access keys")).to_be_visible()
    expect(page.get_by_text("No buckets yet")).to_be_visible()
    page.get_by_role("button", name="New access key").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("nightly backup")
    dialog.get_by_role("button", name="Create").click()
    expect(dialog.get_by_label("Secret access key")).to_be_visible()
    secret = dialog.get_by_label("Secret access key").input_value()
    access_key = dialog.get_by_label("Access key id").input_value()
    assert len(secret) == 40 and access_key.startswith("TP")
    dialog.get_by_role("button", name="Done").click()
    # A bucket made with an S3 client shows up; browse it, upload, delete.
    from test_s3 import client, wait_for_port
    wait_for_port(server.s3_port)
    s3 = client(server, access_key, secret)
    s3.create_bucket(Bucket="web-files")
    s3.put_object(Bucket="web-files", Key="2026/report.csv", Body=b"a;b\n")
    page.reload()
    page.get_by_role("link", name="web-files").click()
    expect(page.get_by_role("link", name="📁 2026/")).to_be_visible()
    page.get_by_role("link", name="📁 2026/").click()
    expect(page.get_by_role("link", name="report.csv")).to_be_visible()
    page.locator("#bucket-upload").set_input_files(files=[{"name": "price list.csv", "mimeType": "text/csv", "buffer": b"sku;price\n"}])
    expect(page.get_by_role("link", name="price list.csv")).to_be_visible()
    assert s3.get_object(Bucket="web-files", Key="2026/price list.csv")["Body"].read() == b"sku;price\n"
    page.screenshot(path=str(ARTIFACTS / "storage-bucket.png"), full_page=True)
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Delete 2026/report.csv").click()
    expect(page.get_by_role("link", name="report.csv", exact=True)).to_have_count(0)
    nav.get_by_role("link", name="Storage").click()
    expect(page.get_by_role("cell", name="web-files")).to_be_visible()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("row", name="nightly backup").get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("row", name="nightly backup").get_by_text("revoked")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "storage.png"), full_page=True)

    # The audit trail: sign-ins and changes, newest first; a filter narrows it; the chain checks out.
    nav.get_by_role("link", name="Audit").click()
    expect(page.get_by_role("heading", name="Audit")).to_be_visible()
    expect(page.get_by_role("cell", name="auth.login").first).to_be_visible()
    page.get_by_label("Action").fill("business.")
    expect(page.get_by_role("cell", name="auth.login")).to_have_count(0)
    expect(page.get_by_role("cell", name="business.create").first).to_be_visible()
    page.get_by_role("button", name="Check the chain").click()
    expect(page.get_by_role("status").get_by_text("The chain is intact")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "audit.png"), full_page=True)
    nav.get_by_role("link", name="My account").click()

    # Switch the language: the interface follows, and dates use the locale.
    page.get_by_label("Language").first.select_option("uk")
    expect(page.get_by_role("heading", name="Мій обліковий запис")).to_be_visible()
    nav = page.get_by_role("navigation", name="Головне")
    expect(nav.get_by_role("link", name="Компанії")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "account-uk.png"), full_page=True)

    # Phone width: the menu folds behind a button.
    page.set_viewport_size({"width": 390, "height": 844})
    toggle = page.get_by_role("button", name="Меню")
    expect(toggle).to_be_visible()
    toggle.click()
    expect(nav.get_by_role("link", name="Користувачі")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "phone-menu.png"))
    nav.get_by_role("link", name="Користувачі").click()
    expect(page.get_by_role("heading", name="Користувачі")).to_be_visible()

    page.goto(server.url + "/no/such/page")
    expect(page.get_by_role("heading", name="Сторінку не знайдено")).to_be_visible()
    page.get_by_role("button", name="Меню").click()
    page.get_by_role("button", name="Вийти").click()
    expect(page.get_by_role("heading", name="Вхід")).to_be_visible()

    # The only console entry is Chromium's note on the one request we made fail on purpose
    # (the invalid email, answered 400); any script error would be listed here too.
    assert problems == ["console.error: Failed to load resource: the server responded with a status of 400 (Bad Request)"], problems
    context.close()


def test_login_errors_are_announced(server, browser):
    page = browser.new_page()
    problems = watch(page)
    page.goto(server.url + "/login")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your company")
    page.get_by_label("Company").fill("demo")
    page.get_by_label("Email").fill("owner@demo.local")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong company, email or password.")
    # The 401 of a failed login is a network event, not a script error.
    assert [p for p in problems if "401" not in p] == []


def test_catalog_journey(server, browser):
    """A seller adds a product, a buyer finds it by typing with a typo, opens it, prices a quantity;
    the owner moderates."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    admin = server.admin_token()
    server.create_tenant("shop", owner_email="owner@shop.test", token=admin)
    owner = server.login("owner@shop.test", "owner-password-1", tenant="shop")
    biz = server.api("POST", "/businesses", owner, json={"name": "Farm Opt", "type": "wholesaler", "city": "Odesa"}).json()
    server.api("POST", "/categories", owner, json={"name": "Analgesics"})
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    problems = watch(page)
    page.goto(server.url + "/login")
    page.get_by_label("Company").fill("shop")
    page.get_by_label("Email").fill("owner@shop.test")
    page.get_by_label("Password").fill("owner-password-1")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()

    page.goto(server.url + f"/businesses/{biz['id']}")
    page.get_by_role("button", name="Add product").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("SKU").fill("PAR-500")
    dialog.get_by_label("Name", exact=True).fill("Парацетамол 500 мг")
    dialog.get_by_label("Category").select_option(label="Analgesics")
    dialog.get_by_label("Price", exact=True).fill("25,5")
    dialog.get_by_label("Quantity prices").fill("10 = 24.00")
    dialog.get_by_label("Minimum order").fill("2")
    dialog.get_by_label("Stock").fill("40")
    dialog.get_by_label("Status").select_option("published")
    dialog.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", name="Парацетамол 500 мг")).to_be_visible()
    expect(page.locator(".quote")).to_have_text("25.50 UAH each, 51.00 UAH in total")
    page.get_by_label("Quantity").fill("10")
    expect(page.locator(".quote")).to_contain_text("24.00 UAH each")
    page.get_by_label("Quantity").fill("1")
    expect(page.locator(".quote")).to_contain_text("minimum order")

    # A price change shows in the history chart.
    page.get_by_role("button", name="Edit").click()
    page.get_by_role("dialog").get_by_label("Price", exact=True).fill("27.00")
    page.get_by_role("dialog").get_by_role("button", name="Save").click()
    expect(page.get_by_role("img", name="Base price over time, from 25.5 to 27")).to_be_visible()

    # The product's image: none yet, then uploaded from a file and shown.
    expect(page.get_by_text("No picture yet.")).to_be_visible()
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    page.locator(".picture input[type=file]").set_input_files(files=[{"name": "pack.png", "mimeType": "image/png", "buffer": png}])
    expect(page.locator(".picture-frame img")).to_be_visible()
    assert page.locator(".picture-frame img").evaluate("img => img.complete && img.naturalWidth") == 1
    page.screenshot(path=str(ARTIFACTS / "product.png"), full_page=True)

    # Search as you type, with a typo, through the keyboard.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Catalog").click()
    box = page.get_by_role("combobox", name="Search products")
    expect(box).to_be_visible()
    box.type("парацетомол", delay=20)
    expect(page.get_by_role("listbox", name="Suggestions").get_by_role("option")).to_have_count(1)
    expect(page.locator(".product-card mark")).to_have_text("Парацетамол")
    expect(page.get_by_text("Found: 1")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "catalog.png"), full_page=True)
    box.press("ArrowDown")
    box.press("Enter")
    expect(page.get_by_role("heading", name="Парацетамол 500 мг")).to_be_visible()

    # Import a price list: the check shows a row's error and changes nothing; the fixed file is checked and applied.
    page.goto(server.url + f"/businesses/{biz['id']}")
    page.get_by_role("link", name="Import price list").click()
    expect(page.get_by_role("heading", name="Import price list", level=1)).to_be_visible()
    bad = "Артикул;Назва;Ціна\r\nIMP-1;Аспірин;12,50\r\nIMP-2;Вітамін C;abc\r\n".encode("cp1251")
    page.get_by_label("CSV file").set_input_files(files=[{"name": "prices.csv", "mimeType": "text/csv", "buffer": bad}])
    page.get_by_role("button", name="Check (dry run)").click()
    expect(page.get_by_role("heading", name="The file has errors; nothing was changed")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="IMP-2")).to_contain_text("price")
    good = bad.replace("abc".encode(), "99,90".encode())
    page.get_by_label("CSV file").set_input_files(files=[{"name": "prices.csv", "mimeType": "text/csv", "buffer": good}])
    page.get_by_role("button", name="Check (dry run)").click()
    expect(page.get_by_role("heading", name="The file is ready to import")).to_be_visible()
    page.get_by_role("button", name="Apply this file").click()
    expect(page.get_by_role("heading", name="Imported")).to_be_visible()
    expect(page.locator(".details")).to_contain_text("New2")
    expect(page.get_by_role("row").filter(has_text="prices.csv")).to_have_count(3)
    page.screenshot(path=str(ARTIFACTS / "import.png"), full_page=True)
    skus = {p["sku"] for p in server.api("GET", f"/products?business_id={biz['id']}", owner).json()["items"]}
    assert {"IMP-1", "IMP-2"} <= skus

    # A customer price list for another business, typed as "SKU = price" lines.
    server.api("POST", "/businesses", owner, json={"name": "Apteka 9", "type": "pharmacy", "city": "Kyiv"})
    page.goto(server.url + f"/businesses/{biz['id']}")
    page.get_by_role("button", name="New price list").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("Apteka 9 contract")
    dialog.get_by_label("Buyer").select_option(label="Apteka 9 (Kyiv)")
    dialog.get_by_label("Valid to").fill("2030-12-31")
    dialog.get_by_label("Prices").fill("IMP-1 = 11,00\nIMP-2 = 95")
    dialog.get_by_role("button", name="Add").click()
    row = page.get_by_role("row").filter(has_text="Apteka 9 contract")
    expect(row).to_contain_text("… – 2030-12-31")
    expect(row.get_by_role("cell").nth(3)).to_have_text("2")

    # A buyer group, then one price list for the whole group; renaming the group renames it in the list.
    page.get_by_role("button", name="New buyer group").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("Kyiv pharmacies")
    dialog.get_by_label("Filter buyers").fill("apteka")
    dialog.get_by_label("Apteka 9 (Kyiv)").check()
    dialog.get_by_role("button", name="Add").click()
    expect(page.get_by_role("row").filter(has_text="Kyiv pharmacies")).to_contain_text("Apteka 9")
    page.get_by_role("button", name="New price list").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("Group prices")
    dialog.get_by_label("Buyer").select_option(label="Kyiv pharmacies")
    dialog.get_by_label("Prices").fill("IMP-1 = 10,50")
    dialog.get_by_role("button", name="Add").click()
    expect(page.get_by_role("row").filter(has_text="Group prices")).to_contain_text("Buyer group: Kyiv pharmacies")
    [group] = server.api("GET", f"/businesses/{biz['id']}/buyer-groups", owner).json()["items"]
    lists = server.api("GET", f"/businesses/{biz['id']}/price-lists", owner).json()["items"]
    assert [(l["name"], l.get("buyer_group_id")) for l in lists if l.get("buyer_group_id")] == [("Group prices", group["id"])]
    page.get_by_role("button", name="Edit Kyiv pharmacies").click()
    page.get_by_role("dialog").get_by_label("Name", exact=True).fill("Kyiv chain")
    page.get_by_role("dialog").get_by_role("button", name="Save").click()
    expect(page.get_by_role("row").filter(has_text="Group prices")).to_contain_text("Buyer group: Kyiv chain")
    page.screenshot(path=str(ARTIFACTS / "price-lists.png"), full_page=True)

    # Moderation: turning review on holds the next change.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Moderation").click()
    page.get_by_label("New and changed products need approval").check()
    expect(page.get_by_text("Setting saved")).to_be_visible()
    assert server.api("GET", "/catalog/settings", owner).json()["require_review"] is True
    product = server.api("GET", "/products", owner).json()["items"][0]
    server.api("PATCH", f"/products/{product['id']}", owner, json={"name": "Paracetamol 500"})
    page.reload()
    row = page.get_by_role("row").filter(has_text="Paracetamol 500")
    row.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Nothing is waiting for review.")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "moderation.png"), full_page=True)

    # The search vocabulary, on a page of its own: a synonym then finds the product in the catalog.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search settings").click()
    expect(page.get_by_role("heading", name="Search settings")).to_be_visible()
    page.get_by_label("Synonyms").fill("жарознижувальне, paracetamol")
    page.get_by_label("Stop words").fill("для")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Search vocabulary saved")).to_be_visible()
    assert server.api("GET", "/search/vocabulary", owner).json() == {"synonyms": [["жарознижувальне", "paracetamol"]], "stop_words": ["для"]}
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Catalog").click()
    page.get_by_role("combobox", name="Search products").fill("жарознижувальне для")
    expect(page.locator(".product-card h2")).to_have_text(["Paracetamol 500"])
    # A price range, typed: only the product between the two prices stays.
    page.get_by_role("combobox", name="Search products").fill("")
    expect(page.locator(".product-card")).to_have_count(3)
    page.get_by_label("Price from").fill("20")
    page.get_by_label("Price up to").fill("50")
    expect(page.locator(".product-card h2")).to_have_text(["Парацетамол 500 мг"])  # 27.00; the others cost 99.90 and 12.50
    assert "price_min=20" in page.url and "price_max=50" in page.url

    # Attribute facets: a product with a dosage form gets its own facet group, and choosing it filters.
    r = server.api("POST", f"/businesses/{biz['id']}/products", owner, json={
        "sku": "SYR-1", "name": "Сироп від кашлю", "currency": "UAH", "price": "30", "status": "published",
        "attributes": {"dosage_form": "syrup"}})
    assert r.status_code == 201, r.text
    assert server.api("POST", f"/products/{r.json()['id']}/approve", owner).status_code == 200  # review is on (above)
    server.wait_for(lambda: server.api("GET", "/search/products?q=сироп", owner).json()["items"], timeout=5, message="indexing")
    page.goto(server.url + "/catalog")
    facet = page.get_by_role("complementary", name="Refine").get_by_role("button", name="syrup (1)")
    expect(facet).to_be_visible()
    facet.click()
    expect(page.locator(".product-card h2")).to_have_text(["Сироп від кашлю"])
    assert "attr.dosage_form=syrup" in page.url
    # The 400 is the quantity below the minimum order, asked on purpose.
    assert [p for p in problems if "400" not in p] == [], problems
    context.close()


def test_stock_journey(server, browser):
    """A seller in Ukrainian adds a warehouse, records a receipt and a count through the dialogs,
    sees the levels and the ledger, and the product's stock figure follows."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    admin = server.admin_token()
    server.create_tenant("sklad", owner_email="owner@sklad.test", token=admin)
    owner = server.login("owner@sklad.test", "owner-password-1", tenant="sklad")
    biz = server.api("POST", "/businesses", owner, json={"name": "Фарм Опт", "type": "wholesaler", "city": "Одеса"}).json()
    product = server.api("POST", f"/businesses/{biz['id']}/products", owner, json={
        "sku": "PAR-500", "name": "Парацетамол 500 мг", "currency": "UAH", "price": "25.50", "stock_quantity": 10, "status": "published"}).json()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="uk-UA")
    page = context.new_page()
    problems = watch(page)
    page.goto(server.url + "/login")
    page.get_by_label("Компанія").fill("sklad")
    page.get_by_label("Email").fill("owner@sklad.test")
    page.get_by_label("Пароль").fill("owner-password-1")
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/")

    page.goto(server.url + f"/businesses/{biz['id']}")
    page.get_by_role("link", name="Залишки").click()
    expect(page.get_by_role("heading", name="Залишки", exact=True)).to_be_visible()
    page.get_by_role("button", name="Новий склад").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Назва").fill("Львів")
    dialog.get_by_label("Пріоритет").fill("5")
    dialog.get_by_role("button", name="Додати").click()
    expect(page.get_by_role("cell", name="Львів", exact=True).first).to_be_visible()

    page.get_by_role("button", name="Записати рух").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Рух").select_option("receipt")
    dialog.get_by_label("Склад", exact=True).select_option(label="Львів")
    dialog.get_by_label("Кількість").fill("30")
    dialog.get_by_role("button", name="Записати рух").dblclick()  # a double click records it once
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.locator("tbody tr", has_text="Надходження")).to_have_count(1)

    page.get_by_role("button", name="Записати рух").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Рух").select_option("adjustment")
    dialog.get_by_label("Склад", exact=True).select_option(label="Львів")
    dialog.get_by_label("Кількість").fill("28")
    dialog.get_by_label("Це інвентаризація").check()
    dialog.get_by_role("button", name="Записати рух").click()
    expect(dialog.locator(".field-error:visible")).to_have_count(1)  # a count needs a reason
    dialog.get_by_label("Причина").fill("Інвентаризація грудня")
    dialog.get_by_role("button", name="Записати рух").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("cell", name="Інвентаризація грудня · інвентаризація")).to_be_visible()
    row = page.locator("tbody tr", has=page.get_by_role("cell", name="Львів", exact=True)).filter(has_text="PAR-500")
    expect(row.locator("td").nth(3)).to_have_text("28")
    page.screenshot(path=str(ARTIFACTS / "stock.png"), full_page=True)
    assert server.api("GET", f"/products/{product['id']}", owner).json()["stock_quantity"] == 38

    # A count file: checked (nothing written), then applied.
    page.get_by_role("button", name="Імпорт інвентаризації").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Склад").select_option(label="Львів")
    dialog.get_by_label("Файл").set_input_files(files=[{"name": "count.csv", "mimeType": "text/csv",
                                                         "buffer": "Артикул;Залишок\nPAR-500;27\n".encode("cp1251")}])
    dialog.get_by_role("button", name="Перевірити").click()
    expect(dialog.get_by_role("status")).to_contain_text("Рядків: 1; змінити: 1")
    assert server.api("GET", f"/products/{product['id']}", owner).json()["stock_quantity"] == 38
    dialog.get_by_role("button", name="Застосувати").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(row.locator("td").nth(3)).to_have_text("27")
    receipts = [m for m in server.api("GET", f"/businesses/{biz['id']}/stock/movements", owner).json()["items"] if m["kind"] == "receipt"]
    assert [m["on_hand_delta"] for m in receipts] == [30]
    # The count without a reason was answered 400 on purpose; nothing else may have failed.
    assert server.api("GET", f"/products/{product['id']}", owner).json()["stock_quantity"] == 37
    assert [p for p in problems if "status of 400" not in p] == []
    context.close()


def test_order_journey(server, browser):
    """A pharmacist in Russian adds a product from its page and another by quick order, places the
    order from the cart; the wholesaler's manager finds it in the inbox and confirms it."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    from test_orders import trade_world
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(server, stock=100, slug="torg")
    other = server.api("POST", f"/businesses/{seller['id']}/products", seller_token, json={
        "sku": "IBU-200", "name": "Ибупрофен 200 мг", "currency": "UAH", "price": "30.00", "status": "published", "stock_quantity": 40,
        "tax_rate": "7"}).json()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = context.new_page()
    problems = watch(page)

    def login(email, password):
        page.goto(server.url + "/login")
        page.get_by_label("Компания").fill("torg")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Пароль").fill(password)
        page.keyboard.press("Enter")
        page.wait_for_url(server.url + "/")

    login("buyer@torg.test", "buyer-pass-1")
    page.goto(server.url + f"/products/{product['id']}")
    page.get_by_label("Количество").fill("12")
    page.get_by_role("button", name="В корзину").click()
    expect(page.get_by_text("Добавлено в корзину Apteka")).to_be_visible()
    page.get_by_role("navigation", name="Главное").get_by_role("link", name="Корзина").click()
    page.get_by_label("Быстрый заказ").fill("IBU-200 3\nNOPE 1")
    page.get_by_role("button", name="Добавить в корзину").click()
    expect(page.locator("main [role=status]")).to_contain_text("Добавлено: 1. Не добавлено — 2:")
    expect(page.get_by_text("цена от 10")).to_be_visible()  # the tier won for 12 units
    page.get_by_label("Адрес доставки").fill("Львов, пл. Рынок 1")
    page.get_by_role("button", name="Оформить заказ").click()
    expect(page.get_by_role("heading", name="FARM-")).to_be_visible()
    expect(page.locator(".badge.order-placed")).to_have_text("оформлен")
    # 12 × 40.00 at 20 % and 3 × 30.00 at 7 %: tax 96.00 + 6.30, total 672.30.
    expect(page.locator(".totals")).to_contain_text("672,30 UAH")
    page.screenshot(path=str(ARTIFACTS / "order-buyer.png"), full_page=True)

    page.get_by_role("button", name="Выйти").click()
    login("seller@torg.test", "seller-pass-1")
    page.get_by_role("navigation", name="Главное").get_by_role("link", name="Заказы").click()
    page.get_by_role("link", name="FARM-").click()
    order_url = page.url
    # The buyer keeps the order open in another browser: it follows the seller's work live.
    buyer_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    buyer_page = buyer_context.new_page()
    buyer_problems = watch(buyer_page)
    buyer_page.goto(server.url + "/login")
    buyer_page.get_by_label("Компания").fill("torg")
    buyer_page.get_by_label("Email").fill("buyer@torg.test")
    buyer_page.get_by_label("Пароль").fill("buyer-pass-1")
    buyer_page.keyboard.press("Enter")
    buyer_page.wait_for_url(server.url + "/")
    buyer_page.goto(order_url)
    expect(buyer_page.locator(".badge.order-placed")).to_have_text("оформлен")

    # The seller has only 2 of the ibuprofen: it proposes a new version, the buyer accepts it live.
    page.get_by_role("button", name="Предложить изменения").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Количество IBU-200").fill("2")
    dialog.get_by_label("Примечание для покупателя").fill("Осталось 2 упаковки")
    dialog.get_by_role("button", name="Отправить покупателю").click()
    expect(buyer_page.get_by_text("Итого: сейчас 672,30 UAH, предлагается 640,20 UAH.")).to_be_visible()
    buyer_page.get_by_role("button", name="Принять изменения").click()
    expect(page.locator(".totals")).to_contain_text("640,20 UAH")
    page.get_by_role("button", name="Подтвердить").click()
    expect(page.locator(".badge.order-confirmed")).to_have_text("подтверждён")
    expect(buyer_page.locator(".badge.order-confirmed")).to_have_text("подтверждён")   # no reload on the buyer's side
    page.screenshot(path=str(ARTIFACTS / "order-seller.png"), full_page=True)
    orders = server.api("GET", f"/businesses/{seller['id']}/orders?side=seller", seller_token).json()["items"]
    assert [o["state"] for o in orders] == ["confirmed"] and orders[0]["delivery_address"] == "Львов, пл. Рынок 1"

    # Ship all of it (the dialog offers what is reserved), then bill it and record the payment.
    page.get_by_role("button", name="Отгрузить", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Отгрузить сейчас PAR-500")).to_have_value("12")
    dialog.get_by_label("Перевозчик").fill("Нова пошта")
    dialog.get_by_label("Номер накладной").fill("20450000000001")
    dialog.get_by_role("button", name="Отгрузить").click()
    expect(page.locator(".badge.order-shipped")).to_have_text("отгружен")
    expect(page.get_by_text("Нова пошта · 20450000000001")).to_be_visible()
    expect(buyer_page.locator(".badge.order-shipped")).to_have_text("отгружен")
    page.get_by_role("button", name="Счёт на остаток заказа").click()
    expect(page.locator(".badge.invoice-open")).to_have_text("не оплачен")
    page.get_by_role("button", name="Оплата").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Сумма, UAH")).to_have_value("640.20")
    dialog.get_by_label("Основание (напр. платёжное поручение)").fill("п/п 42")
    dialog.get_by_role("button", name="Записать").click()
    expect(page.locator(".badge.invoice-paid")).to_have_text("оплачен")
    page.screenshot(path=str(ARTIFACTS / "order-fulfilled.png"), full_page=True)

    # The buyer sees the invoice appear, downloads its PDF and confirms the delivery.
    expect(buyer_page.locator(".badge.invoice-paid")).to_have_text("оплачен")
    with buyer_page.expect_download() as download:
        buyer_page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename.startswith("INV-FARM-") and download.value.suggested_filename.endswith(".pdf")
    buyer_page.get_by_role("button", name="Отметить доставленным").click()
    expect(buyer_page.locator(".badge.order-delivered")).to_have_text("доставлен")
    expect(page.locator(".badge.order-delivered")).to_have_text("доставлен")

    # One box came broken: the buyer asks to return it, the seller accepts and receives it as damaged.
    buyer_page.get_by_role("button", name="Вернуть товар").click()
    dialog = buyer_page.get_by_role("dialog")
    dialog.get_by_label("Вернуть IBU-200").fill("1")
    dialog.get_by_label("Причина").fill("Разбитая упаковка")
    dialog.get_by_role("button", name="Запросить возврат").click()
    expect(buyer_page.locator(".badge.return-requested")).to_have_text("запрос")
    expect(page.locator(".badge.return-requested")).to_have_text("запрос")
    page.get_by_role("button", name="Принять").click()
    expect(page.locator(".badge.return-accepted")).to_have_text("принят")
    page.get_by_role("button", name="Оприходовать").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Повреждено IBU-200").fill("1")
    dialog.get_by_role("button", name="Оприходовать").click()
    expect(page.locator(".badge.return-received")).to_have_text("оприходован")
    expect(buyer_page.get_by_role("link", name="CN-FARM-")).to_be_visible()   # the credit note reaches the buyer live
    assert problems == [] and buyer_problems == []
    buyer_context.close()
    context.close()


def test_conversation_journey_two_people_see_each_other_live(server, browser):
    """A pharmacist (Ukrainian) asks the wholesaler a question from the product page; the
    wholesaler's salesperson (English) has the conversation open in another browser and sees it
    arrive with the unread badge, answers with an offer; the pharmacist sees the offer live, with
    what changed, and accepts it: the order is placed."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    from test_orders import trade_world
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(server, stock=500, slug="rozmova")

    def open_as(email, password, locale):
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale=locale)
        page = context.new_page()
        problems = watch(page)
        page.goto(server.url + "/login")
        page.locator("input[name=tenant]").fill("rozmova")
        page.locator("input[name=email]").fill(email)
        page.locator("input[name=password]").fill(password)
        page.keyboard.press("Enter")
        page.wait_for_url(server.url + "/")
        return page, problems

    buyer_page, buyer_problems = open_as("buyer@rozmova.test", "buyer-pass-1", "uk-UA")
    seller_page, seller_problems = open_as("seller@rozmova.test", "seller-pass-1", "en-US")
    seller_page.goto(server.url + "/messages")
    expect(seller_page.get_by_text("No conversations yet")).to_be_visible()

    buyer_page.goto(server.url + f"/products/{product['id']}")
    buyer_page.get_by_role("button", name="Написати продавцю").click()
    buyer_page.wait_for_url(server.url + "/messages/*")
    buyer_page.get_by_label("Напишіть повідомлення…").fill("Яка ціна на 200 упаковок? https://example.com/list")
    buyer_page.get_by_role("button", name="Надіслати").click()
    expect(buyer_page.locator(".message.mine .message-text")).to_have_text("Яка ціна на 200 упаковок? https://example.com/list")
    expect(buyer_page.locator(".message.mine a[href='https://example.com/list']")).to_be_visible()

    # The seller's inbox hears it without a reload: the badge and the conversation.
    nav = seller_page.locator("#site-nav")
    expect(nav.locator(".unread-badge")).to_have_text("1")
    seller_page.get_by_role("link", name="Apteka · Фарм Опт").click()
    expect(seller_page.locator(".message .message-text").first).to_contain_text("Яка ціна на 200 упаковок?")
    expect(nav.locator(".unread-badge")).to_be_hidden()

    # The seller answers with an offer; the buyer sees it arrive live and accepts it.
    seller_page.get_by_role("button", name="Make an offer").click()
    dialog = seller_page.get_by_role("dialog")
    dialog.get_by_label("SKU").fill("PAR-500")
    dialog.get_by_label("Quantity").fill("200")
    dialog.get_by_label("Unit price").fill("39.50")
    dialog.get_by_label("Delivery terms").fill("Friday, our truck")
    dialog.get_by_role("button", name="Send").click()
    card = buyer_page.locator(".offer-card").last
    expect(card).to_contain_text("Пропозиція")
    expect(card).to_contain_text("Friday, our truck")
    buyer_page.get_by_label("Напишіть повідомлення…").fill("Дякую, приймаю")
    buyer_page.get_by_role("button", name="Надіслати").click()
    expect(seller_page.locator(".message .message-text").last).to_have_text("Дякую, приймаю")
    # The buyer edits a message in place and deletes it: the seller sees both live.
    mine = buyer_page.locator(".message.mine").last
    mine.get_by_role("button", name="Змінити").click()
    mine.get_by_label("Змініть повідомлення").fill("Дякую, приймаю пропозицію")
    mine.get_by_role("button", name="Зберегти").click()
    expect(seller_page.locator(".message .message-text").last).to_have_text("Дякую, приймаю пропозицію")
    expect(seller_page.locator(".message").last).to_contain_text("edited")
    buyer_page.locator(".message.mine").last.get_by_role("button", name="Видалити").click()
    buyer_page.get_by_role("dialog").get_by_role("button", name="Видалити").click()
    expect(seller_page.locator(".message").last).to_contain_text("Message deleted")
    card.get_by_role("button", name="Прийняти").click()
    expect(buyer_page.locator(".offer-card .badge.offer-state-accepted")).to_have_text("Прийнята")
    expect(seller_page.locator(".offer-card .badge.offer-state-accepted")).to_have_text("Accepted")  # live, no reload
    order_link = seller_page.get_by_role("link", name="The order made from this offer")
    expect(order_link).to_be_visible()
    buyer_page.screenshot(path=str(ARTIFACTS / "conversation-buyer.png"), full_page=True)
    seller_page.screenshot(path=str(ARTIFACTS / "conversation-seller.png"), full_page=True)
    orders = server.api("GET", f"/businesses/{buyer['id']}/orders?side=buyer", buyer_token).json()["items"]
    assert len(orders) == 1 and orders[0]["gross"]["amount"] == "9480.00"
    assert buyer_problems == [] and seller_problems == []
