"""Search benchmark (issue 4): one deterministic catalog and query set, three engines, one run.

1. Generates (fixed seed) N products (default 1,000,000): names and 20–40-word descriptions from a
   Zipf-distributed vocabulary of Cyrillic and Latin words, brands, categories, cities; and 1,000
   queries: ~40% exact words, ~30% prefixes, ~30% with one typo in a word of 5+ letters, each typo query
   aimed at one product (spelled right, its words are in at most 10 products; see count_matches).
2. SQLite FTS5 (unicode61) ranked with ORDER BY rank: build time, size, query latency.
3. tantivy (PyPI) with fuzzy queries: build time, query latency.
4. Tradepost's own engine through the API's code path (tradepost-bench search): build, size,
   latency, typo hit rate in the top 10, facets, suggestions.
"""
import json
import math
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from steal import StealMeter  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
N = int(os.environ.get("SEARCH_N", "1000000"))
QUERIES = 1000
WORK = Path(os.environ.get("BENCH_DIR", ROOT / ".bench-tmp")) / f"search-{N}"
BENCH_BIN = os.environ.get("TRADEPOST_BENCH_BIN", str(ROOT / ".build-release" / "release" / "tradepost-bench"))

CYR = "бвгджзклмнпрстфхцчшщ"
CYR_V = "аеиоуыяюі"
LAT = "bcdfghklmnprstvz"
LAT_V = "aeiou"


def word(rng, cyrillic):
    cons, vow = (CYR, CYR_V) if cyrillic else (LAT, LAT_V)
    return "".join(rng.choice(cons) + rng.choice(vow) for _ in range(rng.randint(2, 5)))


def zipf_picker(rng, n, s):
    weights = [1 / (k ** s) for k in range(1, n + 1)]
    total = sum(weights)
    cumulative = []
    acc = 0.0
    for w in weights:
        acc += w / total
        cumulative.append(acc)
    import bisect

    def pick():
        return min(n - 1, bisect.bisect_left(cumulative, rng.random()))
    return pick


def typo(rng, w):
    i = rng.randrange(len(w))
    kind = rng.choice(["sub", "del", "ins", "swap"])
    letters = CYR + CYR_V if w[0] in CYR + CYR_V else LAT + LAT_V
    if kind == "sub":
        return w[:i] + rng.choice([c for c in letters if c != w[i]]) + w[i + 1:]
    if kind == "del":
        return w[:i] + w[i + 1:]
    if kind == "ins":
        return w[:i] + rng.choice(letters) + w[i:]
    i = min(i, len(w) - 2)
    return w[:i] + w[i + 1] + w[i] + w[i + 2:] if w[i] != w[i + 1] else w[:i] + rng.choice(letters) + w[i + 1:]


TYPO_CANDIDATES = 20


def typo_candidate(rng, names):
    """One typo query aimed at a random product: up to 3 of its name's words, one of 5+ letters misspelled."""
    target = rng.randrange(N)
    chosen = rng.sample(names[target], min(len(names[target]), 3))
    correct = " ".join(chosen)
    long_ones = [i for i, w in enumerate(chosen) if len(w) >= 5]
    i = rng.choice(long_ones) if long_ones else 0
    chosen[i] = typo(rng, chosen[i])
    return target, " ".join(chosen), correct, frozenset(w.lower() for w in correct.split()), bool(long_ones)


def count_matches(products, word_sets, rank):
    """How many products hold every word of each set, in any searched field (exact words, any case).

    A typo query must be aimed at one product: if the words spelled right are in hundreds of
    products, no engine can tell which one was meant, and the top 10 missing it says nothing
    about typo tolerance. The generator keeps the first of a slot's candidates that is aimed.
    """
    counts = dict.fromkeys(word_sets, 0)
    by_word = {}  # each set under its rarest word (the Zipf rank is the vocabulary index)
    for words in word_sets:
        by_word.setdefault(max(words, key=lambda w: rank.get(w, len(rank))), []).append(words)
    with open(products, encoding="utf-8") as f:
        for line in f:
            r = line.rstrip("\n").split("\t")
            tokens = set(f"{r[3]} {r[4]} {r[2]} {r[8]}".lower().split())
            for w in tokens & by_word.keys():
                for words in by_word[w]:
                    if words <= tokens:
                        counts[words] += 1
    return counts


def generate():
    WORK.mkdir(parents=True, exist_ok=True)
    products, queries = WORK / "products.tsv", WORK / "queries.tsv"
    if products.exists() and queries.exists():
        return products, queries
    rng = random.Random(20261121)
    vocab = list(dict.fromkeys(word(rng, rng.random() < 0.6) for _ in range(80_000)))[:60_000]
    brands = [word(rng, rng.random() < 0.5).capitalize() for _ in range(3000)]
    pick_word = zipf_picker(rng, len(vocab), 1.05)
    pick_brand = zipf_picker(rng, len(brands), 0.9)
    names = []
    start = time.time()
    with open(products, "w", encoding="utf-8") as out:
        for i in range(N):
            name_words = [vocab[pick_word() // 3 + rng.randrange(3) * (len(vocab) // 3)] for _ in range(rng.randint(3, 6))]
            name = " ".join(name_words).capitalize()
            description = " ".join(vocab[pick_word()] for _ in range(rng.randint(20, 40)))
            brand = brands[pick_brand()]
            out.write(f"{i}\t{rng.randrange(500)}\tSKU-{i:07d}\t{name}\t{brand}\t{rng.randrange(300)}\t{rng.randint(100, 500000)}\t"
                      f"{rng.choice([0, 5, 50, 500])}\t{description}\t{rng.randint(0, 100)}\n")
            names.append(name_words)
    slots = []
    for q in range(QUERIES):
        r = rng.random()
        if r < 0.4:
            target = rng.randrange(N)
            words = names[target]
            slots.append(("exact", " ".join(rng.sample(words, min(len(words), rng.randint(1, 3)))), target))
        elif r < 0.7:
            target = rng.randrange(N)
            words = names[target]
            chosen = rng.sample(words, min(len(words), rng.randint(1, 3)))
            last = chosen[-1][:rng.randint(3, max(3, min(6, len(chosen[-1]))))]
            slots.append(("prefix", " ".join(chosen[:-1] + [last]), target))
        else:
            slots.append(("typo", [typo_candidate(rng, names) for _ in range(TYPO_CANDIDATES)]))
    rank = {w.lower(): i for i, w in enumerate(vocab)}
    counts = count_matches(products, {c[3] for s in slots if s[0] == "typo" for c in s[1]}, rank)
    with open(queries, "w", encoding="utf-8") as out:
        for slot in slots:
            if slot[0] != "typo":
                out.write(f"{slot[0]}\t{slot[1]}\t{slot[2]}\n")
                continue
            # The first candidate with its typo in a word of 5+ letters whose words, spelled right,
            # point at no more than 10 products.
            target, text, correct, _, _ = next((c for c in slot[1] if c[4] and counts[c[3]] <= 10), slot[1][0])
            out.write(f"typo\t{text}\t{target}\t{correct}\n")
    print(f"generated {N} products and {QUERIES} queries in {time.time() - start:.0f} s ({products.stat().st_size / 1e6:.0f} MB)")
    return products, queries


def read_queries(path):
    return [line.rstrip("\n").split("\t")[:3] for line in open(path, encoding="utf-8")]


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, math.ceil(len(values) * p) - 1))]


def fts5(products, queries):
    path = WORK / "fts5.sqlite"
    if path.exists():
        path.unlink()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    start = time.time()
    db.execute("CREATE TEMP TABLE staging (id INTEGER, name TEXT, brand TEXT, sku TEXT, description TEXT)")
    with open(products, encoding="utf-8") as f:
        rows = (line.rstrip("\n").split("\t") for line in f)
        db.executemany("INSERT INTO staging VALUES (?, ?, ?, ?, ?)", ((int(r[0]), r[3], r[4], r[2], r[8]) for r in rows))
    db.execute("CREATE VIRTUAL TABLE docs USING fts5 (name, brand, sku, description, tokenize = 'unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO docs (rowid, name, brand, sku, description) SELECT id, name, brand, sku, description FROM staging")
    db.commit()
    build = time.time() - start
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = db.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'docs%'").fetchone()[0]
    latencies = []
    for kind, text, _ in queries:
        words = [w for w in text.split() if w]
        expr = " AND ".join(f'"{w}"' + ("*" if kind == "prefix" and i == len(words) - 1 else "") for i, w in enumerate(words))
        t = time.perf_counter()
        db.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10", (expr,)).fetchall()
        latencies.append((time.perf_counter() - t) * 1000)
    db.close()
    return {"build_s": build, "size_mb": size / 1e6, "p50_ms": pct(latencies, 0.5), "p99_ms": pct(latencies, 0.99)}


def tantivy_engine(products, queries):
    import tantivy
    path = WORK / "tantivy"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir()
    builder = tantivy.SchemaBuilder()
    for field in ("name", "brand", "sku", "description"):
        builder.add_text_field(field, stored=False)
    builder.add_integer_field("id", stored=True, indexed=True)
    schema = builder.build()
    index = tantivy.Index(schema, path=str(path))
    start = time.time()
    writer = index.writer(heap_size=512_000_000, num_threads=2)
    with open(products, encoding="utf-8") as f:
        for line in f:
            r = line.rstrip("\n").split("\t")
            writer.add_document(tantivy.Document(id=int(r[0]), name=r[3], brand=r[4], sku=r[2], description=r[8]))
    writer.commit()
    writer.wait_merging_threads()
    build = time.time() - start
    index.reload()
    searcher = index.searcher()
    latencies, hits, typos = [], 0, 0
    for kind, text, target in queries:
        words = [w.lower() for w in text.split() if w]
        musts = []
        for i, w in enumerate(words):
            distance = 2 if len(w) >= 9 else 1 if len(w) >= 5 else 0
            prefix = kind == "prefix" and i == len(words) - 1
            shoulds = [(tantivy.Occur.Should, tantivy.Query.fuzzy_term_query(schema, f, w, distance=distance, prefix=prefix))
                       for f in ("name", "brand", "description")]
            musts.append((tantivy.Occur.Must, tantivy.Query.boolean_query(shoulds)))
        query = tantivy.Query.boolean_query(musts)
        t = time.perf_counter()
        result = searcher.search(query, 10)
        ids = [searcher.doc(address)["id"][0] for _, address in result.hits]
        latencies.append((time.perf_counter() - t) * 1000)
        if kind == "typo":
            typos += 1
            hits += int(int(target) in ids)
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return {"build_s": build, "size_mb": size / 1e6, "p50_ms": pct(latencies, 0.5), "p99_ms": pct(latencies, 0.99),
            "typo_top10": hits / max(1, typos)}


def tradepost(products, queries_path):
    out = subprocess.run([BENCH_BIN, "search", str(WORK / "tradepost"), str(products), str(queries_path)],
                         capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    if out.returncode != 0:
        raise SystemExit(f"tradepost-bench search failed: {out.returncode}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    products, queries_path = generate()
    queries = read_queries(queries_path)
    steal = StealMeter()
    print(f"== search, {N} products, {len(queries)} queries, {os.cpu_count()} cores")
    f = fts5(products, queries)
    print(f"FTS5 unicode61, ORDER BY rank: build {f['build_s']:.1f} s, size {f['size_mb']:.0f} MB, p50 {f['p50_ms']:.2f} ms, p99 {f['p99_ms']:.1f} ms")
    t = tantivy_engine(products, queries)
    print(f"tantivy, fuzzy:              build {t['build_s']:.1f} s, size {t['size_mb']:.0f} MB, p50 {t['p50_ms']:.2f} ms, "
          f"p99 {t['p99_ms']:.1f} ms, typo hit@10 {t['typo_top10']:.1%}")
    r = tradepost(products, queries_path)
    print(f"Tradepost:                   build {r['build_s']:.1f} s, size {r['size_mb']:.0f} MB, p50 {r['p50_ms']:.2f} ms, "
          f"p99 {r['p99_ms']:.1f} ms, typo hit@10 {r['typo_top10']:.1%}")
    print(f"  with facets p99 {r['facets_p99_ms']:.1f} ms; suggestions p99 {r['suggest_p99_ms']:.1f} ms; "
          f"term dictionary load {r['dictionary_load_ms']:.0f} ms; peak RSS {r['peak_rss_mb']:.0f} MB")
    print("bars:")
    print(f"  p99 {r['p99_ms']:.1f} ms <= 50 ms and <= 1.5 x tantivy ({r['p99_ms'] / t['p99_ms']:.2f} x)")
    print(f"  p50 {r['p50_ms']:.2f} ms <= 5 ms (exact {r.get('p50_exact_ms', 0):.2f}, prefix {r.get('p50_prefix_ms', 0):.2f}, "
          f"typo {r.get('p50_typo_ms', 0):.2f})")
    print(f"  typo hit@10 {r['typo_top10']:.1%} >= 99% (all typo queries); {r['typo_top10_identifiable']:.1%} of the "
          f"{r['identifiable']:.0f} whose words without the typo match at most 10 products")
    print(f"  facets p99 {r['facets_p99_ms']:.1f} ms <= 100 ms; suggestions p99 {r['suggest_p99_ms']:.1f} ms <= 10 ms")
    print(f"  build {r['build_s']:.1f} s = {r['build_s'] / f['build_s']:.2f} x FTS5 (<= 1.5 x); "
          f"size {r['size_mb']:.0f} MB = {r['size_mb'] / f['size_mb']:.2f} x FTS5 (<= 1.5 x)")
    print(f"  (CPU time this VM lost to other guests during the measurements: {steal.percent():.0f} %)")


if __name__ == "__main__":
    main()
