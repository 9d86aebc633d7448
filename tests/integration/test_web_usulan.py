"""Proposals and the follow-up of findings through the web application, on SQLite and PostgreSQL.

A perencana proposes a revision with "Usulkan" beside "Simpan"; a verifikator returns it; the
perencana proposes it again, amended; the verifikator verifies it and a penetap decides it:
three accounts, each seeing the proposal in its inbox. The decided change is in the plan. A
decide forged by the proposer and a verify by a perencana are refused with nothing written; a
penetap may propose, but never decide its own proposal. On the Temuan page an office answers a
finding and an auditor closes it; only an auditor may, and the follow-up list downloads."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import invoke
from tests.integration.test_accounts import event_count, users
from tests.integration.test_web_write import FASILITASI, OPD, PLAN, hidden, login, text_of, token

PROPOSAL = re.compile(r"^/usulan/Kecamatan%20Mangkutana/2024/([0-9a-f]{32})$")


@pytest.fixture
def accounts(demo_url: str) -> str:
    for name, role, opds in (("postgres", "admin", ()), ("rina", "perencana", (OPD,)), ("vera", "verifikator", ()),
                             ("tia", "penetap", (OPD,)), ("audi", "auditor", ())):
        added = users(demo_url, "add", name, "--role", role, *[a for opd in opds for a in ("--opd", opd)])
        assert added.exit_code == 0, added.output  # type: ignore[attr-defined]
    return demo_url


def revision(csrf: str, rupiah: str) -> dict[str, str]:
    return {"csrf": csrf, "line": FASILITASI, "stage": "perubahan", "rupiah": rupiah, "effective_on": "2024-10-01",
            "reason": "usulan DPPA"}


def propose(client: TestClient, data: dict[str, str]) -> str:
    """Preview the revision, then press Usulkan: the proposal's address."""
    shown = client.post(f"/catat/{PLAN}/revisi-pagu", data={**data, "action": "pratinjau"})
    assert shown.status_code == 200 and 'id="usulkan"' in shown.text, text_of(shown.text)[:2000]
    proposed = client.post(f"/catat/{PLAN}/revisi-pagu", follow_redirects=False,
                           data={**data, "action": "usulkan", "versions": hidden(shown.text, "versions"),
                                 "checksum": hidden(shown.text, "checksum")})
    assert proposed.status_code == 303, text_of(proposed.text)[:2000]
    address = str(proposed.headers["location"])
    assert PROPOSAL.match(address), address
    return address


def step(client: TestClient, address: str, name: str, **fields: str) -> object:
    csrf = token(client.get(address).text)
    return client.post(address, data={"csrf": csrf, "step": name, **fields}, follow_redirects=False)


def status_on(client: TestClient, address: str) -> str:
    found = re.search(r'class="status ([a-z]+)" id="status"', client.get(address).text)
    assert found
    return found.group(1)


def pagu(url: str) -> dict[str, object]:
    answer = invoke(url, "pagu", FASILITASI, "--stage", "perubahan", "--format", "json")
    assert answer.exit_code == 0, answer.output
    return json.loads(answer.stdout)  # type: ignore[no-any-return]


def test_propose_return_propose_again_verify_decide(accounts: str) -> None:
    rina, vera, tia = login(accounts, "rina"), login(accounts, "vera"), login(accounts, "tia")
    before = event_count(accounts)
    address = propose(rina, revision(token(rina.get(f"/catat/{PLAN}/revisi-pagu").text), "210.000.000"))
    usulan = address.rsplit("/", 1)[1]
    assert event_count(accounts) == before + 1 and pagu(accounts)["pagu"] == 200_710_000  # nothing in force yet
    mine = rina.get(address)
    assert mine.status_code == 200 and 'id="flash"' in mine.text and 'id="pratinjau"' in mine.text
    assert "200.710.000 210.000.000" in text_of(mine.text)  # the effect its change would have now
    assert 'id="form-verifikasi"' not in mine.text and 'id="form-batal"' in mine.text  # never verifies its own

    # The verifikator finds it in its inbox (and the penetap does not: it waits on verification).
    assert usulan in vera.get("/usulan").text and usulan in vera.get(f"/usulan/{PLAN}").text
    assert usulan not in tia.get("/usulan").text and usulan in tia.get("/usulan?semua=1").text
    page = vera.get(address).text
    assert 'id="form-verifikasi"' in page and 'id="form-penetapan"' not in page and 'id="pratinjau"' in page
    # A perencana may not verify (not even by a forged post), and returning needs a reason.
    count = event_count(accounts)
    assert step(rina, address, "verify", reason="sendiri").status_code == 403  # type: ignore[attr-defined]
    assert step(vera, address, "return").status_code == 400  # type: ignore[attr-defined]
    assert event_count(accounts) == count
    assert step(vera, address, "return", reason="lampirkan telaahan").status_code == 303  # type: ignore[attr-defined]
    assert status_on(vera, address) == "dikembalikan"

    # Returned: it waits on its proposer, who amends it on the Catat form and proposes it again.
    assert usulan in rina.get("/usulan").text
    again = rina.get(address).text
    assert "lampirkan telaahan" in again and f"/catat/{PLAN}/revisi-pagu?usulan={usulan}" in again
    form = rina.get(f"/catat/{PLAN}/revisi-pagu", params={"usulan": usulan}).text
    assert 'value="210.000.000"' in form and f'name="usulan" value="{usulan}"' in form
    data = {**revision(token(form), "205.000.000"), "usulan": usulan}
    shown = rina.post(f"/catat/{PLAN}/revisi-pagu", data={**data, "action": "pratinjau"}).text
    assert 'id="usulkan"' in shown and 'id="simpan"' not in shown
    assert propose(rina, data) == address
    assert status_on(rina, address) == "diajukan"

    assert step(vera, address, "verify", reason="lengkap").status_code == 303  # type: ignore[attr-defined]
    assert status_on(vera, address) == "diverifikasi"
    assert usulan in tia.get("/usulan").text and usulan not in vera.get("/usulan").text

    # A decide forged by the proposer is refused, nothing written; the penetap decides it.
    count = event_count(accounts)
    forged = step(rina, address, "decide", nomor="900/15/X/2024", tanggal="2024-10-15")
    assert forged.status_code == 403 and event_count(accounts) == count  # type: ignore[attr-defined]
    assert 'id="form-penetapan"' in tia.get(address).text
    decided = step(tia, address, "decide", nomor="900/15/X/2024", tanggal="2024-10-15", reason="DPPA")
    assert decided.status_code == 303, text_of(decided.text)[:2000]  # type: ignore[attr-defined]
    assert event_count(accounts) == count + 2  # the decision and the change, in one transaction
    for client in (rina, vera, tia):
        assert status_on(client, address) == "ditetapkan"
        assert usulan not in client.get("/usulan").text
    words = text_of(tia.get(address).text)
    assert "900/15/X/2024" in words and 'id="pratinjau"' not in tia.get(address).text
    set_by = pagu(accounts)
    assert set_by["pagu"] == 205_000_000 and set_by["set_by"]["recorded_by"] == "tia"  # type: ignore[index]
    shown_json = json.loads(invoke(accounts, "usul", "show", usulan[:8], "--format", "json").stdout)
    assert shown_json["status"] == "ditetapkan"
    assert [s["oleh"] for s in shown_json["jejak"]] == ["rina", "vera", "rina", "vera", "tia"]
    assert shown_json["jejak"][-1]["langkah"] == "UsulanDitetapkan"


def test_nobody_decides_their_own_proposal_and_a_stale_form_proposes_nothing(accounts: str) -> None:
    tia, vera = login(accounts, "tia"), login(accounts, "vera")
    csrf = token(tia.get(f"/catat/{PLAN}/revisi-pagu").text)
    count = event_count(accounts)
    # Usulkan, like Simpan, only for the form its preview showed.
    stale = tia.post(f"/catat/{PLAN}/revisi-pagu", data={**revision(csrf, "205.000.000"), "action": "usulkan",
                                                          "versions": "{}", "checksum": "x"})
    assert stale.status_code == 409 and event_count(accounts) == count
    address = propose(tia, revision(csrf, "205.000.000"))  # a penetap may propose
    assert step(vera, address, "verify", reason="lengkap").status_code == 303  # type: ignore[attr-defined]
    assert 'id="form-penetapan"' not in tia.get(address).text  # its own: no decision form
    count = event_count(accounts)
    own = step(tia, address, "decide", nomor="900/16/X/2024", tanggal="2024-10-15")
    assert own.status_code == 400 and 'id="pesan"' in own.text  # type: ignore[attr-defined]
    assert "tia" in text_of(own.text)  # type: ignore[attr-defined]
    assert event_count(accounts) == count and status_on(tia, address) == "diverifikasi"
    assert pagu(accounts)["pagu"] == 200_710_000
    # The proposer withdraws it.
    assert step(tia, address, "cancel", reason="salah hitung").status_code == 303  # type: ignore[attr-defined]
    assert status_on(vera, address) == "dibatalkan"


def test_a_correction_cannot_be_proposed(accounts: str) -> None:
    vera = login(accounts, "vera")
    csrf = token(vera.get(f"/catat/{PLAN}/koreksi").text)
    count = event_count(accounts)
    data = {"csrf": csrf, "line": FASILITASI, "version": "1", "rupiah": "1", "reason": "x", "action": "usulkan"}
    assert vera.post(f"/catat/{PLAN}/koreksi", data=data).status_code == 400
    assert event_count(accounts) == count


def follow_up_status(page: str, finding: str) -> str:
    row = re.search(rf'<tr[^>]*id="temuan-{finding}">(.*?)</tr>', page, flags=re.S)
    assert row, finding
    found = re.search(r'<td class="tindak-lanjut"[^>]*>\s*<span class="status ([a-z]+)"', row.group(1))
    assert found, row.group(1)[:2000]
    return found.group(1)


def test_the_follow_up_of_a_finding_on_the_temuan_page(accounts: str) -> None:
    rina, audi = login(accounts, "rina"), login(accounts, "audi")
    page = rina.get(f"/temuan/{PLAN}").text
    finding = re.search(r'<tr class="error" id="temuan-([0-9a-f-]+)"', page)
    assert finding
    key = finding.group(1)
    assert follow_up_status(page, key) == "terbuka"
    assert 'value="answer"' in page and 'value="close"' not in page  # an office answers; an auditor closes
    count = event_count(accounts)
    refused = rina.post(f"/temuan/{PLAN}", data={"csrf": token(page), "temuan": key, "step": "close", "reason": "x"})
    assert refused.status_code == 403 and event_count(accounts) == count
    empty = rina.post(f"/temuan/{PLAN}", data={"csrf": token(page), "temuan": key, "step": "answer", "reason": " "})
    assert empty.status_code == 400 and event_count(accounts) == count
    answered = rina.post(f"/temuan/{PLAN}", follow_redirects=False,
                         data={"csrf": token(page), "temuan": key, "step": "answer", "reason": "diperbaiki di DPPA",
                               "rule": "forged", "pesan": "forged"})
    assert answered.status_code == 303, text_of(answered.text)[:2000]
    assert event_count(accounts) == count + 2  # the follow-up begun (the finding as read) and the answer
    page = audi.get(f"/temuan/{PLAN}").text
    assert follow_up_status(page, key) == "ditanggapi" and "diperbaiki di DPPA" in page
    acted = audi.post(f"/temuan/{PLAN}", follow_redirects=False,
                      data={"csrf": token(page), "temuan": key, "step": "act", "reason": "DPPA 3/2024 memperbaikinya",
                            "bukti": "DPPA 3/2024"})
    assert acted.status_code == 303
    closed = audi.post(f"/temuan/{PLAN}", follow_redirects=False,
                       data={"csrf": token(page), "temuan": key, "step": "close", "reason": "diterima"})
    assert closed.status_code == 303
    for client in (rina, audi):
        assert follow_up_status(client.get(f"/temuan/{PLAN}").text, key) == "ditutup"
    page = audi.get(f"/temuan/{PLAN}").text
    row = re.search(rf'id="temuan-{key}">(.*?)</tr>', page, flags=re.S)
    assert row and 'value="reopen"' in row.group(1) and 'value="answer"' not in row.group(1)
    listed = json.loads(invoke(accounts, "temuan", "show", key, "--format", "json").stdout)
    assert [s["langkah"] for s in listed["jejak"]] == ["TemuanDiikuti", "TemuanDitanggapi", "TindakLanjutDicatat",
                                                      "TemuanDitutup"]
    assert listed["rule"] != "forged" and listed["jejak"][2]["bukti"] == "DPPA 3/2024"  # the server's finding
    for fmt, kind in (("xlsx", "spreadsheetml"), ("pdf", "application/pdf")):
        download = audi.get(f"/temuan/{PLAN}", params={"format": fmt})
        assert download.status_code == 200 and kind in download.headers["content-type"]
        assert "tindak-lanjut" in download.headers["content-disposition"]
