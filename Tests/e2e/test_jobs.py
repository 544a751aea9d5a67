"""The jobs engine through the real server: API, CLI, outbox delivery, the live WebSocket, metrics."""
import asyncio
import json
import time

import requests
import websockets

from conftest import cli_json, problem, run_cli
from conftest import cli_json as _cli_json, run_cli as _run_cli


def probe_lines(server):
    return server.probe.read_text().splitlines() if server.probe.exists() else []


def test_admins_enqueue_inspect_and_steer_jobs(probed_server):
    s = probed_server
    admin = s.admin_token()
    tenant = s.create_tenant("acme", owner_email="boss@acme.test", token=admin)
    owner = s.login("boss@acme.test", "owner-password-1", tenant="acme")

    r = s.api("POST", "/admin/jobs", admin, json={"type": "test.probe", "payload": {"tag": "hello"}, "tenant_id": tenant["id"]})
    assert r.status_code == 201, r.text
    job = r.json()
    assert job["state"] == "pending" and job["tenant_id"] == tenant["id"] and job["queue"] == "probe"
    s.wait_for(lambda: s.api("GET", f"/jobs/{job['id']}", admin).json()["state"] == "succeeded", message="the probe job")
    assert any(line.startswith(f"start {job['id']} 1 ") and line.endswith(" hello") for line in probe_lines(s))

    # The tenant's owner sees it (it runs for their tenant); counts are by queue.
    seen = s.api("GET", f"/jobs/{job['id']}", owner).json()
    assert seen["id"] == job["id"]
    stats = {q["queue"]: q for q in s.api("GET", "/jobs/stats", owner).json()["items"]}
    mine = s.api("GET", "/jobs?state=succeeded&queue=probe", owner).json()["items"]
    assert {j["tenant_id"] for j in mine} == {tenant["id"]}, "a tenant admin sees only their tenant's jobs"
    assert stats["probe"]["succeeded"] == len(mine) >= 1
    everyone = {q["queue"]: q for q in s.api("GET", "/jobs/stats", admin).json()["items"]}
    assert everyone["probe"]["succeeded"] > stats["probe"]["succeeded"], "the platform sees the demo tenant's jobs too"

    # A unique key makes a second enqueue return the first job.
    paused = s.api("POST", "/admin/queues/probe/pause", admin).json()
    assert paused["paused"] is True
    first = s.api("POST", "/admin/jobs", admin, json={"type": "test.probe", "payload": {"tag": "u"}, "unique_key": "only-one"}).json()
    again = s.api("POST", "/admin/jobs", admin, json={"type": "test.probe", "payload": {"tag": "u2"}, "unique_key": "only-one"}).json()
    assert first["id"] == again["id"]
    delayed = s.api("POST", "/admin/jobs", admin, json={"type": "test.probe", "payload": {"tag": "later"}, "delay_seconds": 3600}).json()
    assert s.api("POST", f"/jobs/{delayed['id']}/discard", admin).json()["state"] == "discarded"
    assert s.api("POST", f"/jobs/{delayed['id']}/retry", admin).json()["state"] == "pending"
    assert s.api("POST", f"/jobs/{delayed['id']}/cancel", admin).json()["state"] == "cancelled"
    problem(s.api("POST", f"/jobs/{delayed['id']}/discard", admin), 409, "conflict")
    assert s.api("POST", "/admin/queues/probe/resume", admin).json()["paused"] is False
    s.wait_for(lambda: s.api("GET", f"/jobs/{first['id']}", admin).json()["state"] == "succeeded", message="the unique job")

    # Bad input and forbidden actions change nothing.
    problem(s.api("POST", "/admin/jobs", admin, json={"type": "no.such.type"}), 400, "invalid")
    problem(s.api("POST", "/admin/jobs", admin, json={"type": "test.probe", "payload": {"tag": 5}}), 400, "invalid")
    problem(s.api("POST", "/admin/jobs", admin, json={"type": "test.event", "payload": {}}), 403, "forbidden")
    problem(s.api("POST", "/admin/jobs", owner, json={"type": "test.probe", "payload": {"tag": "x"}}), 403, "forbidden")
    problem(s.api("POST", "/admin/queues/probe/pause", owner), 403, "forbidden")
    problem(s.api("POST", "/admin/queues/nope/pause", admin), 404, "not_found")
    problem(s.api("GET", "/jobs/abc", admin), 404, "not_found")
    problem(s.api("GET", "/jobs?state=weird", admin), 400, "invalid")
    member = s.api("POST", "/users", owner, json={"email": "m@acme.test", "name": "M", "password": "member-pass-1"})
    assert member.status_code == 201
    problem(s.api("GET", "/jobs/stats", s.login("m@acme.test", "member-pass-1", tenant="acme")), 403, "forbidden")


def test_committed_changes_reach_event_handlers(probed_server):
    s = probed_server
    s.create_tenant("acme", owner_email="boss@acme.test")
    owner = s.login("boss@acme.test", "owner-password-1", tenant="acme")
    business = s.api("POST", "/businesses", owner, json={"name": "Аптека", "type": "pharmacy", "city": "Lviv"}).json()
    user = s.api("POST", "/users", owner, json={"email": "rep@acme.test", "name": "Rep", "kind": "salesperson"}).json()["user"]

    def delivered():
        lines = probe_lines(s)
        return (any("business.created" in l and business["id"] in l for l in lines)
                and any("user.created" in l and user["id"] in l for l in lines))
    s.wait_for(delivered, timeout=10, message="outbox events to reach the probe")
    # Failed requests wrote no event.
    before = len(probe_lines(s))
    assert s.api("POST", "/businesses", owner, json={"name": "", "type": "pharmacy", "city": "Lviv"}).status_code == 400
    time.sleep(0.5)
    assert len(probe_lines(s)) == before

    # An event written by the CLI (another process) is delivered by the running server too.
    run_cli("user", "add", "cli@acme.test", "--tenant", "acme", "--name", "From CLI", data=s.data)
    s.wait_for(lambda: any("cli@acme.test" in l for l in probe_lines(s)), timeout=15, message="the CLI's event")


def test_jobs_cli_works_next_to_the_running_server(probed_server):
    s = probed_server
    s.create_tenant("acme")
    env = {"TRADEPOST_TEST_PROBE": str(s.probe)}  # the CLI knows the same job types as the server

    def cli_json(*args, data=None):
        return _cli_json(*args, data=data, env=env)

    def run_cli(*args, data=None, check=True):
        return _run_cli(*args, data=data, env=env, check=check)

    queued = cli_json("jobs", "enqueue", "test.probe", "--payload", '{"tag": "from-cli"}', "--tenant", "acme", data=s.data)
    assert queued["state"] == "pending" and queued["type"] == "test.probe"
    s.wait_for(lambda: cli_json("jobs", "show", str(queued["id"]), data=s.data)["state"] == "succeeded", timeout=15,
               message="the CLI-enqueued job")
    stats = {q["queue"]: q for q in cli_json("jobs", "stats", data=s.data)}
    assert stats["probe"]["succeeded"] >= 1
    assert cli_json("jobs", "stats", "--tenant", "acme", data=s.data)
    listed = cli_json("jobs", "list", "--state", "succeeded", data=s.data)
    assert queued["id"] in [j["id"] for j in listed]
    assert cli_json("jobs", "pause", "probe", data=s.data)["paused"] is True
    later = cli_json("jobs", "enqueue", "test.probe", "--payload", '{"tag": "paused"}', data=s.data)
    time.sleep(1.5)
    assert cli_json("jobs", "show", str(later["id"]), data=s.data)["state"] == "pending", "a paused queue hands out nothing"
    assert cli_json("jobs", "resume", "probe", data=s.data)["paused"] is False
    s.wait_for(lambda: cli_json("jobs", "show", str(later["id"]), data=s.data)["state"] == "succeeded", timeout=15,
               message="the job after resume")
    failing = cli_json("jobs", "list", "--failing", data=s.data)
    assert failing == []
    bad = run_cli("jobs", "enqueue", "test.probe", "--payload", "not json", data=s.data, check=False)
    assert bad.returncode == 1 and "payload" in bad.stderr
    missing = run_cli("jobs", "retry", "999999", data=s.data, check=False)
    assert missing.returncode == 1 and "not found" in missing.stderr.lower()


def test_live_channel_pushes_job_changes_to_the_right_people(probed_server):
    s = probed_server
    admin = s.admin_token()
    acme = s.create_tenant("acme", owner_email="boss@acme.test", token=admin)
    beta = s.create_tenant("beta", owner_email="boss@beta.test", token=admin)

    def cookie_for(tenant, email):
        session = requests.Session()
        r = session.post(s.url + "/api/v1/auth/login", json={"tenant": tenant, "email": email, "password": "owner-password-1", "mode": "cookie"})
        assert r.status_code == 200
        return "; ".join(f"{c.name}={c.value}" for c in session.cookies)

    acme_cookie, beta_cookie = cookie_for("acme", "boss@acme.test"), cookie_for("beta", "boss@beta.test")
    url = s.url.replace("http://", "ws://") + "/api/v1/live"

    async def scenario():
        async with websockets.connect(url, additional_headers={"Cookie": acme_cookie, "Origin": s.url}) as acme_ws, \
                   websockets.connect(url, additional_headers={"Cookie": beta_cookie, "Origin": s.url}) as beta_ws:
            for ws in (acme_ws, beta_ws):
                assert json.loads(await ws.recv())["type"] == "hello"
                await ws.send(json.dumps({"subscribe": "jobs"}))
                assert json.loads(await ws.recv()) == {"type": "subscribed", "topic": "jobs"}
            r = s.api("POST", "/admin/jobs", admin, json={"type": "test.probe", "payload": {"tag": "live"}, "tenant_id": acme["id"]})
            assert r.status_code == 201
            message = json.loads(await asyncio.wait_for(acme_ws.recv(), 5))
            assert message["type"] == "jobs.changed"
            assert any(q["queue"] == "probe" for q in message["items"])
            # Tenant beta hears nothing about acme's job.
            try:
                extra = await asyncio.wait_for(beta_ws.recv(), 1.0)
                raise AssertionError(f"beta got {extra}")
            except asyncio.TimeoutError:
                pass

        # No session, or a foreign page: no WebSocket.
        for headers in ({}, {"Cookie": acme_cookie, "Origin": "https://evil.example"}):
            try:
                async with websockets.connect(url, additional_headers=headers) as ws:
                    await ws.recv()
                raise AssertionError("the upgrade should have been refused")
            except websockets.exceptions.InvalidStatus:
                pass

    asyncio.run(scenario())
    problem(requests.get(url.replace("ws://", "http://"), cookies=None), 401, "unauthenticated")


def test_job_metrics_are_exported(probed_server):
    s = probed_server
    admin = s.admin_token()
    r = s.api("POST", "/admin/jobs", admin, json={"type": "test.probe", "payload": {"tag": "m"}})
    s.wait_for(lambda: s.api("GET", f"/jobs/{r.json()['id']}", admin).json()["state"] == "succeeded", message="the job")
    text = requests.get(s.url + "/metrics").text
    for name in ['tradepost_jobs_enqueued_total{queue="probe",type="test.probe"}', 'tradepost_jobs_started_total',
                 'tradepost_jobs_succeeded_total', 'tradepost_jobs_queue_depth{queue="probe"}', 'tradepost_jobs_oldest_waiting_seconds',
                 'tradepost_jobs_run_duration_seconds_bucket']:
        assert name in text, name
