"""A local HTTP endpoint that records what webhooks deliver and answers as a test tells it to."""
import http.server
import threading
import time


class Sink:
    def __init__(self):
        self.requests = []  # (path, headers dict lower-case, body bytes, monotonic time)
        self.plan = {}  # path -> list of statuses to answer in turn (the last one repeats)
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with sink.lock:
                    sink.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic()))
                    plan = sink.plan.get(self.path, [200])
                    status = plan.pop(0) if len(plan) > 1 else plan[0]
                    sink.arrived.notify_all()
                extra = status[1] if isinstance(status, tuple) else {}
                status = status[0] if isinstance(status, tuple) else status
                self.send_response(status)
                for k, v in extra.items():
                    self.send_header(k, v)
                payload = b'{"ok":true}' if status < 300 else b"nope"
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def at(self, path):
        with self.lock:
            return [r for r in self.requests if r[0] == path]

    def wait(self, path, count, timeout=30):
        deadline = time.monotonic() + timeout
        with self.lock:
            while len([r for r in self.requests if r[0] == path]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{path}: {len([r for r in self.requests if r[0] == path])} of {count} deliveries arrived")
                self.arrived.wait(left)
            return [r for r in self.requests if r[0] == path]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
