"""Accounts and roles in a real browser: `renja serve` on a demo ledger that has accounts, logged
in through the login page. An auditor sees no write forms and a forged POST is refused (403)
with nothing written; a perencana of another OPD cannot open or post this plan's forms; the
perencana of this OPD records a revision as itself. A copy of the session cookie, put into another
browser, opens nothing once its session has ended (logged out, or the password changed)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app as cli
from tests.conftest import invoke
from tests.e2e.test_browser import PLAN, browser, chromium, preview_revision, running_server  # noqa: F401 - the browser fixture

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("chromedriver") is None,
                                reason="Chromium and its driver are installed by `make test`")

PASSWORD = "kata-sandi-yang-panjang"
ACCOUNTS = (("postgres", "admin", ()), ("rina", "perencana", ("Kecamatan Mangkutana",)),
            ("budi", "perencana", ("Kecamatan Wotu",)), ("audi", "auditor", ()))


@pytest.fixture
def server_with_accounts(demo_url: str) -> Iterator[str]:
    for name, role, opds in ACCOUNTS:
        added = CliRunner().invoke(cli, ["--db", demo_url, "users", "add", name, "--role", role,
                                         *[a for opd in opds for a in ("--opd", opd)], "--password-stdin"],
                                   input=PASSWORD + "\n")
        assert added.exit_code == 0, added.output
    with running_server(demo_url) as base:
        yield base


def log_in(driver: object, base: str, name: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base}/masuk")  # type: ignore[attr-defined]
    # (A loaded machine may hand back the page before its form is there: wait for it.)
    WebDriverWait(driver, 60).until(lambda d: d.find_element(By.NAME, "name"))  # type: ignore[arg-type]
    driver.find_element(By.NAME, "name").send_keys(name)  # type: ignore[attr-defined]
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, "form.login button").click()  # type: ignore[attr-defined]
    try:
        WebDriverWait(driver, 60).until(  # type: ignore[arg-type]
            lambda d: d.find_element(By.CSS_SELECTOR, "form.logout span").text == name)
    except Exception:
        raise AssertionError(driver.page_source[-3000:]) from None  # type: ignore[attr-defined]


def forged_post(driver: object, base: str) -> int:
    """A POST of the revision form built by script on a page of the site, with the page's own
    CSRF token: what a crafted request of a logged-in user looks like."""
    return int(driver.execute_async_script(  # type: ignore[attr-defined]
        """const done = arguments[arguments.length - 1];
        const token = document.querySelector('input[name=csrf]').value;
        const body = new URLSearchParams({csrf: token, line: '7.01.01.2.06.08', stage: 'perubahan',
            rupiah: '1', effective_on: '2024-10-01', reason: 'forged', action: 'simpan', versions: '{}',
            checksum: 'x'});
        fetch(arguments[0], {method: 'POST', body: body, credentials: 'same-origin'}).then(r => done(r.status));""",
        f"{base}/catat/{PLAN}/revisi-pagu"))


def events(url: str) -> int:
    return int(invoke(url, "verify", "--head").stdout.split()[0])


@pytest.mark.parametrize("name", ["audi", "budi"])
def test_no_write_forms_and_a_forged_post_is_refused(server_with_accounts: str, browser: object,  # noqa: F811
                                                     demo_url: str, name: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    log_in(browser, server_with_accounts, name)
    before = events(demo_url)
    browser.get(f"{server_with_accounts}/temuan/{PLAN}")  # type: ignore[attr-defined]
    # The links' words whether or not the menu is folded (a folded link has no visible text),
    # once the page's menu is there.
    WebDriverWait(browser, 60).until(  # type: ignore[arg-type]
        lambda d: d.find_element(By.CSS_SELECTOR, "header nav a[href^='/temuan/']"))
    links = [a.get_attribute("textContent").strip() for a in  # type: ignore[attr-defined]
             browser.find_elements(By.CSS_SELECTOR, "header nav a")]  # type: ignore[attr-defined]
    assert "Temuan" in links
    if name == "audi":
        assert "Catat perubahan" not in links and "Impor" not in links
    browser.get(f"{server_with_accounts}/catat/{PLAN}/revisi-pagu")  # type: ignore[attr-defined]
    refused = WebDriverWait(browser, 60).until(  # type: ignore[arg-type]
        lambda d: d.find_element(By.CSS_SELECTOR, "main p.error"))
    assert "tidak berhak mencatat" in refused.text
    browser.get(f"{server_with_accounts}/")  # type: ignore[attr-defined]
    WebDriverWait(browser, 60).until(  # type: ignore[arg-type]
        lambda d: d.find_element(By.CSS_SELECTOR, "input[name=csrf]"))
    assert forged_post(browser, server_with_accounts) == 403
    assert events(demo_url) == before


def test_the_perencana_of_the_office_records_as_itself(server_with_accounts: str, browser: object,  # noqa: F811
                                                       demo_url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.ui import WebDriverWait

    log_in(browser, server_with_accounts, "rina")
    preview_revision(browser, server_with_accounts)
    saving = browser.find_element(By.ID, "simpan")  # type: ignore[attr-defined]
    saving.click()
    # The page after the save (not a flash of the page before it): the button is gone, then its flash.
    WebDriverWait(browser, 60).until(staleness_of(saving))  # type: ignore[arg-type]
    WebDriverWait(browser, 60).until(lambda d: d.find_element(By.ID, "flash"))  # type: ignore[arg-type]
    pagu = json.loads(invoke(demo_url, "pagu", "7.01.01.2.06.08", "--stage", "perubahan", "--format", "json").stdout)
    assert pagu["pagu"] == 210_000_000 and pagu["set_by"]["recorded_by"] == "rina"


def visitor(driver: object) -> str | None:
    """Who the page shows as logged in, or None when it asks to log in."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    shown = WebDriverWait(driver, 60).until(  # type: ignore[arg-type]
        lambda d: d.find_elements(By.CSS_SELECTOR, "form.logout span, form.login"))
    if shown[0].tag_name == "form":
        assert driver.current_url.endswith("/masuk")  # type: ignore[attr-defined]
        return None
    return str(shown[0].text)


def visitor_with(cookie: dict[str, object], base: str, profile: Path) -> str | None:
    """Who a fresh browser is on the site once given a copy of a session cookie."""
    with chromium(profile) as other:
        # Set through the DevTools protocol before the first page: a page loaded first to set it from
        # (Selenium's add_cookie) has the browser fetch /favicon.ico, whose answer sets a cookie of its own.
        other.execute_cdp_cmd("Network.setCookie", {  # type: ignore[attr-defined]
            "url": base, "name": cookie["name"], "value": cookie["value"], "path": "/", "httpOnly": True, "sameSite": "Strict"})
        other.get(f"{base}/")  # type: ignore[attr-defined]
        return visitor(other)


def test_a_cookie_copied_before_logout_opens_nothing_after(server_with_accounts: str, browser: object,  # noqa: F811
                                                          tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    log_in(browser, server_with_accounts, "audi")
    copied = browser.get_cookie("renja_sesi")  # type: ignore[attr-defined]
    assert copied and visitor_with(copied, server_with_accounts, tmp_path / "before") == "audi"  # the copy works meanwhile
    browser.find_element(By.CSS_SELECTOR, "form.logout button").click()  # type: ignore[attr-defined]
    WebDriverWait(browser, 60).until(lambda d: d.current_url.endswith("/masuk"))  # type: ignore[arg-type]
    assert visitor_with(copied, server_with_accounts, tmp_path / "after") is None


def test_a_cookie_copied_before_a_password_change_opens_nothing_after(server_with_accounts: str, browser: object,  # noqa: F811
                                                                      demo_url: str, tmp_path: Path) -> None:
    log_in(browser, server_with_accounts, "audi")
    copied = browser.get_cookie("renja_sesi")  # type: ignore[attr-defined]
    assert copied and visitor_with(copied, server_with_accounts, tmp_path / "before") == "audi"
    changed = CliRunner().invoke(cli, ["--db", demo_url, "users", "passwd", "audi", "--password-stdin"],
                                 input="kata-sandi-yang-baru\n")
    assert changed.exit_code == 0, changed.output
    assert visitor_with(copied, server_with_accounts, tmp_path / "after") is None
    browser.get(f"{server_with_accounts}/")  # type: ignore[attr-defined]
    assert visitor(browser) is None  # the browser that logged in is asked again too
