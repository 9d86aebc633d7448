"""Audit: history, pagu at a point in time, diff, tamper evidence, export/import."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from events_store.bootstrap import open_ledger
from ledger.basis import Stage
from projections.catalog import find_line
from projections.pointintime import pagu_at, pagu_of
from tests.conftest import _psycopg_conninfo, invoke

FASILITASI = "7.01.01.2.06.08"


def run_json(url: str, *args: str) -> Any:
    result = invoke(url, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_history_tells_the_story_of_fasilitasi_kunjungan_tamu(demo_url: str) -> None:
    data = run_json(demo_url, "history", FASILITASI)
    pagu_events = [e for e in data["events"] if e["event"] in ("PaguSet", "PaguRevised")]
    assert [(e["stage"], e["after"], e["effective_on"]) for e in pagu_events] == [
        ("murni", "129.435.000", "2024-01-03"),
        ("perubahan", "200.710.000", "2024-08-01"),
        ("rkpd", "101.140.000", "2024-08-01"),
        ("kebutuhan", "200.710.000", "2024-08-01"),
    ]
    assert pagu_events[0]["source"]["table"] == "Rencana Aksi" and pagu_events[0]["source"]["printed"] == "129,435,000"
    assert pagu_events[1]["source"]["table"] == "Tabel 3.2"
    assert pagu_events[3]["source"]["table"] == "Tabel 2.3 (Hasil Analisis Kebutuhan)"
    assert all(e["recorded_by"] and e["recorded_at"].endswith("Z") for e in data["events"])
    assert pagu_events[-1]["pagu_after"] == {"rkpd": 101_140_000, "kebutuhan": 200_710_000, "murni": 129_435_000,
                                            "perubahan": 200_710_000, "prakiraan_maju": 150_000_000}
    story = invoke(demo_url, "why", FASILITASI).stdout
    assert "Rp 129.435.000" in story and "+55,07%" in story and "RKPD draft" in story


def test_history_shows_a_kebutuhan_the_perubahan_differs_from_and_a_correction(demo_url: str) -> None:
    data = run_json(demo_url, "history", "7.01.01.2.08.04")  # Penyediaan Jasa Pelayanan Umum Kantor
    needs = [e for e in data["events"] if e["stage"] == "kebutuhan" and e["event"] == "PaguSet"]
    assert needs and needs[0]["after"] == "57.000.000"
    assert "the perubahan states Rp 42.000.000 (DIFFERS by -15.000.000)" in needs[0]["story"]
    version = needs[0]["version"]
    fixed = invoke(demo_url, "correct", "7.01.01.2.08.04", "--event", str(version), "--rupiah", "42.000.000",
                   "--reason", "Tabel 3.2 is the figure in the DPPA")
    assert fixed.exit_code == 0, fixed.output
    after = run_json(demo_url, "history", "7.01.01.2.08.04")
    correction = [e for e in after["events"] if e["event"] == "EventCorrected"]
    assert correction[0]["kind"] == f"correction of event {version}" and correction[0]["after"] == "42.000.000"
    assert correction[0]["reason"] == "Tabel 3.2 is the figure in the DPPA"


def test_pagu_at_a_point_in_time_names_the_event_that_set_it(demo_url: str) -> None:
    march = run_json(demo_url, "pagu", FASILITASI, "--as-of", "2024-03-01")
    assert march["pagu"] == 129_435_000 and march["stage"] == "murni"
    assert march["set_by"]["event"] == "PaguSet" and "Rencana Aksi, row 40" in march["set_by"]["basis"]
    september = run_json(demo_url, "pagu", "Fasilitasi Kunjungan Tamu", "--as-of", "2024-09-01")
    assert september["pagu"] == 200_710_000 and september["stage"] == "perubahan"
    rkpd = run_json(demo_url, "pagu", FASILITASI, "--stage", "rkpd")
    assert rkpd["pagu"] == 101_140_000
    early = run_json(demo_url, "pagu", FASILITASI, "--known-at", "2020-01-01")
    assert early["pagu"] is None


def test_pagu_in_one_query_answers_as_finding_the_line_then_reading_it(demo_url: str) -> None:
    ledger = open_ledger(demo_url, create=False)
    try:
        index = ledger.index
        (opd, tahun), = index.plans()
        compared = 0
        for line in index.lines(opd, tahun):
            if not line.kode or len(index.lines(opd, tahun, line.kode)) != 1:
                continue
            for as_of, known_at in ((None, None), (date(2024, 3, 1), None), (date(2023, 1, 1), None),
                                    (None, datetime(2020, 1, 1, tzinfo=UTC))):
                one = pagu_of(index, opd, tahun, line.kode.replace(".", " "), None, as_of=as_of, known_at=known_at)
                two = pagu_at(index, find_line(index, opd, tahun, line.kode), None, as_of=as_of, known_at=known_at)
                assert one == two, (line.kode, as_of, known_at)
                compared += 1
        assert compared > 100
        murni = pagu_of(index, opd, tahun, FASILITASI, Stage.MURNI, as_of=date(2024, 9, 1), known_at=None)
        assert murni.pagu == 129_435_000 and murni.line.kode == FASILITASI
        by_name = pagu_of(index, opd, tahun, "Fasilitasi Kunjungan Tamu", None, as_of=date(2024, 9, 1), known_at=None)
        assert by_name.pagu == 200_710_000 and by_name.line == murni.line
    finally:
        ledger.app.close()


def test_diff_summarises_the_2024_revision(demo_url: str) -> None:
    data = run_json(demo_url, "diff", "--from", "2024-01-03", "--to", "2024-08-01")
    rows = {r["kode"] or r["nama"]: r for p in data["programs"] for r in p["rows"]}
    fasilitasi = rows[FASILITASI]
    assert (fasilitasi["sebelum"], fasilitasi["sesudah"], fasilitasi["bertambah_berkurang"]) == (129_435_000, 200_710_000, 71_275_000)
    assert fasilitasi["persen"] == "+55,07%" and "pagu" in fasilitasi["changed"] and "target" in fasilitasi["changed"]
    assert data["total"]["sebelum"] == 2_818_872_800  # the whole murni, not only the changed lines
    assert data["total"]["sesudah"] == 2_982_102_179  # Tabel 3.2, and the murni of the line it omits
    assert data["total"]["sesudah"] - data["total"]["sebelum"] == data["total"]["bertambah_berkurang"]
    nothing = run_json(demo_url, "diff", "--from", "2024-08-02", "--to", "2024-12-31")
    assert nothing["programs"] == [] and nothing["total"]["lines_changed"] == 0


def _tamper(url: str, backend: str) -> int:
    """Raise one recorded pagu directly in the database, as someone with SQL access could."""
    if backend == "sqlite":
        with sqlite3.connect(url) as connection:
            number, state = connection.execute(
                "SELECT rowid, state FROM stored_events WHERE topic LIKE '%:PaguSet' ORDER BY rowid LIMIT 1").fetchone()
            edited = bytes(state).replace(b'"rupiah":', b'"rupiah":1', 1)
            assert edited != bytes(state)
            connection.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (edited, number))
        return int(number)
    import psycopg

    with psycopg.connect(**_psycopg_conninfo(url)) as connection:
        number = connection.execute("SELECT notification_id FROM renjaledger_events WHERE topic LIKE '%:PaguSet' "
                                    "ORDER BY notification_id LIMIT 1").fetchone()[0]
        connection.execute("UPDATE renjaledger_events SET state = convert_to(replace(convert_from(state, 'UTF8'), "
                           "'\"rupiah\":', '\"rupiah\":1'), 'UTF8') WHERE notification_id = %s", (number,))
        return int(number)


def test_verify_catches_a_direct_edit_of_a_stored_event(demo_url: str, backend: str) -> None:
    intact = invoke(demo_url, "verify", "--head")
    assert intact.exit_code == 0
    count, head = intact.stdout.split()
    assert int(count) == 1436 and len(head) == 64
    number = _tamper(demo_url, backend)
    broken = invoke(demo_url, "verify")
    assert broken.exit_code == 1
    assert f"chain broken at event #{number} (PaguSet" in broken.output and "edited" in broken.output


def test_export_import_round_trip_is_identical(demo_url: str, db_url: str, tmp_path: Path) -> None:
    export = tmp_path / "events.jsonl"
    assert invoke(demo_url, "export-events", str(export)).exit_code == 0
    loaded = invoke(db_url, "import-events", str(export))
    assert loaded.exit_code == 0, loaded.output
    assert invoke(db_url, "verify", "--head").stdout == invoke(demo_url, "verify", "--head").stdout
    for args in (("report", "tabel-2-3", "--as-of", "2024-09-01", "--known-at", "2100-01-01"),
                 ("report", "rencana-aksi", "--as-of", "2024-03-01", "--known-at", "2100-01-01"),
                 ("history", FASILITASI), ("diff", "--from", "2024-01-03", "--to", "2024-08-01")):
        original = invoke(demo_url, *args, "--format", "json").stdout
        assert invoke(db_url, *args, "--format", "json").stdout == original, args


@pytest.mark.parametrize("damage", ["truncate", "edit", "garbage"])
def test_a_damaged_export_is_refused_and_nothing_is_written(demo_url: str, db_url: str, tmp_path: Path, damage: str) -> None:
    export = tmp_path / "events.jsonl"
    invoke(demo_url, "export-events", str(export))
    lines = export.read_text().splitlines()
    if damage == "truncate":
        lines = lines[: len(lines) // 2]
    elif damage == "edit":
        record = json.loads(lines[10])
        record["originator_version"] += 1
        lines[10] = json.dumps(record)
    else:
        lines[5] = lines[5][:40]
    export.write_text("\n".join(lines) + "\n")
    refused = invoke(db_url, "import-events", str(export))
    assert refused.exit_code == 1
    expected = {"truncate": "truncated", "edit": "line 11, field 'hash'", "garbage": "line 6"}[damage]
    assert expected in refused.output
    head = invoke(db_url, "verify", "--head")
    # Nothing written: an empty ledger, or (SQLite) no ledger file at all, which a read reports.
    assert head.stdout.startswith("0 ") or ("no ledger at" in head.output and not Path(db_url).exists())


def test_change_indicator_replaces_the_wording_with_a_reason_and_keeps_the_old(demo_url: str) -> None:
    changed = invoke(demo_url, "change-indicator", FASILITASI, "Jumlah kunjungan tamu yang difasilitasi (Kali)",
                     "--stage", "perubahan", "--effective", "2024-10-01", "--reason", "Reviu Inspektorat 2024")
    assert changed.exit_code == 0, changed.output
    events = run_json(demo_url, "history", FASILITASI)["events"]
    entry = next(e for e in events if e["event"] == "IndicatorChanged")
    assert entry["after"] == "Jumlah kunjungan tamu yang difasilitasi (Kali)"
    assert entry["before"] and entry["before"] != entry["after"] and entry["reason"] == "Reviu Inspektorat 2024"
    refused = invoke(demo_url, "change-indicator", FASILITASI, "x", "--stage", "perubahan", "--effective", "2024-10-01",
                     "--reason", " ")
    assert refused.exit_code == 1 and "reason" in refused.output
