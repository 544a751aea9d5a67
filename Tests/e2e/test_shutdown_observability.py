"""Graceful shutdown, logs, metrics, health and the OpenAPI document of the real server."""
import json
import signal
import threading
import time

import requests
from openapi_spec_validator import validate

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, Server


def test_sigterm_lets_in_flight_requests_finish_and_checkpoints(data_dir):
    s = Server(data_dir).start()
    results = []

    def slow_login():  # bcrypt at cost 12 takes a few hundred milliseconds
        r = requests.post(s.url + "/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}, timeout=30)
        results.append(r.status_code)

    threads = [threading.Thread(target=slow_login) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.15)
    s.proc.send_signal(signal.SIGTERM)
    for t in threads:
        t.join(30)
    assert s.proc.wait(20) == 0
    s.log.close()
    assert results == [200] * 4, results
    wal = data_dir / "control.sqlite-wal"
    assert not wal.exists() or wal.stat().st_size == 0, "WAL was not checkpointed on shutdown"
    assert any(line.get("msg") == "databases checkpointed and closed" for line in s.log_lines())
    # Nothing acknowledged was lost: the sessions made during shutdown are in the database.
    again = Server(data_dir).start()
    try:
        token = again.admin_token()
        assert len(again.api("GET", "/me/sessions", token).json()["items"]) == 5
    finally:
        again.stop()


def test_logs_are_json_lines_with_request_ids_and_no_secrets(server):
    token = server.admin_token()
    r = server.api("GET", "/admin/tenants?limit=5", token, headers={"X-Request-Id": "trace-abc-123"})
    assert r.headers["X-Request-Id"] == "trace-abc-123"
    time.sleep(0.2)
    lines = server.log_lines()
    access = [l for l in lines if l.get("msg") == "request"]
    mine = [l for l in access if l.get("request_id") == "trace-abc-123"]
    assert len(mine) == 1
    line = mine[0]
    assert line["method"] == "GET" and line["route"] == "/api/v1/admin/tenants" and line["status"] == 200
    assert float(line["duration_ms"]) >= 0 and line["level"] == "info" and "ts" in line
    assert all("request_id" in l for l in access)
    raw = server.output()
    assert token not in raw and ADMIN_PASSWORD not in raw and "limit=5" not in raw


def test_health_readiness_and_metrics(server):
    assert requests.get(server.url + "/healthz").json() == {"status": "ok"}
    ready = requests.get(server.url + "/readyz").json()
    assert ready["status"] == "ok" and {c["name"] for c in ready["checks"]} == {"control_db", "disk"}
    server.api("GET", "/me")
    text = requests.get(server.url + "/metrics").text
    for name in ["tradepost_http_requests_total", "tradepost_http_request_duration_seconds_bucket",
                 "tradepost_tenant_databases_open", "tradepost_sqlite_busy_errors_total", "process_resident_memory_bytes"]:
        assert name in text, name
    assert 'route="/api/v1/me",status="401"' in text


def test_readiness_fails_when_the_disk_is_short(data_dir):
    s = Server(data_dir, env={"TRADEPOST_HEALTH_MIN_FREE_DISK_MB": str(10**9)}).start()
    try:
        r = requests.get(s.url + "/readyz")
        assert r.status_code == 503
        assert [c for c in r.json()["checks"] if c["name"] == "disk"][0]["ok"] is False
    finally:
        s.stop()


def test_openapi_document_is_valid_and_matches_responses(shared_server):
    doc = requests.get(shared_server.url + "/api/openapi.json").json()
    validate(doc)
    assert doc["openapi"] == "3.1.0"
    import jsonschema
    schemas = doc["components"]["schemas"]
    resolver_doc = {"components": {"schemas": schemas}}

    def check(instance, name):
        schema = {**schemas[name], "components": resolver_doc["components"]}
        jsonschema.validate(instance, schema)

    token = shared_server.admin_token()
    check(shared_server.api("GET", "/me", token).json(), "Me")
    check(shared_server.api("GET", "/admin/tenants", token).json(), "TenantList")
    check(shared_server.api("GET", "/admin/plans", token).json(), "PlanList")
    check(shared_server.api("GET", "/me/sessions", token).json(), "SessionList")
    check(shared_server.api("GET", "/users").json(), "Problem")
    check(requests.get(shared_server.url + "/readyz").json(), "Readiness")


def test_web_app_is_served_with_csp_caching_and_gzip(shared_server):
    page = requests.get(shared_server.url + "/businesses/anything")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["Cache-Control"] == "no-cache"
    assert "<script>" not in page.text and "onclick=" not in page.text
    import re
    asset = re.search(r'src="(/assets/[0-9a-f]+/js/main\.js)"', page.text).group(1)
    r = requests.get(shared_server.url + asset, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    assert "immutable" in r.headers["Cache-Control"] and "max-age=31536000" in r.headers["Cache-Control"]
    assert r.headers["Content-Type"].startswith("text/javascript")
    etag = r.headers["ETag"]
    assert requests.get(shared_server.url + asset, headers={"If-None-Match": etag}).status_code == 304
    missing = requests.get(shared_server.url + "/api/v1/does-not-exist")
    assert missing.status_code == 404 and missing.headers["Content-Type"] == "application/problem+json"
