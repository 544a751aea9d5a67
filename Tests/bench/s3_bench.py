"""Blob store figures (issue 5), all in one run on this machine:
- 4 KiB GETs through boto3 from Tradepost's S3 API vs the same boto3 harness against nginx serving a
  static file (the client is the ceiling); durable 4 KiB PUTs vs the disk's rate of fsync'd
  single-file writes;
- 4 KiB presigned GETs with wrk vs nginx serving the same bytes;
- one 1 GiB GET vs `cat` of the file to /dev/null, with the server's peak RSS while it streams (and
  nginx sending the same file, for scale).
The two boto3 GET figures are measured in alternating short slices over the same stretch of time: this shared
VM's speed drifts by half within a minute, which made back-to-back figures disagree run to run."""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import boto3
from botocore.config import Config

BIN = os.environ["TRADEPOST_BIN"]
SECONDS = float(os.environ.get("S3_BENCH_SECONDS", "5"))
BIG_MB = int(os.environ.get("S3_BENCH_BIG_MB", "1024"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port):
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {port}")


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def rate(fn, seconds=SECONDS):
    fn()  # warm the connection
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        fn()
        n += 1
    return n / (time.perf_counter() - t0)


def cpu_seconds(pid):
    """User + system CPU seconds a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rate_and_cpu(fn, server_pid, seconds=SECONDS):
    """Ops/s of `fn`, with the CPU milliseconds per op spent by this (client) process and by the server."""
    fn()
    n, t0, client0, server0 = 0, time.perf_counter(), time.process_time(), cpu_seconds(server_pid)
    while time.perf_counter() - t0 < seconds:
        fn()
        n += 1
    elapsed = time.perf_counter() - t0
    return n / elapsed, 1000 * (time.process_time() - client0) / n, 1000 * (cpu_seconds(server_pid) - server0) / n


def interleaved_rates(a, b, seconds=SECONDS, slice_s=0.25):
    """Ops/s of `a` and `b`, measured in alternating short slices over the same stretch of time, so
    a shared, noisy machine's drift (this VM's speed moves by half within a minute) hits both alike."""
    a(), b()  # warm both connections
    counts, spent = [0, 0], [0.0, 0.0]
    end = time.perf_counter() + 2 * seconds
    while time.perf_counter() < end:
        for i, fn in enumerate((a, b)):
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < slice_s:
                fn()
                counts[i] += 1
            spent[i] += time.perf_counter() - t0
    return counts[0] / spent[0], counts[1] / spent[1]


def wrk(url):
    out = subprocess.run(["wrk", "-t2", "-c64", "-d10s", url], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"wrk saw {errors.group(1)} errors against {url}:\n{out}")
    return rps


def fsync_writer(folder):
    """One fsync'd single-file write of 4 KiB per call (a new file each time), the disk's own rate."""
    payload, names = os.urandom(4096), iter(range(10**9))

    def write():
        fd = os.open(f"{folder}/f{next(names)}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(fd, payload)
        os.fsync(fd)
        os.close(fd)
    return write


def main():
    work = Path(tempfile.mkdtemp(prefix="tp-s3bench-", dir=os.environ.get("BENCH_DIR")))
    work.chmod(0o755)  # nginx's workers run as an unprivileged user
    data, www = work / "data", work / "www"
    (www / "bench").mkdir(parents=True)
    payload = os.urandom(4096)
    (www / "bench" / "obj").write_bytes(payload)
    http_port, s3_port, nginx_port = free_port(), free_port(), free_port()
    env = {**os.environ, "TRADEPOST_S3_LISTEN": f"127.0.0.1:{s3_port}", "TRADEPOST_LOG_LEVEL": "warning",
           "TRADEPOST_ADMIN_PASSWORD": "bench-admin-pass"}
    server = subprocess.Popen([BIN, "serve", "--data", str(data), "--listen", f"127.0.0.1:{http_port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    conf = work / "nginx.conf"
    conf.write_text(f"""worker_processes 1; daemon off; pid {work}/nginx.pid; error_log {work}/nginx.err;
events {{ worker_connections 1024; }}
http {{ access_log off; sendfile on; keepalive_requests 100000;
  server {{ listen 127.0.0.1:{nginx_port}; root {www}; location / {{ default_type application/octet-stream; }} }} }}
""")
    nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(work)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(s3_port)
        wait_port(nginx_port)
        made = subprocess.run([BIN, "s3", "key", "create", "--tenant", "demo", "--name", "bench", "--json", "--data", str(data)],
                              capture_output=True, text=True, check=True).stdout
        import json
        made = json.loads(made)
        key, secret = made["key"]["access_key"], made["secret"]
        cfg = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 0}, signature_version="s3v4")
        s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{s3_port}", aws_access_key_id=key,
                          aws_secret_access_key=secret, region_name="us-east-1", config=cfg)
        peer = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{nginx_port}", aws_access_key_id=key,
                            aws_secret_access_key=secret, region_name="us-east-1", config=cfg)
        s3.create_bucket(Bucket="bench")
        s3.put_object(Bucket="bench", Key="obj", Body=payload)
        assert peer.get_object(Bucket="bench", Key="obj")["Body"].read() == payload

        print(f"== S3 blob store (issue 5), {os.cpu_count()} cores, 4 KiB objects, {SECONDS:.0f} s per figure")
        get_ours, get_nginx = interleaved_rates(lambda: s3.get_object(Bucket="bench", Key="obj")["Body"].read(),
                                                lambda: peer.get_object(Bucket="bench", Key="obj")["Body"].read())
        print(f"boto3 GET (alternating slices): tradepost {get_ours:,.0f}/s, nginx {get_nginx:,.0f}/s -> {get_ours / get_nginx:.2f}x (bar 0.9x)")
        fsdir = work / "fsync"
        fsdir.mkdir()
        # Not alternated: the server's write-back would slow the disk's slices and flatter the ratio.
        disk = rate(fsync_writer(fsdir))
        counter = iter(range(10**9))
        put, client_ms, server_ms = rate_and_cpu(lambda: s3.put_object(Bucket="bench", Key=f"put/{next(counter)}", Body=payload), server.pid)
        print(f"boto3 durable PUT: {put:,.0f}/s; disk fsync'd 4 KiB file writes {disk:,.0f}/s -> {put / disk:.2f}x (bar 0.25x)")
        # The ceiling the client sets: boto3 signing and building one request costs CPU that no server can save.
        print(f"  CPU per PUT: boto3 client {client_ms:.2f} ms (alone it allows at most {1000 / client_ms:,.0f}/s = "
              f"{1000 / client_ms / disk:.2f}x disk), server {server_ms:.2f} ms")

        url = s3.generate_presigned_url("get_object", Params={"Bucket": "bench", "Key": "obj"}, ExpiresIn=3600)
        ours = wrk(url)
        theirs = wrk(f"http://127.0.0.1:{nginx_port}/bench/obj")
        print(f"wrk -t2 -c64 -d10s presigned GET: tradepost {ours:,.0f} req/s, nginx {theirs:,.0f} req/s -> {ours / theirs:.2f}x (bar 0.3x)")

        big = work / "big.bin"
        with open(big, "wb") as f:
            block = os.urandom(1 << 20)
            for _ in range(BIG_MB):
                f.write(block)
        s3.upload_file(str(big), "bench", "big.bin", Config=boto3.s3.transfer.TransferConfig(multipart_chunksize=64 << 20, max_concurrency=2))
        t0 = time.perf_counter()
        subprocess.run(f"cat {big} > /dev/null", shell=True, check=True)
        cat_s = time.perf_counter() - t0
        big_url = s3.generate_presigned_url("get_object", Params={"Bucket": "bench", "Key": "big.bin"}, ExpiresIn=3600)
        peak, done = [rss_mb(server.pid)], threading.Event()

        def sample():
            while not done.is_set():
                peak.append(rss_mb(server.pid))
                time.sleep(0.02)
        sampler = threading.Thread(target=sample)
        sampler.start()
        subprocess.run(["curl", "-s", "-o", "/dev/null", big_url], check=True)  # warm the page cache
        t0 = time.perf_counter()
        out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{size_download}", big_url], capture_output=True, text=True, check=True)
        get_s = time.perf_counter() - t0
        done.set()
        sampler.join()
        assert int(out.stdout) == BIG_MB << 20
        # For scale: nginx sending the same file with sendfile(2) to the same curl.
        os.link(big, www / "bench" / "big.bin")
        t0 = time.perf_counter()
        subprocess.run(["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{nginx_port}/bench/big.bin"], check=True)
        nginx_s = time.perf_counter() - t0
        mb = BIG_MB
        print(f"{mb} MiB GET: {mb / get_s:,.0f} MiB/s; cat to /dev/null {mb / cat_s:,.0f} MiB/s -> {cat_s / get_s:.2f}x (bar 0.5x); "
              f"server peak RSS {max(peak):.1f} MB (bar < 100 MB); nginx+sendfile to the same curl {mb / nginx_s:,.0f} MiB/s "
              f"({cat_s / nginx_s:.2f}x cat)")
    finally:
        server.terminate()
        nginx.terminate()
        server.wait()
        nginx.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
