"""Logins, sessions, cookies with CSRF, API tokens and login throttling, over real HTTP."""
import time

import requests

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, problem, run_cli


def test_login_me_logout(server):
    server.create_tenant("acme", owner_email="boss@acme.test")
    token = server.login("boss@acme.test", "owner-password-1", tenant="acme")
    assert token.startswith("tps_")
    me = server.api("GET", "/me", token).json()
    assert me["email"] == "boss@acme.test" and me["role"] == "owner" and me["tenant"]["slug"] == "acme"
    assert "users.manage" in me["permissions"]
    assert server.api("POST", "/auth/logout", token).status_code == 204
    problem(server.api("GET", "/me", token), 401, "unauthenticated")


def test_cookie_session_requires_csrf_on_unsafe_requests(server):
    server.create_tenant("acme", owner_email="boss@acme.test")
    browser = requests.Session()
    r = browser.post(server.url + "/api/v1/auth/login",
                     json={"tenant": "acme", "email": "boss@acme.test", "password": "owner-password-1", "mode": "cookie"})
    assert r.status_code == 200
    assert "token" not in r.json()
    csrf = r.json()["csrf_token"]
    set_cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie and "Path=/" in set_cookie
    assert browser.get(server.url + "/api/v1/me").status_code == 200

    body = {"name": "Pharmacy 5", "type": "pharmacy", "city": "Kyiv"}
    problem(browser.post(server.url + "/api/v1/businesses", json=body), 403, "forbidden")
    problem(browser.post(server.url + "/api/v1/businesses", json=body, headers={"X-CSRF-Token": "0" * 64}), 403)
    problem(browser.post(server.url + "/api/v1/businesses", json=body,
                         headers={"X-CSRF-Token": csrf, "Origin": "https://evil.example"}), 403)
    assert browser.get(server.url + "/api/v1/businesses").json()["items"] == [], "refused requests changed nothing"
    ok = browser.post(server.url + "/api/v1/businesses", json=body,
                      headers={"X-CSRF-Token": csrf, "Origin": server.url})
    assert ok.status_code == 201, ok.text
    out = browser.post(server.url + "/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204
    problem(browser.get(server.url + "/api/v1/me"), 401)


def test_sessions_can_be_listed_and_revoked(server):
    server.create_tenant("acme", owner_email="boss@acme.test")
    laptop = server.login("boss@acme.test", "owner-password-1", tenant="acme")
    phone = server.login("boss@acme.test", "owner-password-1", tenant="acme", headers={"User-Agent": "phone"})
    sessions = server.api("GET", "/me/sessions", laptop).json()["items"]
    assert len(sessions) == 2
    current = [s for s in sessions if s["current"]]
    other = [s for s in sessions if not s["current"]][0]
    assert len(current) == 1 and other["user_agent"] == "phone"
    assert server.api("DELETE", f"/me/sessions/{other['id']}", laptop).status_code == 204
    problem(server.api("GET", "/me", phone), 401)
    problem(server.api("DELETE", f"/me/sessions/{other['id']}", laptop), 404, "not_found")


def test_api_tokens_have_names_scopes_and_expiry(server):
    server.create_tenant("acme", owner_email="boss@acme.test")
    session = server.login("boss@acme.test", "owner-password-1", tenant="acme")
    r = server.api("POST", "/me/tokens", session, json={"name": "price sync", "scopes": ["read"], "expires_in_days": 30})
    assert r.status_code == 201, r.text
    created = r.json()
    secret = created["secret"]
    assert secret.startswith("tpt_") and len(secret) == 47
    assert created["token"]["name"] == "price sync" and created["token"]["scopes"] == ["read"]
    listed = server.api("GET", "/me/tokens", session).json()["items"]
    assert [t["name"] for t in listed] == ["price sync"] and "secret" not in listed[0]
    assert server.api("GET", "/businesses", secret).status_code == 200
    problem(server.api("POST", "/businesses", secret, json={"name": "X", "type": "supplier", "city": "Lviv"}), 403)
    problem(server.api("POST", "/me/tokens", session, json={"name": "x", "scopes": ["root"]}), 400, "invalid")
    problem(server.api("POST", "/me/tokens", session, json={"name": "x", "scopes": ["read"], "expires_in_days": 9999}), 400)
    assert server.api("DELETE", f"/me/tokens/{created['token']['id']}", session).status_code == 204
    problem(server.api("GET", "/businesses", secret), 401)


def test_login_throttling_slows_guessing_without_locking_out(server):
    server.create_tenant("acme", owner_email="boss@acme.test")
    url = server.url + "/api/v1/auth/login"
    wrong = {"tenant": "acme", "email": "boss@acme.test", "password": "guess-guess"}
    statuses = [requests.post(url, json=wrong).status_code for _ in range(5)]
    assert statuses == [401] * 5
    sixth = requests.post(url, json=wrong)
    assert sixth.status_code == 401  # the sixth failure starts the delay
    blocked = requests.post(url, json={**wrong, "password": "owner-password-1"})
    body = problem(blocked, 429, "rate_limited")
    retry = int(blocked.headers["Retry-After"])
    assert 1 <= retry <= 2 and body["retry_after"] == retry
    # Another account from the same address is not blocked by this one.
    assert server.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    time.sleep(retry + 0.2)
    ok = requests.post(url, json={**wrong, "password": "owner-password-1"})
    assert ok.status_code == 200, "the real user gets in once the delay has passed"
    # Success clears the account's failures.
    assert requests.post(url, json=wrong).status_code == 401
    assert requests.post(url, json={**wrong, "password": "owner-password-1"}).status_code == 200


def test_platform_admin_login_and_tenant_user_separation(server):
    server.create_tenant("acme", owner_email="boss@acme.test")
    r = requests.post(server.url + "/api/v1/auth/login", json={"email": "boss@acme.test", "password": "owner-password-1"})
    problem(r, 401, "unauthenticated")
    r = requests.post(server.url + "/api/v1/auth/login", json={"tenant": "acme", "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    problem(r, 401, "unauthenticated")


def test_signing_in_never_depends_on_an_old_credential(server):
    """A client that still sends yesterday's bearer token can sign in, sign out and ask who it is;
    every other endpoint refuses the stale token."""
    s = server
    token = s.admin_token()
    assert s.api("POST", "/auth/logout", token).status_code == 204
    stale = {"Authorization": f"Bearer {token}"}
    r = requests.post(s.url + "/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}, headers=stale)
    assert r.status_code == 200, r.text
    fresh = r.json()["token"]
    assert s.api("GET", "/me", fresh).status_code == 200
    session = requests.get(s.url + "/api/v1/auth/session", headers=stale)
    assert session.status_code == 200 and session.json() == {"me": None}
    assert requests.post(s.url + "/api/v1/auth/logout", headers={"Authorization": "Bearer tps_never-issued"}).status_code == 204
    problem(s.api("GET", "/me", token), 401, "unauthenticated")
    problem(requests.post(s.url + "/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": "wrong-password"}, headers=stale),
            401, "unauthenticated")


def test_revocation_takes_effect_on_the_next_request_whatever_is_cached(server):
    """Issue 20: the server keeps who a credential stands for in memory; every change to it, made
    through the API or by the command line in another process, must still count on the next request."""
    tenant = server.create_tenant("acme", owner_email="boss@acme.test")
    boss = server.login("boss@acme.test", "owner-password-1", tenant="acme")
    r = server.api("POST", "/users", boss, json={"email": "m@acme.test", "name": "Mira", "password": "member-password-1"})
    assert r.status_code == 201, r.text
    member_id = r.json()["user"]["id"]
    member = server.login("m@acme.test", "member-password-1", tenant="acme")
    r = server.api("POST", "/me/tokens", member, json={"name": "sync", "scopes": ["read"]})
    token, token_id = r.json()["secret"], r.json()["token"]["id"]

    def warm(credential):
        for _ in range(3):
            assert server.api("GET", "/me", credential).status_code == 200

    # A role change shows on the next request.
    warm(member)
    assert server.api("GET", "/me", member).json()["role"] == "member"
    assert server.api("PATCH", f"/users/{member_id}", boss, json={"role": "admin"}).status_code == 200
    assert server.api("GET", "/me", member).json()["role"] == "admin"

    # A revoked token is refused on the next request.
    warm(token)
    assert server.api("DELETE", f"/me/tokens/{token_id}", member).status_code == 204
    problem(server.api("GET", "/me", token), 401, "unauthenticated")

    # A user disabled by the command line (another process) is refused on the next request.
    warm(member)
    run_cli("user", "disable", "m@acme.test", "--tenant", "acme", data=server.data)
    problem(server.api("GET", "/me", member), 401, "unauthenticated")

    # A suspended tenant's owner is refused on the next request; resumed, they are back.
    warm(boss)
    admin = server.admin_token()
    assert server.api("POST", f"/admin/tenants/{tenant['id']}/suspend", admin).status_code == 200
    problem(server.api("GET", "/me", boss), 403, "tenant_suspended")
    assert server.api("POST", f"/admin/tenants/{tenant['id']}/resume", admin).status_code == 200
    assert server.api("GET", "/me", boss).status_code == 200

    # Logging out ends the session at once.
    warm(boss)
    assert server.api("POST", "/auth/logout", boss).status_code in (200, 204)
    problem(server.api("GET", "/me", boss), 401, "unauthenticated")
