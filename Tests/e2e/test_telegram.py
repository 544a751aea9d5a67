"""The Telegram front door against a local fake Bot API, with updates built from python-telegram-bot's
own types (so their shape is Telegram's): connecting a bot registers its webhook with a secret_token;
a forged secret is refused and a repeated update ignored; a user links by deep link; an order placed
reaches the seller as a message with a "Confirm order" button whose callback confirms the order
through the same policy as the API; commands answer in the user's language; a 429 is waited out.
The Mini App signs in with init data signed by PyPI's init-data-py (and an Ed25519 signature our own
test key makes, checked by init-data-py too); stale, tampered and unlinked sign-ins are refused."""
import json
import time
import urllib.parse
from datetime import datetime, timedelta, timezone

import init_data_py
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from telegram import CallbackQuery, Chat, Message, Update, User

from conftest import Server, problem
from test_browser import browser  # noqa: F401 - the Chromium fixture
from fake_bot_api import FakeBotAPI
from test_orders import trade_world

TOKEN = "7000001:AAH" + "x" * 32
KEY = Ed25519PrivateKey.generate()
PUBLIC = KEY.public_key().public_bytes_raw().hex()


@pytest.fixture
def bot(data_dir):
    api = FakeBotAPI(TOKEN)
    s = Server(data_dir, env={"TRADEPOST_NOTIFY_TELEGRAM_API_URL": api.url, "TRADEPOST_NOTIFY_TELEGRAM_PUBLIC_KEY": PUBLIC}).start()
    yield s, api
    s.stop()
    api.close()


def post_update(s, update, secret):
    return requests.post(s.url + "/api/v1/telegram/acme/webhook", data=json.dumps(update.to_dict()),
                         headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret or ""})


def text_update(update_id, user, text):
    chat = Chat(id=user.id, type=Chat.PRIVATE)
    return Update(update_id=update_id, message=Message(message_id=update_id, date=datetime.now(timezone.utc), chat=chat, from_user=user, text=text))


def test_a_bot_links_a_user_notifies_with_buttons_and_answers_commands(bot):
    s, api = bot
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s, stock=50)
    bad = problem(s.api("PUT", "/channels/telegram", owner, json={"token": "not-a-token"}), 400, "invalid")
    assert [e["field"] for e in bad["errors"]] == ["token"]
    problem(s.api("PUT", "/channels/telegram", seller_token, json={"token": TOKEN}), 403, "forbidden")
    problem(s.api("POST", "/me/telegram/link", seller_token), 409, "conflict")

    assert s.api("GET", "/channels/telegram", owner).json() == {"connected": False}
    connected = s.api("PUT", "/channels/telegram", owner, json={"token": TOKEN}).json()
    assert connected["bot_username"] == "acme_shop_bot" and "token" not in connected
    assert s.api("GET", "/channels/telegram", owner).json() == {"connected": True, "bot": connected}
    hook = api.of("setWebhook")[-1]
    assert hook["url"] == s.url + "/api/v1/telegram/acme/webhook" and len(hook["secret_token"]) >= 32
    secret = hook["secret_token"]

    # The seller links their account through the deep link's code; they read Ukrainian.
    assert s.api("PATCH", "/me", seller_token, json={"locale": "uk"}).status_code == 200
    link = s.api("POST", "/me/telegram/link", seller_token).json()
    assert link["url"].startswith("https://t.me/acme_shop_bot?start=")
    code = urllib.parse.parse_qs(urllib.parse.urlparse(link["url"]).query)["start"][0]
    seller_tg = User(id=555001, first_name="Олена", is_bot=False, username="olena_farm", language_code="uk")
    start = text_update(1001, seller_tg, f"/start {code}")
    assert post_update(s, start, "forged-secret").status_code == 403
    assert post_update(s, start, None).status_code == 403
    r = post_update(s, start, secret)
    assert r.status_code == 200 and r.json()["method"] == "sendMessage" and "Пов’язано" in r.json()["text"], r.text
    again = post_update(s, start, secret)
    assert again.status_code == 200 and again.content == b""  # the same update_id: ignored
    assert s.api("GET", "/me/telegram", seller_token).json()["linked"] is True
    # A used code does not link another account.
    stranger = User(id=555999, first_name="X", is_bot=False)
    assert "expired" in post_update(s, text_update(1003, stranger, f"/start {code}"), secret).json()["text"]

    # An order placed: the seller gets a message with a "Confirm order" button.
    assert s.api("PUT", f"/businesses/{buyer['id']}/cart/lines/{product['id']}", buyer_token, json={"quantity": 3}).status_code == 200
    order = s.api("POST", "/orders", buyer_token, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"]}).json()
    sent = api.wait("sendMessage", 1)[-1][1]
    assert sent["chat_id"] == 555001 and order["number"] in sent["text"] and "Нове замовлення" in sent["text"]
    button = sent["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"] == "Підтвердити замовлення" and button["callback_data"] == f"confirm:{order['id']}"

    # The button's callback, from someone not linked: refused; from the seller: the order is confirmed.
    chat = Chat(id=555001, type=Chat.PRIVATE)
    shown = Message(message_id=1, date=datetime.now(timezone.utc), chat=chat, text=sent["text"])
    foreign = Update(update_id=1004, callback_query=CallbackQuery(id="cb-0", from_user=stranger, chat_instance="ci", data=button["callback_data"], message=shown))
    assert "Tradepost" in post_update(s, foreign, secret).json()["text"]
    assert s.api("GET", f"/orders/{order['id']}", seller_token).json()["state"] == "placed"
    press = Update(update_id=1005, callback_query=CallbackQuery(id="cb-1", from_user=seller_tg, chat_instance="ci", data=button["callback_data"], message=shown))
    answer = post_update(s, press, secret).json()
    assert answer["method"] == "answerCallbackQuery" and answer["callback_query_id"] == "cb-1" and order["number"] in answer["text"]
    assert s.api("GET", f"/orders/{order['id']}", seller_token).json()["state"] == "confirmed"
    # Pressed twice: the state machine answers, nothing changes.
    twice = post_update(s, Update(update_id=1006, callback_query=CallbackQuery(id="cb-2", from_user=seller_tg, chat_instance="ci",
                                                                              data=button["callback_data"], message=shown)), secret).json()
    assert "confirmed" in twice["text"], twice  # the 409's message names the state

    # Commands in the user's language.
    orders = post_update(s, text_update(1007, seller_tg, "/orders"), secret).json()
    assert orders["text"].startswith("Останні замовлення") and order["number"] in orders["text"]
    price = post_update(s, text_update(1008, seller_tg, "/price PAR-500"), secret).json()
    assert "42.50 UAH" in price["text"]
    assert "/search" in post_update(s, text_update(1009, seller_tg, "/help"), secret).json()["text"]

    # Telegram says 429: the delivery waits retry_after and goes through.
    api.throttle = 1
    s.api("POST", "/orders", buyer_token, json={"buyer_business_id": buyer["id"], "seller_business_id": seller["id"],
                                                 "lines": [{"product_id": product["id"], "quantity": 1}]})
    throttled = api.wait("429", 1)[-1]
    retried = api.wait("sendMessage", 2)[-1]
    assert retried[2] - throttled[2] >= 0.9

    # Unlinking stops Telegram messages.
    assert s.api("DELETE", "/me/telegram", seller_token).status_code == 204
    assert s.api("GET", "/me/telegram", seller_token).json()["linked"] is False


def init_data(user_id, auth_date=None, signed=True):
    user = json.dumps({"id": user_id, "first_name": "Olena", "username": "olena_farm", "language_code": "uk"}, separators=(",", ":"))
    fields = {"query_id": "AAH-test", "user": user}
    when = auth_date or datetime.now(timezone.utc)
    if signed:
        # Telegram signs "<bot id>:WebAppData\n" + the sorted fields (auth_date included, hash and signature not).
        check = "\n".join(f"{k}={v}" for k, v in sorted({**fields, "auth_date": str(int(when.timestamp()))}.items()))
        signature = KEY.sign(f"7000001:WebAppData\n{check}".encode())
        import base64
        fields["signature"] = base64.urlsafe_b64encode(signature).decode().rstrip("=")
    return init_data_py.sign(fields, TOKEN, auth_date=when)


def test_the_mini_app_signs_in_with_init_data_and_refuses_stale_tampered_and_unlinked(bot):
    s, api = bot
    owner, seller_token, *_ = trade_world(s)
    assert s.api("PUT", "/channels/telegram", owner, json={"token": TOKEN}).status_code == 200
    secret = api.of("setWebhook")[-1]["secret_token"]
    code = urllib.parse.parse_qs(urllib.parse.urlparse(s.api("POST", "/me/telegram/link", seller_token).json()["url"]).query)["start"][0]
    post_update(s, text_update(2001, User(id=777001, first_name="Olena", is_bot=False), f"/start {code}"), secret)

    raw = init_data(777001)
    # The reference implementation agrees the data is good, by hash and by signature.
    init_data_py.validate_by_hash(raw, TOKEN)
    init_data_py.validate_by_signature(raw, 7000001, public_key=PUBLIC)
    r = requests.post(s.url + "/api/v1/auth/telegram", json={"tenant": "acme", "init_data": raw})
    assert r.status_code == 200, r.text
    token = r.json()["token"]
    assert s.api("GET", "/me", token).json()["email"] == "seller@acme.test"

    # Tampered: a field changed after signing.
    tampered = raw.replace("olena_farm", "mallory")
    with pytest.raises(Exception):
        init_data_py.validate_by_hash(tampered, TOKEN)
    problem(requests.post(s.url + "/api/v1/auth/telegram", json={"tenant": "acme", "init_data": tampered}), 401, "unauthenticated")
    # Signed by someone else's key: the HMAC is right (it has the token) but the Ed25519 signature is not Telegram's.
    forged_sig = init_data_py.sign({k: v for k, v in urllib.parse.parse_qsl(raw) if k not in ("hash", "auth_date")} | {"signature": "A" * 86}, TOKEN)
    problem(requests.post(s.url + "/api/v1/auth/telegram", json={"tenant": "acme", "init_data": forged_sig}), 401, "unauthenticated")
    # Stale: two days old.
    stale = init_data(777001, auth_date=datetime.now(timezone.utc) - timedelta(days=2))
    problem(requests.post(s.url + "/api/v1/auth/telegram", json={"tenant": "acme", "init_data": stale}), 401, "unauthenticated")
    # Another bot's data.
    other = init_data_py.sign({"user": json.dumps({"id": 777001, "first_name": "O"})}, "7000002:AAH" + "y" * 32)
    problem(requests.post(s.url + "/api/v1/auth/telegram", json={"tenant": "acme", "init_data": other}), 401, "unauthenticated")
    # Valid, but nobody linked this Telegram account: told how to link it.
    unlinked = problem(requests.post(s.url + "/api/v1/auth/telegram", json={"tenant": "acme", "init_data": init_data(777002)}), 403, "forbidden")
    assert unlinked["reason"] == "telegram_not_linked" and "Link Telegram" in unlinked["detail"]


def test_the_mini_app_opens_signed_in_with_telegrams_theme_at_phone_size(bot, browser):  # noqa: F811
    from playwright.sync_api import expect
    s, api = bot
    owner, seller_token, buyer_token, seller, buyer, product = trade_world(s)
    assert s.api("PUT", "/channels/telegram", owner, json={"token": TOKEN}).status_code == 200
    secret = api.of("setWebhook")[-1]["secret_token"]
    code = urllib.parse.parse_qs(urllib.parse.urlparse(s.api("POST", "/me/telegram/link", buyer_token).json()["url"]).query)["start"][0]
    post_update(s, text_update(3001, User(id=888001, first_name="Ira", is_bot=False), f"/start {code}"), secret)
    theme = json.dumps({"bg_color": "#17212b", "text_color": "#f5f5f5", "button_color": "#5288c1", "button_text_color": "#ffffff"})
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="en-US", is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    fragment = urllib.parse.urlencode({"tgWebAppData": init_data(888001), "tgWebAppThemeParams": theme, "tgWebAppVersion": "8.0",
                                       "tgWebAppPlatform": "android"})
    page.goto(s.url + "/catalog?tenant=acme#" + fragment)
    expect(page.get_by_role("heading", name="Catalog")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--bg').trim()") == "#17212b"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The cart works at this size: add the product and see it there.
    assert s.api("PUT", f"/businesses/{buyer['id']}/cart/lines/{product['id']}", buyer_token, json={"quantity": 2}).status_code == 200
    page.goto(s.url + "/cart")
    expect(page.get_by_text("PAR-500").first).to_be_visible()
    assert errors == []
    context.close()

    # An account nobody linked: told how to link it.
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="en-US")
    page = context.new_page()
    page.goto(s.url + "/?tenant=acme#" + urllib.parse.urlencode({"tgWebAppData": init_data(888999), "tgWebAppThemeParams": theme}))
    expect(page.get_by_role("heading", name="Link your Telegram account first")).to_be_visible()
    context.close()
