"""Tenant lifecycle, and bad input answered with problem+json that changes nothing."""
from conftest import problem


def test_suspended_tenant_gets_403_and_keeps_its_data(server):
    admin = server.admin_token()
    tenant = server.create_tenant("acme", owner_email="boss@acme.test", token=admin)
    owner = server.login("boss@acme.test", "owner-password-1", tenant="acme")
    business = server.api("POST", "/businesses", owner, json={"name": "Аптека Добробут", "type": "pharmacy", "city": "Київ"}).json()

    assert server.api("POST", f"/admin/tenants/{tenant['id']}/suspend", admin).json()["status"] == "suspended"
    body = problem(server.api("GET", "/businesses", owner), 403, "tenant_suspended")
    assert "suspended" in body["detail"]
    problem(server.api("POST", "/auth/login", json={"tenant": "acme", "email": "boss@acme.test", "password": "owner-password-1"}),
            403, "tenant_suspended")
    # Another tenant is unaffected.
    demo = server.api("GET", "/admin/tenants?status=active", admin).json()["items"]
    assert [t["slug"] for t in demo] == ["demo"]

    assert server.api("POST", f"/admin/tenants/{tenant['id']}/resume", admin).json()["status"] == "active"
    items = server.api("GET", "/businesses", owner).json()["items"]
    assert [b["id"] for b in items] == [business["id"]] and items[0]["city"] == "Київ"


def test_bad_input_is_a_problem_and_changes_nothing(server):
    server.create_tenant("acme", owner_email="boss@acme.test")
    owner = server.login("boss@acme.test", "owner-password-1", tenant="acme")
    before = server.api("GET", "/users", owner).json()["items"]
    url = server.url + "/api/v1/users"
    headers = {"Authorization": f"Bearer {owner}", "Content-Type": "application/json"}
    import requests

    cases = [
        (b'{"email": "x@acme.test", "name": ', 400, "not valid JSON"),
        (b'"just a string"', 400, "JSON object"),
        (b'{"email": "x@acme.test", "name": 42}', 400, "must be a string"),
        (b'{"email": "x@acme.test", "name": "X", "role": "emperor"}', 400, "role"),
        (b'{"email": "x@acme.test", "name": "X", "is_admin": true}', 400, "is_admin"),
        (b'{"email": "x@acme.test"}', 400, "is required"),
        (b'{"email": "x@acme.test", "name": "X", "password": "short"}', 400, "at least 8"),
        (b'{"email": "' + b"a" * (2 << 20) + b'"}', 413, None),
    ]
    for raw, status, text in cases:
        r = requests.post(url, data=raw, headers=headers)
        body = problem(r, status)
        if text:
            assert text in r.text, (raw[:60], r.text)
        if status == 400:
            assert body["code"] == "invalid"
    problem(requests.post(url, data=b"email=x", headers={**headers, "Content-Type": "application/x-www-form-urlencoded"}), 415)
    after = server.api("GET", "/users", owner).json()["items"]
    assert after == before
    problem(server.api("GET", "/users/01aaaaaaaaaaaaaaaaaaaaaaaa", owner), 404, "not_found")
    problem(server.api("PUT", "/users", owner), 405, "method_not_allowed")
