"""The audit trail with the real binary: logins, user and business changes are recorded with who,
when and from where; the API filters and pages them for tenant admins only (and the platform's
trail for platform admins); `tradepost audit verify` passes on an untouched trail and names the
entry when one is edited or deleted behind the server's back."""
import sqlite3

from conftest import cli_json, problem, run_cli


def test_trail_api_filters_and_verification(server):
    admin = server.admin_token()
    server.create_tenant("audited", owner_email="o@audited.test", token=admin)
    owner = server.login("o@audited.test", "owner-password-1", tenant="audited")
    server.api("POST", "/users", owner, json={"email": "m@audited.test", "name": "Member", "password": "member-password-1"}).json()
    biz = server.api("POST", "/businesses", owner, json={"name": "Audit Farm", "type": "pharmacy", "city": "Lviv"}).json()
    server.api("PATCH", f"/businesses/{biz['id']}", owner, json={"city": "Kyiv"})

    entries = server.api("GET", "/audit?limit=200", owner).json()["items"]
    actions = [e["action"] for e in entries]
    assert actions[:2] == ["business.update", "business.create"]  # newest first
    assert {"auth.login", "user.create"} <= set(actions)
    login = next(e for e in entries if e["action"] == "auth.login")
    assert login["ip"] == "127.0.0.1" and login["actor"].startswith("user:")
    assert all(len(e["hash"]) == 64 for e in entries)

    only = server.api("GET", "/audit?action=business.", owner).json()["items"]
    assert [e["action"] for e in only] == ["business.update", "business.create"]
    page1 = server.api("GET", "/audit?limit=1", owner).json()
    page2 = server.api("GET", f"/audit?limit=1&cursor={page1['next_cursor']}", owner).json()
    assert page1["items"][0]["id"] > page2["items"][0]["id"]
    assert server.api("GET", "/audit?since=2999-01-01", owner).json()["items"] == []
    problem(server.api("GET", "/audit?since=yesterday", owner), 400, "invalid")
    problem(server.api("GET", "/audit?limit=0", owner), 400, "invalid")
    assert server.api("GET", "/audit/verify", owner).json() == {
        "entries": len(entries), "sealed": len(entries), "unsealed": 0, "problems": [], "ok": True}

    # A member may not read the trail; platform admins read the platform's.
    token = server.login("m@audited.test", "member-password-1", tenant="audited")
    problem(server.api("GET", "/audit", token), 403, "forbidden")
    platform = server.api("GET", "/admin/audit?action=tenant.create", admin).json()["items"]
    assert any(e["target"] for e in platform)
    assert server.api("GET", "/admin/audit/verify", admin).json()["ok"] is True


def test_cli_verify_names_edited_and_deleted_entries(server):
    server.create_tenant("ledger", owner_email="o@ledger.test")
    owner = server.login("o@ledger.test", "owner-password-1", tenant="ledger")
    for name in ["One", "Two", "Three"]:
        server.api("POST", "/businesses", owner, json={"name": name, "type": "supplier", "city": "Lviv"})
    ok = cli_json("audit", "verify", "--tenant", "ledger", data=server.data)
    assert ok["ok"] and ok["entries"] >= 5
    listed = cli_json("audit", "list", "--tenant", "ledger", "--action", "business.create", data=server.data)
    assert len(listed) == 3

    tenant_db = next(p for p in (server.data / "tenants").glob("*.sqlite")
                     if sqlite3.connect(p).execute("SELECT 1 FROM users WHERE email = 'o@ledger.test'").fetchone())
    db = sqlite3.connect(tenant_db)
    try:  # the triggers stop even a direct UPDATE…
        db.execute("UPDATE audit_log SET actor = 'nobody' WHERE id = 2")
        raise AssertionError("the audit trail accepted an UPDATE")
    except sqlite3.DatabaseError as e:
        assert "append-only" in str(e)
    # …so a tamperer drops them first: verify still finds the edit and the deletions.
    db.execute("DROP TRIGGER audit_log_append_only_update")
    db.execute("DROP TRIGGER audit_log_append_only_delete")
    middle = listed[1]["id"]
    db.execute("UPDATE audit_log SET detail = '{\"name\":\"Forged\"}' WHERE id = ?", (middle,))
    last = db.execute("SELECT MAX(id) FROM audit_log").fetchone()[0]
    db.execute("DELETE FROM audit_log WHERE id = ?", (last,))
    db.commit()
    db.close()
    out = run_cli("audit", "verify", "--tenant", "ledger", data=server.data, check=False)
    assert out.returncode == 1, out.stdout
    assert f"entry {middle} does not match its hash" in out.stdout
    assert f"entry {last} was deleted" in out.stdout
    assert "triggers" in out.stdout and "FAILED" in out.stdout
    # The untouched tenant's trail still verifies.
    assert cli_json("audit", "verify", "--platform", data=server.data)["ok"]
