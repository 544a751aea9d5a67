"""First run, configuration precedence and the admin CLI, against the real binary."""
import json
import os
import re

import requests

from conftest import ADMIN_EMAIL, BIN, Server, banner_passwords, cli_json, run_cli


def test_first_run_creates_admin_and_demo_tenant_and_prints_credentials_once(data_dir):
    s = Server(data_dir, env={"TRADEPOST_ADMIN_EMAIL": "", "TRADEPOST_ADMIN_PASSWORD": ""}).start()
    try:
        out = s.output()
        assert f"listening on http://127.0.0.1:{s.port}" in out
        assert "First platform admin: admin@localhost" in out
        admin_password, demo_password = banner_passwords(out)
        assert len(admin_password) == 19 and admin_password != demo_password
        assert s.login("admin@localhost", admin_password)
        assert s.login("owner@demo.local", demo_password, tenant="demo")
        assert (data_dir / "control.sqlite").exists()
        tenant_files = list((data_dir / "tenants").glob("*.sqlite"))
        assert len(tenant_files) == 1
    finally:
        assert s.stop() == 0
    # A second start on the same data dir creates nothing and prints no password.
    again = Server(data_dir).start()
    try:
        assert "password:" not in again.output()
        assert again.login("admin@localhost", admin_password)
    finally:
        assert again.stop() == 0


def test_admin_credentials_come_from_flags_or_environment(data_dir):
    s = Server(data_dir, extra_args=["--admin-email", "boss@example.com"], env={"TRADEPOST_ADMIN_PASSWORD": "from-env-pass"}).start()
    try:
        assert "boss@example.com" in s.output()
        assert "from-env-pass" not in s.output()
        assert s.login("boss@example.com", "from-env-pass")
    finally:
        s.stop()


def test_config_precedence_and_redaction(tmp_path):
    config = tmp_path / "tradepost.yaml"
    config.write_text("http:\n  listen: 127.0.0.1:7001\n  max_body_bytes: 4096\nlog:\n  level: debug\nadmin:\n  password: file-secret\n")
    env = {"TRADEPOST_LOG_LEVEL": "warning", "TRADEPOST_HTTP_LISTEN": "127.0.0.1:7002"}
    entries = {e["key"]: e for e in cli_json("config", "print", "--config", str(config), "--data", "/srv/tp", env=env)}
    assert entries["data"] == {"key": "data", "value": "/srv/tp", "source": "flag", "secret": False}
    assert entries["http.listen"]["value"] == "127.0.0.1:7002" and entries["http.listen"]["source"].startswith("env")
    assert entries["log.level"]["value"] == "warning"
    assert entries["http.max_body_bytes"] == {"key": "http.max_body_bytes", "value": "4096", "source": "file", "secret": False}
    assert entries["auth.bcrypt_cost"]["source"] == "default"
    assert entries["admin.password"]["value"] == "<redacted>"
    text = run_cli("config", "print", "--config", str(config)).stdout
    assert "file-secret" not in text and "<redacted>" in text


def test_bad_configuration_is_a_clear_error(tmp_path):
    bad = run_cli("config", "print", env={"TRADEPOST_AUTH_BCRYPT_COST": "4"}, check=False)
    assert bad.returncode == 1 and "auth.bcrypt_cost" in bad.stderr and "Traceback" not in bad.stderr
    listen = run_cli("serve", "--listen", "nonsense", "--data", str(tmp_path / "d"), check=False)
    assert listen.returncode == 1 and "HOST:PORT" in listen.stderr
    missing = run_cli("config", "print", "--config", str(tmp_path / "nope.yaml"), check=False)
    assert missing.returncode == 1 and "config file" in missing.stderr


def test_cli_manages_tenants_users_and_tokens(server):
    data = server.data
    created = cli_json("tenant", "create", "acme", "--name", "Acme Pharma", "--plan", "free",
                       "--owner-email", "boss@acme.test", "--owner-name", "Boss", data=data)
    assert created["tenant"]["slug"] == "acme" and created["owner_password"]
    assert [t["slug"] for t in cli_json("tenant", "list", data=data)] == ["demo", "acme"]

    added = cli_json("user", "add", "rep@acme.test", "--tenant", "acme", "--name", "Rep", "--kind", "salesperson",
                     "--password-stdin", data=data, input="rep-password-1\n")
    assert added.get("generated_password") is None
    users = cli_json("user", "list", "--tenant", "acme", data=data)
    assert {u["email"]: u["kind"] for u in users} == {"boss@acme.test": "member", "rep@acme.test": "salesperson"}

    # The running server sees CLI changes at once.
    rep = server.login("rep@acme.test", "rep-password-1", tenant="acme")
    assert server.api("GET", "/me", rep).json()["user_kind"] == "salesperson"

    token = cli_json("token", "create", "--tenant", "acme", "--email", "boss@acme.test", "--name", "sync",
                     "--scopes", "read,write", "--days", "7", data=data)
    assert token["secret"].startswith("tpt_") and token["token"]["scopes"] == ["read", "write"]
    assert server.api("GET", "/businesses", token["secret"]).status_code == 200

    reset = cli_json("user", "set-password", "rep@acme.test", "--tenant", "acme", data=data)
    assert reset["generated_password"]
    assert server.api("GET", "/me", rep).status_code == 401, "a new password ends old sessions"
    assert server.login("rep@acme.test", reset["generated_password"], tenant="acme")

    assert cli_json("user", "disable", "rep@acme.test", "--tenant", "acme", data=data)["disabled"] is True
    r = requests.post(server.url + "/api/v1/auth/login",
                      json={"tenant": "acme", "email": "rep@acme.test", "password": reset["generated_password"]})
    assert r.status_code == 401

    assert cli_json("tenant", "suspend", "acme", data=data)["status"] == "suspended"
    assert server.api("GET", "/me", token["secret"]).json()["code"] == "tenant_suspended"
    assert cli_json("tenant", "resume", "acme", data=data)["status"] == "active"

    admins = cli_json("user", "list", "--platform", data=data)
    assert [a["email"] for a in admins] == [ADMIN_EMAIL]
    migrated = cli_json("migrate", data=data)
    assert {m["database"] for m in migrated} >= {"control", "tenant acme"}
    assert all(m["version"] >= 1 for m in migrated)


def test_cli_usage_errors_have_hints(server):
    missing = run_cli("tenant", "suspend", "nope", data=server.data, check=False)
    assert missing.returncode == 1
    assert "no tenant" in missing.stderr and "hint:" in missing.stderr
    both = run_cli("user", "list", "--tenant", "x", "--platform", data=server.data, check=False)
    assert both.returncode == 64 and "exactly one of" in both.stderr
    dup = run_cli("tenant", "create", "demo", "--name", "Again", data=server.data, check=False)
    assert dup.returncode == 1 and "already exists" in dup.stderr
    nodata = run_cli("tenant", "list", "--data", "/nonexistent/tp", check=False)
    assert nodata.returncode == 1 and "hint:" in nodata.stderr


def test_every_command_has_help_with_examples_and_json():
    commands = [["serve"], ["config", "print"], ["tenant", "create"], ["tenant", "list"], ["tenant", "suspend"],
                ["tenant", "resume"], ["user", "add"], ["user", "list"], ["user", "set-password"], ["user", "disable"],
                ["token", "create"], ["migrate"], ["version"]]
    for command in commands:
        text = run_cli(*command, "--help").stdout
        assert "Examples:" in text, command
        if command != ["serve"]:
            assert "--json" in text, command
    version = cli_json("version")
    assert version["version"] and version["control_schema"] >= 1 and version["tenant_schema"] >= 1
    assert os.path.basename(BIN) == "tradepost"


def test_serve_json_prints_one_machine_readable_line(data_dir):
    s = Server(data_dir, extra_args=["--json"]).start()
    try:
        started = [json.loads(l) for l in s.output().splitlines() if l.startswith('{"admin"') or l.startswith('{"url"')]
        assert len(started) == 1, s.output()
        line = started[0]
        assert line["url"] == s.url and line["version"]
        assert line["admin"]["email"] == ADMIN_EMAIL and "generated_password" not in line["admin"]
        assert line["demo_tenant"] == "demo" and line["demo_owner"]["generated_password"]
        assert "password:" not in s.output()
    finally:
        s.stop()


def help_commands(prefix=()):
    """Every command and subcommand, found from the SUBCOMMANDS sections of the help."""
    out = run_cli(*prefix, "--help").stdout
    found = [prefix]
    section = out.split("SUBCOMMANDS:")[1].split("See '")[0] if "SUBCOMMANDS:" in out else ""
    for name in re.findall(r"^  ([a-z][a-z0-9-]*)\s", section, re.M):
        found += help_commands(prefix + (name,))
    return found


def test_every_help_page_reads_cleanly():
    """`--help` is wrapped by the argument parser at 80 columns; text written with its own line
    breaks past that width comes out broken mid-phrase ("the first platform admin and a" / "`demo`…").
    Every page: no line over 80 characters, and in the prose no short line that is not a paragraph's last."""
    commands = help_commands()
    assert len(commands) > 25, commands
    for command in commands:
        text = run_cli(*command, "--help").stdout
        head = text.split("USAGE:")[0]
        for line in text.splitlines():
            if not line.startswith("USAGE:"):
                assert len(line) <= 80, f"{' '.join(command)}: {line!r}"
        paragraphs = [p.splitlines() for p in head.split("\n\n")]
        for lines in paragraphs:
            prose = [l for l in lines if l and not l.startswith(" ")]
            for line in prose[:-1]:
                assert len(line) >= 50 or line.endswith(":"), f"{' '.join(command)}: broken before {line!r}"
