"""SMS through a local fake gateway: a generic JSON gateway (body template filled, escaped, with the
text's encoding and message count) and Twilio's Messages API shape (form body, basic auth); an order
reaches a user who turned SMS on and gave a phone; Cyrillic goes as UCS-2 and a long text is cut to
the gateway's limit; the secret is never shown; a private gateway address is refused by default."""
import base64
import json
import urllib.parse

import pytest

from conftest import Server, problem
from test_orders import trade_world
from webhook_sink import Sink

ALLOW = {"TRADEPOST_NOTIFY_ALLOW_PRIVATE_DESTINATIONS": "true"}


@pytest.fixture
def gateway(data_dir):
    s = Server(data_dir, env=ALLOW).start()
    sink = Sink()
    yield s, sink
    sink.close()
    s.stop()


def test_an_order_reaches_the_phone_through_a_generic_gateway_and_twilios_shape(gateway):
    s, sink = gateway
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=50)
    assert s.api("GET", "/channels/sms", owner).json() == {"configured": False}
    bad = problem(s.api("PUT", "/channels/sms", owner, json={"provider": "generic", "url": sink.url + "/sms", "from": "Acme",
                                                             "body_template": "{\"x\": 1}", "max_segments": 11}), 400, "invalid")
    assert {e["field"] for e in bad["errors"]} == {"max_segments"}
    bad = problem(s.api("PUT", "/channels/sms", owner, json={"provider": "generic", "url": sink.url + "/sms", "from": "Acme",
                                                             "body_template": "{\"x\": 1}"}), 400, "invalid")
    assert {e["field"] for e in bad["errors"]} == {"body_template"}
    template = '{"to": "{to}", "message": "{text}", "sender": "{from}", "coding": "{encoding}", "parts": {segments}}'
    saved = s.api("PUT", "/channels/sms", owner, json={"provider": "generic", "url": sink.url + "/sms", "from": "Acme", "body_template": template,
                                                       "auth_header": "X-Api-Key", "secret": "gw-secret", "max_segments": 2}).json()
    assert saved["has_secret"] and "secret" not in saved
    test = s.api("POST", "/channels/sms/test", owner, json={"to": "+380501234567"}).json()
    assert test["ok"] and "1 message" in test["detail"], test
    first = sink.wait("/sms", 1)[-1]
    assert first[1]["x-api-key"] == "gw-secret" and json.loads(first[2])["to"] == "+380501234567"

    # The seller turns SMS on for new orders and gives a phone; they read Ukrainian.
    assert s.api("PATCH", "/me", seller_token, json={"locale": "uk"}).status_code == 200
    assert s.api("PATCH", "/notifications/settings", seller_token, json={
        "phone": "+380671112233", "choices": [{"kind": "order.placed", "channel": "sms", "enabled": True}]}).status_code == 200
    assert s.api("PUT", f"/businesses/{buyer['id']}/cart/lines/{product['id']}", buyer_token, json={"quantity": 2}).status_code == 200
    order = s.api("POST", "/orders", buyer_token, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"]}).json()
    sent = json.loads(sink.wait("/sms", 2)[-1][2])
    assert sent["to"] == "+380671112233" and sent["sender"] == "Acme" and order["number"] in sent["message"]
    assert sent["coding"] == "ucs2" and sent["parts"] == 2 and "Нове замовлення" in sent["message"]  # > 70 UCS-2 characters: two parts

    # Twilio's shape: a form POST to /2010-04-01/Accounts/<SID>/Messages.json with basic auth; a long text is cut to one message.
    assert s.api("PUT", "/channels/sms", owner, json={"provider": "twilio", "url": sink.url, "auth_header": "AC123", "secret": "tw-token",
                                                      "from": "+15005550006", "max_segments": 1}).status_code == 200
    ok = s.api("POST", "/channels/sms/test", owner, json={"to": "+380501234567"}).json()
    assert ok["ok"], ok
    path = "/2010-04-01/Accounts/AC123/Messages.json"
    _, headers, body, _ = sink.wait(path, 1)[-1]
    assert headers["authorization"] == "Basic " + base64.b64encode(b"AC123:tw-token").decode()
    form = dict(urllib.parse.parse_qsl(body.decode()))
    assert form["To"] == "+380501234567" and form["From"] == "+15005550006" and form["Body"]
    # Recorded once the gateway answered.
    s.wait_for(lambda: [d["status"] for d in s.api("GET", "/notifications/deliveries?channel=sms", owner).json()["items"]] == ["sent"])


def test_a_private_gateway_is_refused_by_default(server):
    owner, *_ = trade_world(server)
    err = problem(server.api("PUT", "/channels/sms", owner, json={"provider": "generic", "url": "http://127.0.0.1:9/sms?to={to}&text={text}",
                                                                  "method": "GET", "from": "Acme"}), 400, "invalid")
    assert [e["field"] for e in err["errors"]] == ["url"] and "internal" in err["errors"][0]["message"]
