"""An XLSX form as a real spreadsheet program prints it: LibreOffice (headless, in an English
locale) turns the Tabel 2.3 sheet into a PDF, poppler renders its first page; `make test`
installs both."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from projections.render.xlsx import write_xlsx
from projections.tabular import Column, Signature, Tabular
from tests.e2e.test_cli import renja

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                                reason="LibreOffice and poppler are installed by `make test`")


def word_heights(pdf: Path) -> list[float]:
    """The height of every word poppler finds in the PDF, in points (about the font size)."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [float(y2) - float(y1) for y1, y2 in re.findall(r'<word xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)"', boxes)]


def printed_by_libreoffice(folder: Path, sheets: list[Path]) -> None:
    """Each sheet printed to a PDF of the same name in ``folder``: LibreOffice headless, in an
    English locale and a profile of its own, one start for all of them."""
    english = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8", "LANGUAGE": "en_US"}
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{folder / 'lo-profile'}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(folder), *map(str, sheets)],
                          capture_output=True, text=True, timeout=600, env=english)
    assert done.returncode == 0, done.stderr


def test_libreoffice_prints_tabel_2_3_on_a4_landscape_readable_with_indonesian_numbers(tmp_path: Path) -> None:
    db = tmp_path / "renja.db"
    assert renja("--db", str(db), "demo", "--fresh").returncode == 0
    sheet = tmp_path / "tabel-2-3.xlsx"
    assert renja("--db", str(db), "report", "tabel-2-3", "--as-of", "2024-09-01", "--format", "xlsx", "-o", str(sheet)).returncode == 0
    printed_by_libreoffice(tmp_path, [sheet])
    pdf = PdfReader(tmp_path / "tabel-2-3.pdf")
    assert 2 <= len(pdf.pages) <= 30  # a wide form goes on across pages rather than shrinking
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "KEBUTUHAN DANA" in text and "Halaman 1 dari" in text
    # The number format carries the Indonesian locale: dots, whatever the viewer's own locale.
    assert "3.065.872.800" in text and "3,065,872,800" not in text
    # Printed at 60 % or more: 9 pt text stays above 5 pt (at the 35 % of a fit to one page wide, about 3 pt).
    heights = sorted(word_heights(tmp_path / "tabel-2-3.pdf"))
    assert heights[len(heights) // 2] >= 5.0
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile", str(tmp_path / "tabel-2-3.pdf"),
                    str(tmp_path / "page")], check=True, timeout=120)
    assert (tmp_path / "page.png").stat().st_size > 10_000


def signed_form(rows: int) -> Tabular:
    """A clearly synthetic form of ``rows`` one-line rows, narrow enough for one page across."""
    columns = [Column("kode", "Kode", "code", width=14), Column("nama", "Uraian", width=40),
               Column("pagu", "Pagu (Rp)", "money", width=16)]
    body = [{"kode": f"9.99.{number:03d}", "nama": f"Baris contoh {number:03d}", "pagu": 1_000_000 * number}
            for number in range(1, rows + 1)]
    return Tabular(f"Contoh {rows} baris", columns, body, meta=[("Perangkat Daerah", "Kecamatan Contoh")],
                   signature=Signature("Contoh, 1 Oktober 2024", "CAMAT CONTOH", "NAMA PENANDATANGAN", "Pembina",
                                       "197001012000031001"))


def test_a_printed_xlsx_keeps_its_last_rows_on_the_page_of_its_signature(tmp_path: Path) -> None:
    """For every length over the first two page ends, and some of many pages, LibreOffice prints
    the signature on the page of the table's last row (without the page break the sheet adds, a
    length here leaves the signature alone on its page)."""
    lengths = [*range(12, 72), 247, 282, 310, 345, 400]  # and some long ones, where a page's height drifts
    for rows in lengths:
        write_xlsx(signed_form(rows), tmp_path / f"contoh-{rows:03d}.xlsx")
    printed_by_libreoffice(tmp_path, [tmp_path / f"contoh-{rows:03d}.xlsx" for rows in lengths])
    pages_printed = set()
    for rows in lengths:
        pages = [page.extract_text() for page in PdfReader(tmp_path / f"contoh-{rows:03d}.pdf").pages]
        signed = [number for number, text in enumerate(pages) if "NAMA PENANDATANGAN" in text]
        assert len(signed) == 1, (rows, len(pages))
        assert f"Baris contoh {rows:03d}" in pages[signed[0]], f"{rows} rows: the signature is alone on page {signed[0] + 1}"
        pages_printed.add(len(pages))
    assert {1, 2, 3} <= pages_printed  # the lengths cross two page ends
