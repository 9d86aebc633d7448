"""The Temuan page in a real browser (`renja serve` on the demo ledger, SQLite and PostgreSQL): the
filter form narrows the findings to one rule, named with its title, and the page links move
through the findings 25 at a time."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.e2e.test_browser import PLAN, browser, chromium, server  # noqa: F401 - the browser and server fixtures
from web.temuan_pages import PER_PAGE

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("chromedriver") is None,
                                reason="Chromium and its driver are installed by `make test`")


def test_filter_by_rule_and_turn_the_pages(server: str, browser: object) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(f"{server}/temuan/{PLAN}?severity=error")  # type: ignore[attr-defined]
    total = int(re.findall(r"\d+", browser.find_element(By.CSS_SELECTOR, "main p").text)[0])  # type: ignore[attr-defined]
    assert total > PER_PAGE and len(browser.find_elements(By.CSS_SELECTOR, "table#temuan tbody tr")) == PER_PAGE  # type: ignore[attr-defined]
    browser.find_element(By.CSS_SELECTOR, "p#halaman a[href*='halaman=2']").click()  # type: ignore[attr-defined]
    WebDriverWait(browser, 60).until(lambda driver: "halaman=2" in driver.current_url)  # type: ignore[arg-type]
    rows = browser.find_elements(By.CSS_SELECTOR, "table#temuan tbody tr")  # type: ignore[attr-defined]
    assert len(rows) == min(PER_PAGE, total - PER_PAGE) and all(row.get_attribute("class") == "error" for row in rows)

    Select(browser.find_element(By.NAME, "rule")).select_by_value("rollup")  # type: ignore[attr-defined]
    Select(browser.find_element(By.NAME, "severity")).select_by_value("")  # type: ignore[attr-defined]
    browser.find_element(By.CSS_SELECTOR, "form#saring button").click()  # type: ignore[attr-defined]
    WebDriverWait(browser, 60).until(lambda driver: "rule=rollup" in driver.current_url)  # type: ignore[arg-type]
    cells = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "table#temuan tbody td:nth-child(2)")]  # type: ignore[attr-defined]
    assert cells and all(cell.startswith("rollup ") and len(cell) > len("rollup ") for cell in cells)
    assert not browser.find_elements(By.CSS_SELECTOR, "p#halaman")  # type: ignore[attr-defined]
