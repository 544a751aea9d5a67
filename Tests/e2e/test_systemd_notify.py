"""The sd_notify protocol the systemd unit (Type=notify, WatchdogSec) relies on, against a fake
NOTIFY_SOCKET: READY=1 once the API answers, WATCHDOG=1 at half of WATCHDOG_USEC, STOPPING=1 on
SIGTERM; nothing is sent when the watchdog belongs to another process."""
import socket
import time

import requests

from conftest import Server


def receive(sock, until, timeout=15):
    got, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            got.append(sock.recv(4096).decode())
        except socket.timeout:
            continue
        if until(got):
            return got
    raise AssertionError(f"timed out; received {got}")


def test_ready_watchdog_and_stopping(tmp_path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify"))
    sock.settimeout(0.5)
    s = Server(tmp_path / "data", env={"NOTIFY_SOCKET": str(tmp_path / "notify"), "WATCHDOG_USEC": "400000"}).start()
    got = receive(sock, lambda g: any(m.startswith("READY=1") for m in g) and sum(m == "WATCHDOG=1" for m in g) >= 4)
    ready = next(m for m in got if m.startswith("READY=1"))
    assert f"MAINPID={s.proc.pid}" in ready
    assert requests.get(s.url + "/healthz").status_code == 200
    t0 = time.monotonic()
    receive(sock, lambda g: g.count("WATCHDOG=1") >= 3)
    assert time.monotonic() - t0 < 2.0  # pinged every ~0.2 s, well inside the 0.4 s watchdog
    s.proc.send_signal(15)
    receive(sock, lambda g: any(m.startswith("STOPPING=1") for m in g))
    assert s.stop() == 0


def test_an_abstract_socket_and_a_watchdog_for_another_pid(tmp_path):
    name = f"tradepost-test-{time.monotonic_ns()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.settimeout(0.5)
    s = Server(tmp_path / "data", env={"NOTIFY_SOCKET": "@" + name, "WATCHDOG_USEC": "200000", "WATCHDOG_PID": "1"}).start()
    got = receive(sock, lambda g: any(m.startswith("READY=1") for m in g))
    time.sleep(1)
    try:
        while True:
            got.append(sock.recv(4096).decode())
    except socket.timeout:
        pass
    assert "WATCHDOG=1" not in got
    assert s.stop() == 0
