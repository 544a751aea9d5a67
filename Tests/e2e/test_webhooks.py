"""Outbound webhooks through the real server, checked with the PyPI `standardwebhooks` library's own
verifier: every delivery of an order's life is signed per Standard Webhooks; a 500-then-200 endpoint
is retried with the same webhook-id; a 410 endpoint is switched off; a secret rotation signs with
both secrets; one message and a time range are replayed; a loopback URL is refused unless the
operator allows it."""
import json
from datetime import datetime, timedelta, timezone

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from conftest import Server, cli_json, problem, run_cli
from test_orders import trade_world
from webhook_sink import Sink

ALLOW = {"TRADEPOST_NOTIFY_ALLOW_PRIVATE_DESTINATIONS": "true"}


@pytest.fixture
def hooked(data_dir):
    s = Server(data_dir, env=ALLOW).start()
    sink = Sink()
    yield s, sink
    sink.close()
    s.stop()


def verified(secret, request):
    _, headers, body, _ = request
    return Webhook(secret).verify(body, headers)


def place(s, buyer_token, seller, buyer, product, quantity=3):
    assert s.api("PUT", f"/businesses/{buyer['id']}/cart/lines/{product['id']}", buyer_token, json={"quantity": quantity}).status_code == 200
    r = s.api("POST", "/orders", buyer_token, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"]})
    assert r.status_code == 201, r.text
    return r.json()


def test_an_orders_life_arrives_signed_and_verifies(hooked):
    s, sink = hooked
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=50)
    problem(s.api("POST", "/webhooks", seller_token, json={"url": sink.url + "/x"}), 403, "forbidden")
    bad = problem(s.api("POST", "/webhooks", owner, json={"url": "ftp://x", "event_types": ["order.placed", "nope"]}), 400, "invalid")
    assert {f["field"] for f in bad["errors"]} == {"url", "event_types[1]"}, bad
    assert s.api("GET", "/webhooks", owner).json()["items"] == []

    r = s.api("POST", "/webhooks", owner, json={"url": sink.url + "/orders", "description": "ERP",
                                                "event_types": ["order.placed", "order.confirmed", "order.cancelled"]},
              headers={"Idempotency-Key": "wh-1"})
    assert r.status_code == 201, r.text
    endpoint = r.json()
    secret = endpoint["secret"]
    assert secret.startswith("whsec_")
    assert "secret" not in s.api("GET", f"/webhooks/{endpoint['id']}", owner).json()
    assert "secret" not in s.api("GET", "/webhooks", owner).json()["items"][0]

    order = place(s, buyer_token, seller, buyer, product)
    assert s.api("POST", f"/orders/{order['id']}/confirm", seller_token).status_code == 200
    assert s.api("POST", f"/orders/{order['id']}/cancel", seller_token, json={"reason": "test"}).status_code == 200
    got = sink.wait("/orders", 3)
    payloads = [verified(secret, g) for g in got]
    assert sorted(p["type"] for p in payloads) == ["order.cancelled", "order.confirmed", "order.placed"]
    assert all(p["data"]["order_id"] == order["id"] for p in payloads)
    assert len({g[1]["webhook-id"] for g in got}) == 3
    # Tampering with the body or the timestamp breaks the signature.
    path, headers, body, _ = got[0]
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body + b" ", headers)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 32).verify(body, headers)

    log = s.wait_for(lambda: (items := s.api("GET", f"/webhooks/{endpoint['id']}/messages", owner).json()["items"])
                     and all(m["status"] == "delivered" for m in items) and items)
    assert len(log) == 3 and all(m["status"] == "delivered" and m["attempts"][0]["status"] == 200 for m in log)

    # Replay one message: the same webhook-id arrives again, still verifying.
    first = log[-1]
    assert s.api("POST", f"/webhook-messages/{first['id']}/replay", owner).status_code == 202
    again = sink.wait("/orders", 4)[-1]
    assert again[1]["webhook-id"] == first["id"] and verified(secret, again)["type"] == first["event_type"]

    # Rotation: both secrets sign until the grace ends, so a receiver may switch at its pace.
    rotated = s.api("POST", f"/webhooks/{endpoint['id']}/rotate-secret", owner, json={"grace_seconds": 3600}).json()
    assert rotated["secret"] != secret and rotated["previous_secret_expires_at"]
    assert s.api("POST", f"/webhooks/{endpoint['id']}/test", owner).status_code == 202
    test = sink.wait("/orders", 5)[-1]
    assert len(test[1]["webhook-signature"].split(" ")) == 2
    assert verified(secret, test)["type"] == "webhook.test" and verified(rotated["secret"], test)["type"] == "webhook.test"

    # A range replay sends every message made in it.
    now = datetime.now(timezone.utc)
    body = {"from": (now - timedelta(hours=1)).isoformat().replace("+00:00", "Z"), "to": (now + timedelta(minutes=1)).isoformat().replace("+00:00", "Z")}
    r = s.api("POST", f"/webhooks/{endpoint['id']}/replay", owner, json=body)
    assert r.status_code == 202 and r.json()["replayed"] == 4
    try:
        sink.wait("/orders", 9)
    except AssertionError:
        print("LOG", json.dumps(s.api("GET", f"/webhooks/{endpoint['id']}/messages", owner).json(), indent=1))
        print("GOT", [g[1]["webhook-id"] for g in sink.at("/orders")])
        print(s.output()[-3000:])
        raise
    problem(s.api("POST", f"/webhooks/{endpoint['id']}/replay", owner, json={"from": body["to"], "to": body["from"]}), 400, "invalid")

    # The command line lists the endpoint and replays one message into the running server.
    listed = cli_json("webhooks", "list", "--tenant", "acme", data=s.data)
    assert [e["id"] for e in listed] == [endpoint["id"]] and "secret" not in listed[0]
    assert cli_json("webhooks", "replay", "--tenant", "acme", "--message", first["id"], data=s.data) == {"replayed": 1}
    assert sink.wait("/orders", 10)[-1][1]["webhook-id"] == first["id"]
    bad = run_cli("webhooks", "replay", "--tenant", "acme", "--endpoint", endpoint["id"], data=s.data, check=False)
    assert bad.returncode != 0 and "--from" in bad.stderr


def test_a_failing_endpoint_is_retried_with_the_same_id_and_a_gone_one_is_switched_off(hooked):
    s, sink = hooked
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=50)
    flaky = s.api("POST", "/webhooks", owner, json={"url": sink.url + "/flaky", "event_types": ["order.placed"]}).json()
    gone = s.api("POST", "/webhooks", owner, json={"url": sink.url + "/gone", "event_types": ["order.placed"]}).json()
    sink.plan["/flaky"] = [500, 200]
    sink.plan["/gone"] = [410]
    place(s, buyer_token, seller, buyer, product)
    tries = sink.wait("/flaky", 2, timeout=40)
    assert tries[0][1]["webhook-id"] == tries[1][1]["webhook-id"]
    waited = tries[1][3] - tries[0][3]
    assert 4.0 <= waited <= 15, waited  # the schedule's first step: 5 s ± 10 %
    assert verified(flaky["secret"], tries[1])["type"] == "order.placed"
    log = s.wait_for(lambda: [m for m in s.api("GET", f"/webhooks/{flaky['id']}/messages", owner).json()["items"] if m["status"] == "delivered"])
    assert [a["status"] for a in log[0]["attempts"]] == [500, 200]

    sink.wait("/gone", 1)
    off = s.wait_for(lambda: (e := s.api("GET", f"/webhooks/{gone['id']}", owner).json()) and not e["enabled"] and e)
    assert "410" in off["disabled_reason"]
    problem(s.api("POST", f"/webhooks/{gone['id']}/test", owner), 409, "conflict")
    # Its admins are told.
    notes = s.wait_for(lambda: [n for n in s.api("GET", "/notifications", owner).json()["items"] if n["kind"] == "webhook.disabled"])
    assert "410" in notes[0]["body"] and notes[0]["link"] == "/webhooks"
    # Another order: nothing more goes to the switched-off endpoint.
    place(s, buyer_token, seller, buyer, product)
    sink.wait("/flaky", 3)
    assert len(sink.at("/gone")) == 1
    back = s.api("PATCH", f"/webhooks/{gone['id']}", owner, json={"enabled": True}).json()
    assert back["enabled"] and back.get("disabled_reason") is None


def test_internal_destinations_are_refused_unless_the_operator_allows_them(server):
    s = server
    owner, *_ = trade_world(s)
    for url in ("http://127.0.0.1:9/x", "http://localhost/x", "http://10.1.2.3/x", "http://169.254.169.254/latest", "http://[::1]/x"):
        err = problem(s.api("POST", "/webhooks", owner, json={"url": url}), 400, "invalid")
        assert [f["field"] for f in err["errors"]] == ["url"] and "internal" in err["errors"][0]["message"], (url, err)
    assert s.api("GET", "/webhooks", owner).json()["items"] == []
