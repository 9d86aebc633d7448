"""An import you can trust (issue 26): previewed before it is recorded, on the command line and on
the web, with the figures in force it would replace (a DPA's murni pagu over the Rencana Aksi's),
and nothing written by the preview; and a new office's document folder started by
`renja init-dokumen`, which imports as it is."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import invoke
from tests.integration.test_accounts import event_count
from tests.integration.test_web_write import hidden, local, text_of, token, upload_preview, zipped  # noqa: F401

DPA = Path(__file__).parents[1] / "data" / "rincian_sintetis" / "dpa_2024"
REPLACED = "7.01.01.2.06.08 Fasilitasi Kunjungan Tamu: pagu murni 129.435.000 -> 104.711.949"
STARTER_KINDS = ("renja", "renja_perubahan", "rencana_aksi", "dpa")


def test_import_preview_shows_the_murni_pagu_a_dpa_replaces_and_writes_nothing(demo_url: str) -> None:
    before = event_count(demo_url)
    shown = invoke(demo_url, "import", str(DPA), "--preview")
    assert shown.exit_code == 0, shown.output
    assert "PREVIEW, nothing written" in shown.output, shown.output
    assert re.search(r"in force (2024-01-15|15 January 2024)", shown.output), shown.output  # on the DPA's date
    assert "Figures in force it would replace (2):" in shown.output and REPLACED in shown.output, shown.output
    assert "new finding [restatement-pagu]" in shown.output  # the findings it would bring
    assert event_count(demo_url) == before
    counted = re.search(r"(\d+) events would be recorded", shown.output)
    assert counted is not None
    assert invoke(demo_url, "import", str(DPA)).exit_code == 0
    assert event_count(demo_url) == before + int(counted.group(1))  # exactly what the preview counted


def test_an_upload_is_previewed_with_what_it_replaces_then_saved_by_simpan(local: TestClient,  # noqa: F811
                                                                          demo_url: str) -> None:
    before = event_count(demo_url)
    shown = upload_preview(local, "dpa.zip", zipped(DPA))
    assert shown.status_code == 200  # type: ignore[attr-defined]
    page: str = shown.text  # type: ignore[attr-defined]
    words = text_of(page)
    assert "7.01.01.2.06.08 Fasilitasi Kunjungan Tamu murni 129.435.000 104.711.949 -24.723.051" in words, words[:3000]
    assert "restatement-pagu" in words and event_count(demo_url) == before  # a preview writes nothing
    counted = re.search(r"(\d+) peristiwa baru", words)
    assert counted is not None, words[:3000]
    kept = {"csrf": token(page), "unggahan": hidden(page, "unggahan"), "versions": hidden(page, "versions"),
            "checksum": hidden(page, "checksum"), "action": "simpan"}
    edited = local.post("/impor", data={**kept, "judul": "lain"})  # a field changed after the preview
    assert edited.status_code == 409 and event_count(demo_url) == before
    saved = local.post("/impor", data=kept)
    assert saved.status_code == 200 and "peristiwa dicatat" in text_of(saved.text), text_of(saved.text)[:3000]
    assert event_count(demo_url) == before + int(counted.group(1))
    again = local.post("/impor", data=kept)  # the kept upload went with its save
    assert again.status_code == 400 and event_count(demo_url) == before + int(counted.group(1))


def test_each_starter_folder_imports_as_it_is(tmp_path: Path) -> None:
    db_url = str(tmp_path / "wotu.db")  # the starters are files: one backend shows they import
    for kind in STARTER_KINDS:
        folder = tmp_path / kind
        made = invoke(db_url, "--opd", "Kecamatan Wotu", "--tahun", "2025", "init-dokumen", str(folder), "--kind", kind)
        assert made.exit_code == 0, made.output
        manifest = (folder / "document.toml").read_text(encoding="utf-8")
        keys = [line.split("=")[0].strip() for line in manifest.splitlines() if line and not line.startswith(("#", "["))]
        # Only what the importer requires is set; optional keys are comments.
        assert {"seed_lines", "sumber", "nomor"}.isdisjoint(keys) and "# sumber" in manifest, manifest
        assert "required row, level" in manifest or "required row, kode_rekening" in manifest, manifest
        done = invoke(db_url, "import", str(folder))
        assert done.exit_code == 0, (kind, done.output)
    refused = invoke(db_url, "init-dokumen", str(tmp_path / "renja"), "--kind", "renja")
    assert refused.exit_code == 1 and "not an empty folder" in refused.output
