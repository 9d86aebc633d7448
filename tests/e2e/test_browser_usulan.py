"""A proposal in three browsers, one per account, on `renja serve` (SQLite and PostgreSQL): the
perencana proposes a revision with "Usulkan", the verifikator returns it, the perencana proposes
it again amended, the verifikator verifies it and the penetap decides it. The inbox and the
proposal's page fit a phone (390 px) and a laptop (1366 px) with no sideways scroll.
Screenshots: /tmp/usulan_inbox_{390,1366}.png, /tmp/usulan_{390,1366}.png and
/tmp/usulan_penetapan_{390,1366}.png, /tmp/usulan_ditetapkan_{390,1366}.png (and, with RENJA_SCREENSHOTS=DIR, there too). The penetap
decides with the scan of its SK chosen in the browser's file input; the trail links the file."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import invoke
from tests.e2e.test_browser import chromium, keep, preview_revision, running_server
from tests.e2e.test_browser_roles import log_in
from tests.e2e.test_browser_sipd import assert_fits, viewport
from tests.integration.test_accounts import users
from tests.integration.test_bukti import PDF, SHA

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("chromedriver") is None,
                                reason="Chromium and its driver are installed by `make test`")

OPD = "Kecamatan Mangkutana"
WIDTHS = ((390, 1400), (1366, 900))


@pytest.fixture
def server_with_reviewers(demo_url: str) -> Iterator[str]:
    for name, role, opds in (("postgres", "admin", ()), ("rina", "perencana", (OPD,)), ("vera", "verifikator", ()),
                             ("tia", "penetap", (OPD,))):
        added = users(demo_url, "add", name, "--role", role, *[a for opd in opds for a in ("--opd", opd)])
        assert added.exit_code == 0, added.output  # type: ignore[attr-defined]
    with running_server(demo_url) as base:
        yield base


def element(driver: object, by: str, value: str) -> Any:
    """The element, once the page shows it (60 s at most); else the page's end, to say why."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, 60).until(lambda d: d.find_element(by, value))  # type: ignore[arg-type]
    except TimeoutException:
        raise AssertionError(f"no {value} on {driver.current_url}: "  # type: ignore[attr-defined]
                             f"{driver.page_source[-3000:]}") from None  # type: ignore[attr-defined]


def status(driver: object) -> str:
    from selenium.webdriver.common.by import By

    return str(element(driver, By.ID, "status").get_attribute("class")).split()[-1]


def take_step(driver: object, button: str, expected: str, **fields: str) -> None:
    """Fill the step's form on the proposal's page, press its button, and wait for the new status."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.ui import WebDriverWait

    form = element(driver, By.ID, button).find_element(By.XPATH, "./ancestor::form")
    for name, value in fields.items():
        field = form.find_element(By.NAME, name)
        driver.execute_script("arguments[0].value = arguments[1]", field, value)  # type: ignore[attr-defined]
    pressed = form.find_element(By.ID, button)
    pressed.click()
    WebDriverWait(driver, 60).until(staleness_of(pressed))  # the page after the step, not the one before it
    element(driver, By.ID, "flash")
    assert status(driver) == expected, driver.page_source[-3000:]  # type: ignore[attr-defined]


def shoot(driver: object, width: int, name: str) -> None:
    assert_fits(driver, width)
    driver.save_screenshot(f"/tmp/{name}_{width}.png")  # type: ignore[attr-defined]
    keep(driver, f"{name}-{width}")


def test_a_proposal_through_three_browsers_fits_a_phone_and_a_laptop(server_with_reviewers: str, demo_url: str,
                                                                      tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    base = server_with_reviewers
    with ExitStack() as stack:
        rina, vera, tia = (stack.enter_context(chromium(tmp_path / name)) for name in ("rina", "vera", "tia"))
        for driver, name in ((rina, "rina"), (vera, "vera"), (tia, "tia")):
            log_in(driver, base, name)

        preview_revision(rina, base)
        element(rina, By.ID, "usulkan").click()
        element(rina, By.ID, "status")
        address = str(rina.current_url)  # type: ignore[attr-defined]
        assert status(rina) == "diajukan" and "/usulan/" in address

        for width, height in WIDTHS:
            viewport(vera, width, height)
            vera.get(f"{base}/usulan")  # type: ignore[attr-defined]
            listed = element(vera, By.ID, "usulan").text
            assert "210.000.000" in listed and "rina" in listed
            shoot(vera, width, "usulan_inbox")
            vera.get(address)  # type: ignore[attr-defined]
            assert element(vera, By.ID, "verifikasi").is_displayed()
            assert "200.710.000" in element(vera, By.ID, "pratinjau").text
            shoot(vera, width, "usulan")
        take_step(vera, "kembalikan", "dikembalikan", reason="lampirkan telaahan staf")

        rina.get(address)  # type: ignore[attr-defined]
        assert "lampirkan telaahan staf" in element(rina, By.ID, "jejak").text
        element(rina, By.CSS_SELECTOR, "#usul-lagi a").click()
        rupiah = element(rina, By.NAME, "rupiah")
        assert rupiah.get_attribute("value") == "210.000.000"
        rupiah.clear()
        rupiah.send_keys("205.000.000")
        rina.find_element(By.CSS_SELECTOR, "button[value=pratinjau]").click()  # type: ignore[attr-defined]
        element(rina, By.ID, "pratinjau")
        element(rina, By.ID, "usulkan").click()
        element(rina, By.ID, "status")
        assert rina.current_url == address and status(rina) == "diajukan"  # type: ignore[attr-defined]

        vera.get(address)  # type: ignore[attr-defined]
        take_step(vera, "verifikasi", "diverifikasi", reason="lengkap")

        tia.get(f"{base}/usulan")  # type: ignore[attr-defined]
        element(tia, By.CSS_SELECTOR, "#usulan a").click()
        element(tia, By.ID, "tetapkan")
        for width, height in WIDTHS:
            viewport(tia, width, height)
            assert element(tia, By.ID, "berkas").is_displayed()
            shoot(tia, width, "usulan_penetapan")
        # The scan of the decision, chosen in the browser's own file input.
        scan = tmp_path / "SK 900-15-X-2024.pdf"
        scan.write_bytes(PDF)
        element(tia, By.ID, "berkas").send_keys(str(scan))
        take_step(tia, "tetapkan", "ditetapkan", nomor="900/15/X/2024", tanggal="2024-10-15")
        for width, height in WIDTHS:
            viewport(tia, width, height)
            tia.get(address)  # type: ignore[attr-defined]
            assert "900/15/X/2024" in element(tia, By.ID, "keputusan").text
            link = element(tia, By.CSS_SELECTOR, "#jejak a.berkas")
            assert link.is_displayed() and link.text == scan.name
            assert str(link.get_attribute("href")).endswith(f"/bukti/Kecamatan%20Mangkutana/2024/{SHA}")
            shoot(tia, width, "usulan_ditetapkan")
        rina.get(address)  # type: ignore[attr-defined]
        assert status(rina) == "ditetapkan"
        steps = element(rina, By.ID, "jejak").text
        assert all(name in steps for name in ("rina", "vera", "tia"))

    pagu = json.loads(invoke(demo_url, "pagu", "7.01.01.2.06.08", "--stage", "perubahan", "--format", "json").stdout)
    assert pagu["pagu"] == 205_000_000 and pagu["set_by"]["recorded_by"] == "tia"
    verified = invoke(demo_url, "verify")
    assert verified.exit_code == 0 and "evidence files: 1 named by the events" in verified.stdout, verified.output
