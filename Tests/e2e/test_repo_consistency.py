"""Things that must stay in step across files: message catalogs, documented config keys."""
import json
import re
from pathlib import Path

from conftest import ROOT, cli_json

WEB = ROOT / "Resources" / "web" / "js"
PLURAL = re.compile(r"\.(zero|one|two|few|many|other)$")


def catalog(name):
    # A language is its main file and its concern files (en.js, en+trade.js).
    text = "".join(p.read_text() for p in sorted((WEB / "i18n").glob(f"{name}*.js")))
    return dict(re.findall(r"^\s*'([^']+)':\s*'((?:[^'\\]|\\.)*)',?$", text, re.M))


def base_keys(keys):
    return {PLURAL.sub("", k) for k in keys}


def test_every_language_has_every_message():
    en, uk, ru = catalog("en"), catalog("uk"), catalog("ru")
    assert len(en) > 100
    for name, other in (("uk", uk), ("ru", ru)):
        assert base_keys(other) == base_keys(en), f"{name}.js differs from en.js"
        for key, text in other.items():
            placeholders = set(re.findall(r"\{(\w+)\}", text))
            source = en.get(key) or en.get(PLURAL.sub(".other", key))
            assert placeholders == set(re.findall(r"\{(\w+)\}", source)), (name, key)
    for name, other in (("uk", uk), ("ru", ru)):
        for key in en:
            if key.endswith(".other"):
                stem = key[: -len(".other")]
                assert {f"{stem}.{f}" for f in ("one", "few", "many", "other")} <= other.keys(), (name, stem)


def test_every_message_used_by_the_app_exists():
    en = catalog("en")
    used = set()
    for js in WEB.rglob("*.js"):
        if "i18n" in js.parts:
            continue
        used |= set(re.findall(r"\bt\('([a-zA-Z.]+)'", js.read_text()))
        used |= {k + ".other" for k in re.findall(r"\bplural\('([a-zA-Z.]+)'", js.read_text())}
    missing = sorted(k for k in used if k not in en)
    assert missing == []


def test_the_packaged_config_documents_every_key():
    entries = cli_json("config", "print")
    keys = {e["key"] for e in entries}
    sample = (ROOT / "packaging" / "tradepost.yaml").read_text()
    readme = (ROOT / "README.md").read_text()
    for key in keys:
        leaf = key.split(".")[-1]
        assert re.search(rf"^\s*{re.escape(leaf)}:", sample, re.M), f"{key} missing from packaging/tradepost.yaml"
        assert f"`{key}`" in readme, f"{key} missing from the README's configuration reference"
    loaded = {e["key"]: e for e in cli_json("config", "print", "--config", str(ROOT / "packaging" / "tradepost.yaml"))}
    assert loaded["data"]["value"] == "/var/lib/tradepost" and loaded["data"]["source"] == "file"
    assert loaded["http.listen"]["value"] == "127.0.0.1:8080"


def _architecture_copy(tmp_path):
    """The files scripts/check-architecture reads, copied so a test can break them."""
    import shutil
    for rel in ("scripts/check-architecture", "Package.swift", "docs/architecture.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    shutil.copytree(ROOT / "Sources" / "TradepostHTTP", tmp_path / "Sources" / "TradepostHTTP",
                    ignore=shutil.ignore_patterns("*.json", "*.yaml"))
    return tmp_path


def _check(root):
    import subprocess
    import sys
    return subprocess.run([sys.executable, str(root / "scripts" / "check-architecture")],
                          capture_output=True, text=True)


def test_the_architecture_check_passes_here_and_names_each_drift(tmp_path):
    root = _architecture_copy(tmp_path)
    assert _check(root).returncode == 0, _check(root).stderr

    route = root / "Sources" / "TradepostHTTP" / "Routes" / "MediaRoutes.swift"
    route.write_text("import TradepostStore\n" + route.read_text())
    responder = root / "Sources" / "TradepostHTTP" / "S3" / "S3Responder.swift"
    responder.write_text(responder.read_text() + "\nlet leak = ObjectStore.self\n")
    package = root / "Package.swift"
    text = package.read_text()
    anchor = 'name: "TradepostSearch",\n            dependencies: [\n                "TradepostCore",'
    assert anchor in text
    package.write_text(text.replace(anchor, anchor + ' "TradepostStore",', 1))

    result = _check(root)
    assert result.returncode == 1
    assert "Routes/MediaRoutes.swift:1: imports TradepostStore" in result.stderr
    assert "S3/S3Responder.swift" in result.stderr and "implementation" in result.stderr
    assert "TradepostSearch depends on TradepostStore" in result.stderr
