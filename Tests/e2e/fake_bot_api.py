"""A local stand-in for the Telegram Bot API (api.telegram.org/bot<token>/<method>): answers getMe,
setWebhook, setMyCommands, deleteWebhook and sendMessage as Telegram does, records every call, and
can answer 429 with retry_after to test back-off. It serves one bot, or several (`add`), each by
its own token."""
import http.server
import json
import threading
import time


class FakeBotAPI:
    def __init__(self, token, bot_id=7000001, username="acme_shop_bot"):
        self.token, self.bot_id, self.username = token, bot_id, username
        self.bots = {token: (bot_id, username)}
        self.calls = []  # (method, params, monotonic time)
        self.throttle = 0  # answer the next N sendMessage calls with 429
        self.lock = threading.Condition()
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                params = json.loads(body or b"{}")
                token, _, method = self.path.removeprefix("/bot").rpartition("/")
                if not self.path.startswith("/bot") or token not in api.bots:
                    return self.answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                bot_id, username = api.bots[token]
                with api.lock:
                    if method == "sendMessage" and api.throttle > 0:
                        api.throttle -= 1
                        api.calls.append(("429", params, time.monotonic()))
                        api.lock.notify_all()
                        return self.answer(429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                                 "parameters": {"retry_after": 1}})
                    api.calls.append((method, params, time.monotonic()))
                    api.lock.notify_all()
                if method == "getMe":
                    return self.answer(200, {"ok": True, "result": {"id": bot_id, "is_bot": True, "first_name": "Acme shop", "username": username}})
                if method == "sendMessage":
                    return self.answer(200, {"ok": True, "result": {"message_id": len(api.calls), "date": int(time.time()),
                                                                    "chat": {"id": params["chat_id"], "type": "private"}, "text": params["text"]}})
                return self.answer(200, {"ok": True, "result": True})

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

    def add(self, token, bot_id, username):
        self.bots[token] = (bot_id, username)

    def of(self, method):
        with self.lock:
            return [c[1] for c in self.calls if c[0] == method]

    def wait(self, method, count, timeout=30):
        with self.lock:
            if not self.lock.wait_for(lambda: len([c for c in self.calls if c[0] == method]) >= count, timeout):
                raise AssertionError(f"{method}: {len(self.of(method))} of {count} calls")
            return [c for c in self.calls if c[0] == method]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
