"""Evidence files and the what-if through the web application, on SQLite and PostgreSQL.

A penetap decides a proposal with the scan of its SK uploaded on the proposal's page: the file
is linked from the trail and served back byte for byte to whoever reads the plan's files, with
its own media type, as an attachment, never sniffed; a perencana of another OPD is refused it.
A file of a type not taken (or empty, or named with a folder) is refused with the form shown
again and nothing written; a file changed behind the ledger's back is named on an error page,
never sent. `renja verify` passes after the uploads. A finding's answer carries a file too. The
form page shows the plan with its open proposals as a what-if, said so above the form, and its
downloads keep the switch."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.conftest import invoke
from tests.integration.test_accounts import event_count, users
from tests.integration.test_bukti import PDF, SHA, sql
from tests.integration.test_web_usulan import accounts, propose, revision, status_on, step  # noqa: F401 - fixture
from tests.integration.test_web_write import PLAN, hidden, login, text_of, token
from web import bukti_pages

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
OTHER_OPD = "Dinas Kesehatan"


def verified(client: TestClient, address: str) -> None:
    """A proposal of rina's, verified by vera: it waits on the penetap."""
    assert step(client, address, "verify", reason="lengkap").status_code == 303  # type: ignore[attr-defined]


def decide(client: TestClient, address: str, *files: tuple[str, bytes, str]) -> object:
    csrf = token(client.get(address).text)
    return client.post(address, follow_redirects=False,
                       data={"csrf": csrf, "step": "decide", "nomor": "900/15/X/2024", "tanggal": "2024-10-15"},
                       files=[("berkas", file) for file in files])


def test_a_decision_with_its_scan_served_back_to_who_reads_the_plan(accounts: str) -> None:  # noqa: F811
    added = users(accounts, "add", "rudi", "--role", "perencana", "--opd", OTHER_OPD)
    assert added.exit_code == 0, added.output  # type: ignore[attr-defined]
    rina, vera, tia, audi, rudi = (login(accounts, name) for name in ("rina", "vera", "tia", "audi", "rudi"))
    address = propose(rina, revision(token(rina.get(f"/catat/{PLAN}/revisi-pagu").text), "210.000.000"))
    verified(vera, address)
    page = tia.get(address, params={"lang": "en"}).text  # (the reasons below in English)
    assert 'enctype="multipart/form-data"' in page and 'type="file" name="berkas"' in page

    # Refused files: nothing written, the form shown again naming the file and why.
    count = event_count(accounts)
    for name, content, why in (("sk.txt", b"just words", "not a PDF, JPEG, PNG or XLSX"),
                               ("kosong.pdf", b"", "the file is empty"),
                               ("map/sk.pdf", PDF, "without a folder")):
        refused = decide(tia, address, (name, content, "application/pdf"))
        assert refused.status_code == 400, text_of(refused.text)[:2000]  # type: ignore[attr-defined]
        assert 'id="pesan"' in refused.text and why in text_of(refused.text)  # type: ignore[attr-defined]
        assert event_count(accounts) == count and status_on(tia, address) == "diverifikasi"
    # A file posted with a step that carries none is refused too, not dropped unsaid.
    refused = tia.post(address, data={"csrf": token(page), "step": "return", "reason": "x"},
                       files=[("berkas", ("sk.pdf", PDF, "application/pdf"))])
    assert refused.status_code == 400 and event_count(accounts) == count

    decided = decide(tia, address, ("SK 900-15 X 2024.pdf", PDF, "application/pdf"))
    assert decided.status_code == 303, text_of(decided.text)[:2000]  # type: ignore[attr-defined]
    assert event_count(accounts) == count + 2
    link = f"/bukti/{PLAN}/{SHA}"
    assert f'href="{link}"' in rina.get(address).text  # linked from the trail

    for reader in (rina, tia, vera, audi):  # the plan's office, its penetap, a verifikator, an auditor
        served = reader.get(link)
        assert served.status_code == 200 and served.content == PDF
        assert served.headers["content-type"] == "application/pdf"
        assert served.headers["x-content-type-options"] == "nosniff"
        disposition = served.headers["content-disposition"]
        assert disposition.startswith("attachment;") and "SK%20900-15%20X%202024.pdf" in disposition
    other = rudi.get(link)
    assert other.status_code == 403 and other.content != PDF and "rudi" in text_of(other.text)
    assert f'href="{link}"' not in rudi.get(address).text  # named, not linked, for who may not read it
    for wrong in ("0" * 64, SHA[:12], SHA.upper()):
        assert rina.get(f"/bukti/{PLAN}/{wrong}").status_code == 404
    assert rina.get(f"/bukti/{OTHER_OPD.replace(' ', '%20')}/2024/{SHA}").status_code in (403, 404)
    checked = invoke(accounts, "verify")
    assert checked.exit_code == 0, checked.output

    # Changed behind the ledger's back: named on an error page, never sent.
    sql(accounts, "UPDATE renja_evidence SET isi = :isi WHERE sha256 = :sha", isi=PDF.replace(b"595", b"596"), sha=SHA)
    changed = rina.get(link, params={"lang": "en"})
    assert changed.status_code == 500 and changed.headers["content-type"].startswith("text/html")
    assert "SK 900-15 X 2024.pdf" in text_of(changed.text) and "was changed" in text_of(changed.text)


def test_a_finding_answered_with_a_file_and_a_proposal_with_its_basis(accounts: str,  # noqa: F811
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    rina, audi = login(accounts, "rina"), login(accounts, "audi")
    page = rina.get(f"/temuan/{PLAN}").text
    found = re.search(r'<tr class="error" id="temuan-([0-9a-f-]+)"', page)
    assert found and 'enctype="multipart/form-data"' in page
    key = found.group(1)
    count = event_count(accounts)
    # Above the limit (made small here): refused, read no further than one byte past it.
    monkeypatch.setattr(bukti_pages, "MAX_BYTES", 1024)
    large = rina.post(f"/temuan/{PLAN}", data={"csrf": token(page), "temuan": key, "step": "answer", "reason": "x",
                                                "lang": "en"},
                      files=[("berkas", ("besar.pdf", PDF + b"0" * 4096, "application/pdf"))])
    assert large.status_code == 400 and "besar.pdf" in text_of(large.text) and event_count(accounts) == count
    monkeypatch.undo()
    wrong = rina.post(f"/temuan/{PLAN}", data={"csrf": token(page), "temuan": key, "step": "answer", "reason": "x"},
                      files=[("berkas", ("foto.png", b"GIF89a....", "image/png"))])
    assert wrong.status_code == 400 and "foto.png" in text_of(wrong.text) and event_count(accounts) == count
    answered = rina.post(f"/temuan/{PLAN}", follow_redirects=False,
                         data={"csrf": token(page), "temuan": key, "step": "answer", "reason": "lihat foto"},
                         files=[("berkas", ("foto.png", PNG, "image/png"))])
    assert answered.status_code == 303, text_of(answered.text)[:2000]
    sha = hashlib.sha256(PNG).hexdigest()
    assert f'href="/bukti/{PLAN}/{sha}"' in audi.get(f"/temuan/{PLAN}").text
    served = audi.get(f"/bukti/{PLAN}/{sha}")
    assert served.status_code == 200 and served.content == PNG and served.headers["content-type"] == "image/png"

    # Usulkan carries the files chosen after the preview; Simpan records none.
    data = revision(token(rina.get(f"/catat/{PLAN}/revisi-pagu").text), "210.000.000")
    shown = rina.post(f"/catat/{PLAN}/revisi-pagu", data={**data, "action": "pratinjau"}).text
    assert 'type="file" name="berkas"' in shown
    sent = {**data, "versions": hidden(shown, "versions"), "checksum": hidden(shown, "checksum")}
    count = event_count(accounts)
    saved = rina.post(f"/catat/{PLAN}/revisi-pagu", data={**sent, "action": "simpan"},
                      files=[("berkas", ("telaahan.pdf", PDF, "application/pdf"))])
    assert saved.status_code == 400 and 'id="usulkan"' in saved.text and event_count(accounts) == count
    proposed = rina.post(f"/catat/{PLAN}/revisi-pagu", data={**sent, "action": "usulkan"}, follow_redirects=False,
                         files=[("berkas", ("telaahan.pdf", PDF, "application/pdf"))])
    assert proposed.status_code == 303, text_of(proposed.text)[:2000]
    assert f'href="/bukti/{PLAN}/{SHA}"' in rina.get(str(proposed.headers["location"])).text
    checked = invoke(accounts, "verify")
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize("kind", ["perubahan"])
def test_the_what_if_of_a_form_with_the_open_proposals(accounts: str, kind: str) -> None:  # noqa: F811
    rina = login(accounts, "rina")
    propose(rina, revision(token(rina.get(f"/catat/{PLAN}/revisi-pagu").text), "210.000.000"))
    plain = rina.get(f"/rencana/{PLAN}/{kind}")
    what_if = rina.get(f"/rencana/{PLAN}/{kind}", params={"dengan_usulan": "1"})
    assert plain.status_code == 200 and what_if.status_code == 200
    assert 'id="what-if"' in what_if.text and 'id="what-if"' not in plain.text
    note = re.search(r'<div class="what-if" id="what-if"[^>]*>(.*?)</div>', what_if.text, flags=re.S)
    assert note and "ANDAI-ANDAI" in text_of(note.group(1))  # (the page in Indonesian)
    assert "210.000.000" in text_of(what_if.text) and "210.000.000" not in text_of(plain.text)
    assert "dengan_usulan=1&amp;format=xlsx" in what_if.text and "dengan_usulan=1&amp;format" not in plain.text
    # The downloads keep the switch: the workbook says so under its form; the CSV (data only) differs.
    workbook = rina.get(f"/rencana/{PLAN}/{kind}", params={"dengan_usulan": "1", "format": "xlsx"})
    assert workbook.status_code == 200 and "dengan-usulan" in workbook.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None and any("ANDAI-ANDAI" in str(cell) for row in sheet.iter_rows(values_only=True)
                                     for cell in row if cell)
    csv_what_if, csv_plain = (rina.get(f"/rencana/{PLAN}/{kind}", params={**extra, "format": "csv"}).text
                              for extra in ({"dengan_usulan": "1"}, {}))
    assert "210000000" in csv_what_if and "210000000" not in csv_plain
