"""The shared inbox against a local fake WhatsApp Cloud API, with webhook bodies in Meta's shape
(PyPI's pywa reads every one of them as the platform's own): connecting a number (secrets never
shown), Meta's verification handshake, signatures over the raw bytes (unsigned and forged posts
refused), a repeated message ignored, an inbound photo fetched into the blob store, the message on
the assigned agent's socket, a reply sent through the API with its statuses arriving out of order,
and WhatsApp's 24-hour window."""
import asyncio
import hashlib
import hmac
import json
import time

import pytest
import requests
import websockets
from pywa import WhatsApp, types as wa_types

from conftest import Server, problem
from test_browser import browser  # noqa: F401 - the Chromium fixture
from fake_whatsapp_api import FakeWhatsAppAPI, image_message, status_update, text_message
from test_orders import trade_world

PHONE = "1234567890"
TOKEN = "EAAG" + "t0ken" * 8
APP_SECRET = "0123456789abcdef0123456789abcdef"
VERIFY = "verify-me-please"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"inbox-photo"


@pytest.fixture
def whatsapp(data_dir):
    api = FakeWhatsAppAPI(TOKEN, PHONE)
    s = Server(data_dir, env={"TRADEPOST_NOTIFY_WHATSAPP_API_URL": api.url}).start()
    yield s, api
    s.stop()
    api.close()


def raw(body):
    """The bytes Meta sends: UTF-8 as is (not \\u-escaped), which the signature covers."""
    return json.dumps(body, ensure_ascii=False).encode()


def sign(data, secret=APP_SECRET):
    return "sha256=" + hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()


def as_pywa(body):
    """What pywa makes of a body: proof its shape is the platform's."""
    client = WhatsApp(phone_id=PHONE, token=TOKEN, server=None)
    value = body["entry"][0]["changes"][0]["value"]
    return (wa_types.MessageStatus if "statuses" in value else wa_types.Message).from_update(client, body)


def test_whatsapp_messages_reach_the_assigned_agent_and_replies_go_out(whatsapp):
    s, api = whatsapp
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=5)
    seller_id = s.api("GET", "/me", seller_token).json()["id"]
    problem(s.api("POST", "/inbox/channels", seller_token, json={"kind": "whatsapp", "name": "x", "business_id": seller["id"]}), 403, "forbidden")
    bad = problem(s.api("POST", "/inbox/channels", owner, json={"kind": "whatsapp", "name": "Sales", "business_id": seller["id"]}), 400, "invalid")
    assert {e["field"] for e in bad["errors"]} == {"phone_number_id", "access_token", "app_secret", "verify_token"}, bad
    channel = s.api("POST", "/inbox/channels", owner, headers={"Idempotency-Key": "wa-1"}, json={
        "kind": "whatsapp", "name": "Продажі", "business_id": seller["id"], "phone_number_id": PHONE, "display_phone": "+380 44 000 00 00",
        "access_token": TOKEN, "app_secret": APP_SECRET, "verify_token": VERIFY}).json()
    assert channel["webhook_url"].endswith(f"/api/v1/whatsapp/acme/{channel['id']}/webhook")
    assert not any(k in json.dumps(s.api("GET", "/inbox/channels", owner).json()) for k in (TOKEN, APP_SECRET, VERIFY)), "secrets never shown"
    assert s.api("POST", f"/inbox/channels/{channel['id']}/test", owner).json() == {"ok": True, "detail": "+380 44 000 00 00 · Фарм Опт"}
    hook = s.url + f"/api/v1/whatsapp/acme/{channel['id']}/webhook"

    # Meta's handshake: the challenge comes back only for the channel's verify token.
    problem(requests.get(hook, params={"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "42"}), 403, "forbidden")
    shake = requests.get(hook, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"})
    assert shake.status_code == 200 and shake.text == "1158201444" and shake.headers["content-type"].startswith("text/plain")

    assert s.api("PUT", f"/inbox/channels/{channel['id']}/agents/{seller_id}", owner, json={"capacity": 2}).status_code == 200
    assert s.api("PATCH", "/inbox/me", seller_token, json={"availability": "online"}).json()["availability"] == "online"

    first = text_message(PHONE, "380501112233", "Олена 🌿", "wamid.IN1", "Добрий день! Є парацетамол? 💊")
    assert as_pywa(first).text == "Добрий день! Є парацетамол? 💊"
    data = raw(first)

    async def arrival():
        ws = await websockets.connect(s.url.replace("http://", "ws://") + "/api/v1/live", additional_headers={"Authorization": f"Bearer {seller_token}"})
        assert json.loads(await ws.recv())["type"] == "hello"
        await ws.send(json.dumps({"subscribe": "inbox"}))
        while json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] != "inbox":
            pass
        # Unsigned and forged posts are refused and change nothing; the signed one is taken once.
        assert requests.post(hook, data=data, headers={"Content-Type": "application/json"}).status_code == 403
        assert requests.post(hook, data=data, headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(data, "forged")}).status_code == 403
        escaped = json.dumps(first).encode()  # the same JSON written again, \\u-escaped: other bytes
        assert requests.post(hook, data=escaped, headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(data)}).status_code == 403
        for _ in range(2):
            assert requests.post(hook, data=data, headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(data)}).status_code == 200
        while True:
            m = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if m["type"] == "inbox" and m["total"] >= 1:
                break
        await ws.close()
    asyncio.run(arrival())

    convs = s.wait_for(lambda: s.api("GET", "/inbox/conversations", seller_token).json()["items"], message="the conversation")
    assert len(convs) == 1
    conv = convs[0]
    assert conv["assignee_id"] == seller_id and conv["status"] == "open" and conv["window_open"] and conv["channel_kind"] == "whatsapp"
    assert conv["contact"]["name"] == "Олена 🌿" and conv["contact"]["phone"] == "+380501112233"
    s.wait_for(lambda: len(s.api("GET", f"/conversations/{conv['id']}/messages", seller_token).json()["items"]) >= 1)
    time.sleep(0.3)
    messages = s.api("GET", f"/conversations/{conv['id']}/messages", seller_token).json()["items"]
    assert [m["text"] for m in messages] == ["Добрий день! Є парацетамол? 💊"], "the repeated post added nothing"
    assert problem(s.api("GET", f"/inbox/conversations/{conv['id']}", buyer_token), 404, "not_found")
    # Posted as a plain conversation message it would never reach the customer: refused, the inbox's reply is the way.
    assert problem(s.api("POST", f"/conversations/{conv['id']}/messages", seller_token, json={"text": "hi"}), 409, "invalid_state")["state"] == "channel"

    # A photo: fetched from the platform with the token into the blob store.
    api.media["MEDIA1"] = ("image/png", PNG)
    photo = image_message(PHONE, "380501112233", "Олена 🌿", "wamid.IN2", "MEDIA1", "Рецепт")
    assert as_pywa(photo).image.id == "MEDIA1"
    data = raw(photo)
    assert requests.post(hook, data=data, headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(data)}).status_code == 200

    def with_file():
        items = s.api("GET", f"/conversations/{conv['id']}/messages", seller_token).json()["items"]
        return [m for m in items if m["attachments"]]
    stored = s.wait_for(with_file, message="the photo")[0]
    assert stored["text"] == "Рецепт" and stored["attachments"][0]["content_type"] == "image/png"
    got = s.api("GET", f"/attachments/{stored['attachments'][0]['id']}", seller_token)
    assert got.status_code == 200 and got.content == PNG

    # A reply goes out through the Cloud API; statuses arriving read-then-delivered leave it read.
    reply = s.api("POST", f"/inbox/conversations/{conv['id']}/reply", seller_token, headers={"Idempotency-Key": "r-1"},
                  json={"text": "Так, є ✅ 42,50 грн"})
    assert reply.status_code == 201, reply.text
    again = s.api("POST", f"/inbox/conversations/{conv['id']}/reply", seller_token, headers={"Idempotency-Key": "r-1"}, json={"text": "Так, є ✅ 42,50 грн"})
    assert again.json()["id"] == reply.json()["id"]
    wamid, body = api.wait_sent(1)[0]
    assert body["to"] == "380501112233" and body["text"]["body"] == "Так, є ✅ 42,50 грн" and body["messaging_product"] == "whatsapp"
    s.wait_for(lambda: s.api("GET", f"/inbox/conversations/{conv['id']}/deliveries", seller_token).json()["items"][0]["status"] == "sent")
    for status in ("read", "delivered"):
        report = status_update(PHONE, wamid, status, "380501112233")
        assert as_pywa(report).status.value == status
        data = raw(report)
        assert requests.post(hook, data=data, headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(data)}).status_code == 200
    time.sleep(0.5)
    delivery = s.api("GET", f"/inbox/conversations/{conv['id']}/deliveries", seller_token).json()["items"]
    assert [(d["status"], d["external_id"]) for d in delivery] == [("read", wamid)], delivery
    assert len(api.sent) == 1, "sent once"
    assert s.api("GET", f"/inbox/conversations/{conv['id']}", seller_token).json()["first_response_at"]

    # Two days since the customer's last word: only templates may go.
    old = text_message(PHONE, "380679998877", "Ігор", "wamid.OLD", "Старе питання", timestamp=time.time() - 2 * 86400)
    data = raw(old)
    assert requests.post(hook, data=data, headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(data)}).status_code == 200
    stale = s.wait_for(lambda: [c for c in s.api("GET", "/inbox/conversations", seller_token).json()["items"] if c["contact"]["name"] == "Ігор"])[0]
    assert stale["window_open"] is False
    closed = problem(s.api("POST", f"/inbox/conversations/{stale['id']}/reply", seller_token, json={"text": "Hi"}), 409, "invalid_state")
    assert closed["state"] == "window_closed"

    # Resolving makes room; the agent's load follows.
    assert s.api("PATCH", f"/inbox/conversations/{conv['id']}", seller_token, json={"status": "resolved", "labels": ["рецепт"]}).json()["status"] == "resolved"
    me = s.api("GET", "/inbox/me", seller_token).json()
    assert me["seats"] == [{"channel_id": channel["id"], "capacity": 2, "open": 1}]
    # The measures: per channel and per agent, for admins; and as Prometheus histograms.
    problem(s.api("GET", "/inbox/measures", seller_token), 403, "forbidden")
    measures = s.api("GET", "/inbox/measures", owner).json()
    figures = measures["channels"][0]["figures"]
    assert measures["channels"][0]["open"] == 1 and figures["started"] == 2 and figures["resolved"] == 1, measures
    assert figures["first_response_median"] is not None and figures["first_response_median"] >= 0 and figures["resolution_median"] >= 0
    assert [(a["user_id"], a["open"], a["figures"]["resolved"]) for a in measures["agents"]] == [(seller_id, 1, 1)]
    problem(s.api("GET", "/inbox/measures", owner, params={"from": "2026-12-05", "to": "2026-01-01"}), 400, "invalid")
    text = requests.get(s.url + "/metrics").text
    assert 'tradepost_inbox_first_response_seconds_count{channel="whatsapp"} 1' in text, text[-2000:]
    assert 'tradepost_inbox_resolution_seconds_count{channel="whatsapp"} 1' in text
    bad = problem(s.api("PATCH", f"/inbox/conversations/{conv['id']}", seller_token, json={"assignee_id": s.api("GET", "/me", buyer_token).json()["id"]}),
                  400, "invalid")
    assert [e["field"] for e in bad["errors"]] == ["assignee_id"]


def test_an_agent_answers_from_the_inbox_page_in_ukrainian(whatsapp, browser):  # noqa: F811
    """On a phone, in Ukrainian: the agent goes online, a customer's message appears without a reload,
    the agent opens it and replies; the reply reaches the Cloud API and shows as sent."""
    from playwright.sync_api import expect
    s, api = whatsapp
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=5)
    seller_id = s.api("GET", "/me", seller_token).json()["id"]
    channel = s.api("POST", "/inbox/channels", owner, json={"kind": "whatsapp", "name": "Продажі", "business_id": seller["id"], "phone_number_id": PHONE,
                                                            "access_token": TOKEN, "app_secret": APP_SECRET, "verify_token": VERIFY}).json()
    assert s.api("PUT", f"/inbox/channels/{channel['id']}/agents/{seller_id}", owner, json={"capacity": 3}).status_code == 200
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="uk-UA")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(s.url + "/login")
    page.locator("[name=tenant]").fill("acme")
    page.locator("[name=email]").fill("seller@acme.test")
    page.locator("[name=password]").fill("seller-pass-1")
    page.keyboard.press("Enter")
    page.locator("#site-nav").wait_for(state="attached")
    page.goto(s.url + "/inbox")
    expect(page.get_by_role("heading", name="Вхідні")).to_be_visible()
    page.get_by_label("Я", exact=True).select_option("online")
    expect(page.get_by_text("Ваші відкриті розмови: 0 з 3.")).to_be_visible()
    data = raw(text_message(PHONE, "380501112233", "Олена", "wamid.UI1", "Чи є ібупрофен?"))
    assert requests.post(s.url + f"/api/v1/whatsapp/acme/{channel['id']}/webhook", data=data,
                         headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(data)}).status_code == 200
    page.get_by_role("link", name="Олена").click()
    expect(page.get_by_text("Чи є ібупрофен?")).to_be_visible()
    expect(page.get_by_text("+380501112233 · Ваша")).to_be_visible()
    page.get_by_label("Відповідь").fill("Так, 120 упаковок")
    page.get_by_role("button", name="Надіслати").click()
    expect(page.get_by_text("Надіслано")).to_be_visible()
    assert api.wait_sent(1)[0][1]["text"]["body"] == "Так, 120 упаковок"
    assert errors == []
    context.close()


def test_telegram_strangers_land_in_the_inbox_and_replies_go_through_the_bot(data_dir):
    """The tenant's bot as a channel: a private message from someone who is not a linked user (built
    with python-telegram-bot's types) becomes an inbox conversation; a repeated update is ignored;
    the agent's reply goes out by sendMessage to that chat; a deep link still links a user."""
    from datetime import datetime, timezone
    from telegram import Chat, Message as TgMessage, Update, User as TgUser
    from fake_bot_api import FakeBotAPI
    from test_telegram import TOKEN as BOT_TOKEN
    bots = FakeBotAPI(BOT_TOKEN)
    s = Server(data_dir, env={"TRADEPOST_NOTIFY_TELEGRAM_API_URL": bots.url}).start()
    try:
        owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=5)
        seller_id = s.api("GET", "/me", seller_token).json()["id"]
        assert s.api("PUT", "/channels/telegram", owner, json={"token": BOT_TOKEN}).status_code == 200
        secret = bots.of("setWebhook")[-1]["secret_token"]
        channel = s.api("POST", "/inbox/channels", owner, json={"kind": "telegram", "name": "Бот", "business_id": seller["id"]}).json()
        problem(s.api("POST", "/inbox/channels", owner, json={"kind": "telegram", "name": "Again", "business_id": seller["id"]}), 409, "conflict")
        assert s.api("POST", f"/inbox/channels/{channel['id']}/test", owner).json() == {"ok": True, "detail": "@acme_shop_bot"}
        assert s.api("PUT", f"/inbox/channels/{channel['id']}/agents/{seller_id}", owner, json={"capacity": 3}).status_code == 200
        assert s.api("PATCH", "/inbox/me", seller_token, json={"availability": "online"}).status_code == 200
        customer = TgUser(id=880001, first_name="Марина", last_name="Аптека", is_bot=False, language_code="uk")
        update = Update(update_id=5001, message=TgMessage(message_id=12, date=datetime.now(timezone.utc), chat=Chat(id=880001, type=Chat.PRIVATE),
                                                         from_user=customer, text="Добрий день, потрібен прайс"))
        for _ in range(2):
            r = requests.post(s.url + "/api/v1/telegram/acme/webhook", data=json.dumps(update.to_dict()),
                              headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret})
            assert r.status_code == 200 and r.content == b"", r.text  # no "link your account" answer: it is a customer
        conv = s.wait_for(lambda: s.api("GET", "/inbox/conversations", seller_token).json()["items"], message="the Telegram conversation")[0]
        assert conv["channel_kind"] == "telegram" and conv["contact"]["name"] == "Марина Аптека" and conv["contact"]["telegram_id"] == 880001
        assert conv["contact"]["language"] == "uk" and conv["assignee_id"] == seller_id
        time.sleep(0.3)
        assert [m["text"] for m in s.api("GET", f"/conversations/{conv['id']}/messages", seller_token).json()["items"]] == ["Добрий день, потрібен прайс"]
        assert s.api("POST", f"/inbox/conversations/{conv['id']}/reply", seller_token, json={"text": "Надсилаю прайс 📎"}).status_code == 201
        sent = bots.wait("sendMessage", 1)[-1][1]
        assert sent["chat_id"] == 880001 and sent["text"] == "Надсилаю прайс 📎"
        s.wait_for(lambda: s.api("GET", f"/inbox/conversations/{conv['id']}/deliveries", seller_token).json()["items"][0]["status"] == "sent")
    finally:
        s.stop()
        bots.close()


def test_no_acknowledged_webhook_is_lost_across_kill_nine(whatsapp):
    """Signed posts keep coming while the server is killed (SIGKILL) three times and restarted on the
    same port: every message that got its 200 shows up afterwards, exactly once."""
    import signal
    import threading
    s, api = whatsapp
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=5)
    channel = s.api("POST", "/inbox/channels", owner, json={"kind": "whatsapp", "name": "WA", "business_id": seller["id"], "phone_number_id": PHONE,
                                                            "access_token": TOKEN, "app_secret": APP_SECRET, "verify_token": VERIFY}).json()
    hook = f"/api/v1/whatsapp/acme/{channel['id']}/webhook"
    acknowledged, done = [], threading.Event()

    def post_forever():
        n = 0
        while not done.is_set():
            n += 1
            wamid = f"wamid.K{n}"
            data = raw(text_message(PHONE, f"38050000{n % 4}", f"C{n % 4}", wamid, wamid))
            try:
                r = requests.post(s.url + hook, data=data, headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(data)}, timeout=2)
                if r.status_code == 200:
                    acknowledged.append(wamid)
            except requests.RequestException:
                time.sleep(0.02)  # the server is down: this one was not acknowledged

    poster = threading.Thread(target=post_forever)
    poster.start()
    try:
        for _ in range(3):
            time.sleep(0.6)
            s.stop(signal.SIGKILL)
            again = Server(s.data, env={"TRADEPOST_NOTIFY_WHATSAPP_API_URL": api.url})
            again.port, again.url = s.port, s.url
            s = again.start()
        time.sleep(0.4)
    finally:
        done.set()
        poster.join()
    assert len(acknowledged) > 30, len(acknowledged)
    seller_token = s.login("seller@acme.test", "seller-pass-1", tenant="acme")

    def texts():
        out = []
        for c in s.api("GET", "/inbox/conversations", seller_token).json()["items"]:
            out += [m["text"] for m in s.api("GET", f"/conversations/{c['id']}/messages?limit=200", seller_token).json()["items"]]
        return out
    s.wait_for(lambda: set(acknowledged) <= set(texts()), timeout=30, message="every acknowledged message")
    got = texts()
    assert len(got) == len(set(got)), "each message once"
    s.stop()


def test_auto_replies_greet_answer_keywords_and_say_when_closed_once_each(whatsapp):
    """A greeting on the first message, the out-of-hours reply (hours that exclude now), and a keyword
    reply — each sent through the Cloud API once; the same words again the same day send nothing more."""
    from datetime import datetime, timezone
    s, api = whatsapp
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=5)
    channel = s.api("POST", "/inbox/channels", owner, json={"kind": "whatsapp", "name": "WA", "business_id": seller["id"], "phone_number_id": PHONE,
                                                            "access_token": TOKEN, "app_secret": APP_SECRET, "verify_token": VERIFY}).json()
    rules = f"/inbox/channels/{channel['id']}/rules"
    bad = problem(s.api("POST", rules, owner, json={"kind": "away", "replies": {"en": " "}, "hours": [{"day": 1, "open": "18:00", "close": "09:00"}]}),
                  400, "invalid")
    assert {e["field"] for e in bad["errors"]} == {"replies.en", "time_zone", "hours[0].close"}, bad
    problem(s.api("POST", rules, owner, json={"kind": "keyword", "replies": {"de": "x"}}), 400, "invalid")
    problem(s.api("POST", rules, seller_token, json={"kind": "greeting", "replies": {"en": "Hi"}}), 403, "forbidden")
    tomorrow = datetime.now(timezone.utc).isoweekday() % 7 + 1  # open only tomorrow: now is out of hours
    for body in ({"kind": "greeting", "replies": {"en": "Hello! An agent will answer soon.", "uk": "Вітаємо!"}},
                 {"kind": "away", "replies": {"en": "We are closed now; we open at nine."}, "time_zone": "Europe/Kyiv",
                  "hours": [{"day": tomorrow, "open": "09:00", "close": "09:01"}]},
                 {"kind": "keyword", "keywords": ["price list", "прайс"], "replies": {"en": "Our price list: https://example.com/p"}}):
        assert s.api("POST", rules, owner, json=body, headers={"Idempotency-Key": body["kind"]}).status_code == 201
    assert [r["kind"] for r in s.api("GET", rules, owner).json()["items"]] == ["greeting", "away", "keyword"]
    hook = s.url + f"/api/v1/whatsapp/acme/{channel['id']}/webhook"
    for n, text in enumerate(["Good morning, may I have your PRICE LIST?", "price list again please"]):
        data = raw(text_message(PHONE, "380501112233", "Олена", f"wamid.R{n}", text))
        assert requests.post(hook, data=data, headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(data)}).status_code == 200
    sent = api.wait_sent(3)
    time.sleep(1)
    assert [b["text"]["body"] for _, b in api.sent] == ["Hello! An agent will answer soon.", "We are closed now; we open at nine.",
                                                        "Our price list: https://example.com/p"], api.sent
    assert all(b["to"] == "380501112233" for _, b in sent)
    assert s.api("GET", "/inbox/conversations", owner).json()["items"] == [], "the owner does not work the shop's channel; the seller does"
    items = s.api("GET", "/inbox/conversations", seller_token).json()["items"]
    messages = s.api("GET", f"/conversations/{items[0]['id']}/messages", seller_token).json()["items"]
    assert [m["author_name"] for m in messages] == ["Олена", "WA", "WA", "WA", "Олена"]
    assert items[0].get("first_response_at") is None, "automatic replies are not a first response"


def test_an_admin_sets_up_a_channel_its_agents_and_an_auto_reply_in_the_browser(whatsapp, browser):  # noqa: F811
    from playwright.sync_api import expect
    s, api = whatsapp
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=5)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(s.url + "/login")
    page.locator("[name=tenant]").fill("acme")
    page.locator("[name=email]").fill("boss@acme.test")
    page.locator("[name=password]").fill("owner-password-1")
    page.keyboard.press("Enter")
    page.locator("#site-nav").wait_for(state="attached")
    page.goto(s.url + "/inbox/channels")
    expect(page.get_by_role("heading", name="Inbox channels")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Sales WhatsApp")
    page.get_by_label("Answered by").select_option(label=seller["name"])
    page.get_by_label("Phone number ID (from Meta)").fill(PHONE)
    page.get_by_label("Access token").fill(TOKEN)
    page.get_by_label("App secret").fill(APP_SECRET)
    page.get_by_label("Verify token").fill(VERIFY)
    page.get_by_role("button", name="Connect a channel").click()
    expect(page.locator("strong", has_text="Sales WhatsApp")).to_be_visible()
    page.get_by_role("button", name="Test connection").click()
    expect(page.get_by_text("Connected: +380 44 000 00 00 · Фарм Опт")).to_be_visible()
    page.get_by_role("button", name="Agents").click()
    page.get_by_label("Agent", exact=True).select_option(label="seller (seller@acme.test)")
    page.get_by_role("button", name="Add agent").click()
    expect(page.get_by_role("cell", name="seller", exact=True)).to_be_visible()
    page.get_by_role("button", name="Auto-replies").click()
    page.get_by_label("When").select_option("keyword")
    page.get_by_label("Keywords").fill("price, прайс")
    page.get_by_label("Reply in English").fill("Our prices: https://example.com")
    page.get_by_role("button", name="Add auto-reply").click()
    expect(page.get_by_text("Keyword reply · price, прайс")).to_be_visible()
    channel = s.api("GET", "/inbox/channels", owner).json()["items"][0]
    assert [(r["kind"], r["keywords"]) for r in s.api("GET", f"/inbox/channels/{channel['id']}/rules", owner).json()["items"]] == [("keyword", ["price", "прайс"])]
    assert errors == []
    context.close()
