"""The proposal cycle through the CLI, as three people would run it: on SQLite as the embedded
ledger's named users (--user), on PostgreSQL each as their own database role with its account
(the database's guard checks every step's rights too)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import invoke
from tests.integration.test_postgres_roles import Roles, add_account, renja, role_of, roles  # noqa: F401 - fixture

FASILITASI = "7.01.01.2.06.08"
OPD = "Kecamatan Mangkutana"


def people(backend: str, url: str, request: pytest.FixtureRequest) -> dict[str, Any]:
    """How each person runs `renja`: a --user on SQLite, a login role with its account on PostgreSQL."""
    if backend == "sqlite":
        return {name: (lambda *args, name=name: invoke(url, "--user", name, *args)) for name in ("rina", "vera", "tia")}
    found: Roles = request.getfixturevalue("roles")
    add_account(found.owner, role_of(found.owner), "admin")
    urls = {"rina": found.add("rina"), "vera": found.add("vera"), "tia": found.add("tia")}
    for name, role, opds in (("rina", "perencana", (OPD,)), ("vera", "verifikator", ()), ("tia", "penetap", (OPD,))):
        add_account(found.owner, role_of(urls[name]), role, *opds)
    return {name: (lambda *args, url=url: renja(url, *args)) for name, url in urls.items()}


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_propose_return_propose_again_verify_decide(demo_url: str, backend: str, request: pytest.FixtureRequest) -> None:
    run = people(backend, demo_url, request)
    said = ok(run["rina"]("usul", "revise-pagu", FASILITASI, "210.000.000", "--stage", "perubahan", "--effective",
                          "2024-10-01", "--reason", "usulan DPPA"))
    proposal = said.split()[1]  # "proposal 1a2b3c4d proposed: ..."
    listed = json.loads(ok(run["vera"]("usul", "list", "--format", "json")))
    assert [p["nomor_usulan"] for p in listed["usulan"]] == [proposal]
    refused = run["rina"]("usul", "verify", proposal, "--reason", "sendiri")
    assert refused.exit_code == 1 and ("usulan-own" in refused.output or "access-denied" in refused.output)
    ok(run["vera"]("usul", "return", proposal, "--reason", "angka belum sesuai DPA"))
    ok(run["rina"]("usul", "revise-pagu", FASILITASI, "205.000.000", "--stage", "perubahan", "--effective",
                   "2024-10-01", "--reason", "usulan DPPA, diperbaiki", "--ulang", proposal))
    ok(run["vera"]("usul", "verify", proposal, "--reason", "lengkap"))
    before = json.loads(ok(invoke(demo_url, "pagu", FASILITASI, "--stage", "perubahan", "--format", "json")))
    assert before["pagu"] == 200_710_000  # verified is not decided
    decided = ok(run["tia"]("usul", "decide", proposal, "--nomor", "900/15/X/2024", "--tanggal", "2024-10-15"))
    assert "15 October 2024" in decided
    after = json.loads(ok(invoke(demo_url, "pagu", FASILITASI, "--stage", "perubahan", "--format", "json")))
    assert after["pagu"] == 205_000_000 and after["set_by"]["recorded_by"] == ("tia" if backend == "sqlite"
                                                                               else role_of_person(after))
    shown = json.loads(ok(invoke(demo_url, "usul", "show", proposal, "--format", "json")))
    assert shown["status"] == "ditetapkan" and [s["langkah"] for s in shown["jejak"]] == [
        "UsulanDiajukan", "UsulanDikembalikan", "UsulanDiajukanKembali", "UsulanDiverifikasi", "UsulanDitetapkan"]
    assert invoke(demo_url, "verify").exit_code == 0


def role_of_person(answer: dict[str, Any]) -> str:
    """On PostgreSQL each person is a role named after them (with the database's suffix)."""
    recorded_by = str(answer["set_by"]["recorded_by"])
    assert recorded_by.startswith("tia_")
    return recorded_by
