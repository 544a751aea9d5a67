"""Starts the real tradepost binary on a free port with a temporary data dir.

The suite builds nothing: scripts/test builds the binary first and passes its path in
TRADEPOST_BIN (default .build/debug/tradepost).
"""
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

import openapi_conformance

# Every exchange with an API listener is checked against the OpenAPI document after each test.
requests.Session.send = openapi_conformance.record(requests.Session.send)

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("TRADEPOST_BIN", str(ROOT / ".build" / "debug" / "tradepost"))
ARTIFACTS = ROOT / "Tests" / "e2e" / "artifacts"
ADMIN_EMAIL = "root@e2e.test"
ADMIN_PASSWORD = "root-password-e2e"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args, data=None, env=None, input=None, check=True):
    """Runs a tradepost subcommand and returns the CompletedProcess."""
    cmd = [BIN, *args]
    if data is not None:
        cmd += ["--data", str(data)]
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run(cmd, capture_output=True, text=True, env=full_env, input=input, timeout=60)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def cli_json(*args, data=None, env=None, input=None):
    return json.loads(run_cli(*args, "--json", data=data, env=env, input=input).stdout)


def process_state(pid):
    """What a stuck process is doing: each thread's state and kernel wait channel, and the load."""
    threads = []
    for task in sorted(Path(f"/proc/{pid}/task").glob("*")):
        try:
            stat = (task / "stat").read_text().rsplit(")", 1)[1].split()[0]
            threads.append(f"{stat}:{(task / 'wchan').read_text() or '-'}")
        except OSError:
            continue
    try:
        load = Path("/proc/loadavg").read_text().split()[:3]
        dirty = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("Dirty:"))
    except (OSError, StopIteration):
        load, dirty = [], ""
    return f"threads {' '.join(threads)}; load {' '.join(load)}; {' '.join(dirty.split())}"


class Server:
    """A running `tradepost serve`."""

    def __init__(self, data_dir, extra_args=(), env=None, probe=None):
        self.data = Path(data_dir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.s3_port = free_port()
        self.s3_url = f"http://127.0.0.1:{self.s3_port}"
        self.log_path = self.data.parent / f"serve-{self.port}.log"
        self.extra_args = list(extra_args)
        self.env = env or {}
        self.probe = probe
        if probe:
            self.env = {"TRADEPOST_TEST_PROBE": str(probe), **self.env}
        self.proc = None
        openapi_conformance.watch(self.port)

    def start(self, timeout=60):
        """Waits until /healthz answers. Generous: a CI box flushing a fresh build to disk can stall
        the first fsyncs of a new data dir for many seconds (seen once: three starts past 15 s)."""
        self.log = open(self.log_path, "w")
        # The demo tenant is made, but without its sample: most tests want a quiet tenant list and a
        # quick start (test_demo_sample.py starts servers with it).
        env = {**os.environ, "TRADEPOST_ADMIN_EMAIL": ADMIN_EMAIL, "TRADEPOST_ADMIN_PASSWORD": ADMIN_PASSWORD,
               "TRADEPOST_S3_LISTEN": f"127.0.0.1:{self.s3_port}", "TRADEPOST_DEMO_SAMPLE": "false", **self.env}
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(
            [BIN, "serve", "--data", str(self.data), "--listen", f"127.0.0.1:{self.port}", *self.extra_args],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited early:\n{self.output()}")
            try:
                if requests.get(self.url + "/healthz", timeout=0.5).status_code == 200:
                    openapi_conformance.load(self.url)
                    return self
            except requests.RequestException:  # not listening yet, or busy
                time.sleep(0.02)
        state = process_state(self.proc.pid)
        self.proc.kill()  # never leave a stuck server behind
        self.proc.wait()
        raise AssertionError(f"server did not start in {timeout} s ({state}):\n{self.output()}")

    def output(self):
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text()

    def log_lines(self):
        """The JSON log lines (banner lines are plain text)."""
        out = []
        for line in self.output().splitlines():
            if line.startswith("{"):
                out.append(json.loads(line))
        return out

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise
        self.log.close()
        return self.proc.returncode

    # --- API helpers -------------------------------------------------------------------------

    def login(self, email, password, tenant=None, **kw):
        body = {"email": email, "password": password}
        if tenant:
            body["tenant"] = tenant
        r = requests.post(self.url + "/api/v1/auth/login", json=body, **kw)
        assert r.status_code == 200, r.text
        return r.json()["token"]

    def api(self, method, path, token=None, **kw):
        headers = kw.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(method, self.url + "/api/v1" + path, headers=headers, timeout=30, **kw)

    def wait_for(self, condition, timeout=20, interval=0.05, message="condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(interval)
        raise AssertionError(f"timed out waiting for {message}")

    def admin_token(self):
        return self.login(ADMIN_EMAIL, ADMIN_PASSWORD)

    def create_tenant(self, slug, owner_email=None, owner_password="owner-password-1", token=None):
        token = token or self.admin_token()
        body = {"slug": slug, "name": slug.title()}
        if owner_email:
            body["owner"] = {"email": owner_email, "name": "Owner " + slug, "password": owner_password}
        r = self.api("POST", "/admin/tenants", token, json=body)
        assert r.status_code == 201, r.text
        return r.json()["tenant"]


@pytest.fixture(autouse=True)
def conforms_to_the_openapi_document():
    """Fails a test whose exchanges with the API disagree with the server's OpenAPI document."""
    yield
    problems = openapi_conformance.check()
    if problems:
        shown = "\n".join(problems[:20])
        pytest.fail(f"{len(problems)} exchange(s) disagree with the OpenAPI document:\n{shown}", pytrace=False)


@pytest.fixture
def data_dir():
    with tempfile.TemporaryDirectory(prefix="tp-e2e-") as d:
        yield Path(d) / "data"


@pytest.fixture
def server(data_dir):
    s = Server(data_dir).start()
    yield s
    code = s.stop()
    assert code == 0, f"server exited with {code}:\n{s.output()[-3000:]}"


@pytest.fixture
def probed_server(data_dir):
    """A server with the test probe jobs, writing to data_dir/../probe.log."""
    probe = data_dir.parent / "probe.log"
    s = Server(data_dir, probe=probe, env={"TRADEPOST_JOBS_LEASE_SECONDS": "3"}).start()
    yield s
    code = s.stop()
    assert code == 0, f"server exited with {code}:\n{s.output()[-3000:]}"


@pytest.fixture(scope="module")
def shared_server():
    """One server for a whole module of read-mostly tests."""
    with tempfile.TemporaryDirectory(prefix="tp-e2e-") as d:
        s = Server(Path(d) / "data").start()
        yield s
        s.stop()


def problem(response, status, code=None):
    """Asserts an RFC 9457 problem response and returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json"), response.headers
    body = response.json()
    for key in ("type", "title", "status", "detail", "code", "request_id"):
        assert key in body, body
    assert body["status"] == status
    assert body["request_id"] == response.headers["X-Request-Id"]
    if code:
        assert body["code"] == code, body
    return body


def banner_passwords(text):
    return re.findall(r"password: (\S+)", text)
