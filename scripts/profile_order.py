"""Runs the release binary under callgrind with a typical workload; writes the executed functions.

Usage: profile_order.py BINARY OUT. Valgrind cannot read clang's DWARF 5, so it runs a copy with
the debug sections stripped (the symbol table stays, and with it every function's name).
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
from conftest import free_port  # noqa: E402

binary, out_path = sys.argv[1], Path(sys.argv[2])
work = Path(tempfile.mkdtemp(prefix="tp-profile-"))
copy = work / "tradepost"
subprocess.run(["strip", "--strip-debug", "-o", str(copy), binary], check=True)
data, port, s3 = work / "data", free_port(), free_port()
env = {**os.environ, "TRADEPOST_ADMIN_EMAIL": "admin@profile.test", "TRADEPOST_ADMIN_PASSWORD": "profile-pass-1",
       "TRADEPOST_S3_LISTEN": f"127.0.0.1:{s3}"}
base = f"http://127.0.0.1:{port}"


def start(cmd):
    proc = subprocess.Popen(cmd + [str(copy), "serve", "--data", str(data), "--listen", f"127.0.0.1:{port}"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(1200):
        try:
            if requests.get(base + "/healthz", timeout=2).ok:
                return proc
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def stop(proc):
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=300)


# First run outside valgrind: bootstrap (admin, demo tenant) is not what a running server does.
stop(start([]))
profile = work / "callgrind.out"
proc = start(["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={profile}"])
try:
    admin = requests.post(base + "/api/v1/auth/login", json={"email": "admin@profile.test", "password": "profile-pass-1"}).json()["token"]
    auth = {"Authorization": f"Bearer {admin}"}
    for path in ["/api/v1/me", "/api/v1/me", "/api/v1/admin/tenants", "/api/v1/me/sessions", "/readyz", "/metrics",
                 "/api/openapi.json", "/login", "/api/v1/nope"]:
        requests.get(base + path, headers=auth if path.startswith("/api/v1") else {}, timeout=120)
    page = requests.get(base + "/").text
    for asset in re.findall(r'(?:src|href)="(/[^"]+)"', page):
        requests.get(base + asset, headers={"Accept-Encoding": "gzip"}, timeout=120)
    time.sleep(5)  # idle: the jobs engine, scheduler and outbox dispatcher tick
finally:
    stop(proc)

names = set()
for line in profile.read_text(errors="replace").splitlines():
    m = re.match(r"c?fn=\(\d+\) (.+)", line)
    if m:
        names.add(re.sub(r"'\d+$", "", m.group(1).strip()))  # f'2: f called recursively
defined = set()
for line in subprocess.run(["nm", "--defined-only", str(copy)], capture_output=True, text=True, check=True).stdout.splitlines():
    parts = line.split(maxsplit=2)
    if len(parts) == 3 and parts[1] in "tTwW":
        defined.add(parts[2])
hot = sorted(names & defined)
out_path.write_text("\n".join(hot) + "\n")  # the linker reads one name per line, no comments
print(f"{len(hot)} functions written to {out_path}")
if os.environ.get("KEEP"):  # KEEP=1 leaves the callgrind profile for a closer look
    print(f"profile kept in {work}")
else:
    shutil.rmtree(work)
