"""Issue 24, items 6 and 7, on SQLite and PostgreSQL.

6. A plan whose tables start at kegiatan (no program row printed) totals its kegiatan in every
   report, `diff` and the web, and `pagu` of a program or kegiatan answers with the roll-up rule
   the reports use and says which branch of it gave the figure.
7. A before/after form whose *sebelum* figures carry no date of their own (the Lamtim RKPA, and a
   copy of the synthetic DPPA without ``tanggal_sebelum``): its sebelum figures are the "before"
   of its diff, which reproduces the change it prints.

The kegiatan-first documents are modeled on the real Mangkutana tables (the Rencana Aksi of
3 January 2024 and Tabel 3.2 of 1 August 2024: their kegiatan and sub-kegiatan rows, names and
figures as printed) with the program rows left out, as a table of kegiatan and sub-kegiatan
prints them: without kodes, since a kegiatan's kode needs its program.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from tests.conftest import invoke
from tests.integration.lamtim import LAMTIM
from tests.integration.test_order_independence import compare_orders
from web.app import create_app

OPD = "Kecamatan Contoh Kegiatan"
DESA = "Koordinasi Kegiatan Pemberdayaan Desa"
TRANTIB = "Koordinasi Upaya Penyelenggaraan Ketenteraman dan Ketertiban Umum"
PERDA = "Koordinasi Penerapan dan Penegakan Peraturan Daerah dan Peraturan Kepala Daerah"
MUSRENBANG = "Peningkatan Partisipasi Masyarakat dalam Forum Musyawarah Perencanaan Pembangunan di Desa"
PKK = "Peningkatan Efektifitas Kegiatan Pemberdayaan Masyarakat di Wilayah Kecamatan"
POLRI = ("Sinergitas dengan Kepolisian Negara Republik Indonesia, Tentara Nasional Indonesia dan Instansi Vertikal "
         "di Wilayah Kecamatan")
TOKOH = "Harmonisasi Hubungan dengan Tokoh Agama dan Tokoh Masyarakat"
SINERGI = ("Koordinasi/Sinergi dengan Perangkat Daerah yang Tugas dan Fungsinya di Bidang Penegakan Peraturan "
           "Perundang-undangan dan/atau Kepolisian Negara Republik Indonesia")

RA_COLUMNS = ["row", "level", "nama", "indikator", "target", "target_akhir", "pagu",
              *(f"tw{n}_{what}" for n in range(1, 5) for what in ("target", "pagu")), "penanggung_jawab"]
# The Rencana Aksi's rows 5-7 and 9-13 as printed (figures with commas), their program rows left out.
RENCANA_AKSI = [
    ["1", "kegiatan", DESA, "Persentase koordinasi kegiatan pemberdayaan desa yang dilaksanakan ('%)", "100%", "100%",
     "86,041,250", "100%", "40,029,375", "100%", "23,272,375", "100%", "22,739,500", "100%", "-", ""],
    ["2", "sub_kegiatan", MUSRENBANG, "Jumlah partisipasi masyarakat pada pelaksanaan musrenbang kecamatan", "200 org",
     "10", "13,231,000", "10", "13,231,000", "-", "-", "-", "-", "-", "-", "AHMAD, S.AN"],
    ["3", "sub_kegiatan", PKK, "Jumlah PKK Desa yang diberdayakan", "66 Org", "3", "72,810,250", "3", "26,798,375", "3",
     "23,272,375", "3", "22,739,500", "3", "", "DARMAWATI, SE"],
    ["4", "kegiatan", TRANTIB, "Persentase koordinasi upaya penyelenggaraan ketenteraman dan ketertiban umum yang "
     "dilaksanakan ('%)", "100%", "100%", "8,538,500", "100%", "765,000", "100%", "3,151,500", "100%", "3,857,000",
     "100%", "765,000", ""],
    ["5", "sub_kegiatan", POLRI, "Jumlah kasus ketentraman dan ketertiban umum yang difasilitasi (Kasus)", "4 Kasus", "12",
     "4,522,000", "3", "357,500", "3", "357,500", "3", "3,449,500", "3", "357,500", "MUSLIM, S.Pd"],
    ["6", "sub_kegiatan", TOKOH, "Jumlah rapat dalam upaya himbauan atau pencegahan pelanggaran ketenteraman dan "
     "ketertiban yang dilaksanakan (Kali)", "4 Kali", "12", "4,016,500", "3", "407,500", "3", "2,794,000", "3", "407,500",
     "3", "407,500", "MUSLIM, S.Pd"],
    ["7", "kegiatan", PERDA, "Persentase pelaksanaan koordinasi penerapan penegakan Perda dan Perkada ('%)", "100%",
     "100%", "4,059,000", "100%", "388,750", "100%", "388,750", "100%", "388,750", "100%", "2,892,750", ""],
    ["8", "sub_kegiatan", SINERGI, "Jumlah koordinasi/sinergitas dengan Polri dan atau Perangkat Daerah bidang penegakan "
     "peraturan perundang-undangan yang dilaksanakan (Kali)", "4 Kali", "12", "4,059,000", "3", "388,750", "3",
     "388,750", "3", "388,750", "3", "2,892,750", "MUSLIM, S.Pd"],
]
# Tabel 3.2's rows 43-45 and 47-49 as printed; the Perda kegiatan with its own pagu only (its
# sub-kegiatan's row is not printed here): a kegiatan counted by its own statement.
TABEL_3_2 = [
    ["1", "kegiatan", DESA, "110.041.250"],
    ["2", "sub_kegiatan", MUSRENBANG, "13.231.000"],
    ["3", "sub_kegiatan", PKK, "96.810.250"],
    ["4", "kegiatan", TRANTIB, "8.538.500"],
    ["5", "sub_kegiatan", POLRI, "4.522.000"],
    ["6", "sub_kegiatan", TOKOH, "4.016.500"],
    ["7", "kegiatan", PERDA, "4.059.000"],
]
MURNI_TOTAL = 86_041_250 + 8_538_500 + 4_059_000  # the three kegiatan, each the sum of its sub-kegiatan
PERUBAHAN_TOTAL = 110_041_250 + 8_538_500 + 4_059_000  # the Perda kegiatan by its own statement
TW_TOTALS = [40_029_375 + 765_000 + 388_750, 23_272_375 + 3_151_500 + 388_750, 22_739_500 + 3_857_000 + 388_750,
             0 + 765_000 + 2_892_750]


def write_table(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)


def manifest(kind: str, judul: str, tanggal: str, table: str, stage: str) -> str:
    return (f'kind = "{kind}"\njudul = "{judul}"\nopd = "{OPD}"\ntahun = 2024\ntanggal = {tanggal}\n\n'
            f'[[tabel]]\nid = "{table}"\nfile = "tabel.csv"\nlayout = "budget"\nstage = "{stage}"\n')


def kegiatan_first(root: Path) -> list[Path]:
    """The two documents, each a table of kegiatan and sub-kegiatan with no program row."""
    rencana_aksi, perubahan = root / "rencana_aksi", root / "renja_perubahan"
    for folder in (rencana_aksi, perubahan):
        folder.mkdir(parents=True)
    (rencana_aksi / "document.toml").write_text(manifest(
        "rencana_aksi", "Rencana Aksi (kegiatan saja) Tahun 2024", "2024-01-03", "Rencana Aksi", "murni"), encoding="utf-8")
    write_table(rencana_aksi / "tabel.csv", RA_COLUMNS,
                [*RENCANA_AKSI, ["9", "total", "Total", "", "", "", "98,638,750", "", "41,183,125", "", "26,812,625", "",
                                 "26,985,250", "", "3,657,750", ""]])
    (perubahan / "document.toml").write_text(manifest(
        "renja_perubahan", "Renja Perubahan (kegiatan saja) Tahun 2024", "2024-08-01", "Tabel 3.2", "perubahan"),
        encoding="utf-8")
    write_table(perubahan / "tabel.csv", ["row", "level", "nama", "pagu"],
                [*TABEL_3_2, ["8", "total", "TOTAL", "122.638.750"]])
    return [rencana_aksi, perubahan]


def run_json(url: str, *args: str) -> Any:
    result = invoke(url, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def loaded(url: str, *folders: Path) -> str:
    for folder in folders:
        result = invoke(url, "import", str(folder))
        assert result.exit_code == 0, result.output
    return url


def by_name(report: dict[str, Any], nama: str) -> dict[str, Any]:
    return next(r for r in report["rows"] if r["nama"] == nama)


# --- item 6: totals from whatever level a plan starts at ------------------------------------

def test_a_plan_that_starts_at_kegiatan_totals_its_kegiatan_in_every_report(db_url: str, tmp_path: Path) -> None:
    url = loaded(db_url, *kegiatan_first(tmp_path))
    renja = run_json(url, "report", "renja", "--as-of", "2024-03-01")
    assert {r["level"] for r in renja["rows"]} == {"kegiatan", "sub_kegiatan"}  # no program row anywhere
    assert renja["total"]["pagu"] == MURNI_TOTAL
    assert {s["pagu"] for s in renja["total"]["dinyatakan"]} == {MURNI_TOTAL}  # the printed Total agrees
    perubahan = run_json(url, "report", "perubahan", "--as-of", "2024-09-01")
    assert perubahan["total"]["pagu"] == PERUBAHAN_TOTAL
    assert by_name(perubahan, PERDA)["pagu"] == 4_059_000 and by_name(perubahan, DESA)["pagu"] == 110_041_250
    rencana_aksi = run_json(url, "report", "rencana-aksi", "--as-of", "2024-03-01")
    assert rencana_aksi["total"]["pagu"] == MURNI_TOTAL and rencana_aksi["total"]["tw"] == TW_TOTALS
    tabel = invoke(url, "report", "perubahan", "--as-of", "2024-09-01", "--format", "csv").stdout
    footer = next(line for line in tabel.splitlines() if "TOTAL" in line)
    assert "122.638.750" in footer or "122638750" in footer
    assert not [f for f in run_json(url, "check")["findings"] if f["rule"] in ("rollup-total", "triwulan-rollup")]
    diff = run_json(url, "diff", "--from", "2024-03-01", "--to", "2024-09-01")
    assert (diff["total"]["sebelum"], diff["total"]["sesudah"]) == (MURNI_TOTAL, PERUBAHAN_TOTAL)
    page = TestClient(create_app(url)).get(f"/rencana/{quote(OPD)}/2024/renja", params={"as_of": "2024-03-01"})
    assert page.status_code == 200 and "98.638.750" in page.text


def test_pagu_of_a_kegiatan_names_the_rule_that_gave_it(db_url: str, tmp_path: Path) -> None:
    url = loaded(db_url, *kegiatan_first(tmp_path))
    summed = run_json(url, "pagu", DESA)
    assert (summed["pagu"], summed["stage"], summed["rule"], summed["set_by"]) == (110_041_250, "perubahan", "sum", None)
    assert sorted((r["nama"], r["pagu"]) for r in summed["rows"]) == [(PKK, 96_810_250), (MUSRENBANG, 13_231_000)]
    assert summed["pagu_dinyatakan"] == 110_041_250
    march = run_json(url, "pagu", DESA, "--as-of", "2024-03-01")
    assert (march["pagu"], march["stage"], march["rule"], len(march["rows"])) == (86_041_250, "murni", "sum", 2)
    own = run_json(url, "pagu", PERDA)
    assert (own["pagu"], own["stage"], own["rule"], own["rows"]) == (4_059_000, "perubahan", "own", [])
    assert "Tabel 3.2, row 7" in own["set_by"]["basis"]
    murni = run_json(url, "pagu", PERDA, "--stage", "murni")  # at the murni stage its sub-kegiatan states one
    assert (murni["pagu"], murni["rule"], [r["nama"] for r in murni["rows"]]) == (4_059_000, "sum", [SINERGI])
    said = invoke(url, "pagu", DESA).stdout
    assert "pagu perubahan Rp 110.041.250" in said and "counted as the sum of the rows under it" in said
    assert f"- {PKK}: Rp 96.810.250" in said and "set by event" not in said
    said = invoke(url, "pagu", PERDA).stdout
    assert "counted by its own statement" in said and "set by event" in said
    sub = run_json(url, "pagu", PKK)
    assert (sub["pagu"], sub["rule"], sub["rows"]) == (96_810_250, "own", [])


def test_pagu_of_the_rkpa_program_is_the_sum_the_report_shows(db_url: str) -> None:
    url = loaded(db_url, LAMTIM)
    program = run_json(url, "pagu", "4.02.01")
    shown = next(r for r in run_json(url, "report", "perubahan")["rows"] if r["kode"] == "4.02.01")
    assert program["pagu"] == shown["pagu"] == 1_882_880_000 and program["rule"] == "sum"
    assert [r["kode"] for r in program["rows"]] == ["4.02.01.2.06"] and program["pagu_dinyatakan"] is None
    kegiatan = run_json(url, "pagu", "4.02.01.2.06", "--stage", "murni")
    assert (kegiatan["pagu"], kegiatan["rule"]) == (1_695_000_000, "own")
    assert "sebelum perubahan, row 4" in kegiatan["set_by"]["basis"]
    assert "its own row states no perubahan figure" in invoke(url, "pagu", "4.02.01").stdout


def test_the_kegiatan_first_plan_answers_the_same_in_either_order(backend: str, tmp_path: Path) -> None:
    folders = kegiatan_first(tmp_path / "documents")
    compare_orders(backend, tmp_path, [folders, folders[::-1]], ("2024-03-01", "2024-09-01"), (DESA, PERDA, PKK))


# --- item 7: a form's sebelum figures are the "before" of its diff ---------------------------

def test_the_rkpa_diff_shows_its_sebelum_as_before_and_reproduces_its_change(db_url: str) -> None:
    url = loaded(db_url, LAMTIM)
    diff = run_json(url, "diff", "--from", "2022-09-21", "--to", "2022-09-22")
    [program] = diff["programs"]
    [kegiatan] = program["rows"]
    # The form prints Rp. 1.695.000.000 sebelum and Rp. 1.882.880.000 sesudah (source lines 43, 28).
    assert (kegiatan["kode"], kegiatan["sebelum"], kegiatan["sesudah"]) == ("4.02.01.2.06", 1_695_000_000, 1_882_880_000)
    assert kegiatan["bertambah_berkurang"] == 187_880_000 and kegiatan["persen"] == "+11,08%"
    assert kegiatan["changed"] == ["pagu"]  # its targets and indicators read the same before and after
    assert (diff["total"]["sebelum"], diff["total"]["bertambah_berkurang"]) == (1_695_000_000, 187_880_000)
    assert (program["sebelum"], program["sesudah"]) == (1_695_000_000, 1_882_880_000)
    # Only for a diff up to the form's date: the plan on 21 September itself held nothing yet.
    assert "knew no line" in invoke(url, "report", "renja", "--as-of", "2022-09-21").output
    later = run_json(url, "diff", "--from", "2022-09-22", "--to", "2022-12-31")
    assert later["programs"] == [] and later["total"]["sebelum"] == 1_882_880_000
    page = TestClient(create_app(url)).get(f"/perubahan/{quote('Sekretariat DPRD Kabupaten Lampung Timur')}/2022",
                                           params={"dari": "2022-09-21", "sampai": "2022-09-22"})
    assert page.status_code == 200 and "1.695.000.000" in page.text and "187.880.000" in page.text


def undated_dppa(root: Path, bertambah: dict[str, str] | None = None) -> Path:
    """A copy of the synthetic DPPA (tests/data/rincian_sintetis) without ``tanggal_sebelum``,
    its printed bertambah optionally changed by row."""
    folder = root / "dppa_tanpa_tanggal_sebelum"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "rincian_sintetis" / "dppa_2024", folder)
    toml = folder / "document.toml"
    toml.write_text("".join(line for line in toml.read_text(encoding="utf-8").splitlines(keepends=True)
                            if not line.startswith("tanggal_sebelum")), encoding="utf-8")
    table = folder / "rincian_belanja.csv"
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["bertambah"] = (bertambah or {}).get(row["row"], row["bertambah"])
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def printed_changes(folder: Path) -> dict[str, int]:
    """The bertambah/(berkurang) the form prints, added up per account (``SUB/REKENING``)."""
    found: dict[str, int] = {}
    with (folder / "rincian_belanja.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = row["bertambah"].replace(".", "")
            amount = -int(text.strip("()")) if text.startswith("(") else int(text)
            key = f"{row['sub_kegiatan']}/{row['kode_rekening']}"
            found[key] = found.get(key, 0) + amount
    return found


def account_changes(rows: list[dict[str, Any]]) -> dict[str, int]:
    """The diff's change of each account (``SUB/REKENING``): accounts follow their sub-kegiatan."""
    found: dict[str, int] = {}
    sub = ""
    for row in rows:
        if row["level"] == "sub_kegiatan":
            sub = row["kode"]
        elif row["level"] == "rekening":
            found[f"{sub}/{row['kode']}"] = row["bertambah_berkurang"]
    return found


def test_an_undated_dppa_reproduces_its_printed_bertambah_per_account(db_url: str, tmp_path: Path) -> None:
    folder = undated_dppa(tmp_path)
    url = loaded(db_url, folder)
    diff = run_json(url, "diff", "--from", "2024-09-15", "--to", "2024-09-16", "--rekening")
    rows = [r for p in diff["programs"] for r in p["rows"]]
    subs = {r["kode"]: r for r in rows if r["level"] == "sub_kegiatan"}
    assert (subs["7.01.01.2.06.08"]["sebelum"], subs["7.01.01.2.06.08"]["sesudah"]) == (104_711_949, 105_095_949)
    accounts = account_changes(rows)
    printed = {key: amount for key, amount in printed_changes(folder).items() if amount}
    assert {key: accounts[key] for key in printed} == printed and len(printed) == 9
    # The DPPA's own columns on its date: the same sebelum.
    dppa = run_json(url, "report", "dppa", "--as-of", "2024-09-16")
    assert [s["sebelum"] for s in dppa["sub_kegiatan"]] == [104_711_949, 83_234_000]
    assert not [f for f in run_json(url, "check")["findings"] if f["rule"] == "rincian-change"]


def test_a_printed_bertambah_that_does_not_reproduce_is_a_finding(db_url: str, tmp_path: Path) -> None:
    url = loaded(db_url, undated_dppa(tmp_path, {"7": "6.500.000"}))
    [found] = [f for f in run_json(url, "check")["findings"] if f["rule"] == "rincian-change"]
    assert (found["stated"], found["computed"]) == (6_500_000, 6_750_000)
    assert found["kodes"] == ["7.01.01.2.06.08/5.1.02.01.01.0053"]
