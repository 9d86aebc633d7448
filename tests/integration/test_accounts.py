"""Accounts and access on a real ledger: on SQLite the single local user records everything;
on PostgreSQL who records is the connection's database role, and once the ledger has
accounts that role's account decides what it may record."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli.app import app
from tests.conftest import invoke

FASILITASI = "7.01.01.2.06.08"


def users(url: str, *args: str, password: str = "kata-sandi-yang-panjang") -> object:
    return CliRunner().invoke(app, ["--db", url, "users", *args, "--password-stdin"], input=password + "\n")


def event_count(url: str) -> int:
    return int(invoke(url, "verify", "--head").stdout.split()[0])


def test_accounts_are_events_listed_with_their_roles(demo_url: str) -> None:
    # The first account is the administrator (on PostgreSQL: the database role of the connection).
    assert users(demo_url, "add", "postgres", "--role", "admin").exit_code == 0  # type: ignore[attr-defined]
    opened = users(demo_url, "add", "rina", "--role", "perencana", "--opd", "Kecamatan Mangkutana", "--reason", "SK 5/2024")
    assert opened.exit_code == 0, opened.output  # type: ignore[attr-defined]
    listed = invoke(demo_url, "users", "list")
    assert "rina\tperencana\tKecamatan Mangkutana" in listed.stdout
    short = users(demo_url, "add", "budi", "--role", "auditor", password="pendek")
    assert short.exit_code == 1 and "password-short" in short.output  # type: ignore[attr-defined]
    again = users(demo_url, "add", "rina", "--role", "auditor")
    assert again.exit_code == 1 and "exists already" in again.output  # type: ignore[attr-defined]


def test_on_postgresql_the_database_role_records_and_its_account_decides(demo_url: str) -> None:
    if "://" not in demo_url:
        # The embedded ledger has one local user: accounts do not restrict it.
        assert users(demo_url, "add", "audi", "--role", "auditor").exit_code == 0  # type: ignore[attr-defined]
        revised = invoke(demo_url, "revise-pagu", FASILITASI, "210.000.000", "--stage", "perubahan",
                         "--effective", "2024-10-01", "--reason", "DPPA")
        assert revised.exit_code == 0, revised.output
        return
    # No account yet: the database role records as the ledger's single user.
    first = invoke(demo_url, "assign", FASILITASI, "MANSYUR, S.Sos", "--effective", "2024-10-01", "--reason", "SK")
    assert first.exit_code == 0, first.output
    history = json.loads(invoke(demo_url, "history", FASILITASI, "--format", "json").stdout)["events"]
    assert history[-1]["recorded_by"] == "postgres"
    # The role becomes an auditor: from now on it reads and records nothing.
    assert users(demo_url, "add", "postgres", "--role", "auditor").exit_code == 0  # type: ignore[attr-defined]
    before = event_count(demo_url)
    refused = invoke(demo_url, "revise-pagu", FASILITASI, "210.000.000", "--stage", "perubahan",
                     "--effective", "2024-10-02", "--reason", "DPPA")
    assert refused.exit_code == 1 and "access-denied" in refused.output and "auditor" in refused.output
    not_admin = users(demo_url, "add", "rina", "--role", "perencana", "--opd", "Kecamatan Mangkutana")
    assert not_admin.exit_code == 1 and "access-denied" in not_admin.output  # type: ignore[attr-defined]
    assert event_count(demo_url) == before
    assert invoke(demo_url, "report", "tabel-2-3", "--format", "json").exit_code == 0  # reading stays open
