"""Logging in to the web application once the ledger has accounts: sessions the server keeps
(ended by logging out, by a changed password or role, by their expiry), a CSRF token on the
login form, limits on failed logins that lock a guessed name but not an office behind one
address, and nothing readable without logging in."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import psycopg
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from cli.app import app as cli
from events_store.config import resolve
from events_store.engine import engine_for
from ledger.errors import InvalidValue
from tests.conftest import _psycopg_conninfo
from web.app import create_app

PASSWORD = "kata-sandi-yang-panjang"
WRONG = "salah-sandi-panjang"
COOKIE = "renja_sesi"


def token(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


@pytest.fixture
def accounts_url(demo_url: str) -> str:
    for name, role in (("postgres", "admin"), ("audi", "auditor")):
        added = CliRunner().invoke(cli, ["--db", demo_url, "users", "add", name, "--role", role, "--password-stdin"],
                                   input=PASSWORD + "\n")
        assert added.exit_code == 0, added.output
    return demo_url


@pytest.fixture
def client(accounts_url: str) -> TestClient:
    return TestClient(create_app(accounts_url))


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


# --- the limits on failed logins ------------------------------------------------------------

def attempt(client: TestClient | httpx.Client, name: str, password: str) -> int:
    """One login through the form: 303 logged in, 401 refused, 429 over a limit."""
    form = client.get("/masuk").text
    return client.post("/masuk", data={"name": name, "password": password, "csrf": token(form)},
                       follow_redirects=False).status_code


def limited_client(url: str, monkeypatch: pytest.MonkeyPatch, **limits: int) -> TestClient:
    for name, value in limits.items():
        monkeypatch.setenv(f"RENJA_LOGIN_{name.upper()}", str(value))
    return TestClient(create_app(url))


def test_twenty_correct_logins_from_one_address_all_succeed(accounts_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Limits far below twenty: only failures count, so an office logging in all morning is never locked out.
    client = limited_client(accounts_url, monkeypatch, max_per_name=2, max_per_address=3)
    assert [attempt(client, ("audi", "postgres")[i % 2], PASSWORD) for i in range(20)] == [303] * 20
    # ... and the limits set in the environment do hold for failures.
    assert [attempt(client, "audi", WRONG) for _ in range(2)] == [401, 401]
    assert attempt(client, "audi", PASSWORD) == 429


def test_wrong_guesses_lock_the_name_but_not_another_user_at_the_address(client: TestClient) -> None:
    assert [attempt(client, "audi", WRONG) for _ in range(5)] == [401] * 5
    assert attempt(client, "audi", PASSWORD) == 429
    assert attempt(client, "postgres", PASSWORD) == 303  # the colleague at the next desk, same NAT address
    assert client.get("/").status_code == 200


def test_a_success_clears_the_names_and_the_addresss_counts(accounts_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    client = limited_client(accounts_url, monkeypatch, max_per_address=6)
    assert [attempt(client, "audi", WRONG) for _ in range(4)] == [401] * 4
    assert attempt(client, "audi", PASSWORD) == 303
    assert [attempt(client, "audi", WRONG) for _ in range(5)] == [401] * 5  # counted from zero again
    assert attempt(client, "audi", WRONG) == 429
    assert attempt(client, "postgres", PASSWORD) == 303  # clears the address's count of 5
    assert [attempt(client, f"tamu-{i}", WRONG) for i in range(6)] == [401] * 6
    assert attempt(client, "tamu-lain", WRONG) == 429


def test_the_per_address_limit_holds_for_many_names(accounts_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    client = limited_client(accounts_url, monkeypatch, max_per_address=10)
    assert [attempt(client, f"nama-{i}", WRONG) for i in range(10)] == [401] * 10
    assert attempt(client, "nama-baru", WRONG) == 429
    assert attempt(client, "audi", PASSWORD) == 429  # the address is over its limit, whatever the name
    elsewhere = TestClient(client.app, client=("10.1.2.3", 50000))
    assert attempt(elsewhere, "audi", PASSWORD) == 303


def test_the_limits_expire_after_their_window(accounts_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # A window long enough for three password checks (argon2) on a loaded machine, short enough to wait out.
    client = limited_client(accounts_url, monkeypatch, max_per_name=2, window_seconds=6)
    assert [attempt(client, "audi", WRONG) for _ in range(3)] == [401, 401, 429]
    time.sleep(6.2)
    assert attempt(client, "audi", PASSWORD) == 303


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """The application under uvicorn in a thread of this process, on a free port; its address."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _wait in range(600):
            if server.started:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("uvicorn did not start")
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_parallel_guesses_cannot_pass_the_limit(accounts_url: str) -> None:
    guesses = 12
    with serving(create_app(accounts_url)) as base:
        clients = [httpx.Client(base_url=base, timeout=60) for _ in range(guesses)]
        tokens = [token(c.get("/masuk").text) for c in clients]
        start = threading.Barrier(guesses)

        def guess(i: int) -> int:
            start.wait()  # all at once: the first checks are still running when the others arrive
            return clients[i].post("/masuk", data={"name": "audi", "password": WRONG, "csrf": tokens[i]}).status_code

        with ThreadPoolExecutor(guesses) as pool:
            statuses = sorted(pool.map(guess, range(guesses)))
        assert statuses == [401] * 5 + [429] * (guesses - 5)  # five checked, whatever the timing
        assert attempt(clients[0], "audi", PASSWORD) == 429
        assert attempt(clients[1], "postgres", PASSWORD) == 303
        for c in clients:
            c.close()


def test_limits_that_are_not_whole_numbers_are_refused(accounts_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RENJA_LOGIN_MAX_PER_ADDRESS", "banyak")
    with pytest.raises(InvalidValue, match="RENJA_LOGIN_MAX_PER_ADDRESS"):
        create_app(accounts_url)


# --- sessions that end ------------------------------------------------------------------------

def logged_in(client: TestClient, name: str = "audi") -> str:
    """Log in through the form; the session cookie, as a copy taken from the browser."""
    assert attempt(client, name, PASSWORD) == 303
    return str(client.cookies[COOKIE])


def opens(client: TestClient, cookie: str, name: str = "audi") -> bool:
    """Whether a copy of the cookie, in another browser, opens the pages as the user."""
    other = TestClient(client.app, cookies={COOKIE: cookie})
    answer = other.get("/", follow_redirects=False)
    if answer.status_code == 303:
        assert answer.headers["location"] == "/masuk"
        return False
    assert answer.status_code == 200 and f"<span>{name}</span>" in answer.text, answer.text[-2000:]
    return True


@contextmanager
def database(url: str) -> Iterator[Engine]:
    engine = engine_for(resolve(url))
    try:
        yield engine
    finally:
        engine.dispose()


def rows(url: str, sql: str) -> list[Any]:
    with database(url) as engine, engine.begin() as connection:
        return list(connection.execute(text(sql)))


def test_a_cookie_copied_before_logout_no_longer_works(client: TestClient) -> None:
    copied = logged_in(client)
    assert opens(client, copied)
    out = client.post("/keluar", data={"csrf": token(client.get("/").text)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/masuk"
    assert not opens(client, copied)


def test_the_server_keeps_only_the_hash_of_the_session_id(client: TestClient, accounts_url: str) -> None:
    cookie = logged_in(client)
    payload = json.loads(base64.b64decode(cookie.split(".")[0]))  # Starlette: base64(JSON).timestamp.signature
    assert set(payload) == {"sid", "csrf"}  # no user name, no role: those are the server's record
    stored = rows(accounts_url, "SELECT id_sha256, account, account_version, opened_at, expires_at, ended_at "
                                "FROM renja_web_sessions")
    assert [(r[0], r[1], r[5]) for r in stored] == [(hashlib.sha256(payload["sid"].encode()).hexdigest(), "audi", None)]
    assert payload["sid"] not in repr(stored) and stored[0][3] < stored[0][4]


@pytest.mark.parametrize("change", [["passwd", "audi", "--password-stdin"], ["role", "audi", "--role", "verifikator"]])
def test_a_changed_password_or_role_ends_the_sessions_opened_before(client: TestClient, accounts_url: str,
                                                                   change: list[str]) -> None:
    first, second = logged_in(client), logged_in(TestClient(client.app))
    assert opens(client, first) and opens(client, second)
    changed = CliRunner().invoke(cli, ["--db", accounts_url, "users", *change], input="kata-sandi-yang-baru\n")
    assert changed.exit_code == 0, changed.output
    assert not opens(client, first)
    assert client.get("/", follow_redirects=False).headers["location"] == "/masuk"
    # Every record of the account opened before the change has ended, the one not used since too.
    assert rows(accounts_url, "SELECT COUNT(*) FROM renja_web_sessions WHERE account = 'audi' AND ended_at IS NULL") == [(0,)]
    assert not opens(client, second)
    password = "kata-sandi-yang-baru" if change[0] == "passwd" else PASSWORD
    assert attempt(client, "audi", password) == 303 and opens(client, str(client.cookies[COOKIE]))


def test_an_expired_session_asks_for_a_login_again(client: TestClient, accounts_url: str) -> None:
    copied = logged_in(client)
    assert opens(client, copied)
    with database(accounts_url) as engine, engine.begin() as connection:
        connection.execute(text("UPDATE renja_web_sessions SET expires_at = '2024-01-01T00:00:00.000000Z'"))
    assert not opens(client, copied)


def test_a_login_prunes_ended_sessions(client: TestClient, accounts_url: str) -> None:
    for _round in range(3):
        logged_in(client)
        client.post("/keluar", data={"csrf": token(client.get("/").text)})
    assert rows(accounts_url, "SELECT COUNT(*) FROM renja_web_sessions WHERE ended_at IS NOT NULL") == [(1,)]
    logged_in(client)
    assert rows(accounts_url, "SELECT COUNT(*), COUNT(ended_at) FROM renja_web_sessions") == [(1, 0)]


# --- a web role that does not own the schema (docs/postgresql-roles.md) -------------------------

@pytest.fixture
def web_role(accounts_url: str, backend: str) -> Iterator[str]:
    """A login role with a writer's grants (as tests/integration/test_postgres_roles.py gives them)
    on the tables there are, before the web sessions' table exists; its URL."""
    if backend != "postgres":
        pytest.skip("roles and grants are PostgreSQL's")
    rebuilt = CliRunner().invoke(cli, ["--db", accounts_url, "projections", "rebuild"])  # the owner creates the read model
    assert rebuilt.exit_code == 0, rebuilt.output
    role = f"renja_web_{str(make_url(accounts_url).database)[-8:]}"
    with psycopg.connect(**_psycopg_conninfo(accounts_url)) as connection:
        connection.execute(f'CREATE ROLE "{role}" LOGIN')
        for (table,) in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"):
            record = table in ("renjaledger_events", "renja_event_index", "renja_lines")
            connection.execute(f'GRANT {"SELECT, INSERT" if record else "SELECT, INSERT, UPDATE, DELETE"} ON "{table}" TO "{role}"')
        connection.execute(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    try:
        yield make_url(accounts_url).set(username=role).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(**_psycopg_conninfo(accounts_url)) as connection:
            connection.execute(f'DROP OWNED BY "{role}"')
            connection.execute(f'DROP ROLE "{role}"')


def test_a_web_role_uses_the_sessions_table_the_owner_created(accounts_url: str, web_role: str) -> None:
    # Whatever the schema owner ran first (here the demo and `users add`) created the table with the others.
    assert rows(accounts_url, "SELECT COUNT(*) FROM renja_web_sessions") == [(0,)]
    role = make_url(web_role).username
    with psycopg.connect(**_psycopg_conninfo(accounts_url)) as connection:
        connection.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON renja_web_sessions TO "{role}"')
    client = TestClient(create_app(web_role))
    copied = logged_in(client)
    assert opens(client, copied)
    client.post("/keluar", data={"csrf": token(client.get("/").text)})
    assert not opens(client, copied)
    logged_in(client)  # and prunes the ended record
    assert rows(accounts_url, "SELECT COUNT(*) FROM renja_web_sessions") == [(1,)]
