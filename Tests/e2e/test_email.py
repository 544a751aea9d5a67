"""Mail through a real SMTP server (aiosmtpd, STARTTLS required, AUTH): the tenant's relay is set
(its password sealed, never shown), a test message goes out, an order placed and an invoice issued
arrive as mail in the user's language, read back with Python's `email` package — RFC 2047 subject,
both parts, Message-ID, Date, the RFC 8058 unsubscribe headers, the invoice's PDF attached — and the
one-click unsubscribe works (a forged token does not). A wrong password is reported by the test
button, not hidden."""
import urllib.parse

import pypdf
import pytest
import requests
import io

import json

from conftest import Server, cli_json, problem, run_cli
from smtp_relay import Relay
from test_orders import trade_world


@pytest.fixture
def mailed(data_dir, tmp_path):
    relay = Relay(tmp_path)
    s = Server(data_dir, env={"TRADEPOST_NOTIFY_SMTP_CA_FILE": str(relay.cert)}).start()
    yield s, relay
    s.stop()
    relay.stop()


def test_notifications_arrive_as_mail_with_headers_parts_and_the_invoice(mailed):
    s, relay = mailed
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=50)
    assert s.api("GET", "/channels/email", owner).json() == {"configured": False}
    problem(s.api("PUT", "/channels/email", seller_token, json={"host": "localhost", "port": relay.port, "security": "starttls",
                                                                "from_email": "shop@acme.test"}), 403, "forbidden")
    bad = problem(s.api("PUT", "/channels/email", owner, json={"host": "", "port": 0, "security": "starttls", "from_email": "nope"}), 400, "invalid")
    assert {e["field"] for e in bad["errors"]} >= {"port"}, bad
    settings = {"host": "localhost", "port": relay.port, "security": "starttls", "username": "mailer", "password": "wrong",
                "from_email": "shop@acme.test", "from_name": "Фарм Опт"}
    saved = s.api("PUT", "/channels/email", owner, json=settings).json()
    assert saved["has_password"] and "password" not in saved
    assert s.api("GET", "/channels/email", owner).json() == {"configured": True, "settings": saved}
    failed = s.api("POST", "/channels/email/test", owner, json={"to": "boss@acme.test"}).json()
    assert not failed["ok"] and "535" in failed["detail"], failed
    # Leaving the password out keeps it; a new one replaces it.
    settings["password"] = "s3cret-pass"
    assert s.api("PUT", "/channels/email", owner, json=settings).status_code == 200
    ok = s.api("POST", "/channels/email/test", owner).json()
    assert ok["ok"], ok
    relay.wait(1)
    assert relay.messages[0][1] == ["boss@acme.test"] and relay.messages[0][3], "sent over TLS after STARTTLS"
    assert ("PLAIN", True) in relay.logins or ("LOGIN", True) in relay.logins

    # The seller reads Russian; an order placed reaches them by mail.
    seller_me = s.api("PATCH", "/me", seller_token, json={"locale": "ru"}).json()
    for business, token in ((seller, owner), (buyer, owner)):
        assert s.api("PUT", f"/businesses/{business['id']}/legal", token, json={
            "legal_name": "ТОВ " + business["name"], "tax_id": "12345678", "address": "Київ", "document_language": "uk"}).status_code == 200
    assert s.api("PUT", f"/businesses/{buyer['id']}/cart/lines/{product['id']}", buyer_token, json={"quantity": 4}).status_code == 200
    order = s.api("POST", "/orders", buyer_token, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"]}).json()
    relay.wait(2)
    mail = relay.parsed(1)
    assert relay.messages[1][1] == ["seller@acme.test"]
    assert mail["Subject"] == f"Новый заказ {order['number']} · Acme"
    assert "=?utf-8?" in relay.messages[1][2].decode().split("Subject: ", 1)[1].split("\r\n")[0]  # RFC 2047 on the wire
    assert mail["From"].addresses[0].display_name == "Фарм Опт" and mail["Message-ID"] and mail["Date"]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = mail["List-Unsubscribe"].strip("<>")
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert order["number"] in text and f"/orders/{order['id']}" in text and "Открыть" in html

    # Issued invoice: the buyer's mail carries its PDF.
    assert s.api("POST", f"/orders/{order['id']}/confirm", seller_token).status_code == 200
    assert s.api("POST", f"/orders/{order['id']}/shipments", seller_token, json={}).status_code == 201
    invoice = s.api("POST", f"/orders/{order['id']}/invoices", seller_token, json={"basis": "shipped"}).json()
    invoice_mail = relay.parsed(relay.wait_for(lambda _, to, raw: to == ["buyer@acme.test"] and b"application/pdf" in raw))
    pdf = next(p for p in invoice_mail.iter_attachments() if p.get_content_type() == "application/pdf")
    assert pdf.get_filename() == f"{invoice['number']}.pdf"
    assert invoice["number"] in pypdf.PdfReader(io.BytesIO(pdf.get_content())).pages[0].extract_text()

    # One click: a POST with the RFC 8058 body turns that kind of mail off; a forged token changes nothing.
    forged = unsubscribe[:-3] + ("AAA" if not unsubscribe.endswith("AAA") else "BBB")
    assert requests.post(forged, data={"List-Unsubscribe": "One-Click"}).status_code == 404
    page = requests.get(unsubscribe)
    assert page.status_code == 200 and "<form method=\"post\"" in page.text
    assert requests.post(unsubscribe, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    choices = s.api("GET", "/notifications/settings", seller_token).json()["choices"]
    assert {(c["kind"], c["channel"]): c["enabled"] for c in choices}[("order.placed", "email")] is False
    s.wait_for(lambda: len(s.api("GET", "/notifications/deliveries?channel=email&status=sent", owner).json()["items"]) >= 3)

    # The command line's test goes through the same relay; without the test CA the certificate is refused.
    failed = run_cli("notify", "test", "--tenant", "acme", "--email", "ops@acme.test", "--json", data=s.data, check=False)
    assert failed.returncode == 1 and json.loads(failed.stdout)["ok"] is False and "certificate" in json.loads(failed.stdout)["detail"].lower()
    ca = {"TRADEPOST_NOTIFY_SMTP_CA_FILE": str(relay.cert)}
    assert cli_json("notify", "test", "--tenant", "acme", "--email", "ops@acme.test", data=s.data, env=ca)["ok"] is True
    relay.wait_for(lambda _, to, raw: to == ["ops@acme.test"])


def test_implicit_tls_and_a_permanent_refusal_is_given_up_at_once(data_dir, tmp_path):
    """Port-465 style TLS from the first byte; a recipient the server refuses with 550 is marked
    failed after one attempt (5xx is permanent: retrying cannot help), while the others are sent."""
    relay = Relay(tmp_path, implicit_tls=True, reject={"seller@acme.test"})
    s = Server(data_dir, env={"TRADEPOST_NOTIFY_SMTP_CA_FILE": str(relay.cert)}).start()
    try:
        owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=50)
        settings = {"host": "localhost", "port": relay.port, "security": "tls", "username": "mailer", "password": "s3cret-pass",
                    "from_email": "shop@acme.test"}
        assert s.api("PUT", "/channels/email", owner, json=settings).status_code == 200
        ok = s.api("POST", "/channels/email/test", owner).json()
        assert ok["ok"], ok
        relay.wait(1)
        assert relay.messages[0][1] == ["boss@acme.test"] and relay.messages[0][3], "TLS from the first byte"
        # The order's mail to the seller is refused for good; the buyer's confirmation still goes.
        assert s.api("PUT", f"/businesses/{buyer['id']}/cart/lines/{product['id']}", buyer_token, json={"quantity": 2}).status_code == 200
        order = s.api("POST", "/orders", buyer_token, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"]}).json()

        def seller_mail():
            items = s.api("GET", "/notifications/deliveries?channel=email", owner).json()["items"]
            return [d for d in items if d["status"] == "failed"]
        failed = s.wait_for(seller_mail, message="the refused mail is marked failed")[0]
        assert failed["attempts"] == 1 and "550" in failed["last_error"], failed
        assert s.api("POST", f"/orders/{order['id']}/confirm", seller_token).status_code == 200
        relay.wait_for(lambda _, to, raw: to == ["buyer@acme.test"])
        assert relay.rejected == ["seller@acme.test"], "a permanent refusal is not tried again"
        assert [d["status"] for d in s.api("GET", "/notifications/deliveries?channel=email", owner).json()["items"] if d["id"] == failed["id"]] == ["failed"]
    finally:
        s.stop()
        relay.stop()
