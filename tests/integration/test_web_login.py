"""Logging in to the web application once the ledger has accounts: signed sessions, a CSRF
token on the login form, a limit on failed logins, and nothing readable without logging in."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.app import app as cli
from web.app import create_app

PASSWORD = "kata-sandi-yang-panjang"


def token(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


@pytest.fixture
def client(demo_url: str) -> TestClient:
    for name, role in (("postgres", "admin"), ("audi", "auditor")):
        added = CliRunner().invoke(cli, ["--db", demo_url, "users", "add", name, "--role", role, "--password-stdin"],
                                   input=PASSWORD + "\n")
        assert added.exit_code == 0, added.output
    return TestClient(create_app(demo_url))


def test_pages_ask_for_a_login_and_a_login_opens_them(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/masuk"
    form = client.get("/masuk").text
    wrong = client.post("/masuk", data={"name": "audi", "password": "salah-sandi-panjang", "csrf": token(form)})
    assert wrong.status_code == 401 and "Nama akun atau kata sandi salah." in wrong.text
    right = client.post("/masuk", data={"name": "audi", "password": PASSWORD, "csrf": token(wrong.text)},
                        follow_redirects=False)
    assert right.status_code == 303 and right.headers["location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and "audi" in home.text and "Keluar" in home.text
    assert client.get("/integritas").status_code == 200
    out = client.post("/keluar", data={"csrf": token(home.text)}, follow_redirects=False)
    assert out.status_code == 303 and client.get("/", follow_redirects=False).status_code == 303


def test_a_login_without_its_form_token_is_refused(client: TestClient) -> None:
    forged = client.post("/masuk", data={"name": "audi", "password": PASSWORD, "csrf": "forged"})
    assert forged.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 303


def test_failed_logins_are_limited(client: TestClient) -> None:
    form = client.get("/masuk").text
    for _attempt in range(5):
        answer = client.post("/masuk", data={"name": "audi", "password": "salah-sandi-panjang", "csrf": token(form)})
        assert answer.status_code == 401
        form = answer.text
    blocked = client.post("/masuk", data={"name": "audi", "password": PASSWORD, "csrf": token(form)})
    assert blocked.status_code == 429


def login(client: TestClient, name: str) -> str:
    form = client.get("/masuk").text
    answer = client.post("/masuk", data={"name": name, "password": PASSWORD, "csrf": token(form)})
    assert answer.status_code == 200, answer.text
    return answer.text


def test_only_an_admin_takes_the_event_log_which_holds_password_hashes(client: TestClient) -> None:
    login(client, "audi")
    refused = client.get("/integritas/ekspor")
    assert refused.status_code == 403 and "argon2" not in refused.text
    client.post("/keluar", data={"csrf": token(client.get("/").text)})
    login(client, "postgres")
    export = client.get("/integritas/ekspor")
    assert export.status_code == 200 and "AccountOpened" in export.text


def test_an_unknown_name_is_a_wrong_login(client: TestClient) -> None:
    form = client.get("/masuk").text
    unknown = client.post("/masuk", data={"name": "tidak-ada", "password": PASSWORD, "csrf": token(form)})
    assert unknown.status_code == 401 and "Nama akun atau kata sandi salah." in unknown.text


def test_name_variants_count_toward_one_limit(client: TestClient) -> None:
    form = client.get("/masuk").text
    for variant in ("AUDI", " audi", "Audi", "audi ", "aUdi"):
        answer = client.post("/masuk", data={"name": variant, "password": "salah-sandi-panjang", "csrf": token(form)})
        assert answer.status_code == 401
        form = answer.text
    assert client.post("/masuk", data={"name": "audi", "password": PASSWORD, "csrf": token(form)}).status_code == 429
