"""SIPD on the web application, on SQLite and PostgreSQL: a wp-sipd snapshot uploaded as a zip is
previewed (nothing written), saved as the logged-in user, and a second upload of it changes
nothing; the Rekonsiliasi SIPD page sets a snapshot beside the signed documents, with its
downloads, and writes nothing; a bad snapshot is refused with its message and nothing written;
the access rule is the application's."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import zipfile
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.conftest import invoke
from tests.integration.test_accounts import event_count
from tests.integration.test_sipd import MANGKUTANA, SYNCS, set_cell
from tests.integration.test_web_write import OPD, PLAN, accounts, hidden, login, text_of, token, zipped  # noqa: F401
from web.app import create_app

SINTETIS = "Dinas Contoh Sintetis"
FIRST = SYNCS[0][0]  # tests/data/sipd/sintetis/1_2025-01-10_murni
SATU = "2.17.02.2.01.0001"
PERUBAHAN = MANGKUTANA / "2024-08-01_perubahan"


@pytest.fixture
def local(demo_url: str) -> TestClient:
    """A ledger without accounts (the Mangkutana documents): its one local user records."""
    return TestClient(create_app(demo_url))


def flat(folder: Path) -> bytes:
    """A snapshot zipped with its files at the zip's root (``zipped`` puts them in a folder)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, path.name)
    return buffer.getvalue()


def sync(client: TestClient, content: bytes | None, name: str = "snapshot.zip", **fields: str) -> Any:
    csrf = token(client.get("/impor").text)
    data = {"csrf": csrf, "tahun": "2025", "stage": "murni", "action": "pratinjau", **fields}
    files = {"berkas": (name, content)} if content is not None else None
    return client.post("/impor/sipd", data=data, files=files)


def save(client: TestClient, shown: str, **fields: str) -> Any:
    data = {"csrf": token(shown), "action": "simpan", **{name: hidden(shown, name) for name in (
        "unggahan", "versions", "checksum")}}
    for name in ("tahun", "unit", "opd", "reason"):
        found = re.search(rf'name="{name}"[^>]* value="([^"]*)"', shown)
        data[name] = unescape(found.group(1)) if found else ""
    data["stage"] = re.search(r'<option value="([a-z]+)" selected>', shown).group(1)  # type: ignore[union-attr]
    return client.post("/impor/sipd", data={**data, **fields})


def test_a_snapshot_is_previewed_saved_and_a_second_upload_changes_nothing(local: TestClient, demo_url: str) -> None:
    form = local.get("/impor")
    assert form.status_code == 200 and 'id="form-sipd"' in form.text
    assert '<option value="sipd"' not in form.text  # a SIPD snapshot is synced, not imported as a document
    assert '<option value="perubahan"' in form.text
    # Opened from a plan's page, the form names that plan.
    assert f'href="/impor?opd={PLAN.replace("/", "&amp;tahun=")}"' in local.get(f"/temuan/{PLAN}").text
    chosen = local.get("/impor", params={"opd": OPD, "tahun": "2024"}).text
    assert f'name="opd" list="rencana-opd" value="{OPD}"' in chosen and 'name="tahun" inputmode="numeric" value="2024"' in chosen
    before = event_count(demo_url)
    shown = sync(local, zipped(FIRST), "sintetis.zip")
    words = text_of(shown.text)
    assert shown.status_code == 200, words[:3000]
    # What would be recorded: the sub-unit, its sub-kegiatan with their pagu, before anything is written.
    assert f"{SINTETIS} 2025: 4 sub-kegiatan dibaca" in words and "Terunggah: sintetis.zip" in words
    assert f"{SATU} Sub Kegiatan Contoh Sintetis Satu" in words and "47.000.000" in words
    assert 'id="simpan"' in shown.text and event_count(demo_url) == before
    assert hidden(shown.text, "unggahan") and "/tmp" not in words

    saved = save(local, shown.text)
    words = text_of(saved.text)
    assert saved.status_code == 200 and 'id="hasil-sipd"' in saved.text, words[:3000]
    assert f"{SINTETIS} 2025: 4 sub-kegiatan dibaca" in words and "pernyataan dicatat" in words
    recorded = event_count(demo_url)
    assert recorded > before + 100
    # The plan has its events: the report page, the CLI's answer, who recorded it and how it came.
    renja = local.get(f"/rencana/{quote(SINTETIS)}/2025/renja")
    assert renja.status_code == 200 and "Sub Kegiatan Contoh Sintetis Satu" in renja.text
    pagu = json.loads(invoke(demo_url, "--opd", SINTETIS, "--tahun", "2025", "pagu", SATU, "--format", "json").stdout)
    assert pagu["pagu"] == 47_000_000
    history = json.loads(invoke(demo_url, "--opd", SINTETIS, "--tahun", "2025", "history", SATU,
                                "--format", "json").stdout)["events"]
    assert history[-1]["channel"].startswith("web (") and history[-1]["source"]["kind"] == "sipd"
    # The ledger names the upload (its file and sha256), never the server's temporary folder.
    states = [base64.b64decode(record["state"]).decode() for record in map(json.loads, local.get(
        "/integritas/ekspor").text.splitlines()) if record.get("topic", "").endswith(":SipdSynced")]
    assert len(states) == 1 and json.loads(states[0])["source"].startswith("sintetis.zip/1_2025-01-10_murni (sha256:")
    assert str(local.app.state.sipd_uploads.root) not in states[0]  # type: ignore[attr-defined]
    # The upload is not kept once saved.
    assert save(local, shown.text).status_code == 400 and event_count(demo_url) == recorded

    again = sync(local, zipped(FIRST), "sintetis.zip")
    assert again.status_code == 200
    assert "Tidak ada yang berubah: sinkronisasi SIPD ini sudah ada di ledger" in text_of(again.text)
    assert 'id="simpan"' not in again.text
    saved_again = save(local, again.text)
    assert saved_again.status_code == 200 and "sinkronisasi SIPD ini sudah ada di ledger" in text_of(saved_again.text)
    assert event_count(demo_url) == recorded


def test_a_form_changed_after_its_preview_is_previewed_again(local: TestClient, demo_url: str) -> None:
    shown = sync(local, flat(FIRST), opd="Dinas Sintetis Lain")
    assert shown.status_code == 200 and "Dinas Sintetis Lain 2025: 4 sub-kegiatan" in text_of(shown.text)
    before = event_count(demo_url)
    changed = save(local, shown.text, stage="pergeseran")
    assert changed.status_code == 409 and "berubah setelah pratinjau" in text_of(changed.text)
    assert event_count(demo_url) == before
    assert save(local, changed.text).status_code == 200 and event_count(demo_url) > before


def damaged(tmp_path: Path, damage: str) -> tuple[bytes, str]:
    """The first synthetic snapshot, broken one way, zipped."""
    folder = tmp_path / "rusak"
    shutil.copytree(FIRST, folder)
    table = folder / "data_sub_keg_bl.csv"
    if damage == "bad zip":
        return b"PK\x03\x04 bukan arsip", "rusak.zip"
    if damage == "kode":
        set_cell(table, "id", "3", "kode_sub_giat", "7.01.01.2.6.x")
    elif damage == "fraction":
        set_cell(table, "id", "2", "pagu", "47000000.50")
    elif damage == "missing column":
        rka = folder / "data_rka.csv"
        rka.write_text(rka.read_text(encoding="utf-8").replace(",rincian,", ",rincian_x,", 1), encoding="utf-8")
    elif damage == "missing table":
        table.unlink()
    elif damage == "two snapshots":
        shutil.copytree(FIRST, folder / "lagi")
    return zipped(folder), "rusak.zip"


@pytest.mark.parametrize(("damage", "expected"), [
    ("bad zip", ["rusak.zip", "zip"]),
    ("kode", ["data_sub_keg_bl", "kode_sbl=217001.217001.102.202201.302201002", "kode_sub_giat"]),
    ("fraction", ["data_sub_keg_bl", "'pagu'", "47000000.50"]),
    ("missing column", ["data_rka", "rincian"]),
    ("missing table", ["data_sub_keg_bl", "rusak.zip/rusak (sha256:"]),
    ("two snapshots", ["rusak.zip", "data_sub_keg_bl.csv", "2"]),
])
def test_a_bad_snapshot_gives_its_message_and_writes_nothing(local: TestClient, demo_url: str, tmp_path: Path,
                                                             damage: str, expected: list[str]) -> None:
    content, name = damaged(tmp_path, damage)
    before = event_count(demo_url)
    answer = sync(local, content, name)
    words = text_of(answer.text)
    assert answer.status_code == 400 and 'id="galat-sipd"' in answer.text, words[:2000]
    assert "Tidak ada yang dicatat" in words and "Traceback" not in answer.text
    for part in expected:
        assert part in words, (part, words[:2000])
    assert "/tmp" not in words and 'id="simpan"' not in answer.text
    recon = local.post(f"/sipd/{PLAN}", data={"csrf": token(local.get(f"/sipd/{PLAN}").text), "stage": "murni"},
                       files={"berkas": (name, content)})
    assert recon.status_code == 400 and 'id="galat-sipd"' in recon.text and "Traceback" not in recon.text
    assert event_count(demo_url) == before


def test_no_file_and_a_wrong_year_are_refused(local: TestClient, demo_url: str) -> None:
    before = event_count(demo_url)
    missing = sync(local, None)
    assert missing.status_code == 400 and ".zip" in text_of(missing.text)
    year = sync(local, zipped(FIRST), tahun="2024")
    assert year.status_code == 400 and "2024" in text_of(year.text) and 'id="galat-sipd"' in year.text
    assert sync(local, zipped(FIRST), tahun="dua ribu").status_code == 400
    assert event_count(demo_url) == before


def test_the_reconciliation_shows_the_line_sipd_cannot_have(local: TestClient, demo_url: str) -> None:
    page = local.get(f"/sipd/{PLAN}")
    assert page.status_code == 200 and 'id="form-rekonsiliasi"' in page.text
    assert f'href="/sipd/{PLAN}"' in page.text  # linked from the plan's navigation
    assert f'href="/sipd/{PLAN}"' in local.get("/").text and f'href="/sipd/{PLAN}"' in local.get(f"/temuan/{PLAN}").text
    before = event_count(demo_url)
    answer = local.post(f"/sipd/{PLAN}", data={"csrf": token(page.text), "stage": "perubahan"},
                        files={"berkas": ("perubahan.zip", flat(PERUBAHAN))})
    words = text_of(answer.text)
    assert answer.status_code == 200, words[:3000]
    assert "REKONSILIASI SIPD DENGAN DOKUMEN YANG DITANDATANGANI - KECAMATAN MANGKUTANA TAHUN 2024" in words
    assert "1 perbedaan" in words
    row = re.search(r"Pengadaan Kendaraan Perorangan Dinas.*?tidak ada di SIPD", words)
    assert row and "34.500.000" in row.group(0), words[:4000]
    assert "216 fakta dibandingkan, 1 berbeda" in words and "Sumber SIPD : perubahan.zip (sha256:" in words
    # Every download of the same comparison, without uploading again.
    links = {fmt: unescape(link) for link, fmt in re.findall(r'href="(/sipd/[^"]*format=(xlsx|pdf|csv))"', answer.text)}
    assert set(links) == {"xlsx", "pdf", "csv"}
    for fmt, kind in (("xlsx", "spreadsheetml"), ("pdf", "application/pdf"), ("csv", "text/csv")):
        download = local.get(links[fmt])
        assert download.status_code == 200 and kind in download.headers["content-type"]
        assert "attachment" in download.headers["content-disposition"]
    assert "tidak ada di SIPD" in local.get(links["csv"]).content.decode("utf-8-sig")
    # The same page again from the kept upload (the address without its format), at the murni stage.
    murni = local.get(links["xlsx"].replace("format=xlsx", "").replace("stage=perubahan", "stage=murni"))
    assert murni.status_code == 200 and "tahap murni" in text_of(murni.text)
    assert event_count(demo_url) == before  # it writes nothing
    # Another session cannot use this upload.
    other = TestClient(create_app(demo_url))
    assert "tidak ada di SIPD" not in other.get(links["csv"]).text
    assert local.get(f"/sipd/{quote('Dinas Tidak Ada')}/2024").status_code == 404


def test_the_access_rule_of_a_sync_and_who_may_compare(accounts: str) -> None:  # noqa: F811
    audi = login(accounts, "audi")
    assert audi.get("/impor/sipd").status_code == 403
    csrf = token(audi.get(f"/sipd/{PLAN}").text)
    before = event_count(accounts)
    refused = audi.post("/impor/sipd", data={"csrf": csrf, "tahun": "2024", "stage": "perubahan", "action": "pratinjau"},
                        files={"berkas": ("perubahan.zip", zipped(PERUBAHAN))})
    assert refused.status_code == 403 and event_count(accounts) == before
    compared = audi.post(f"/sipd/{PLAN}", data={"csrf": csrf, "stage": "perubahan"},
                         files={"berkas": ("perubahan.zip", zipped(PERUBAHAN))})
    assert compared.status_code == 200 and "tidak ada di SIPD" in text_of(compared.text)
    budi = login(accounts, "budi")  # a perencana of another office
    other = sync(budi, zipped(PERUBAHAN), "perubahan.zip", tahun="2024", stage="perubahan")
    assert other.status_code == 403 and "tidak berhak mencatat" in text_of(other.text)
    assert event_count(accounts) == before
    rina = login(accounts, "rina")  # the perencana of the office the snapshot names
    shown = sync(rina, zipped(PERUBAHAN), "perubahan.zip", tahun="2024", stage="perubahan")
    assert shown.status_code == 200 and f"{OPD} 2024:" in text_of(shown.text), text_of(shown.text)[:2000]
    assert save(rina, shown.text).status_code == 200 and event_count(accounts) > before
    history = json.loads(invoke(accounts, "history", "7.01.01.2.06.08", "--format", "json").stdout)["events"]
    assert history[-1]["recorded_by"] == "rina" and history[-1]["source"]["kind"] == "sipd"
