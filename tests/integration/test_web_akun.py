"""Accounts managed in the browser by an admin, on SQLite and PostgreSQL: open one, change its role
and OPDs, set a new password, each through the commands of `renja users` (the same rules refuse
the same input) and each an account event recorded by the admin through the web's channel. A
perencana may neither see the page nor post to it, and a post without the page's form token is
refused; neither writes anything."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ledger.accounts import ACCOUNT_EVENTS, account_id
from projections.system import open_system
from tests.conftest import invoke
from tests.integration.test_accounts import event_count, users
from tests.integration.test_web_write import OPD, PASSWORD, token
from web.app import create_app

NEW_PASSWORD = "kata-sandi-yang-baru"


@pytest.fixture
def admin_url(demo_url: str) -> str:
    for name, role, opds in (("postgres", "admin", ()), ("rina", "perencana", (OPD,))):
        added = users(demo_url, "add", name, "--role", role, *[a for opd in opds for a in ("--opd", opd)])
        assert added.exit_code == 0, added.output  # type: ignore[attr-defined]
    return demo_url


def post(client: TestClient, **fields: Any) -> Any:
    return client.post("/akun", follow_redirects=False, data={"csrf": token(client.get("/akun").text), **fields})


def listed(url: str) -> dict[str, list[str]]:
    """`renja users list`: each account's role, OPDs and who opened it."""
    answer = invoke(url, "users", "list")
    return {line.split("\t")[0]: line.split("\t")[1:] for line in answer.stdout.splitlines()}


def account_events(url: str, name: str) -> list[Any]:
    opened = open_system(url)
    try:
        found = opened.read_side().index.events_of_types(cls.__name__ for cls in ACCOUNT_EVENTS)
        return [event for originator, event in found if originator == str(account_id(name))]
    finally:
        opened.app.close()


def logged_in(app: FastAPI, name: str, password: str = PASSWORD) -> TestClient | None:
    """A browser of its own on the one application, logged in as ``name`` (None when refused)."""
    client = TestClient(app)
    answer = client.post("/masuk", follow_redirects=False,
                         data={"name": name, "password": password, "csrf": token(client.get("/masuk").text)})
    return client if answer.status_code == 303 else None


def log_in(app: FastAPI, name: str) -> TestClient:
    client = logged_in(app, name)
    assert client is not None, name
    return client


@pytest.fixture
def app(admin_url: str) -> FastAPI:
    return create_app(admin_url)


def test_an_admin_opens_an_account_changes_its_role_and_sets_its_password(app: FastAPI, admin_url: str) -> None:
    admin = log_in(app, "postgres")
    page = admin.get("/akun")
    assert page.status_code == 200 and 'href="/akun"' in page.text and "<code>rina</code>" in page.text
    opened = post(admin, action="tambah", name="vera", role="verifikator", opd=OPD, opd_lain="Kecamatan Wotu",
                  password=PASSWORD, password2=PASSWORD, reason="SK 7/2024")
    assert opened.status_code == 303 and opened.headers["location"] == "/akun"
    assert listed(admin_url)["vera"] == ["verifikator", f"{OPD}, Kecamatan Wotu", "postgres"]
    flash = re.search(r'id="flash">([^<]*)<', admin.get("/akun").text)
    assert flash and "vera" in flash.group(1) and "verifikator" in flash.group(1)
    vera = log_in(app, "vera")
    assert post(admin, action="peran", name="vera", role="auditor", reason="mutasi").status_code == 303
    assert listed(admin_url)["vera"][:2] == ["auditor", "-"]
    assert vera.get("/", follow_redirects=False).headers["location"] == "/masuk"  # a changed role ends its sessions

    assert post(admin, action="sandi", name="vera", password=NEW_PASSWORD, password2=NEW_PASSWORD).status_code == 303
    assert logged_in(app, "vera") is None and logged_in(app, "vera", NEW_PASSWORD) is not None

    trail = account_events(admin_url, "vera")
    assert [type(e).__name__ for e in trail] == ["AccountOpened", "RoleChanged", "PasswordChanged"]
    assert {e.basis.recorded_by for e in trail} == {"postgres"} and all(e.basis.channel.startswith("web (") for e in trail)
    assert [e.basis.reason for e in trail][:2] == ["SK 7/2024", "mutasi"]
    assert "argon2" in trail[2].password_hash and NEW_PASSWORD not in str(trail[2].model_dump())


def test_a_disabled_account_logs_in_no_more_and_records_nothing_until_enabled(app: FastAPI, admin_url: str) -> None:
    rina = log_in(app, "rina")
    assert rina.get("/", follow_redirects=False).status_code == 200
    disabled = invoke(admin_url, "users", "disable", "rina", "--reason", "pensiun")
    assert disabled.exit_code == 0, disabled.output
    assert listed(admin_url)["rina"][:2] == ["nonaktif", "-"]
    assert rina.get("/", follow_redirects=False).headers["location"] == "/masuk"  # its sessions end
    assert logged_in(app, "rina") is None  # the right password is refused as a wrong one is
    # On the web, the admin's role form enables it again; it logs in as before.
    admin = log_in(app, "postgres")
    assert post(admin, action="peran", name="rina", role="perencana", opd=OPD, reason="aktif lagi").status_code == 303
    assert logged_in(app, "rina") is not None
    assert [type(e).__name__ for e in account_events(admin_url, "rina")] == ["AccountOpened", "RoleChanged", "RoleChanged"]


REFUSED = (({"action": "tambah", "name": "budi", "role": "perencana"}, "role-needs-opd"),
           ({"action": "tambah", "name": "rina", "role": "auditor"}, "exists already"),
           ({"action": "peran", "name": "rina", "role": "lokal"}, "role-invalid"),
           ({"action": "peran", "name": "siapa", "role": "auditor"}, "siapa"))


def test_the_cli_rules_refuse_the_same_input(app: FastAPI, admin_url: str) -> None:
    admin, before = log_in(app, "postgres"), event_count(admin_url)
    for fields, rule in REFUSED:
        refused = post(admin, **fields, password=PASSWORD, password2=PASSWORD)
        assert refused.status_code == 400 and rule in refused.text and PASSWORD not in refused.text
        on_cli: Any = users(admin_url, "add", fields["name"], "--role", fields["role"]) \
            if fields["action"] == "tambah" else invoke(admin_url, "users", "role", fields["name"], "--role", fields["role"])
        assert on_cli.exit_code == 1 and rule in on_cli.output, on_cli.output
    short = post(admin, action="sandi", name="rina", password="pendek", password2="pendek")
    assert short.status_code == 400 and "password-short" in short.text
    assert "password-short" in users(admin_url, "passwd", "rina", password="pendek").output  # type: ignore[attr-defined]
    mistyped = post(admin, action="sandi", name="rina", password=NEW_PASSWORD, password2=NEW_PASSWORD + "x")
    assert mistyped.status_code == 400 and "password-mismatch" in mistyped.text
    assert event_count(admin_url) == before and logged_in(app, "rina") is not None


def test_a_perencana_and_a_forged_post_are_refused(app: FastAPI, admin_url: str) -> None:
    rina, before = log_in(app, "rina"), event_count(admin_url)
    assert 'href="/akun"' not in rina.get("/").text
    assert rina.get("/akun").status_code == 403
    csrf = token(rina.get("/").text)
    posted = rina.post("/akun", data={"csrf": csrf, "action": "peran", "name": "rina", "role": "admin"})
    assert posted.status_code == 403
    admin = log_in(app, "postgres")
    forged = admin.post("/akun", data={"csrf": "forged", "action": "tambah", "name": "eve", "role": "admin",
                                       "password": PASSWORD, "password2": PASSWORD})
    assert forged.status_code == 403
    assert event_count(admin_url) == before and set(listed(admin_url)) == {"postgres", "rina"}


@pytest.fixture
def local(demo_url: str) -> Iterator[TestClient]:
    yield TestClient(create_app(demo_url))


def test_on_a_ledger_without_accounts_its_single_user_opens_the_first(local: TestClient, demo_url: str) -> None:
    page = local.get("/akun")
    assert page.status_code == 200 and 'id="kosong"' in page.text
    assert post(local, action="tambah", name="postgres", role="admin", password=PASSWORD, password2=PASSWORD).status_code == 303
    assert listed(demo_url)["postgres"][0] == "admin"
    assert local.get("/akun", follow_redirects=False).headers["location"] == "/masuk"  # now it asks for a login
