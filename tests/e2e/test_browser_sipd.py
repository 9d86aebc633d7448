"""The Rekonsiliasi SIPD page in a real browser, on a phone (390 px) and a laptop (1366 px): a
snapshot uploaded, the comparison shown, and nothing wider than the screen (a wide table
scrolls in its own box). Screenshots: /tmp/sipd_390.png and /tmp/sipd_1366.png (and, with
RENJA_SCREENSHOTS=DIR, there too)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tests.e2e.test_browser import PLAN, browser, keep, server  # noqa: F401 - the fixtures
from tests.integration.test_sipd import MANGKUTANA

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("chromedriver") is None,
                                reason="Chromium and its driver are installed by `make test`")


def viewport(driver: object, width: int, height: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",  # type: ignore[attr-defined]
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 800})


def assert_fits(driver: object, width: int) -> None:
    """Nothing wider than the screen: the page's width is at most the window's, and the window
    is the screen (a phone's browser widens its layout to a page that does not fit, and zooms out)."""
    page, window = driver.execute_script(  # type: ignore[attr-defined]
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    assert window == width and page <= window, (width, page, window)


def test_the_reconciliation_page_fits_a_phone_and_a_laptop(server: str, browser: object,  # noqa: F811
                                                           tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    snapshot = tmp_path / "sipd-perubahan.zip"
    with zipfile.ZipFile(snapshot, "w") as archive:
        for path in sorted((MANGKUTANA / "2024-08-01_perubahan").glob("*.csv")):
            archive.write(path, f"2024-08-01_perubahan/{path.name}")
    viewport(browser, 390, 1400)
    browser.get(f"{server}/sipd/{PLAN}")  # type: ignore[attr-defined]
    assert_fits(browser, 390)
    find = browser.find_element  # type: ignore[attr-defined]
    find(By.NAME, "berkas").send_keys(str(snapshot))
    Select(find(By.NAME, "stage")).select_by_value("perubahan")
    find(By.ID, "bandingkan").click()
    shown = WebDriverWait(browser, 60).until(lambda driver: driver.find_element(By.ID, "unduh"))  # type: ignore[arg-type]
    assert shown.text.startswith("1 perbedaan")
    table = find(By.CSS_SELECTOR, "table.form tbody").text
    assert "Pengadaan Kendaraan Perorangan Dinas" in table and "34.500.000" in table and "tidak ada di SIPD" in table
    for width_px, height_px in ((390, 1400), (1366, 900)):
        viewport(browser, width_px, height_px)
        assert_fits(browser, width_px)
        browser.save_screenshot(f"/tmp/sipd_{width_px}.png")  # type: ignore[attr-defined]
        keep(browser, f"sipd-{width_px}")
    # The import page's SIPD form fits the phone too.
    viewport(browser, 390, 1400)
    browser.get(f"{server}/impor")  # type: ignore[attr-defined]
    WebDriverWait(browser, 60).until(lambda d: d.find_element(By.ID, "form-sipd"))  # type: ignore[arg-type]
    assert find(By.ID, "form-sipd").is_displayed()
    assert_fits(browser, 390)
    browser.save_screenshot("/tmp/sipd_impor_390.png")  # type: ignore[attr-defined]
