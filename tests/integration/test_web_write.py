"""Recording through the web application, on SQLite and PostgreSQL: a decision is previewed on
its unsaved events (nothing written), saved as the logged-in user, refused when the line
changed after the preview, and refused for a role or an OPD the access rule does not allow.
Documents are imported by upload, all or nothing, with every error listed."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from events_store.bootstrap import open_ledger
from ledger.access import AccessRole, Actor
from ledger.application.commands import RevisePagu
from ledger.basis import Source, Stage
from ledger.errors import RuleViolated
from ledger.money import Rupiah
from tests.conftest import invoke
from tests.integration.lamtim import LAMTIM
from tests.integration.test_accounts import event_count, users
from web.app import create_app

OPD = "Kecamatan Mangkutana"
PLAN = f"{quote(OPD)}/2024"
FASILITASI, RAPAT = "7.01.01.2.06.08", "7.01.01.2.06.09"
PASSWORD = "kata-sandi-yang-panjang"


def token(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, page[:2000]
    return html.unescape(found.group(1))


def text_of(page: str) -> str:
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def revision(csrf: str, rupiah: str = "210.000.000", **extra: str) -> dict[str, str]:
    return {"csrf": csrf, "line": FASILITASI, "stage": "perubahan", "rupiah": rupiah, "effective_on": "2024-10-01",
            "reason": "SK Bupati 99/2024", **extra}


def preview(client: TestClient, form: str, data: dict[str, str]) -> str:
    answer = client.post(f"/catat/{PLAN}/{form}", data={**data, "action": "pratinjau"})
    assert answer.status_code == 200, text_of(answer.text)[:3000]
    return answer.text


def save(client: TestClient, form: str, data: dict[str, str], shown: str) -> object:
    return client.post(f"/catat/{PLAN}/{form}", follow_redirects=False,
                       data={**data, "action": "simpan", "versions": hidden(shown, "versions"),
                             "checksum": hidden(shown, "checksum")})


@pytest.fixture
def local(demo_url: str) -> TestClient:
    """A ledger without accounts: its one local user records, as on the command line."""
    return TestClient(create_app(demo_url))


def test_a_revision_is_previewed_without_writing_then_saved_with_its_basis(local: TestClient, demo_url: str) -> None:
    before = event_count(demo_url)
    form = local.get(f"/catat/{PLAN}/revisi-pagu", params={"line": FASILITASI})
    assert form.status_code == 200 and f'value="{FASILITASI}"' in form.text
    data = revision(token(form.text))
    shown = preview(local, "revisi-pagu", data)
    words = text_of(shown)
    # The line's pagu per stage, the plan's totals per stage and the DPPA-style change, before saving.
    assert "perubahan 200.710.000 210.000.000 9.290.000" in words
    assert "2.982.102.179 2.991.392.179 9.290.000" in words
    assert "Fasilitasi Kunjungan Tamu 200.710.000 210.000.000 9.290.000 +4,63%" in words
    assert event_count(demo_url) == before  # a preview writes nothing
    saved = save(local, "revisi-pagu", data, shown)
    assert saved.status_code == 303, text_of(saved.text)[:2000]  # type: ignore[attr-defined]
    assert event_count(demo_url) == before + 1
    page = local.get(saved.headers["location"])  # type: ignore[attr-defined]
    assert "Tercatat: 1 peristiwa" in page.text and "SK Bupati 99/2024" in page.text
    pagu = json.loads(invoke(demo_url, "pagu", FASILITASI, "--stage", "perubahan", "--format", "json").stdout)
    assert pagu["pagu"] == 210_000_000 and pagu["set_by"]["reason"] == "SK Bupati 99/2024"
    assert pagu["set_by"]["basis"].startswith("command: web (")
    history = json.loads(invoke(demo_url, "history", FASILITASI, "--format", "json").stdout)["events"]
    assert history[-1]["recorded_by"] == pagu["set_by"]["recorded_by"] and history[-1]["channel"].startswith("web (")


def test_a_line_changed_after_the_preview_is_not_overwritten(local: TestClient, demo_url: str) -> None:
    data = revision(token(local.get(f"/catat/{PLAN}/revisi-pagu").text))
    shown = preview(local, "revisi-pagu", data)
    meanwhile = invoke(demo_url, "revise-pagu", FASILITASI, "205.000.000", "--stage", "perubahan",
                       "--effective", "2024-09-15", "--reason", "another writer")
    assert meanwhile.exit_code == 0, meanwhile.output
    before = event_count(demo_url)
    stale = save(local, "revisi-pagu", data, shown)
    assert stale.status_code == 409  # type: ignore[attr-defined]
    # The refusal in the page's language (the domain's messages are in the catalog too).
    assert "berubah setelah pratinjau" in text_of(stale.text) and "tidak ada yang ditulis" in text_of(stale.text)  # type: ignore[attr-defined]
    assert event_count(demo_url) == before
    # A form edited after its preview is previewed again, not saved.
    edited = save(local, "revisi-pagu", {**data, "rupiah": "1"}, shown)
    assert edited.status_code == 409 and event_count(demo_url) == before  # type: ignore[attr-defined]


def test_a_pergeseran_previews_both_lines_and_the_unchanged_total(local: TestClient, demo_url: str) -> None:
    data = {"csrf": token(local.get(f"/catat/{PLAN}/pergeseran").text), "from_line": FASILITASI, "to_line": RAPAT,
            "stage": "perubahan", "rupiah": "1.000.000", "effective_on": "2024-10-01", "reason": "Pergeseran SK 7/2024"}
    words = text_of(preview(local, "pergeseran", data))
    assert "perubahan 200.710.000 199.710.000 -1.000.000" in words
    assert "perubahan 2.982.102.179 2.982.102.179" in words
    before = event_count(demo_url)
    assert save(local, "pergeseran", data, preview(local, "pergeseran", data)).status_code == 303  # type: ignore[attr-defined]
    assert event_count(demo_url) == before + 2


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("rupiah", "dua juta", "jumlah Rupiah"), ("rupiah", "-5", "negative"), ("effective_on", "2024-13-01", "TTTT-BB-HH"),
    ("reason", "   ", "wajib diisi"), ("line", "9.99.99.9.99.99", "tidak ditemukan"),
])
def test_bad_fields_are_named_and_nothing_is_written(local: TestClient, demo_url: str, field: str, value: str,
                                                     expected: str) -> None:
    before = event_count(demo_url)
    data = revision(token(local.get(f"/catat/{PLAN}/revisi-pagu").text), **{field: value})
    for action in ("pratinjau", "simpan"):
        answer = local.post(f"/catat/{PLAN}/revisi-pagu", data={**data, "action": action})
        assert answer.status_code == 400 and expected in text_of(answer.text) and "Traceback" not in answer.text
    assert event_count(demo_url) == before


def test_a_post_without_the_form_token_is_refused(local: TestClient, demo_url: str) -> None:
    before = event_count(demo_url)
    forged = local.post(f"/catat/{PLAN}/revisi-pagu", data={**revision("forged"), "action": "simpan"})
    assert forged.status_code == 403 and event_count(demo_url) == before


# --- accounts ---------------------------------------------------------------------------------

@pytest.fixture
def accounts(demo_url: str) -> str:
    for name, role, opds in (("postgres", "admin", ()), ("rina", "perencana", (OPD,)),
                             ("budi", "perencana", ("Kecamatan Wotu",)), ("audi", "auditor", ()),
                             ("vera", "verifikator", ())):
        added = users(demo_url, "add", name, "--role", role, *[a for opd in opds for a in ("--opd", opd)])
        assert added.exit_code == 0, added.output  # type: ignore[attr-defined]
    return demo_url


def login(url: str, name: str) -> TestClient:
    client = TestClient(create_app(url))
    form = client.get("/masuk").text
    answer = client.post("/masuk", data={"name": name, "password": PASSWORD, "csrf": token(form)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


def test_the_perencana_records_its_own_plan_as_itself(accounts: str) -> None:
    rina = login(accounts, "rina")
    data = revision(token(rina.get(f"/catat/{PLAN}/revisi-pagu").text))
    assert save(rina, "revisi-pagu", data, preview(rina, "revisi-pagu", data)).status_code == 303  # type: ignore[attr-defined]
    pagu = json.loads(invoke(accounts, "pagu", FASILITASI, "--stage", "perubahan", "--format", "json").stdout)
    assert pagu["pagu"] == 210_000_000 and pagu["set_by"]["recorded_by"] == "rina"


@pytest.mark.parametrize("name", ["audi", "budi"])
def test_an_auditor_or_another_offices_perencana_cannot_record(accounts: str, name: str) -> None:
    client = login(accounts, name)
    assert client.get(f"/catat/{PLAN}/revisi-pagu").status_code == 403
    assert "Catat perubahan" not in client.get(f"/temuan/{PLAN}").text or name == "budi"
    csrf = token(client.get("/").text)
    before = event_count(accounts)
    for action in ("pratinjau", "simpan"):
        forged = client.post(f"/catat/{PLAN}/revisi-pagu", data={**revision(csrf), "action": action,
                                                                   "versions": "{}", "checksum": "x"})
        assert forged.status_code == 403 and "tidak berhak mencatat" in text_of(forged.text)
    assert event_count(accounts) == before


def test_the_verifikator_corrects_but_does_not_revise(accounts: str) -> None:
    vera = login(accounts, "vera")
    assert vera.get(f"/catat/{PLAN}/revisi-pagu").status_code == 403
    history = json.loads(invoke(accounts, "history", FASILITASI, "--format", "json").stdout)["events"]
    version = next(e["version"] for e in history if e["event"] == "PaguSet" and e["stage"] == "perubahan")
    data = {"csrf": token(vera.get(f"/catat/{PLAN}/koreksi").text), "line": FASILITASI, "version": str(version),
            "rupiah": "200.000.000", "reason": "salah ketik pada Tabel 3.2"}
    assert save(vera, "koreksi", data, preview(vera, "koreksi", data)).status_code == 303  # type: ignore[attr-defined]
    pagu = json.loads(invoke(accounts, "pagu", FASILITASI, "--stage", "perubahan", "--format", "json").stdout)
    assert pagu["pagu"] == 200_000_000 and pagu["set_by"]["recorded_by"] == "vera"


def test_a_changed_role_ends_the_session(accounts: str) -> None:
    rina = login(accounts, "rina")
    assert rina.get(f"/catat/{PLAN}/revisi-pagu").status_code == 200
    changed = invoke(accounts, "users", "role", "rina", "--role", "auditor", "--reason", "pindah tugas")
    assert changed.exit_code == 0, changed.output
    assert rina.get("/", follow_redirects=False).headers["location"] == "/masuk"


def test_a_role_taken_away_is_not_held_by_an_open_application(accounts: str) -> None:
    ledger = open_ledger(accounts)
    rina = Actor("rina", AccessRole.PERENCANA, frozenset({OPD}))  # as she was when her session began
    command = RevisePagu(line=FASILITASI, stage=Stage.PERUBAHAN, rupiah=Rupiah(1), opd=OPD, tahun=2024,
                         effective_on=date(2024, 10, 1), reason="SK", source=Source(command="test"))
    assert ledger.app.preview(command, actor=rina).events
    taken = invoke(accounts, "users", "role", "rina", "--role", "auditor", "--reason", "pindah tugas")
    assert taken.exit_code == 0, taken.output
    before = event_count(accounts)
    for attempt in (ledger.app.preview, ledger.app.handle):
        with pytest.raises(RuleViolated, match="access-denied"):
            attempt(command, actor=rina)
    assert event_count(accounts) == before


# --- import by upload -------------------------------------------------------------------------

def zipped(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, Path(folder.name) / path.relative_to(folder))
    return buffer.getvalue()


def upload_preview(client: TestClient, name: str, content: bytes, **fields: str) -> object:
    """An upload as the Impor page first answers it: its preview (or its refusal), nothing written."""
    csrf = token(client.get("/impor").text)
    return client.post("/impor", data={"csrf": csrf, **fields}, files={"berkas": (name, content)})


def upload(client: TestClient, name: str, content: bytes, **fields: str) -> object:
    """An upload previewed, then saved with the preview's Simpan (a refused preview is the answer)."""
    shown = upload_preview(client, name, content, **fields)
    page: str = shown.text  # type: ignore[attr-defined]
    if 'id="simpan"' not in page:
        return shown
    kept = {name: hidden(page, name) for name in ("unggahan", "versions", "checksum")}
    return client.post("/impor", data={"csrf": token(page), "action": "simpan", **fields, **kept})


def test_a_document_folder_uploaded_as_a_zip_is_imported(local: TestClient, demo_url: str) -> None:
    client = local
    answer = upload(client, "rkpa.zip", zipped(LAMTIM))
    assert answer.status_code == 200, text_of(answer.text)[:2000]  # type: ignore[attr-defined]
    assert "peristiwa dicatat" in text_of(answer.text)  # type: ignore[attr-defined]
    assert "Sekretariat DPRD Kabupaten Lampung Timur" in client.get("/").text
    again = upload(client, "rkpa.zip", zipped(LAMTIM))
    assert again.status_code == 400 and "already in the ledger" in text_of(again.text)  # type: ignore[attr-defined]


def test_a_zip_carries_the_documents_scan_shown_before_it_is_kept(local: TestClient, demo_url: str,
                                                                  tmp_path: Path) -> None:
    from tests.integration.test_bukti import PDF, SHA
    folder = tmp_path / LAMTIM.name
    shutil.copytree(LAMTIM, folder)
    (folder / "rkpa.pdf").write_bytes(PDF)
    manifest = folder / "document.toml"
    manifest.write_text('berkas = ["rkpa.pdf"]\n' + manifest.read_text(encoding="utf-8"), encoding="utf-8")
    shown = upload_preview(local, "rkpa.zip", zipped(folder))
    listed = text_of(shown.text)  # type: ignore[attr-defined]
    assert "Berkas bukti yang dibawanya" in listed and f"rkpa.pdf ({SHA[:12]}" in listed, listed[:3000]
    saved = upload(local, "rkpa.zip", zipped(folder))
    assert "1 berkas bukti disimpan" in text_of(saved.text)  # type: ignore[attr-defined]
    back = local.get(f"/bukti/Sekretariat DPRD Kabupaten Lampung Timur/2022/{SHA}")
    assert back.status_code == 200 and back.content == PDF


def test_a_bad_table_lists_every_error_and_imports_nothing(local: TestClient, demo_url: str) -> None:
    before = event_count(demo_url)
    table = ("row,level,kode,nama,pagu\n1,sub_kegiatan,7.01.01.2.06.08,Fasilitasi Kunjungan Tamu,dua juta\n"
             "2,sub_kegiatan,7.01.01.2.06.09,Rapat Koordinasi,-5\n3,sub_kegiatan,7.01.01.2.06.10,Pelayanan,1.000\n")
    fields = {"opd": OPD, "tahun": "2024", "kind": "dppa", "tanggal": "2024-11-01", "stage": "perubahan"}
    answer = upload(local, "dppa.csv", table.encode(), **fields)
    words = text_of(answer.text)  # type: ignore[attr-defined]
    assert answer.status_code == 400 and "2 kesalahan" in words, words[:2000]  # type: ignore[attr-defined]
    assert "dppa.csv, baris 1, kolom 'pagu'" in words and "dppa.csv, baris 2: " in words and "negative-pagu" in words
    assert "/tmp" not in words and event_count(demo_url) == before


def test_a_malformed_workbook_is_refused_with_its_name(local: TestClient, demo_url: str) -> None:
    before = event_count(demo_url)
    fields = {"opd": OPD, "tahun": "2024", "kind": "dppa", "tanggal": "2024-11-01", "stage": "perubahan"}
    broken = upload(local, "rusak.xlsx", b"PK\x03\x04 this is not a workbook", **fields)
    assert broken.status_code == 400 and "rusak.xlsx" in text_of(broken.text)  # type: ignore[attr-defined]
    workbook, buffer = Workbook(), io.BytesIO()
    workbook.active.append(["row", "level", "kode", "nama", "harga"])  # type: ignore[union-attr]
    workbook.save(buffer)
    wrong = upload(local, "kolom.xlsx", buffer.getvalue(), **fields)
    assert wrong.status_code == 400 and "harga" in text_of(wrong.text)  # type: ignore[attr-defined]
    slip = io.BytesIO()
    with zipfile.ZipFile(slip, "w") as archive:
        archive.writestr("../document.toml", "kind = 'dppa'")
    escaped = upload(local, "jalan.zip", slip.getvalue())
    assert escaped.status_code == 400 and "di luar folder arsip" in text_of(escaped.text)  # type: ignore[attr-defined]
    assert event_count(demo_url) == before
