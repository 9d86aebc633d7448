"""Writes act on the plan in force at their effective date, on SQLite and PostgreSQL: a shift
dated before the stage it shifts took force is refused and the ledger stays as it was."""

from __future__ import annotations

import json

from tests.conftest import invoke

FASILITASI, RAPAT = "7.01.01.2.06.08", "7.01.01.2.06.09"


def test_a_back_dated_shift_is_refused_and_nothing_changes(demo_url: str) -> None:
    head = invoke(demo_url, "verify", "--head").stdout
    refused = invoke(demo_url, "shift", FASILITASI, RAPAT, "1.000.000", "--effective", "2024-03-01",
                     "--reason", "Pergeseran tanggal mundur")
    assert refused.exit_code == 1
    assert "no perubahan pagu in force on 2024-03-01" in refused.output and "2024-08-01" in refused.output
    assert invoke(demo_url, "verify", "--head").stdout == head
    at = json.loads(invoke(demo_url, "pagu", FASILITASI, "--stage", "perubahan", "--as-of", "2024-04-01",
                           "--format", "json").stdout)
    assert at["pagu"] is None  # not Rp -1.000.000
    done = invoke(demo_url, "shift", FASILITASI, RAPAT, "1.000.000", "--effective", "2024-09-01",
                  "--reason", "Pergeseran SK 7/2024")
    assert done.exit_code == 0, done.output
    checked = json.loads(invoke(demo_url, "check", "--format", "json").stdout)
    findings = checked["findings"] if isinstance(checked, dict) else checked
    assert not [f for f in findings if f["rule"] == "negative-balance"]


def test_a_reallocation_cannot_move_more_than_the_triwulan_holds_on_its_date(demo_url: str) -> None:
    head = invoke(demo_url, "verify", "--head").stdout
    refused = invoke(demo_url, "reallocate", FASILITASI, "--from-tw", "1", "--to-tw", "2", "--rupiah", "1",
                     "--target", "100000", "--effective", "2024-09-01", "--reason", "uji")
    assert refused.exit_code == 1 and "cannot give 100000" in refused.output, refused.output
    assert invoke(demo_url, "verify", "--head").stdout == head


def test_a_preview_shows_the_change_and_writes_nothing(demo_url: str) -> None:
    head = invoke(demo_url, "verify", "--head").stdout
    shown = invoke(demo_url, "revise-pagu", FASILITASI, "210.000.000", "--stage", "perubahan", "--effective",
                   "2024-10-01", "--reason", "SK Bupati 99/2024", "--preview")
    assert shown.exit_code == 0, shown.output
    assert "PREVIEW, nothing written: 1 events" in shown.output
    assert "pagu perubahan: 200.710.000 -> 210.000.000 (+9.290.000)" in shown.output
    assert "plan total perubahan: 2.982.102.179 -> 2.991.392.179" in shown.output
    assert invoke(demo_url, "verify", "--head").stdout == head
