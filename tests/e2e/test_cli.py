"""The `renja` CLI as a real subprocess and in-process, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import invoke

FASILITASI = "7.01.01.2.06.08"
VERBS = ("revise-pagu", "reallocate", "set-target", "change-indicator", "shift", "assign", "correct", "import", "demo", "report",
         "history", "why", "pagu", "diff", "verify", "export-events", "import-events", "projections")


def renja(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("renja")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "cli.app"]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=300)


def test_help_lists_every_verb_with_one_line() -> None:
    done = renja("--help")
    assert done.returncode == 0
    for verb in VERBS:
        assert verb in done.stdout, verb


def test_demo_then_report_in_a_fresh_directory(tmp_path: Path) -> None:
    """The README's first command on a new machine: default ledger ./renja.db in the working directory."""
    demo = renja("demo", "--fresh", cwd=tmp_path, env={"RENJA_DB": ""})
    assert demo.returncode == 0, demo.stderr
    assert (tmp_path / "renja.db").exists()
    assert "2 documents" in demo.stdout and "Fasilitasi Kunjungan Tamu" in demo.stdout
    report = renja("report", "tabel-2-3", "--format", "json", cwd=tmp_path, env={"RENJA_DB": ""})
    assert json.loads(report.stdout)["total"]["pagu_rkpd"] == 2_779_992_800


def test_errors_are_one_line_on_stderr_without_traceback(tmp_path: Path) -> None:
    done = renja("--db", str(tmp_path / "x.db"), "pagu", FASILITASI)
    assert done.returncode == 1
    assert done.stderr.startswith("renja: ") and "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_bad_usage_exits_2() -> None:
    assert renja("report").returncode == 2
    assert renja("no-such-verb").returncode == 2


@pytest.mark.parametrize(("args", "message"), [
    (("revise-pagu", FASILITASI, "12,5,0", "--stage", "perubahan", "--effective", "2024-09-01", "--reason", "x"), "Rupiah"),
    (("revise-pagu", "--stage", "perubahan", "--effective", "2024-09-01", "--reason", "x", FASILITASI, "--", "-5"), "negative"),
    (("revise-pagu", FASILITASI, "100", "--stage", "perubahan", "--effective", "2024-09-01", "--reason", " "), "reason"),
    (("revise-pagu", FASILITASI, "100", "--stage", "perubahan", "--effective", "1 Agustus", "--reason", "x"), "YYYY-MM-DD"),
    (("revise-pagu", "9.99.99.2.99.99", "100", "--stage", "perubahan", "--effective", "2024-09-01", "--reason", "x"), "not found"),
    (("reallocate", FASILITASI, "--from-tw", "1", "--to-tw", "5", "--rupiah", "10", "--effective", "2024-02-01",
      "--reason", "x"), "triwulan"),
    (("reallocate", FASILITASI, "--from-tw", "4", "--to-tw", "1", "--rupiah", "5.300.001", "--effective", "2024-02-01",
      "--reason", "x"), "cannot give"),
    (("set-target", FASILITASI, "660", "12345", "--stage", "perubahan", "--effective", "2024-09-01", "--reason", "x"), "satuan"),
    (("shift", FASILITASI, "7.01.01.2.06.09", "999.999.999", "--effective", "2024-09-01", "--reason", "x"), "cannot give"),
    (("assign", FASILITASI, " ", "--effective", "2024-09-01"), "name"),
    (("correct", FASILITASI, "--event", "1", "--rupiah", "5", "--reason", "x"), "states no pagu"),
])
def test_write_verbs_refuse_bad_input_and_leave_the_ledger_unchanged(demo_url: str, args: tuple[str, ...], message: str) -> None:
    head = invoke(demo_url, "verify", "--head").stdout
    result = invoke(demo_url, *args)
    assert result.exit_code in (1, 2), result.output
    assert message in result.output
    assert invoke(demo_url, "verify", "--head").stdout == head


def test_write_verbs_record_what_they_say(demo_url: str) -> None:
    # SQLite: the name given; PostgreSQL: the connection's database role, never a typed name.
    shared = "://" in demo_url
    who = ("--user", "perencana1") if not shared else ()
    revised = invoke(demo_url, *who, "revise-pagu", FASILITASI, "210.000.000", "--stage", "perubahan",
                     "--effective", "2024-10-01", "--reason", "DPPA No. 3/2024", "--document", "DPPA 2024")
    assert revised.exit_code == 0, revised.output
    assert "200.710.000 -> 210.000.000 (+9.290.000, +4,63%)" in revised.output
    moved = invoke(demo_url, "reallocate", FASILITASI, "--from-tw", "4", "--to-tw", "1", "--rupiah", "300.000",
                   "--target", "1", "--effective", "2024-02-01", "--reason", "jadwal kunjungan maju")
    assert moved.exit_code == 0 and "TW 1: 50.715.000" in moved.output and "TW 4: 5.000.000" in moved.output
    shifted = invoke(demo_url, "shift", FASILITASI, "7.01.01.2.06.09", "10.000.000", "--effective", "2024-10-02",
                     "--reason", "pergeseran antar sub kegiatan")
    assert shifted.exit_code == 0, shifted.output
    assigned = invoke(demo_url, "assign", FASILITASI, "ZULKIFLI ADI SAPUTRA, ST", "--effective", "2024-10-03")
    assert assigned.exit_code == 0
    target = invoke(demo_url, "set-target", FASILITASI, "700", "Org", "--stage", "perubahan", "--effective", "2024-10-04",
                    "--reason", "tambah tamu")
    assert target.exit_code == 0 and "700 Orang" in target.output
    history = json.loads(invoke(demo_url, "history", FASILITASI, "--format", "json").stdout)["events"]
    revision = next(e for e in history if e["event"] == "PaguRevised")
    assert revision["recorded_by"] == ("postgres" if shared else "perencana1") and revision["reason"] == "DPPA No. 3/2024"
    if shared:
        refused = invoke(demo_url, "--user", "someone-else", "assign", FASILITASI, "X", "--effective", "2024-10-05")
        assert refused.exit_code == 1 and "not accepted on PostgreSQL" in refused.output
    assert revision["source"]["document"] == "DPPA 2024" and "renja" in revision["source"]["command"]
    assert [e["event"] for e in history][-4:] == ["PaguRevised", "PaguShifted", "PenanggungJawabAssigned", "TargetChanged"]
    pagu = json.loads(invoke(demo_url, "pagu", FASILITASI, "--format", "json").stdout)
    assert pagu["pagu"] == 200_000_000 and pagu["set_by"]["event"] == "PaguShifted"


def test_point_in_time_reports_through_a_real_process(demo_url: str) -> None:
    march = json.loads(renja("--db", demo_url, "report", "rencana-aksi", "--as-of", "2024-03-01", "--format", "json").stdout)
    assert march["as_of"] == "2024-03-01"
    assert march["total"]["pagu"] == 2_818_872_800
    assert march["total"]["dinyatakan"][0]["tw"] == [992_370_386, 849_484_807, 539_459_006, 389_548_601]
    september = json.loads(renja("--db", demo_url, "report", "perubahan", "--as-of", "2024-09-01", "--format", "json").stdout)
    rows = {r["kode"]: r for r in september["rows"]}
    assert rows[FASILITASI]["pagu"] == 200_710_000 and rows[FASILITASI]["prakiraan_maju"]["pagu"] == 150_000_000
    renja_march = json.loads(renja("--db", demo_url, "report", "renja", "--as-of", "2024-03-01", "--format", "json").stdout)
    assert {r["kode"]: r for r in renja_march["rows"]}[FASILITASI]["pagu"] == 129_435_000
    table = renja("--db", demo_url, "report", "tabel-2-3")
    assert table.returncode == 0 and "2.788.872.800" in table.stdout and "Rancangan Perubahan RKPD" in table.stdout


# --- honest options and exits ----------------------------------------------------------------

def test_a_read_never_creates_an_empty_ledger(tmp_path: Path) -> None:
    done = renja("report", "renja", cwd=tmp_path, env={"RENJA_DB": ""})
    assert done.returncode == 1 and "no ledger at renja.db" in done.stderr and "renja demo" in done.stderr
    assert not (tmp_path / "renja.db").exists()


def test_an_unreachable_postgresql_fails_fast_and_says_why(tmp_path: Path) -> None:
    import time

    started = time.monotonic()
    done = renja("--db", "postgresql://nobody@127.0.0.1:1/none", "report", "renja", cwd=tmp_path)
    assert done.returncode == 1 and "cannot reach PostgreSQL at 127.0.0.1:1" in done.stderr
    assert "refused" in done.stderr and time.monotonic() - started < 20


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    db = tmp_path / "renja.db"
    assert renja("--db", str(db), "demo", "--fresh").returncode == 0
    script = Path(sys.executable).with_name("renja")
    done = subprocess.run(f"'{script}' --db '{db}' report perubahan | head -1", shell=True, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0 and done.stderr == ""


def test_a_folder_for_another_plan_is_refused(tmp_path: Path) -> None:
    folder = Path(__file__).resolve().parents[2] / "ledger" / "datasets" / "mangkutana_2024" / "rencana_aksi_2024"
    done = renja("--db", str(tmp_path / "x.db"), "--tahun", "2025", "import", str(folder))
    assert done.returncode == 1 and "--tahun 2025" in done.stderr and "2024" in done.stderr


def test_formats_a_verb_cannot_write_are_refused_and_flags_show_no_type(tmp_path: Path) -> None:
    assert renja("--db", str(tmp_path / "x.db"), "pagu", "7.01", "--format", "xlsx").returncode == 2
    assert "<bool>" not in renja("demo", "--help").stdout


SIPD = Path(__file__).resolve().parents[1] / "data" / "sipd"


def test_a_sipd_sync_speaks_indonesian_by_default(tmp_path: Path) -> None:
    """As an office runs it: the sync's summary and a bad snapshot's message in Indonesian."""
    db = str(tmp_path / "sipd.db")
    env = {"RENJA_LANG": "", "LANG": "C.UTF-8", "LC_ALL": ""}
    done = renja("--db", db, "sipd", "sync", str(SIPD / "sintetis" / "1_2025-01-10_murni"), "--tahun", "2025", env=env)
    assert done.returncode == 0, done.stderr
    assert "sub-kegiatan dibaca" in done.stdout and "pernyataan dicatat" in done.stdout
    again = renja("--db", db, "sipd", "sync", str(SIPD / "sintetis" / "1_2025-01-10_murni"), "--tahun", "2025", env=env)
    assert "tidak ada yang berubah" in again.stdout
    bad = renja("--db", db, "sipd", "sync", str(SIPD / "sintetis_rusak"), "--tahun", "2025", env=env)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("renja: data_sub_keg_bl, baris kode_sbl=217001.217001.102.202201.302201002, "
                                 "kolom 'kode_sub_giat': kode tidak sah"), bad.stderr
