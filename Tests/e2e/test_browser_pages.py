"""Every page of the web app, at a desktop and a phone size, in headless Chromium (Debian's), with
data a real tenant has — long unbroken names, Cyrillic, markup and quotes where names go — fails
when a page is wider than the window, shows a message placeholder it did not fill ("{name}"), logs
a console error, or runs anything the data smuggled in."""
import base64
import re

import pytest
import requests
from playwright.sync_api import expect

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, ARTIFACTS
from test_browser import browser  # noqa: F401 - the Chromium fixture
from test_s3 import client, wait_for_port

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
LONG = "Фармацевтичнадистрибуційнакомпаніяздоров’я" * 3          # 129 letters, no place to break
HOSTILE = "<img src=x onerror=window.__pwned=1>\"'&amp;<script>window.__pwned=1</script>"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


@pytest.fixture
def tenant_with_everything(server):
    """A tenant whose data would break a careless page: every kind of object, awkwardly named."""
    s = server
    admin = s.admin_token()
    tenant = s.create_tenant("hostile", owner_email="owner@hostile.test", token=admin)
    assert s.api("PATCH", f"/admin/tenants/{tenant['id']}", admin, json={"name": LONG[:120]}).status_code == 200
    owner = s.login("owner@hostile.test", "owner-password-1", tenant="hostile")
    assert s.api("PATCH", "/me", owner, json={"name": ("Олександра " + LONG)[:120]}).status_code == 200
    for i, name in enumerate([LONG, HOSTILE, "Марія-Антуанетта Шевченко-Квітка-Основ’яненко"]):
        assert s.api("POST", "/users", owner, json={"email": f"u{i}@{'x' * 40}.hostile.test", "name": name[:120], "password": "user-pass-1"}).status_code == 201
    seller = s.api("POST", "/businesses", owner, json={
        "name": LONG[:160], "type": "wholesaler", "city": "Кам’янець-Подільський", "address": LONG, "website": "https://" + "x" * 120 + ".test",
        "description": HOSTILE + "\n" + LONG, "latitude": 48.6, "longitude": 26.5}).json()
    buyer = s.api("POST", "/businesses", owner, json={"name": HOSTILE, "type": "pharmacy", "city": HOSTILE}).json()
    category = s.api("POST", "/categories", owner, json={"name": LONG[:120]}).json()
    product = s.api("POST", f"/businesses/{seller['id']}/products", owner, json={
        "sku": "SKU-" + "9" * 60, "name": LONG + " " + HOSTILE[:40], "brand": LONG[:120], "category_id": category["id"], "currency": "UAH",
        "price": "1234567.89", "tiers": [{"min_quantity": 10, "price": "1000000.00"}], "status": "published",
        "description": HOSTILE + "\n\n" + LONG, "attributes": {"rx": False, "strength_mg": 500, "dosage_form": LONG[:100]}}).json()
    assert "id" in product, product
    s.api("PATCH", f"/products/{product['id']}", owner, json={"price": "1299999.99"})
    s.api("PUT", f"/products/{product['id']}/image", owner, data=PNG, headers={"Content-Type": "image/png"})
    s.api("PUT", f"/businesses/{seller['id']}/logo", owner, data=PNG, headers={"Content-Type": "image/png"})
    group = s.api("POST", f"/businesses/{seller['id']}/buyer-groups", owner, json={"name": LONG[:120], "buyer_business_ids": [buyer["id"]]}).json()
    s.api("POST", f"/businesses/{seller['id']}/price-lists", owner, json={
        "name": LONG[:120], "buyer_group_id": group["id"], "items": [{"product_id": product["id"], "price": "999999.99"}]})
    warehouse = s.api("POST", f"/businesses/{seller['id']}/warehouses", owner, json={"name": LONG[:120], "address": HOSTILE, "priority": 999999}).json()
    for body in ({"kind": "receipt", "quantity": 999999999999}, {"kind": "adjustment", "quantity": -3, "reason": HOSTILE + LONG[:300]}):
        r = s.api("POST", f"/businesses/{seller['id']}/stock/movements", owner, json={"product_id": product["id"], "warehouse_id": warehouse["id"], **body})
        assert r.status_code == 201, r.text
    s.api("PUT", f"/warehouses/{warehouse['id']}/stock/{product['id']}/threshold", owner, json={"low_threshold": 1000000000000})
    s.api("PUT", "/search/vocabulary", owner, json={"synonyms": [[LONG[:90], "аспірин"]], "stop_words": ["для"]})
    key = s.api("POST", "/s3/keys", owner, json={"name": LONG[:100]}).json()
    wait_for_port(s.s3_port)
    client(s, key["key"]["access_key"], key["secret"]).create_bucket(Bucket="b" * 63)
    put = s.api("PUT", "/s3/buckets/" + "b" * 63 + "/object", owner, params={"key": "/".join([LONG[:60]] * 3) + ".pdf"}, data=b"%PDF",
                headers={"Content-Type": "application/pdf"})
    assert put.status_code == 200, put.text
    # A whole trade with hostile text everywhere a person can type: legal details, notes, tracking, references, reasons, codes.
    for business in (seller, buyer):
        r = s.api("PUT", f"/businesses/{business['id']}/legal", owner, json={"legal_name": (HOSTILE + LONG)[:200], "tax_id": "<b>1</b>",
                                                                            "address": (HOSTILE + LONG)[:400], "bank_account": "UA" + "9" * 27, "document_language": "uk"})
        assert r.status_code == 200, r.text
    r = s.api("POST", f"/businesses/{seller['id']}/promo-codes", owner, json={"code": "HOSTILE-" + "X" * 20, "kind": "percent", "percent": "12.5", "total_limit": 999999})
    assert r.status_code == 201, r.text
    order = s.api("POST", "/orders", owner, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"], "notes": (HOSTILE + LONG)[:2000],
                                                  "delivery_address": HOSTILE, "promo_code": r.json()["code"],
                                                  "lines": [{"product_id": product["id"], "quantity": 123456}]})
    assert order.status_code == 201, order.text
    order = order.json()
    assert s.api("POST", f"/orders/{order['id']}/confirm", owner).status_code == 200
    shipped = s.api("POST", f"/orders/{order['id']}/shipments", owner, json={"lines": [{"line_no": 1, "quantity": 100000}], "carrier": HOSTILE,
                                                                             "tracking_number": LONG[:120]})
    assert shipped.status_code == 201, shipped.text
    invoice = s.api("POST", f"/orders/{order['id']}/invoices", owner, json={"basis": "shipped"}).json()
    s.api("POST", f"/invoices/{invoice['id']}/payments", owner, json={"amount": "1000.00", "method": "other", "reference": HOSTILE})
    s.api("PUT", f"/businesses/{seller['id']}/credit-limits/{buyer['id']}", owner, json={"limit": {"amount": "999999999999.99", "currency": "UAH"}})
    ret = s.api("POST", f"/orders/{order['id']}/returns", owner, json={"lines": [{"line_no": 1, "quantity": 5}], "reason": (HOSTILE + LONG)[:500]})
    assert ret.status_code == 201, ret.text
    # A conversation with hostile text, a long link, a picture, a product card and an offer.
    me = s.api("GET", "/me", owner).json()["id"]
    assert s.api("PUT", f"/businesses/{seller['id']}/members/{me}", owner, json={"role": "manager"}).status_code == 200
    talk = s.api("POST", "/conversations", owner, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"],
                                                       "product_id": product["id"], "title": (HOSTILE + LONG)[:200]}).json()
    picture = s.api("POST", f"/conversations/{talk['id']}/attachments", owner, params={"name": "photo<b>\"x\".png"}, data=PNG,
                    headers={"Content-Type": "image/png"})
    assert picture.status_code == 201, picture.text
    for body in ({"text": HOSTILE}, {"text": LONG[:4000], "product_id": product["id"]},
                 {"text": "https://example.com/" + "x" * 300 + " " + HOSTILE, "attachment_ids": [picture.json()["id"]]}):
        r = s.api("POST", f"/conversations/{talk['id']}/messages", owner, json=body)
        assert r.status_code == 201, r.text
    offer = s.api("POST", f"/conversations/{talk['id']}/negotiations", owner, json={
        "lines": [{"product_id": product["id"], "quantity": 10, "unit_price": "999999.99"}], "note": HOSTILE, "delivery_terms": LONG[:500]})
    assert offer.status_code == 201, offer.text
    # A webhook endpoint and mail settings with hostile text (203.0.113.0/24 is a documentation range: nothing answers).
    hook = s.api("POST", "/webhooks", owner, json={"url": "https://203.0.113.10/" + "h" * 300 + "?q=<b>", "description": HOSTILE[:500]})
    assert hook.status_code == 201, hook.text
    assert s.api("POST", f"/webhooks/{hook.json()['id']}/test", owner).status_code == 202
    mail = s.api("PUT", "/channels/email", owner, json={"host": "203.0.113.10", "port": 587, "security": "starttls", "username": HOSTILE[:300],
                                                         "password": "x", "from_email": "shop@hostile.test", "from_name": HOSTILE[:120]})
    assert mail.status_code == 200, mail.text
    # A WhatsApp channel whose customer writes hostile text under a hostile name.
    channel = s.api("POST", "/inbox/channels", owner, json={"kind": "whatsapp", "name": HOSTILE[:100], "business_id": seller["id"], "phone_number_id": "555",
                                                            "access_token": "t", "app_secret": "hostile-secret", "verify_token": "v"})
    assert channel.status_code == 201, channel.text
    assert s.api("PUT", f"/inbox/channels/{channel.json()['id']}/agents/{me}", owner, json={"capacity": 2}).status_code == 200
    from test_inbox import raw, sign
    from fake_whatsapp_api import text_message
    body = raw(text_message("555", "380501234567", HOSTILE[:200], "wamid.hostile", (HOSTILE + LONG)[:3000]))
    r = requests.post(s.url + f"/api/v1/whatsapp/hostile/{channel.json()['id']}/webhook", data=body,
                      headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(body, "hostile-secret")})
    assert r.status_code == 200, r.text
    inbox = s.wait_for(lambda: s.api("GET", "/inbox/conversations", owner).json()["items"], message="the hostile inbox conversation")[0]
    return {"owner": owner, "admin": admin, "seller": seller, "buyer": buyer, "product": product, "key": key, "order": order, "talk": talk, "inbox": inbox}


def check_page(page, problems, label):
    """What every page must be: no wider than the window, no unfilled placeholder, no error, nothing injected."""
    page.wait_for_load_state("networkidle")
    expect(page.locator("#site-nav")).to_be_attached()  # signed in, not sent to the login page
    expect(page.locator("main h1")).to_be_visible()
    failed = page.locator("main .error-text").all_inner_texts()
    assert not failed, f"{label}: the page failed to draw: {failed}"  # a script error shows the error screen, not a console error
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
        .slice(0, 5).map((e) => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 40))""")
    assert width[0] <= width[1], f"{label}: the page is {width[0]} px wide in a {width[1]} px window; too wide: {wide}"
    text = page.locator("body").inner_text()
    for literal in page.locator("[data-literal]").all_inner_texts():  # placeholders shown on purpose (a template's syntax)
        text = text.replace(literal, "")
    assert not PLACEHOLDER.findall(text), f"{label}: unfilled placeholders {PLACEHOLDER.findall(text)}"
    assert page.evaluate("() => window.__pwned") is None, f"{label}: markup from the data ran"
    assert problems == [], f"{label}: {problems}"


def visit(browser, server, email, password, tenant, paths, size, shots):  # noqa: F811
    context = browser.new_context(viewport=SIZES[size], locale="en-US")
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(server.url + "/login")
    if tenant:
        page.get_by_label("Company").fill(tenant)
    else:
        page.get_by_label("I am a platform administrator").check()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.keyboard.press("Enter")
    expect(page.locator("#site-nav")).to_be_attached()
    for path in paths:
        page.goto(server.url + path)
        check_page(page, problems, f"{size} {path}")
        if shots:
            name = re.sub(r"[^a-z0-9]+", "-", path.strip("/").lower())[:40] or "home"
            page.screenshot(path=str(ARTIFACTS / f"page-{size}-{name}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_fits_and_escapes_with_hostile_data(server, browser, tenant_with_everything, size):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    w = tenant_with_everything
    seller, product = w["seller"]["id"], w["product"]["id"]
    tenant_pages = ["/", "/catalog", "/catalog?q=" + LONG[:20], "/businesses", f"/businesses/{seller}", f"/businesses/{w['buyer']['id']}",
                    f"/businesses/{seller}/import", f"/businesses/{seller}/stock", f"/products/{product}", "/cart", "/orders",
                    f"/orders/{w['order']['id']}", "/invoices", f"/businesses/{seller}/trade", "/moderation", "/search-settings", "/users", "/storage",
                    "/storage/buckets/" + "b" * 63, "/jobs", "/audit", "/account", "/no-such-page",
                    "/messages", f"/messages/{w['talk']['id']}", "/salespeople", "/notifications", "/webhooks", "/channels",
                    "/inbox", f"/inbox/{w['inbox']['id']}", "/inbox/channels", "/contacts", f"/contacts/{w['inbox']['contact']['id']}"]
    visit(browser, server, "owner@hostile.test", "owner-password-1", "hostile", tenant_pages, size, shots=True)
    visit(browser, server, ADMIN_EMAIL, ADMIN_PASSWORD, None, ["/platform/tenants", "/jobs", "/audit", "/account"], size, shots=True)
