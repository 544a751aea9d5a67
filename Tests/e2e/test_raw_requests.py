"""Every request gets an answer: raw bytes in the request line and headers, on the API, the web
app's routes and the S3 listener, spoken over plain sockets (no client library sends such bytes);
and no connection is held without progress (header-read and idle timeouts, both listeners)."""
import json
import socket
import time

import pytest

from conftest import Server
from test_s3 import wait_for_port

HEAD_TIMEOUT = 2
IDLE_TIMEOUT = 3


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    """A server with short connection timeouts, a tenant owner's token and a user with a Cyrillic name."""
    data = tmp_path_factory.mktemp("raw") / "data"
    s = Server(data, env={"TRADEPOST_HTTP_HEADER_TIMEOUT_SECONDS": str(HEAD_TIMEOUT),
                          "TRADEPOST_HTTP_IDLE_TIMEOUT_SECONDS": str(IDLE_TIMEOUT)}).start()
    try:
        wait_for_port(s.s3_port)
        s.create_tenant("rawbytes", owner_email="owner@raw.test")
        token = s.login("owner@raw.test", "owner-password-1", tenant="rawbytes")
        made = s.api("POST", "/users", token, json={"email": "olena@raw.test", "name": "Олена Коваль", "password": "olena-pass-1"})
        assert made.status_code == 201, made.text
        yield s, token, made.json()["user"]["id"]
    finally:
        s.stop()


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    return sock


def read_response(sock):
    """Reads one HTTP/1.1 response (Content-Length framed); returns (status, headers, body bytes)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed before a response; got {data!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, headers, rest[:length], rest[length:]


def exchange(port, raw_request):
    with connect(port) as sock:
        sock.sendall(raw_request)
        status, headers, body, _ = read_response(sock)
        return status, headers, body


def get(target, headers=b"", token=None, host=b"127.0.0.1"):
    auth = b"Authorization: Bearer " + token.encode() + b"\r\n" if token else b""
    return b"GET " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\n" + auth + headers + b"Connection: close\r\n\r\n"


def closed_within(sock, seconds):
    """Waits for the server to close the socket; returns how long it took (None if it did not)."""
    start = time.monotonic()
    sock.settimeout(seconds)
    try:
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                return time.monotonic() - start
    except (socket.timeout, TimeoutError):
        return None
    except ConnectionResetError:
        return time.monotonic() - start


def problem_of(status, headers, body, expected):
    assert status == expected, body
    assert headers["content-type"].startswith("application/problem+json"), headers
    doc = json.loads(body)
    assert doc["status"] == expected and doc["code"] in ("invalid", "headers_too_large"), doc
    return doc


def test_raw_utf8_in_the_query_is_decoded_as_text(raw):
    s, token, olena = raw
    # The query arrives as raw UTF-8 bytes; the search must read it exactly as the encoded form.
    status, _, body = exchange(s.port, get("/api/v1/users?q=Олена".encode(), token=token))
    assert status == 200, body
    assert [u["id"] for u in json.loads(body)["items"]] == [olena]
    encoded = s.api("GET", "/users", token, params={"q": "Олена"}).json()
    assert [u["id"] for u in encoded["items"]] == [olena]
    # Health, an unauthenticated API call and a web route answer too.
    assert exchange(s.port, get("/healthz?x=é".encode()))[0] == 200
    assert exchange(s.port, get("/api/v1/me?x=é".encode()))[0] == 401
    status, headers, _ = exchange(s.port, get("/catalog?x=é&y=Київ".encode()))
    assert status == 200 and headers["content-type"].startswith("text/html")
    # Raw UTF-8 in the path: the web app's routes serve the page, the API says what is not there.
    assert exchange(s.port, get("/каталог".encode()))[0] == 200
    status, headers, body = exchange(s.port, get("/api/v1/users/Олена".encode(), token=token))
    assert status == 404 and json.loads(body)["code"] == "not_found"


@pytest.mark.parametrize("target,field", [
    (b"/api/v1/users?q=\xff\xfe", "q"),
    (b"/api/v1/users?q=%C3%28", "q"),
    (b"/api/v1/users?\xc3=1", "query"),
    (b"/api/v1/users/\xc3\x28", "path"),
    (b"/catalog?x=\xe2\x82", "x"),
    (b"/api/v1/users?q=%00", "q"),
    (b"/api/v1/users?q=a%0Db", "q"),
])
def test_invalid_utf8_and_escaped_control_characters_are_400_naming_the_part(raw, target, field):
    s, token, _ = raw
    doc = problem_of(*exchange(s.port, get(target, token=token)), 400)
    assert [e["field"] for e in doc["errors"]] == [field], doc


@pytest.mark.parametrize("request_bytes", [
    get(b"/api/v1/users?q=a\x00b"),              # NUL in the query
    get(b"/api/v1/us\x01ers"),                   # control character in the path
    get(b"/catalog?x=\x7f"),                     # DEL in a web route's query
    get(b"/healthz", headers=b"X-Note: a\x00b\r\n"),  # NUL in a header value
    get(b"/healthz", headers=b"X-Note: a\x01b\r\n"),  # control character in a header value
    get(b"/healthz", headers=b"X-N\xc3\xa9te: 1\r\n"),  # non-ASCII in a header name
    b"G\x00ET / HTTP/1.1\r\nHost: x\r\n\r\n",    # NUL in the method
])
def test_bytes_the_parser_refuses_get_a_problem_and_a_closed_connection(raw, request_bytes):
    s, _, _ = raw
    with connect(s.port) as sock:
        sock.sendall(request_bytes)
        status, headers, body, _ = read_response(sock)
        problem_of(status, headers, body, 400)
        assert headers["connection"] == "close"
        assert closed_within(sock, 5) is not None


def test_raw_utf8_in_a_header_value_is_accepted(raw):
    s, token, _ = raw
    status, _, body = exchange(s.port, get(b"/api/v1/me", headers="X-Note: Київ é\r\n".encode(), token=token))
    assert status == 200, body


def test_an_oversized_head_is_431(raw):
    s, _, _ = raw
    problem_of(*exchange(s.port, get(b"/healthz", headers=b"X-Big: " + b"a" * 200_000 + b"\r\n")), 431)


def test_bodies_pass_untouched_and_later_requests_on_the_connection_are_decoded(raw):
    """Framing: a raw-UTF-8 body is not mistaken for a request line, by Content-Length or chunked,
    and the requests after it, sent in the same write, are parsed and decoded."""
    s, token, olena = raw
    auth = b"Authorization: Bearer " + token.encode() + b"\r\n"
    body = json.dumps({"name": "Олена Коваль-Сидоренко"}, ensure_ascii=False).encode()
    patch = (b"PATCH /api/v1/users/" + olena.encode() + b" HTTP/1.1\r\nHost: x\r\n" + auth +
             b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    chunked_body = json.dumps({"name": "Олена Ковальчук"}, ensure_ascii=False).encode()
    chunked = (b"PATCH /api/v1/users/" + olena.encode() + b" HTTP/1.1\r\nHost: x\r\n" + auth +
               b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
               b"%x\r\n" % 7 + chunked_body[:7] + b"\r\n" +
               b"%x;ext=1\r\n" % (len(chunked_body) - 7) + chunked_body[7:] + b"\r\n0\r\nX-Trailer: \xd0\xb9\r\n\r\n")
    search = "GET /api/v1/users?q=Ковальчук HTTP/1.1\r\nHost: x\r\n".encode() + auth + b"\r\n"
    with connect(s.port) as sock:
        sock.sendall(patch + "GET /api/v1/users?q=Сидоренко HTTP/1.1\r\nHost: x\r\n".encode() + auth + b"\r\n")
        status, _, first, rest = read_response(sock)
        assert status == 200 and json.loads(first)["name"] == "Олена Коваль-Сидоренко", first
        status, _, found, _ = read_response_after(sock, rest)
        assert status == 200 and [u["id"] for u in json.loads(found)["items"]] == [olena], found
        sock.sendall(chunked + search)
        status, _, second, rest = read_response(sock)
        assert status == 200 and json.loads(second)["name"] == "Олена Ковальчук", second
        status, _, found, _ = read_response_after(sock, rest)
        assert status == 200 and [u["id"] for u in json.loads(found)["items"]] == [olena], found


def read_response_after(sock, leftover):
    """A response that may have started arriving with the previous one."""
    class Prefixed:
        def __init__(self):
            self.pending = leftover

        def recv(self, n):
            if self.pending:
                out, self.pending = self.pending, b""
                return out
            return sock.recv(n)
    return read_response(Prefixed())


def test_the_s3_listener_answers_raw_bytes_in_its_own_xml(raw):
    s, _, _ = raw
    status, headers, body = exchange(s.s3_port, get("/bucket/ключ?x=é".encode()))
    assert status == 403 and b"<Code>AccessDenied</Code>" in body, body  # unsigned, but answered
    status, headers, body = exchange(s.s3_port, get(b"/bucket/\xff\xfe"))
    assert status == 400 and b"<Code>InvalidURI</Code>" in body, body
    for bad in (get(b"/bucket?x=\x00"), get(b"/bucket", headers=b"X-Amz-Meta-A: \x01\r\n")):
        status, headers, body = exchange(s.s3_port, bad)
        assert status == 400 and headers["content-type"] == "application/xml" and b"<Code>InvalidRequest</Code>" in body, body


@pytest.mark.parametrize("listener", ["api", "s3"])
def test_a_client_that_sends_nothing_or_half_a_head_is_closed(raw, listener):
    s, _, _ = raw
    port = s.port if listener == "api" else s.s3_port
    silent, half, drip = connect(port), connect(port), connect(port)
    half.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    # A client that keeps sending, a byte at a time, but never finishes its head.
    start = time.monotonic()
    drip.settimeout(0.3)
    dripped_for = None
    while time.monotonic() - start < HEAD_TIMEOUT + 5:
        try:
            drip.sendall(b"X")
            if drip.recv(1) == b"":
                dripped_for = time.monotonic() - start
                break
        except (socket.timeout, TimeoutError):
            continue
        except (BrokenPipeError, ConnectionResetError):
            dripped_for = time.monotonic() - start
            break
    assert dripped_for is not None and dripped_for < HEAD_TIMEOUT + 2, dripped_for
    for sock in (silent, half):
        took = closed_within(sock, HEAD_TIMEOUT + 5)
        assert took is not None, "the server held a connection that made no progress"
        sock.close()
    drip.close()
    # The listener still serves.
    assert exchange(port, get(b"/healthz"))[0] in (200, 403)


def test_an_idle_keep_alive_connection_and_a_stalled_body_are_closed(raw):
    s, token, olena = raw
    with connect(s.port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_response(sock)[0] == 200
        # Idle after a response: kept for the idle timeout, then closed.
        took = closed_within(sock, IDLE_TIMEOUT + 5)
        assert took is not None and took > IDLE_TIMEOUT - 1, took
    with connect(s.port) as sock:
        sock.sendall(b"PATCH /api/v1/users/" + olena.encode() + b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                     token.encode() + b"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":")
        took = closed_within(sock, IDLE_TIMEOUT + HEAD_TIMEOUT + 5)
        assert took is not None, "a stalled body held its connection"
    # A connection making progress is not cut: five requests spread over more than the head timeout.
    with connect(s.port) as sock:
        for _ in range(5):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_response(sock)[0] == 200
            time.sleep(HEAD_TIMEOUT / 2)


def test_a_later_request_on_a_kept_alive_connection_that_stalls_mid_head_is_closed(raw):
    """The head deadline is one timer per connection, moved from head to head: it must still hold
    the second and later requests of a connection, not only its first."""
    s, _, _ = raw
    sock = connect(s.port)
    for _ in range(3):
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        received = b""
        while b'"ok"' not in received:
            chunk = sock.recv(4096)
            assert chunk, "the server closed a healthy keep-alive connection"
            received += chunk
    time.sleep(HEAD_TIMEOUT / 2)  # idle for a while, then start a head that never ends
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    start = time.monotonic()
    took = closed_within(sock, HEAD_TIMEOUT + 5)
    assert took is not None and time.monotonic() - start < HEAD_TIMEOUT + 2, took
    sock.close()
