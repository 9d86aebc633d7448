"""The hostile tester's campaign (issue 29), rerun as a table on SQLite and PostgreSQL: every bad
input exits 1 with one clear Indonesian line (never an internal error) and leaves the ledger as
it was (the same chain head; on SQLite the same bytes); a document's manifest can make the
ledger read nothing outside the document's folder, on the command line and through the web."""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from tests.conftest import invoke
from tests.integration.test_bad_input import GOOD_ROW, HEADER, fingerprint, import_args, table
from tests.integration.test_web_write import text_of, upload, zipped
from web.app import create_app

DATASETS = Path(__file__).resolve().parents[2] / "ledger" / "datasets" / "mangkutana_2024"
FASILITASI = "7.01.01.2.06.08"


def document(tmp_path: Path, edit: Callable[[str], str] = lambda text: text, name: str = "dokumen") -> Path:
    """A copy of the Rencana Aksi folder with its document.toml edited."""
    folder = tmp_path / name
    shutil.copytree(DATASETS / "rencana_aksi_2024", folder)
    manifest = folder / "document.toml"
    manifest.write_text(edit(manifest.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def first_file(text: str, value: str) -> str:
    return re.sub(r'^file = ".*"$', f'file = "{value}"', text, count=1, flags=re.M)


def outside_csv(tmp_path: Path) -> Path:
    """A table on the machine, outside every document folder: what an escape would read."""
    secret = tmp_path / "rahasia.csv"
    secret.write_text(HEADER + GOOD_ROW, encoding="utf-8")
    return secret


def symlinked(tmp_path: Path) -> Path:
    folder = document(tmp_path)
    link = folder / "rencana_aksi.csv"
    link.unlink()
    link.symlink_to(outside_csv(tmp_path))
    return folder


def doctype_workbook(tmp_path: Path) -> Path:
    """A workbook whose sheet declares an entity (the shape of the 'billion laughs')."""
    plain = tmp_path / "plain.xlsx"
    workbook = Workbook()
    workbook.active.append(["row", "level", "kode", "nama", "pagu"])  # type: ignore[union-attr]
    workbook.save(plain)
    path = tmp_path / "dppa.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                declaration, _, rest = data.partition(b"?>") if data.startswith(b"<?xml") else (b"", b"", data)
                data = (declaration + (b"?>" if declaration else b"")
                        + b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + rest)
            target.writestr(info, data)
    return path


def many_rows(tmp_path: Path) -> Path:
    rows = "".join(f"{n},sub_kegiatan,,baris {n},1\n" for n in range(1, 50_003))
    return table(tmp_path, HEADER + rows)


def utf16(tmp_path: Path) -> Path:
    folder = document(tmp_path)
    manifest = folder / "document.toml"
    manifest.write_bytes(manifest.read_text(encoding="utf-8").encode("utf-16"))
    return folder


def single_table(text: str) -> str:
    first = text.index("[[tabel]]")
    second = text.index("[[tabel]]", first + 1)
    return text[:second].replace("[[tabel]]", "[tabel]")


def revise(amount: str = "210.000.000", effective: str = "2024-10-01", reason: str = "SK Bupati 99/2024") -> list[str]:
    return ["revise-pagu", FASILITASI, amount, "--stage", "perubahan", "--effective", effective, "--reason", reason]


def cell(value: str, column: str = "nama") -> Callable[[Path], list[str]]:
    row = {"row": "1", "level": "sub_kegiatan", "kode": FASILITASI, "nama": "Fasilitasi Kunjungan Tamu", "pagu": "1"}
    row[column] = value
    return lambda d: import_args(table(d, HEADER + ",".join(row.values()) + "\n"))


Case = Callable[[Path], list[str]]
# Each case: the arguments, and a phrase of the Indonesian message that says what is wrong.
CASES: dict[str, tuple[Case, str]] = {
    # 1. a manifest names a file outside its folder
    "manifest file with ..": (lambda d: ["import", str(document(d, lambda t: first_file(t, f"../{outside_csv(d).name}")))],
                              "bukan nama berkas di dalam folder dokumen"),
    "manifest absolute file": (lambda d: ["import", str(document(d, lambda t: first_file(t, str(outside_csv(d)))))],
                               "bukan nama berkas di dalam folder dokumen"),
    "manifest symlink out": (lambda d: ["import", str(symlinked(d))], "mengarah ke luar folder dokumen"),
    # 5. bounds
    "10 MB judul": (lambda d: ["import", str(document(d, lambda t: re.sub(r"^judul = .*$", 'judul = "' + "x" * 10_000_000
                                                                         + '"', t, flags=re.M)))],
                    "document.toml menerangkan dokumen"),
    "long reason": (lambda d: revise(reason="x" * 5000), "paling banyak 2000 karakter"),
    "50,002 rows": (lambda d: import_args(many_rows(d)), "lebih dari 50,000 baris"),
    # 6. money in one form
    "percent as Rupiah": (lambda d: revise("100%"), "tanpa %, spasi, koma atau sen"),
    "Rp 100%": (lambda d: revise("Rp 100%"), "tanpa %, spasi, koma atau sen"),
    "space in an amount": (lambda d: revise("1 000"), "tanpa %, spasi, koma atau sen"),
    "comma grouping": (lambda d: revise("20,670,000"), "tanpa %, spasi, koma atau sen"),
    "decimal amount": (lambda d: revise("1.000,50"), "tanpa %, spasi, koma atau sen"),
    # 7. once internal errors
    "blank indicator": (lambda d: ["change-indicator", FASILITASI, "", "--stage", "perubahan", "--effective",
                                   "2024-10-01", "--reason", "x"], "rumusan indikator tidak sah"),
    "blank account name": (lambda d: ["users", "add", "", "--role", "admin", "--password-stdin"], "nama tidak sah"),
    "spaces as account name": (lambda d: ["users", "add", " ", "--role", "admin", "--password-stdin"], "nama tidak sah"),
    "lone surrogate in a reason": (lambda d: revise(reason="SK \udcff 3"), "U+DCFF"),
    "xlsx with a DOCTYPE": (lambda d: import_args(doctype_workbook(d)), "memuat DOCTYPE"),
    "tanggal with a time": (lambda d: ["import", str(document(d, lambda t: re.sub(r"^tanggal = .*$", "tanggal = 2024-01-02T10:00:00",
                                                                                  t, flags=re.M)))],
                            "bukan tanggal"),
    "UTF-16 document.toml": (lambda d: ["import", str(utf16(d))], "bukan teks UTF-8"),
    "[tabel] as a table": (lambda d: ["import", str(document(d, single_table))], "diharapkan entri [[tabel]]"),
    # 8. nonsense that was stored
    "NUL in a reason": (lambda d: revise(reason="SK\x00 3"), "karakter kendali U+0000"),
    "ESC in a reason": (lambda d: revise(reason="DPPA\x1b[31m 3"), "karakter kendali U+001B"),
    "bidi override in an indicator": (lambda d: ["change-indicator", FASILITASI, "Jumlah\u202e tamu", "--stage", "perubahan",
                                                 "--effective", "2024-10-01", "--reason", "x"], "U+202E"),
    "ESC in a satuan": (lambda d: ["set-target", FASILITASI, "12", "Lap\x1boran", "--stage", "perubahan", "--effective",
                                   "2024-10-01", "--reason", "x"], "U+001B"),
    "ESC in an OPD name": (lambda d: ["--opd", "Kecamatan\x1b Mangkutana", "--tahun", "2024", "import",
                                      str(table(d, HEADER + GOOD_ROW)), "--kind", "dppa", "--tanggal", "2024-11-01",
                                      "--stage", "perubahan"], "U+001B"),
    "ESC in a cell": (cell("Fasilitasi\x1b[2J"), "karakter kendali U+001B"),
    "formula as a row number": (cell("=1+1", "row"), "bukan nomor baris"),
    "NaN as a row number": (cell("NaN", "row"), "bukan nomor baris"),
    "vulgar fraction as a row number": (cell("½", "row"), "bukan nomor baris"),
    "effective 0001-01-01": (lambda d: revise(effective="0001-01-01"), "di luar tahun-tahun rencana 2024"),
    "effective 9999-12-31": (lambda d: revise(effective="9999-12-31"), "di luar tahun-tahun rencana 2024"),
    "document dated another decade": (lambda d: ["import", str(document(d, lambda t: re.sub(
        r"^tanggal = .*$", "tanggal = 2004-01-03", t, flags=re.M), name="lama"))], "di luar tahun-tahun rencana 2024"),
    "single table dated another year": (lambda d: [*import_args(table(d, HEADER + GOOD_ROW))[:-4], "--tanggal",
                                                   "2030-11-01", "--stage", "perubahan"], "di luar tahun-tahun"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_campaigns_bad_inputs_are_refused_in_indonesian_and_change_nothing(
        demo_url: str, tmp_path: Path, case: str) -> None:
    build, expected = CASES[case]
    args = build(tmp_path)
    before = fingerprint(demo_url)
    result = invoke(demo_url, "--lang", "id", *args)
    words = " ".join(result.output.split())
    assert result.exit_code == 1, result.output[:2000]
    assert expected in words, words[:2000]
    assert "internal error" not in words and "galat internal" not in words and "Traceback" not in words
    assert len(result.output.strip().splitlines()) == 1, result.output[:2000]
    assert fingerprint(demo_url) == before


def test_an_explicit_override_records_a_date_outside_the_plan_years_with_its_reason(demo_url: str) -> None:
    refused = invoke(demo_url, *revise(effective="2027-01-02"))
    assert refused.exit_code == 1 and "date-outside-plan-years" in refused.output
    allowed = invoke(demo_url, *revise(effective="2027-01-02", reason="SK koreksi 2027"), "--outside-plan-years")
    assert allowed.exit_code == 0, allowed.output
    typed = invoke(demo_url, *revise("Rp 211.000.000", reason="SK Bupati 100/2024"))
    assert typed.exit_code == 0 and "211.000.000" in typed.output, typed.output


def test_an_uploaded_manifest_cannot_read_a_file_of_the_server(demo_url: str, tmp_path: Path) -> None:
    """The server's own file would import (HTTP 200, events written) before the fix."""
    secret = outside_csv(tmp_path)
    client = TestClient(create_app(demo_url))
    before = fingerprint(demo_url)
    for reference in (os.path.relpath(secret, tmp_path / "x" / "y" / "z"), "../" * 12 + str(secret).lstrip("/"),
                      str(secret)):
        folder = document(tmp_path, lambda text, ref=reference: first_file(text, ref), name=f"up{len(reference)}")
        answer = upload(client, "dokumen.zip", zipped(folder))
        words = text_of(answer.text)  # type: ignore[attr-defined]
        assert answer.status_code == 400, words[:2000]  # type: ignore[attr-defined]
        assert "bukan nama berkas di dalam folder dokumen" in words, words[:2000]
    assert fingerprint(demo_url) == before
