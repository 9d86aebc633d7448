"""The web application in a real browser: `renja serve` in its own process on the demo ledger
(SQLite and PostgreSQL), driven through Debian's Chromium with Selenium (`make test` installs
chromium and chromium-driver). RENJA_SCREENSHOTS=DIR keeps the pages' pictures there."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("chromedriver") is None,
                                reason="Chromium and its driver are installed by `make test`")

PLAN = f"{quote('Kecamatan Mangkutana')}/2024"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(demo_url: str) -> Iterator[str]:
    with running_server(demo_url) as base:
        yield base


@contextmanager
def running_server(url: str) -> Iterator[str]:
    """`renja serve` on the ledger in its own process, until the block ends; its address. A free
    port can be taken by another process (a chromedriver) before the server binds it: the server
    then exits at once, and it is started again on another port."""
    script = Path(sys.executable).with_name("renja")
    for _start in range(5):
        port = free_port()
        process = subprocess.Popen([str(script), "--db", url, "serve", "--port", str(port)],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "RENJA_LANG": "id"})
        base = f"http://127.0.0.1:{port}"
        if _started(process, base):
            break
        output = process.stdout.read1().decode() if process.stdout else ""
        process.wait(timeout=30)
        if "address already in use" not in output:
            raise AssertionError(f"renja serve did not start: {output}")
    else:
        raise AssertionError("renja serve found no free port in five attempts")
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _started(process: subprocess.Popen[bytes], base: str) -> bool:
    """Whether the server answers; False as soon as it has exited (or after 30 s)."""
    for _attempt in range(150):
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{base}/sehat", timeout=2) as answer:
                if answer.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    process.terminate()
    return False


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    with chromium(tmp_path / "chromium") as driver:
        yield driver


@contextmanager
def chromium(profile: Path) -> Iterator[object]:
    """A Chromium of its own (its own profile folder: no cookie of another), until the block ends."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--window-size=1600,1000"):
        options.add_argument(flag)
    driver = _whole_page_chrome(webdriver.Chrome)(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                                                  options=options)
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()


def _whole_page_chrome(chrome: type) -> type:
    """Chrome whose `get` returns once the page has loaded. Chromedriver's own `get` returned, twice
    in CI under load, while the parser still waited for the script in <head>: the page read then
    held <head> alone. Waiting for readyState "complete" closes that gap for every test."""
    from selenium.webdriver.support.ui import WebDriverWait

    class WholePageChrome(chrome):  # type: ignore[misc, valid-type]
        def get(self, url: str) -> None:
            super().get(url)
            WebDriverWait(self, 120).until(lambda driver: driver.execute_script("return document.readyState") == "complete")

    return WholePageChrome


def keep(driver: object, name: str) -> None:
    folder = os.environ.get("RENJA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))  # type: ignore[attr-defined]


def test_tabel_2_3_totals_read_from_the_page(server: str, browser: object) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/")  # type: ignore[attr-defined]
    assert "Rencana di ledger" in browser.page_source  # type: ignore[attr-defined]
    keep(browser, "beranda")
    browser.get(f"{server}/rencana/{PLAN}/tabel-2-3?as_of=2024-09-01")  # type: ignore[attr-defined]
    total = browser.find_element(By.CSS_SELECTOR, "table.form tbody tr.total")  # type: ignore[attr-defined]
    cells = [cell.text for cell in total.find_elements(By.TAG_NAME, "td")]
    assert "2.779.992.800" in cells and "3.065.872.800" in cells and "2.788.872.800" in cells
    header = browser.find_element(By.CSS_SELECTOR, "table.form thead").text  # type: ignore[attr-defined]
    assert "RANCANGAN PERUBAHAN RKPD" in header and "HASIL ANALISIS KEBUTUHAN" in header
    keep(browser, "tabel-2-3")


def test_a_lines_story_from_rencana_aksi_to_perubahan(server: str, browser: object) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/baris/{PLAN}/7.01.01.2.06.08")  # type: ignore[attr-defined]
    story = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "ol.story li")]  # type: ignore[attr-defined]
    assert story[0].startswith("3 Januari 2024, Rencana Aksi") and "Rp 129.435.000" in story[0]
    assert any("rancangan RKPD Rp 101.140.000" in line for line in story)
    assert any("perubahan Rp 200.710.000" in line for line in story)
    assert browser.find_element(By.CSS_SELECTOR, "figure svg")  # type: ignore[attr-defined]
    keep(browser, "riwayat")


def test_the_date_form_changes_the_plan_shown(server: str, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{server}/rencana/{PLAN}/rencana-aksi")  # type: ignore[attr-defined]
    field = browser.find_element(By.NAME, "as_of")  # type: ignore[attr-defined]
    browser.execute_script("arguments[0].value = '2024-03-01'", field)  # type: ignore[attr-defined]
    browser.find_element(By.CSS_SELECTOR, "form.pick button").click()  # type: ignore[attr-defined]
    WebDriverWait(browser, 60).until(lambda driver: "as_of=2024-03-01" in driver.current_url)  # type: ignore[arg-type]
    assert "1 Maret 2024" in browser.find_element(By.CSS_SELECTOR, "table.meta").text  # type: ignore[attr-defined]
    browser.get(f"{server}/temuan/{PLAN}?severity=error")  # type: ignore[attr-defined]
    summary = WebDriverWait(browser, 60).until(  # type: ignore[arg-type]
        lambda driver: driver.find_element(By.CSS_SELECTOR, "main p"))
    assert summary.text == "48 temuan."
    keep(browser, "temuan")


def preview_revision(browser: object, base: str) -> object:
    """Fill the revision form of 7.01.01.2.06.08 (Rp 210.000.000 from 1 October 2024) and ask for
    its preview; the preview's section."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{base}/catat/{PLAN}/revisi-pagu?line=7.01.01.2.06.08")  # type: ignore[attr-defined]
    WebDriverWait(browser, 60).until(lambda driver: driver.find_element(By.NAME, "rupiah"))  # type: ignore[arg-type]
    find = browser.find_element  # type: ignore[attr-defined]
    find(By.NAME, "rupiah").send_keys("210.000.000")
    browser.execute_script("arguments[0].value = '2024-10-01'", find(By.NAME, "effective_on"))  # type: ignore[attr-defined]
    find(By.NAME, "reason").send_keys("SK Bupati 99/2024")
    find(By.CSS_SELECTOR, "button[value=pratinjau]").click()
    return WebDriverWait(browser, 60).until(lambda driver: driver.find_element(By.ID, "pratinjau"))  # type: ignore[arg-type]


def test_a_revision_is_previewed_then_saved_in_the_browser(server: str, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    find = browser.find_element  # type: ignore[attr-defined]
    preview = preview_revision(browser, server)
    assert "200.710.000" in preview.text and "210.000.000" in preview.text and "9.290.000" in preview.text
    keep(browser, "catat-pratinjau")
    find(By.ID, "simpan").click()
    flash = WebDriverWait(browser, 60).until(lambda driver: driver.find_element(By.ID, "flash"))  # type: ignore[arg-type]
    assert flash.text.startswith("Tercatat: 1 peristiwa")
    assert "SK Bupati 99/2024" in find(By.CSS_SELECTOR, "table.events").text
    keep(browser, "catat-tersimpan")


def test_a_malformed_workbook_upload_lists_its_error(server: str, browser: object, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    browser.get(f"{server}/impor")  # type: ignore[attr-defined]
    find = browser.find_element  # type: ignore[attr-defined]
    find(By.NAME, "berkas").send_keys(str(broken))
    for name, value in (("opd", "Kecamatan Mangkutana"), ("tahun", "2024"), ("judul", "DPPA rusak")):
        find(By.NAME, name).send_keys(value)
    browser.execute_script("arguments[0].value = 'dppa'", find(By.NAME, "kind"))  # type: ignore[attr-defined]
    browser.execute_script("arguments[0].value = '2024-11-01'", find(By.NAME, "tanggal"))  # type: ignore[attr-defined]
    find(By.ID, "impor").click()
    errors = WebDriverWait(browser, 60).until(lambda driver: driver.find_element(By.ID, "galat-impor"))  # type: ignore[arg-type]
    assert "Tidak ada yang diimpor" in errors.text and "rusak.xlsx" in errors.text and "workbook" in errors.text
    keep(browser, "impor-galat")
