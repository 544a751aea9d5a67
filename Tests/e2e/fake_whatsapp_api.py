"""A local stand-in for the WhatsApp Cloud API (graph.facebook.com/v21.0): sends messages
(`POST /<phone number id>/messages`, answering a wamid as Meta does), serves media (`GET /<media id>`
answers a URL; the URL answers the bytes, both with the bearer token), describes a number, and
records every call. Every call needs the channel's access token, as Meta's does."""
import http.server
import json
import threading
import time
import urllib.parse


class FakeWhatsAppAPI:
    def __init__(self, token, phone_number_id="1234567890"):
        self.token, self.phone_number_id = token, phone_number_id
        self.media = {}  # media id -> (mime type, bytes)
        self.sent = []  # request bodies of /messages
        self.calls = []  # (method, path)
        self.refuse = 0  # answer the next N sends with a permanent 400
        self.lock = threading.Condition()
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def authorized(self):
                if self.headers.get("authorization") != f"Bearer {api.token}":
                    self.answer(401, {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}})
                    return False
                return True

            def do_GET(self):
                path = urllib.parse.urlparse(self.path).path
                with api.lock:
                    api.calls.append(("GET", path))
                if not self.authorized():
                    return
                if path.startswith("/bytes/"):
                    media_id = path.rsplit("/", 1)[1]
                    mime, data = api.media[media_id]
                    self.send_response(200)
                    self.send_header("content-type", mime)
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                key = path.strip("/")
                if key == api.phone_number_id:
                    return self.answer(200, {"display_phone_number": "+380 44 000 00 00", "verified_name": "Фарм Опт", "id": key})
                if key in api.media:
                    mime, data = api.media[key]
                    return self.answer(200, {"messaging_product": "whatsapp", "url": f"{api.url}/bytes/{key}", "mime_type": mime,
                                             "sha256": "", "file_size": len(data), "id": key})
                self.answer(404, {"error": {"message": "Unsupported get request.", "code": 100}})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                path = urllib.parse.urlparse(self.path).path
                with api.lock:
                    api.calls.append(("POST", path))
                if not self.authorized():
                    return
                if path != f"/{api.phone_number_id}/messages":
                    return self.answer(404, {"error": {"message": "Unknown path", "code": 100}})
                with api.lock:
                    if api.refuse > 0:
                        api.refuse -= 1
                        api.sent.append(("refused", body))
                        api.lock.notify_all()
                        return self.answer(400, {"error": {"message": "(#131030) Recipient phone number not in allowed list", "code": 131030}})
                    wamid = f"wamid.OUT{len(api.sent) + 1}"
                    api.sent.append((wamid, body))
                    api.lock.notify_all()
                self.answer(200, {"messaging_product": "whatsapp", "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                                  "messages": [{"id": wamid}]})

            def answer(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_sent(self, count, timeout=20):
        with self.lock:
            if not self.lock.wait_for(lambda: len(self.sent) >= count, timeout):
                raise AssertionError(f"{len(self.sent)} of {count} messages sent")
            return list(self.sent)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def update(phone_number_id, value):
    """A webhook body in Meta's shape around one change's value."""
    return {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "380440000000", "phone_number_id": phone_number_id}, **value}}]}]}


def text_message(phone_number_id, wa_id, name, wamid, text, timestamp=None):
    return update(phone_number_id, {
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id, "user_id": f"UA.{wa_id}"}],
        "messages": [{"from": wa_id, "id": wamid, "timestamp": str(int(timestamp or time.time())), "type": "text", "text": {"body": text}}]})


def image_message(phone_number_id, wa_id, name, wamid, media_id, caption):
    return update(phone_number_id, {
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id, "user_id": f"UA.{wa_id}"}],
        "messages": [{"from": wa_id, "id": wamid, "timestamp": str(int(time.time())), "type": "image",
                      "image": {"id": media_id, "mime_type": "image/png", "sha256": "", "caption": caption}}]})


def status_update(phone_number_id, wamid, status, wa_id):
    return update(phone_number_id, {"contacts": [{"wa_id": wa_id, "user_id": f"UA.{wa_id}"}],
                                    "statuses": [{"id": wamid, "status": status, "timestamp": str(int(time.time())), "recipient_id": wa_id,
                                                  "recipient_user_id": f"UA.{wa_id}"}]})
