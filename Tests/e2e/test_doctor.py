"""`tradepost doctor` on real data dirs: all good on a fresh one (exit 0), then one problem at a
time, each reported with its severity and fix and the exit status monitoring expects (1 warnings,
2 errors): a data dir others may write, a damaged tenant database, a clock behind the recorded
data, a discarded job, a file owned by someone else, a tenant file the server would refuse."""
import json
import os
import sqlite3

import requests

from conftest import Server, problem, run_cli


def doctor(data):
    out = run_cli("doctor", "--json", data=data, check=False)
    report = json.loads(out.stdout)
    return out.returncode, report["status"], {f["check"]: f for f in report["findings"] if f["severity"] != "ok"}, report


def test_doctor_reports_each_problem_with_a_fix(tmp_path):
    data = tmp_path / "data"
    s = Server(data).start()
    s.admin_token()  # a session: the newest time the data records
    code, status, problems, report = doctor(data)
    assert (code, status, problems) == (0, "ok", {}), report
    assert {f["check"] for f in report["findings"]} >= {"data dir", "disk", "database", "clock", "server", "jobs", "config"}
    assert "a server is running" in next(f["message"] for f in report["findings"] if f["check"] == "server")
    assert s.stop() == 0
    assert oct(data.stat().st_mode & 0o777) == "0o750"  # the server made it private

    os.chmod(data, 0o777)
    code, status, problems, _ = doctor(data)
    assert (code, status) == (2, "error") and "chmod 0750" in problems["data dir"]["fix"]
    os.chmod(data, 0o750)

    db = sqlite3.connect(data / "control.sqlite")
    assert db.execute("UPDATE sessions SET created_at = '2099-01-01 00:00:00.000'").rowcount >= 1
    db.commit()
    db.close()
    code, status, problems, _ = doctor(data)
    assert (code, status) == (2, "error") and "behind data recorded" in problems["clock"]["message"]
    db = sqlite3.connect(data / "control.sqlite")
    db.execute("DELETE FROM sessions")
    db.commit()
    db.close()

    jobs = sqlite3.connect(data / "jobs.sqlite")
    jobs.execute("""INSERT INTO jobs (type, queue, payload, state, attempts, max_attempts, timeout_ms, run_at, last_error, created_at)
                    VALUES ('probe', 'default', '{}', 'discarded', 3, 3, 1000, 0, 'boom', 0)""")
    jobs.commit()
    jobs.close()
    code, status, problems, _ = doctor(data)
    assert (code, status) == (1, "warning") and "discarded" in problems["jobs"]["message"]

    if os.geteuid() == 0:  # only root can give a file away
        stray = data / "tenants" / "stray.txt"
        stray.write_text("x")
        os.chown(stray, 65534, 65534)
        code, status, problems, _ = doctor(data)
        assert code == 2 and "chown -R" in problems["ownership"]["fix"]
        stray.unlink()

    tenant_db = next((data / "tenants").glob("*.sqlite"))
    raw = bytearray(tenant_db.read_bytes())
    for page in range(2, min(len(raw) // 4096, 12)):
        raw[page * 4096: page * 4096 + 8] = b"\xff" * 8  # b-tree page headers
    tenant_db.write_bytes(bytes(raw))
    code, status, problems, _ = doctor(data)
    assert code == 2 and tenant_db.name in problems["database"]["message"] and "restore" in problems["database"]["fix"]


def test_a_tenant_file_the_server_would_refuse_is_named_and_answers_503(tmp_path):
    """A tenant file whose migration record has a hole (edited by hand, half copied): the server
    refuses to open it, so its users get a 503 problem that blames no one, while the log and
    `doctor` name the file and the missing migration. Put back, it opens again."""
    data = tmp_path / "data"
    s = Server(data).start()
    tenant = s.create_tenant("acme", owner_email="boss@acme.test")
    s.login("boss@acme.test", "owner-password-1", tenant="acme")
    assert s.stop() == 0

    def stamp(path):
        db = sqlite3.connect(path)
        try:
            return db.execute("SELECT value FROM settings WHERE key = 'tenant_id'").fetchone()[0]
        finally:
            db.close()
    [tenant_file] = [p for p in (data / "tenants").glob("*.sqlite") if stamp(p) == tenant["id"]]
    db = sqlite3.connect(tenant_file)
    record = db.execute("SELECT * FROM schema_migrations WHERE version = 2").fetchone()
    db.execute("DELETE FROM schema_migrations WHERE version = 2")
    db.commit()
    db.close()

    code, status, problems, _ = doctor(data)
    assert (code, status) == (2, "error"), problems
    assert tenant_file.name in problems["schema"]["message"] and "but not 2" in problems["schema"]["message"]
    assert "restore" in problems["schema"]["fix"]

    s = Server(data).start()
    try:
        body = problem(requests.post(s.url + "/api/v1/auth/login", timeout=10,
                                     json={"email": "boss@acme.test", "password": "owner-password-1", "tenant": "acme"}), 503, "unavailable")
        assert "tradepost doctor" in body["detail"] and "migration" not in body["detail"]
        s.wait_for(lambda: "but not 2" in s.output(), timeout=5, message="the cause in the log")
    finally:
        assert s.stop() == 0

    db = sqlite3.connect(tenant_file)
    db.execute("INSERT INTO schema_migrations VALUES (?, ?, ?, ?)", record)
    db.commit()
    db.close()
    assert doctor(data)[:3] == (0, "ok", {})
    s = Server(data).start()
    try:
        s.login("boss@acme.test", "owner-password-1", tenant="acme")
    finally:
        assert s.stop() == 0
