"""SIPD sync (docs/sipd.md): wp-sipd snapshots, from CSV folders and from a live MariaDB server,
recorded as the differences from what SIPD last said, on SQLite and PostgreSQL ledgers."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import drop_pg_database, invoke
from tests.integration.test_order_independence import ledger_for, scrub
from tests.sipd_mariadb import load_snapshot

DATA = Path(__file__).resolve().parents[1] / "data" / "sipd"
SERIES = DATA / "sintetis"
SYNCS = [(SERIES / "1_2025-01-10_murni", "murni"), (SERIES / "2_2025-03-05_pergeseran", "pergeseran"),
         (SERIES / "3_2025-06-20_murni", "murni"), (SERIES / "4_2025-09-15_perubahan", "perubahan")]
DATES = ("2025-02-01", "2025-04-01", "2025-07-01", "2025-12-31")
SUBS = ("2.17.02.2.01.0001", "2.17.02.2.01.0002", "2.17.02.2.02.0001", "2.17.01.2.01.0001")
MANGKUTANA = DATA / "mangkutana_2024"
DOCUMENTS = Path(__file__).resolve().parents[2] / "ledger" / "datasets" / "mangkutana_2024"


def sync(url: str, folder: Path | str, stage: str, *more: str, tahun: str = "2025") -> Any:
    return invoke(url, "sipd", "sync", str(folder), "--tahun", tahun, "--stage", stage, *more)


def synced(url: str, syncs: list[tuple[Path, str]]) -> str:
    for folder, stage in syncs:
        result = sync(url, folder, stage)
        assert result.exit_code == 0, (folder, result.output)
    return url


# Which sync stated a figure that did not change depends on the order the ledger heard the syncs
# in (an earlier sync recorded late states what a later one had already said): the figures do not.
HEARD = {"sumber", "sources", "message"}


def answer(url: str, *args: str) -> Any:
    result = invoke(url, *args, "--format", "json")
    assert result.exit_code == 0, (args, result.output)
    return scrub(json.loads(result.stdout))


def unheard(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: unheard(v) for k, v in value.items() if k not in HEARD}
    if isinstance(value, list):
        # ``unit-unknown`` counts the statements of a satuan ("appears only once"): how often it was heard.
        return [unheard(v) for v in value if not (isinstance(v, dict) and v.get("rule") == "unit-unknown")]
    return value


def figures(url: str) -> dict[str, Any]:
    """What the plan says at each date: every report and check, and each line's pagu (the figure:
    which sync stated it depends on what the ledger had heard when, and is history, not answer)."""
    found: dict[str, Any] = {}
    for as_of in DATES:
        for kind in ("renja", "perubahan", "dpa", "dppa"):
            found[f"report {kind} {as_of}"] = unheard(answer(url, "report", kind, "--as-of", as_of))
        found[f"check {as_of}"] = unheard(answer(url, "check", "--as-of", as_of)["findings"])
        for kode in SUBS:
            found[f"pagu {kode} {as_of}"] = answer(url, "pagu", kode, "--as-of", as_of)["pagu"]
    found["diff"] = unheard(answer(url, "diff", "--from", DATES[0], "--to", DATES[-1], "--rekening"))
    return found


def set_cell(path: Path, key: str, value: str, column: str, new: str) -> None:
    """Change one cell of a snapshot table, in the row whose ``key`` column holds ``value``."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index(key)] == value:
            row[header.index(column)] = new
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def head(url: str) -> str:
    """The count of stored events and the chain's head: anything written changes it."""
    result = invoke(url, "verify", "--head")
    assert result.exit_code == 0, result.output
    return str(result.stdout.strip())


def dropped(backend: str, url: str) -> None:
    if backend == "postgres":
        drop_pg_database(url)


@pytest.mark.xdist_group("sipd")
def test_syncs_in_any_order_give_the_same_answers(backend: str, tmp_path: Path) -> None:
    orders = [SYNCS, SYNCS[::-1], [SYNCS[2], SYNCS[0], SYNCS[3], SYNCS[1]], [SYNCS[1], SYNCS[3], SYNCS[0], SYNCS[2]]]
    first: dict[str, Any] | None = None
    for number, order in enumerate(orders):
        url = synced(ledger_for(backend, tmp_path / f"order{number}.db"), order)
        try:
            got = figures(url)
            assert invoke(url, "verify").exit_code == 0
        finally:
            dropped(backend, url)
        if first is None:
            first = got
            continue
        differing = [key for key in first if first[key] != got[key]]
        assert not differing, f"order {[f.name for f, _ in order]} differs in {differing}"


def test_the_series_tells_its_story(tmp_path: Path) -> None:
    url = synced(str(tmp_path / "ledger.db"), SYNCS)
    pagu = {as_of: {kode: answer(url, "pagu", kode, "--as-of", as_of) for kode in SUBS} for as_of in DATES}
    satu, dua, tiga = "2.17.02.2.01.0001", "2.17.02.2.01.0002", "2.17.02.2.02.0001"
    assert pagu["2025-04-01"][satu]["pagu"] == pagu["2025-02-01"][satu]["pagu"] == 47_000_000  # a pergeseran inside
    assert pagu["2025-04-01"][dua]["pagu"] == 23_000_000
    assert pagu["2025-07-01"][dua]["pagu"] == 0  # withdrawn at the third sync
    assert pagu["2025-12-31"][dua]["pagu"] == 18_750_000  # back in the perubahan
    assert pagu["2025-12-31"][satu]["pagu"] == 51_800_000
    assert pagu["2025-12-31"]["2.17.01.2.01.0001"]["pagu"] == 8_460_000  # X.XX.01.2.01.0001 in SIPD
    history = answer(url, "history", dua)
    withdrawn = [entry for entry in history["events"] if entry["kind"] == "withdrawn"]
    assert len(withdrawn) == 1 and withdrawn[0]["effective_on"] == "2025-06-20"
    assert withdrawn[0]["source"]["kind"] == "sipd" and withdrawn[0]["source"]["table"] == "data_sub_keg_bl"
    assert withdrawn[0]["source"]["row"] == "kode_sbl=217001.217001.102.202201.302201002"
    assert [entry["kind"] for entry in history["events"]].count("restored") == 0  # murni stays withdrawn
    target = [entry for entry in answer(url, "history", tiga)["events"] if entry["kind"].startswith("target")]
    assert [(entry["effective_on"], entry["after"]) for entry in target
            if entry["stage"] == "murni" and "(own)" in entry["kind"]] == [("2025-01-10", "4 Kegiatan"),
                                                                          ("2025-06-20", "6 Kegiatan")]
    shifted = answer(url, "history", f"{satu}/5.1.02.04.01.0001")
    assert sorted({e["effective_on"] for e in shifted["events"] if e["event"] == "RincianStated"}) == [
        "2025-01-10", "2025-03-05", "2025-09-15"]
    dpa = answer(url, "report", "dpa", "--as-of", "2025-04-01")
    assert [section["kode"] for section in dpa["sub_kegiatan"]] == sorted(SUBS)


def test_a_sync_twice_records_nothing_and_a_preview_writes_nothing(backend: str, tmp_path: Path) -> None:
    url = ledger_for(backend, tmp_path / "ledger.db")
    try:
        preview = sync(url, SYNCS[0][0], "murni", "--preview")
        assert preview.exit_code == 0, preview.output
        assert "PREVIEW" in preview.output and "2.17.02.2.01.0001" in preview.output
        assert head(url).startswith("0 ")
        first = sync(url, SYNCS[0][0], "murni")
        assert first.exit_code == 0 and "statements recorded" in first.output, first.output
        recorded = head(url)
        again = sync(url, SYNCS[0][0], "murni")
        assert again.exit_code == 0 and "nothing changed" in again.output, again.output
        assert head(url) == recorded != "0"
    finally:
        dropped(backend, url)


def test_a_live_wp_sipd_database_gives_what_its_csv_export_gives(backend: str, tmp_path: Path,
                                                                  wp_sipd_url: str) -> None:
    from_csv = synced(ledger_for(backend, tmp_path / "csv.db"), SYNCS)
    from_db = ledger_for(backend, tmp_path / "db.db")
    try:
        for folder, stage in SYNCS:  # wp-sipd overwrites its tables at every sync
            load_snapshot(wp_sipd_url, folder)
            result = sync(from_db, wp_sipd_url, stage)
            assert result.exit_code == 0, result.output
            assert "statements recorded" in result.output
        assert figures(from_db) == figures(from_csv)
        again = sync(from_db, wp_sipd_url, "perubahan")
        assert "nothing changed" in again.output
    finally:
        dropped(backend, from_csv)
        dropped(backend, from_db)


def test_mangkutana_as_sipd_gives_the_documents_figures(tmp_path: Path) -> None:
    """What SIPD carries (each sub-kegiatan's pagu, murni and perubahan, and prakiraan maju) is
    what the signed documents say; what it does not carry is listed in the data's README."""
    documents = str(tmp_path / "documents.db")
    for folder in ("rencana_aksi_2024", "renja_perubahan_2024"):
        assert invoke(documents, "import", str(DOCUMENTS / folder)).exit_code == 0
    sipd = str(tmp_path / "sipd.db")
    for folder, stage in (("2024-01-03_murni", "murni"), ("2024-08-01_perubahan", "perubahan")):
        result = sync(sipd, MANGKUTANA / folder, stage, "--opd", "Kecamatan Mangkutana", tahun="2024")
        assert result.exit_code == 0, result.output
    compared = 0
    for as_of, kind in (("2024-03-01", "renja"), ("2024-09-01", "perubahan")):
        signed = {row["kode"]: row for row in answer(documents, "report", kind, "--as-of", as_of)["rows"]
                  if row.get("level") == "sub_kegiatan" and row.get("kode")}
        mirrored = {row["kode"]: row for row in answer(sipd, "report", kind, "--as-of", as_of)["rows"]
                    if row.get("level") == "sub_kegiatan"}
        assert set(mirrored) == set(signed)
        for kode, row in signed.items():
            assert mirrored[kode]["pagu"] == row["pagu"], (kind, kode)
            assert mirrored[kode]["target"] == row["target"], (kind, kode)
            compared += 1
        for kode in signed:
            for stage_as_of in (as_of,):
                assert answer(sipd, "pagu", kode, "--as-of", stage_as_of)["pagu"] == \
                    answer(documents, "pagu", kode, "--as-of", stage_as_of)["pagu"]
    assert compared == 35 + 36


@pytest.mark.parametrize(("damage", "table", "expected"), [
    ("kode", "data_sub_keg_bl", ["data_sub_keg_bl", "kode_sbl=", "kode_sub_giat"]),
    ("fraction", "data_sub_keg_bl", ["data_sub_keg_bl", "kode_sbl=", "'pagu'", "fraction"]),
    ("duplicate", "data_sub_keg_bl", ["data_sub_keg_bl", "appears twice"]),
    ("missing column", "data_rka", ["data_rka", "rincian"]),
    ("other header", "data_sub_keg_indikator", ["data_sub_keg_indikator", "outputteks"]),
    ("missing table", "data_sub_keg_bl", ["data_sub_keg_bl"]),
    ("wrong tahun", "data_sub_keg_bl", ["tahun 2024", "no sub-kegiatan"]),
])
def test_a_bad_source_is_refused_whole(tmp_path: Path, damage: str, table: str, expected: list[str]) -> None:
    folder = tmp_path / "snapshot"
    shutil.copytree(SYNCS[0][0], folder)
    path = folder / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    tahun = "2025"
    if damage == "kode":
        folder = DATA / "sintetis_rusak"
    elif damage == "fraction":
        lines[1] = lines[1].replace(".00,", ".50,", 1)
    elif damage == "duplicate":
        lines.append(lines[1])
    elif damage == "missing column":
        lines[0] = lines[0].replace(",rincian,", ",rincian_x,")
    elif damage == "other header":
        lines[0] = ",".join("teks" if name == "outputteks" else name for name in header)
    elif damage == "missing table":
        path.unlink()
    elif damage == "wrong tahun":
        tahun = "2024"
    if path.exists():
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    url = str(tmp_path / "ledger.db")
    result = invoke(url, "sipd", "sync", str(folder), "--tahun", tahun, "--opd", "Dinas Contoh Sintetis")
    assert result.exit_code == 1, result.output
    for part in expected:
        assert part in result.output, (part, result.output)
    assert "Traceback" not in result.output
    assert head(url).startswith("0 ")


def test_sipd_diff_shows_where_sipd_and_the_signed_documents_disagree(backend: str, tmp_path: Path) -> None:
    url = ledger_for(backend, tmp_path / "documents.db")
    try:
        for folder in ("rencana_aksi_2024", "renja_perubahan_2024"):
            assert invoke(url, "import", str(DOCUMENTS / folder)).exit_code == 0
        as_mirrored = answer(url, "sipd", "diff", str(MANGKUTANA / "2024-08-01_perubahan"), "--stage", "perubahan")
        # SIPD holds every coded sub-kegiatan as signed; the one line the Rencana Aksi names without
        # a kode (Pengadaan Kendaraan ..., Rp 34.500.000) is the one SIPD cannot have.
        assert [(row["keadaan"], row["fakta"], row["dokumen_rp"]) for row in as_mirrored["rows"]] == [
            ("tidak ada di SIPD", "Pagu", 34_500_000)]
        assert as_mirrored["compared"] > 200
        changed = tmp_path / "changed"
        shutil.copytree(MANGKUTANA / "2024-08-01_perubahan", changed)
        set_cell(changed / "data_sub_keg_bl.csv", "kode_sub_giat", "7.01.01.2.01.01", "pagu", "18465000.00")
        found = answer(url, "sipd", "diff", str(changed), "--stage", "perubahan")
        different = [row for row in found["rows"] if row["keadaan"] == "berbeda"]
        assert [(row["kode"], row["tahap"], row["sipd_rp"], row["dokumen_rp"], row["selisih"]) for row in different] == [
            ("7.01.01.2.01.01", "perubahan", 18_465_000, 17_465_000, 1_000_000)]
        assert different[0]["baris_sipd"].startswith("data_sub_keg_bl kode_sbl=")
        assert "Tabel 3.2" in different[0]["dasar_dokumen"]
        for fmt in ("xlsx", "pdf", "csv"):
            out = tmp_path / f"diff.{fmt}"
            result = invoke(url, "sipd", "diff", str(changed), "--stage", "perubahan", "--format", fmt, "--output", str(out))
            assert result.exit_code == 0 and out.stat().st_size > 500, result.output
        assert "18.465.000" in (tmp_path / "diff.csv").read_text(encoding="utf-8") or \
            "18465000" in (tmp_path / "diff.csv").read_text(encoding="utf-8")
        terminal = invoke(url, "sipd", "diff", str(changed), "--stage", "perubahan")
        assert "REKONSILIASI SIPD" in terminal.output and "18.465.000" in terminal.output
        before = head(url)
        invoke(url, "sipd", "diff", str(changed), "--stage", "perubahan")
        assert head(url) == before
    finally:
        dropped(backend, url)
