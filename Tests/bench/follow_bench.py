"""How soon the search index follows a committed change (issue 4: within 1 s): the real server, a
product renamed 100 times through the API, and after each commit the search polled until the new
name is the first hit. The change reaches the index through the outbox and the jobs engine, as
every change does."""
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent))
from core_bench import free_port, start, tenant_with_business, wait_ready  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
RENAMES = 100


def main():
    work = tempfile.mkdtemp(prefix="tp-follow-bench-", dir=ROOT / ".bench-tmp")
    port = free_port()
    server = start(os.path.join(work, "data"), port)
    try:
        url = f"http://127.0.0.1:{port}/api/v1"
        wait_ready(port)
        s, business = tenant_with_business(url, "follow")
        product = s.post(url + f"/businesses/{business}/products", json={
            "sku": "F-1", "name": "Start", "currency": "UAH", "price": "10", "status": "published"}).json()["id"]
        latencies = []
        for i in range(RENAMES):
            name = f"followname{chr(97 + i % 26)}{chr(97 + i // 26)}"
            t0 = time.perf_counter()
            s.patch(url + f"/products/{product}", json={"name": name}).raise_for_status()
            while True:
                items = s.get(url + "/search/products", params={"q": name, "prefix": "false"}).json()["items"]
                if items and items[0]["product"]["name"] == name:
                    break
                if time.perf_counter() - t0 > 10:
                    raise SystemExit(f"{name} was not searchable 10 s after its commit")
                time.sleep(0.002)
            latencies.append((time.perf_counter() - t0) * 1000)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
    latencies.sort()
    print(f"== index follows a commit (issue 4), {RENAMES} renames through the API, {os.cpu_count()} cores")
    print(f"PATCH → first search hit: p50 {statistics.median(latencies):.1f} ms, p99 {latencies[int(len(latencies) * 0.99) - 1]:.1f} ms, "
          f"max {latencies[-1]:.1f} ms (bar: within 1 s)")


if __name__ == "__main__":
    main()
