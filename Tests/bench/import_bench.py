"""CSV import figures (issue 4): a deterministic 1,000,000-row price list as distributors export it
(UTF-8 with BOM, semicolons, decimal commas, quoted fields, Cyrillic), imported by `tradepost catalog
import` — dry run, apply into an empty catalog, and the same file applied again (all unchanged) — each
timed with the process's peak RSS. IMPORT_N changes the row count (e.g. 100000 for a quick run)."""
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent))
from core_bench import free_port, start, tenant_with_business, wait_ready  # noqa: E402
from steal import StealMeter  # noqa: E402

BIN = os.environ["TRADEPOST_BIN"]
N = int(os.environ.get("IMPORT_N", "1000000"))
ROOT = Path(__file__).resolve().parents[2]

WORDS_UK = ["парацетамол", "ібупрофен", "таблетки", "капсули", "сироп", "мазь", "вітамін", "краплі", "розчин", "спрей",
            "дитячий", "форте", "екстра", "нічний", "швидкий", "натуральний", "комплекс", "плюс", "актив", "максі"]
WORDS_EN = ["aspirin", "vitamin", "tablets", "capsules", "syrup", "cream", "drops", "solution", "spray", "forte",
            "extra", "night", "rapid", "natural", "complex", "plus", "active", "maxi", "junior", "gel"]
BRANDS = ["Дарниця", "Фармак", "Bayer", "Sanofi", "Київмедпрепарат", "Борщагівський", "Teva", "Novartis"]


def generate(path):
    rng = random.Random(20261121)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write("Артикул;Найменування;Бренд;Виробник;Ціна;Залишок;Од.;tiers;Опис\r\n")
        for i in range(N):
            words = [rng.choice(WORDS_UK if rng.random() < 0.6 else WORDS_EN) for _ in range(rng.randint(2, 5))]
            name = " ".join(words).capitalize() + f" {rng.choice([100, 200, 250, 500, 1000])} мг"
            if rng.random() < 0.05:
                name = f'"{name}; упаковка ""{rng.randint(10, 90)}"""'
            price = rng.randint(100, 500000)
            tier = f"10:{price * 95 // 10000},{price * 95 // 100 % 100:02d}" if rng.random() < 0.3 else ""
            description = " ".join(rng.choice(WORDS_UK) for _ in range(rng.randint(5, 15)))
            f.write(f"SKU-{i:07d};{name};{rng.choice(BRANDS)};{rng.choice(BRANDS)} ТОВ;{price // 100},{price % 100:02d};"
                    f"{rng.randint(0, 5000)};шт;{tier};{description}\r\n")


def timed(cmd):
    """Runs cmd; returns (seconds, CPU seconds, peak RSS in MB of that process, steal %, stdout)."""
    steal = StealMeter()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.decode()}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, steal.percent(), out.decode()


def main():
    cache = ROOT / ".bench-tmp" / f"import-{N}.csv"
    cache.parent.mkdir(exist_ok=True)
    if not cache.exists():
        t0 = time.perf_counter()
        generate(cache)
        print(f"generated {N} rows, {cache.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t0:.0f} s")
    work = tempfile.mkdtemp(prefix="tp-import-bench-", dir=ROOT / ".bench-tmp")
    data = os.path.join(work, "data")
    port = free_port()
    server = start(data, port)
    wait_ready(port)
    _, biz = tenant_with_business(f"http://127.0.0.1:{port}/api/v1", "bench")
    server.terminate()
    server.wait()

    base = [BIN, "catalog", "import", str(cache), "--tenant", "bench", "--business", biz, "--data", data, "--json"]
    print(f"== CSV import (issue 4): {N} rows, {cache.stat().st_size / 1e6:.0f} MB, {os.cpu_count()} cores")
    print(f"{'run':<28}{'seconds':>10}{'CPU s':>8}{'steal %':>9}{'peak RSS MB':>14}  result")
    for label, extra in (("dry run (empty catalog)", ["--dry-run"]), ("apply (all created)", []),
                         ("apply again (all unchanged)", []), ("dry run (full catalog)", ["--dry-run"])):
        seconds, cpu, rss, steal, out = timed(base + extra)
        import json
        r = json.loads(out)
        print(f"{label:<28}{seconds:>10.1f}{cpu:>8.1f}{steal:>9.0f}{rss:>14.0f}  created {r['created']}, updated {r['updated']}, "
              f"unchanged {r['unchanged']}, failed {r['failed']}")
    print("bar: each run <= 60 s and <= 300 MB peak RSS (steal %: CPU time this VM lost to other guests meanwhile)")


if __name__ == "__main__":
    main()
