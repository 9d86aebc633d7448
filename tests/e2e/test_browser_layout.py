"""Every main page in a real browser on a phone (390 x 844) and a laptop (1366 x 900): nothing
wider than the screen (a wide form scrolls in its own box, the line's name kept in sight), the
form in readable type, every menu item reachable (on the phone behind the menu's button), and a
line's pagu chart with a date axis and a legend naming each stage. One server and one browser for
the whole module: the pages are only read. RENJA_SCREENSHOTS=DIR keeps the pictures there."""

from __future__ import annotations

import re
import shutil
import urllib.request
from collections.abc import Iterator
from itertools import combinations, pairwise

import pytest

from ledger.basis import Stage
from ledger.i18n import set_language
from ledger.periode import MONTHS
from tests.conftest import demo_copy
from tests.e2e.test_browser import PLAN, chromium, keep, running_server

pytestmark = [pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("chromedriver") is None,
                                 reason="Chromium and its driver are installed by `make test`"),
              pytest.mark.xdist_group("browser-layout")]

# The forms the demo ledger prints (its documents carry no rincian belanja, so no DPA or DPPA).
KINDS = ("renja", "perubahan", "rencana-aksi", "tabel-2-3", "tabel-2-1", "evaluasi", "pengukuran")
LINE = "7.01.01.2.06.08"
PAGES = {
    "beranda": "/",
    **{f"rencana-{kind}": f"/rencana/{PLAN}/{kind}?as_of=2024-09-01" for kind in KINDS},
    "perubahan-antar-tanggal": f"/perubahan/{PLAN}?dari=2024-01-03&sampai=2024-08-01",
    "temuan": f"/temuan/{PLAN}",
    "sipd": f"/sipd/{PLAN}",
    "catat": f"/catat/{PLAN}/revisi-pagu",
    "usulan": f"/usulan/{PLAN}",
    "impor": "/impor",
    "integritas": "/integritas",
    "riwayat": f"/baris/{PLAN}/{LINE}",
}
SIZES = ((390, 844), (1366, 900))
MONTH_LABEL = re.compile(rf"^({'|'.join(m[:3] for m in MONTHS)})( \d{{4}})?$")


@pytest.fixture(scope="module")
def layout_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with demo_copy("sqlite", tmp_path_factory.mktemp("layout"), tmp_path_factory) as url, running_server(url) as base:
        yield base


@pytest.fixture(scope="module")
def layout_browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    with chromium(tmp_path_factory.mktemp("chromium-layout")) as driver:
        yield driver


def show(driver: object, url: str, width: int, height: int) -> None:
    """The page on a screen of that size (a phone's browser, below 800 px)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",  # type: ignore[attr-defined]
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 800})
    driver.get(url)  # type: ignore[attr-defined]


def assert_fits(driver: object, width: int) -> None:
    page, window = driver.execute_script(  # type: ignore[attr-defined]
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    assert window == width and page <= window, f"the page is {page} px wide on a {window} px screen"


def assert_menu_reachable(driver: object, width: int) -> None:
    """Every menu item visible and on the screen; on the phone once the menu's button opened it."""
    from selenium.webdriver.common.by import By

    links = driver.find_elements(By.CSS_SELECTOR, "header.top nav a")  # type: ignore[attr-defined]
    button = driver.find_element(By.CSS_SELECTOR, "button.menu-toggle")  # type: ignore[attr-defined]
    assert len(links) >= 4
    if width < 800:
        assert button.is_displayed() and button.get_attribute("aria-expanded") == "false"
        assert not any(link.is_displayed() for link in links)
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
    else:
        assert not button.is_displayed()
    for link in links:
        box = link.rect
        assert link.is_displayed() and box["x"] >= 0 and box["x"] + box["width"] <= width, link.text
    assert_fits(driver, width)


def assert_form_scrolls_in_its_box(driver: object) -> None:
    """A form wider than the screen scrolls inside its section in readable type, and the line's
    name stays at the box's left edge when it does."""
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.CSS_SELECTOR, "section.form")  # type: ignore[attr-defined]
    size, overflow = driver.execute_script(  # type: ignore[attr-defined]
        "const cell = arguments[0].querySelector('table.form tbody td');"
        "return [parseFloat(getComputedStyle(cell).fontSize), getComputedStyle(arguments[0]).overflowX]", box)
    assert size >= 12 and overflow == "auto", (size, overflow)
    widths = driver.execute_script(  # type: ignore[attr-defined]
        "return [...arguments[0].querySelectorAll('table.form tbody tr:not(.block) td.text')].map(c => c.offsetWidth)", box)
    assert widths and min(widths) >= 80, f"text columns squeezed to {min(widths)} px"
    name = driver.execute_script(  # type: ignore[attr-defined]
        "const box = arguments[0]; box.scrollLeft = box.scrollWidth;"
        "const name = box.querySelector('tbody td:is(.nama, .rkpd_nama, .uraian)');"
        "return name && [box.scrollLeft, name.getBoundingClientRect().left - box.getBoundingClientRect().left]", box)
    if name is not None and name[0] > 0:  # scrolled: the name is where the box begins
        assert abs(name[1]) <= 2, f"the line's name left its place: {name[1]} px"


def assert_chart(driver: object, width: int) -> None:
    """The pagu chart: a time axis labelled in Indonesian months (no two labels on each other), a
    legend naming every stage in Indonesian, and each mark with its exact figure."""
    from selenium.webdriver.common.by import By

    find = driver.find_elements  # type: ignore[attr-defined]
    assert find(By.CSS_SELECTOR, "svg.chart line.axis")
    labels = [t for t in find(By.CSS_SELECTOR, "svg.chart text.month") if t.is_displayed()]
    assert labels and all(MONTH_LABEL.match(t.text) for t in labels), [t.text for t in labels]
    assert "Jan 2024" in [t.text for t in labels]
    boxes = sorted((t.rect["x"], t.rect["x"] + t.rect["width"]) for t in labels)
    assert all(left >= right for (_l, right), (left, _r) in pairwise(boxes)), boxes
    assert boxes[0][0] >= 0 and boxes[-1][1] <= width
    set_language("id")
    try:
        stages = {stage.label for stage in Stage}
    finally:
        set_language("en")
    assert {item.text for item in find(By.CSS_SELECTOR, "ul.chart-legend li")} == stages
    tips = [t.get_attribute("textContent") for t in find(By.CSS_SELECTOR, "svg.chart g.mark title")]
    assert "perubahan, 1 Agustus 2024: Rp 200.710.000" in tips and "murni, 3 Januari 2024: Rp 129.435.000" in tips
    # The kebutuhan equals the perubahan from 1 August: both lines stay in sight, apart.
    flat = [(stage, *(float(str(line.get_attribute(a)).rstrip("%")) for a in ("x1", "x2", "y1")))
            for stage in ("perubahan", "kebutuhan", "murni", "rkpd", "prakiraan_maju")
            for line in find(By.CSS_SELECTOR, f"svg.chart g.stage.{stage} line")
            if line.get_attribute("y1") == line.get_attribute("y2")]
    assert len({stage for stage, *_rest in flat}) == 5
    for (one, left1, right1, y1), (other, left2, right2, y2) in combinations(flat, 2):
        assert one == other or abs(y1 - y2) >= 3 or min(right1, right2) <= max(left1, left2), (one, other, y1, y2)


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}px" for w, _h in SIZES])
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_fits_the_screen_with_its_menu_in_reach(layout_server: str, layout_browser: object, page: str,
                                                           width: int, height: int) -> None:
    from selenium.webdriver.common.by import By

    show(layout_browser, layout_server + PAGES[page], width, height)
    assert not layout_browser.title.startswith("Kesalahan"), layout_browser.title  # type: ignore[attr-defined]
    assert_fits(layout_browser, width)
    if layout_browser.find_elements(By.CSS_SELECTOR, "section.form"):  # type: ignore[attr-defined]
        assert_form_scrolls_in_its_box(layout_browser)
    if page == "riwayat":
        assert_chart(layout_browser, width)
    keep(layout_browser, f"{page}-{width}")
    assert_menu_reachable(layout_browser, width)
    if page == "beranda":
        icon = layout_browser.find_element(By.CSS_SELECTOR, "link[rel=icon]")  # type: ignore[attr-defined]
        with urllib.request.urlopen(str(icon.get_attribute("href"))) as answer:
            assert answer.headers["content-type"].startswith("image/svg+xml") and b"<svg" in answer.read()

