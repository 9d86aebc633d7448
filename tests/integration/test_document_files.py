"""A document import carries its own scan, on SQLite and PostgreSQL: listed in document.toml
(``berkas``) or given with `renja import --berkas`, kept by SHA-256 in the import's one
transaction, named by the document's registration (so the chain covers it), listed by `renja
bukti list`, checked by `renja verify`, and a refused import keeps no file."""

from __future__ import annotations

import json
import shutil
from contextvars import copy_context
from pathlib import Path

from ledger.tanggal import office_date, set_zone
from projections.system import open_system
from tests.conftest import invoke
from tests.integration.test_bukti import PDF, SHA, sql, stored_count

MANGKUTANA = Path(__file__).resolve().parents[2] / "ledger" / "datasets" / "mangkutana_2024"
PNG = b"\x89PNG\r\n\x1a\n the minutes of the meeting, photographed"


def perubahan_with_scan(tmp_path: Path, listed: str = 'berkas = ["Renja Perubahan 2024.pdf"]\n') -> Path:
    """A copy of Mangkutana's Renja Perubahan whose document.toml lists its scan."""
    folder = tmp_path / "renja_perubahan_2024"
    shutil.copytree(MANGKUTANA / "renja_perubahan_2024", folder)
    (folder / "Renja Perubahan 2024.pdf").write_bytes(PDF)
    manifest = folder / "document.toml"
    manifest.write_text(listed + manifest.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_a_document_keeps_its_scan_and_verify_names_it_when_changed(db_url: str, tmp_path: Path) -> None:
    folder = perubahan_with_scan(tmp_path)
    minutes = tmp_path / "berita acara.png"
    minutes.write_bytes(PNG)
    imported = invoke(db_url, "import", str(folder), "--berkas", str(minutes))
    assert imported.exit_code == 0, imported.output
    assert "2 evidence files kept" in " ".join(imported.output.split())  # (wrapped at the terminal's width)
    assert stored_count(db_url) == 2
    listed = json.loads(invoke(db_url, "bukti", "list", "--format", "json").stdout)["berkas"]
    assert [(f["peristiwa"], f["nama"], f["opd"], f["tahun"]) for f in listed] == [
        ("DocumentRegistered", "Renja Perubahan 2024.pdf", "Kecamatan Mangkutana", 2024),
        ("DocumentRegistered", "berita acara.png", "Kecamatan Mangkutana", 2024)]
    assert listed[0]["sha256"] == SHA and listed[0]["subjek"].startswith("Perubahan Rencana Kerja (Renja)")
    verified = invoke(db_url, "verify")
    assert verified.exit_code == 0 and "evidence files: 2 named by the events" in verified.stdout, verified.output

    sql(db_url, "UPDATE renja_evidence SET isi = :isi WHERE sha256 = :sha", isi=PDF.replace(b"595", b"596"), sha=SHA)
    changed = invoke(db_url, "verify")
    assert changed.exit_code == 1
    said = " ".join(changed.output.split())
    assert "evidence file Renja Perubahan 2024.pdf" in said and "Document registered of Perubahan" in said \
        and "was changed" in said, said


def test_a_refused_import_keeps_no_file_and_a_bad_list_names_the_manifest(db_url: str, tmp_path: Path) -> None:
    folder = perubahan_with_scan(tmp_path)
    broken = folder / "tabel_3_2.csv"
    broken.write_text(broken.read_text(encoding="utf-8").replace("2.659.273.950", "dua miliar", 1), encoding="utf-8")
    refused = invoke(db_url, "import", str(folder))
    assert refused.exit_code == 1 and "tabel_3_2.csv" in refused.output, refused.output
    # The same document without its list imports, and the store holds no file of the refused one.
    plain = invoke(db_url, "import", str(MANGKUTANA / "renja_perubahan_2024"))
    assert plain.exit_code == 0, plain.output
    assert stored_count(db_url) == 0

    outside = perubahan_with_scan(tmp_path / "b", listed='berkas = ["../../rahasia.pdf"]\n')
    named = invoke(db_url, "import", str(outside))
    assert named.exit_code == 1 and "document.toml" in named.output and "berkas" in named.output, named.output
    not_a_scan = perubahan_with_scan(tmp_path / "c", listed='berkas = ["tabel_2_1.csv"]\n')
    wrong_type = invoke(db_url, "import", str(not_a_scan))
    assert wrong_type.exit_code == 1 and "tabel_2_1.csv" in wrong_type.output and "not a PDF" in wrong_type.output


def test_times_are_shown_in_the_zone_the_plans_documents_state(db_url: str, tmp_path: Path) -> None:
    wrong = perubahan_with_scan(tmp_path / "cet", listed="")
    manifest = wrong / "document.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('zona_waktu = "WITA"', 'zona_waktu = "CET"'),
                        encoding="utf-8")
    refused = invoke(db_url, "import", str(wrong))
    said = " ".join(refused.output.split())
    assert refused.exit_code == 1 and "document.toml" in said and "zona_waktu" in said and "'CET'" in said, said
    imported = invoke(db_url, "import", str(MANGKUTANA / "renja_perubahan_2024"))  # zona_waktu = "WITA"
    assert imported.exit_code == 0, imported.output
    history = invoke(db_url, "--lang", "id", "history", "7.01.01.2.06.08")
    assert history.exit_code == 0 and " WITA" in history.output and " WIB" not in history.output, history.output
    recorded = json.loads(invoke(db_url, "history", "7.01.01.2.06.08", "--format", "json").stdout)["events"][0]
    assert recorded["recorded_at"].endswith(("Z", "+00:00"))  # the JSON keeps the UTC instant

    def today_in_the_plans_zone() -> tuple[object, object]:
        set_zone("WITA")  # as a command or a page does for Mangkutana, in a context of its own
        plan = open_system(db_url).read_side().plan_view("Kecamatan Mangkutana", 2024)  # the plan as it stands
        assert plan.known_at is not None
        return plan.as_of, office_date(plan.known_at)

    shown_on, ledger_day = copy_context().run(today_in_the_plans_zone)
    assert shown_on == ledger_day  # "today" is the day the ledger's time is on there (not UTC's, until 08.00 WITA)


def test_a_long_lived_reader_sees_each_document_once_imported_and_none_before(db_url: str) -> None:
    """The web's reader decodes every plan's documents once and then reads only the new ones."""
    from datetime import UTC, date, datetime


    index = open_system(db_url).read.index
    assert invoke(db_url, "import", str(MANGKUTANA / "rencana_aksi_2024")).exit_code == 0
    first = index.documents("Kecamatan Mangkutana", 2024)
    cut = datetime.now(UTC)
    assert invoke(db_url, "import", str(MANGKUTANA / "renja_perubahan_2024")).exit_code == 0
    later = index.documents("Kecamatan Mangkutana", 2024)
    assert len(first) == 1 and len(later) == 2 and later[0] == first[0]
    assert index.documents("Kecamatan Mangkutana", 2024, known_at=cut) == first  # as the ledger knew it then
    assert index.documents("Kecamatan Mangkutana", 2024, as_of=date(2024, 1, 3)) == first  # in force then
    assert index.documents("Kecamatan Wotu", 2024) == [] and index.documents("Kecamatan Mangkutana", 2023) == []


def test_a_long_lived_reader_sees_another_ledger_put_in_its_place_with_as_many_documents(tmp_path: Path) -> None:
    """Another ledger copied over the reader's (SQLite's online backup, as a restore by hand): as
    many documents, the same newest one (a document's id is of its kind, date and nomor), but
    another before it, which the reader then reads."""
    import sqlite3


    other = tmp_path / "rencana_aksi_lain"
    shutil.copytree(MANGKUTANA / "rencana_aksi_2024", other)
    manifest = other / "document.toml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace('judul = "', 'judul = "Salinan lain: ', 1).replace('nomor = "', 'nomor = "lain-', 1)
    manifest.write_text(text, encoding="utf-8")  # another document: its id is of its nomor
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    for ledger, first_document in ((ours, MANGKUTANA / "rencana_aksi_2024"), (theirs, other)):
        for folder in (first_document, MANGKUTANA / "renja_perubahan_2024"):
            assert invoke(str(ledger), "import", str(folder)).exit_code == 0
    index = open_system(str(ours)).read.index
    first = index.documents("Kecamatan Mangkutana", 2024)
    with sqlite3.connect(theirs) as source, sqlite3.connect(ours) as target:
        source.backup(target)
    put = index.documents("Kecamatan Mangkutana", 2024)
    newest = ("SELECT notification_id, originator_id, (SELECT COUNT(*) FROM renja_event_index "
              "WHERE event_type = 'DocumentRegistered') FROM renja_event_index "
              "WHERE event_type = 'DocumentRegistered' ORDER BY notification_id DESC LIMIT 1")
    with sqlite3.connect(ours) as now, sqlite3.connect(theirs) as then:
        assert now.execute(newest).fetchone() == then.execute(newest).fetchone()  # the case: the same newest, as many
    assert [d.judul for d in first] != [d.judul for d in put]
    assert [d.judul for d in put] == [d.judul for d in open_system(str(theirs)).read.index.documents("Kecamatan Mangkutana", 2024)]
    assert put[0].judul.startswith("Salinan lain: ") and len(put) == 2
