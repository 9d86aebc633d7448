"""An XLSX form as a real spreadsheet program prints it: LibreOffice (headless) turns the
Tabel 2.3 sheet into a PDF, poppler renders its first page; `make test` installs both."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.e2e.test_cli import renja

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                                reason="LibreOffice and poppler are installed by `make test`")


def test_libreoffice_prints_tabel_2_3_on_a4_landscape_one_page_wide(tmp_path: Path) -> None:
    db = tmp_path / "renja.db"
    assert renja("--db", str(db), "demo", "--fresh").returncode == 0
    sheet = tmp_path / "tabel-2-3.xlsx"
    assert renja("--db", str(db), "report", "tabel-2-3", "--as-of", "2024-09-01", "--format", "xlsx", "-o", str(sheet)).returncode == 0
    profile = tmp_path / "lo-profile"
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(sheet)], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    pdf = PdfReader(tmp_path / "tabel-2-3.pdf")
    assert 1 <= len(pdf.pages) <= 6  # fitted to the width: a few pages down, never pages across
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "KEBUTUHAN DANA" in text and "Halaman 1 dari" in text
    assert any(total in text for total in ("3.065.872.800", "3,065,872,800"))
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile", str(tmp_path / "tabel-2-3.pdf"),
                    str(tmp_path / "page")], check=True, timeout=120)
    assert (tmp_path / "page.png").stat().st_size > 10_000
