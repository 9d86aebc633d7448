"""The Temuan page on the demo ledger, on SQLite and PostgreSQL: the findings 25 to a page with
their total, the plan in force on a date (as `renja check --as-of`), narrowed by severity and by
rule (each rule named by its id and its short title), and the narrowed follow-up list as XLSX, CSV
and PDF. Counts are compared with what `renja check` finds on the same ledger."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from projections.checks import registered
from projections.checks.registry import get_rule
from tests.conftest import invoke
from tests.integration.test_web_write import PLAN, token
from web.app import create_app
from web.temuan_pages import PER_PAGE

ROW = re.compile(r'<tr class="(error|warning|info)" id="temuan-([0-9a-f-]+)">')


@pytest.fixture(scope="module")
def client(shared_demo: str) -> TestClient:
    return TestClient(create_app(shared_demo))


def checked(url: str, *args: str) -> list[dict[str, Any]]:
    """The findings `renja check` gives on the ledger."""
    answer = invoke(url, "check", "--format", "json", *args)
    assert answer.exit_code in (0, 1), answer.output
    return list(json.loads(answer.stdout)["findings"])


def total_on(page: str) -> int:
    found = re.search(r"<p>(\d+) temuan\.</p>", page)
    assert found, page[:2000]
    return int(found.group(1))


def test_every_rule_has_a_short_title_of_its_own_beside_its_description() -> None:
    rules = registered()
    assert len({each.short_title for each in rules}) == len(rules)
    assert all(each.short_title and each.title == each.short_title != each.description for each in rules)


def test_the_findings_come_25_to_a_page_with_their_total(client: TestClient, shared_demo: str) -> None:
    findings = checked(shared_demo)
    pages = math.ceil(len(findings) / PER_PAGE)
    first = client.get(f"/temuan/{PLAN}").text
    assert total_on(first) == len(findings) and pages > 1
    assert [key for _severity, key in ROW.findall(first)] == [f["id"] for f in findings[:PER_PAGE]]
    links = re.findall(r'<p class="switch" id="halaman".*?</p>', first, flags=re.S)[0]
    assert len(re.findall(r"<a href=", links)) == pages and f"halaman={pages}" in links
    last = client.get(f"/temuan/{PLAN}", params={"halaman": str(pages)}).text
    assert [key for _severity, key in ROW.findall(last)] == [f["id"] for f in findings[(pages - 1) * PER_PAGE:]]
    assert client.get(f"/temuan/{PLAN}", params={"halaman": "999"}).text.count('<tr class="') == len(ROW.findall(last))
    bad = client.get(f"/temuan/{PLAN}", params={"halaman": "dua"})
    assert bad.status_code == 400 and "dua" in bad.text and "Traceback" not in bad.text


def test_the_plan_in_force_on_a_date(client: TestClient, shared_demo: str) -> None:
    march, now = checked(shared_demo, "--as-of", "2024-03-01"), checked(shared_demo)
    assert len(march) != len(now)
    page = client.get(f"/temuan/{PLAN}", params={"as_of": "2024-03-01"}).text
    assert total_on(page) == len(march) and 'value="2024-03-01"' in page
    assert re.search(r'id="per-tanggal">[^<]* 1 \w+ 2024\.</p>', page)  # the date in words, as every page gives it
    assert [key for _severity, key in ROW.findall(page)] == [f["id"] for f in march[:PER_PAGE]]
    assert "as_of=2024-03-01" in re.findall(r'id="halaman".*?</p>', page, flags=re.S)[0]  # the page links keep it
    assert client.get(f"/temuan/{PLAN}", params={"as_of": "2024-02-30"}).status_code == 400


def test_filters_by_severity_and_by_rule_named_with_its_title(client: TestClient, shared_demo: str) -> None:
    findings = checked(shared_demo)
    errors = [f for f in findings if f["severity"] == "error"]
    page = client.get(f"/temuan/{PLAN}", params={"severity": "error"}).text
    assert total_on(page) == len(errors) and {s for s, _key in ROW.findall(page)} == {"error"}
    english = client.get(f"/temuan/{PLAN}", params={"rule": "rollup", "lang": "en"}).text
    rollups = [f for f in findings if f["rule"] == "rollup"]
    assert total_on(english) == len(rollups) and len(ROW.findall(english)) == len(rollups)
    assert english.count(f"<code>rollup</code> {get_rule('rollup').short_title}") == len(rollups)
    for each in registered():  # the rule filter names every rule by its id and its title
        assert re.search(rf'<option value="{each.id}"( selected)?>{each.id}: {each.short_title}</option>', english)


def rows_of_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_narrowed_list_downloads_as_xlsx_csv_and_pdf(client: TestClient, shared_demo: str) -> None:
    found = checked(shared_demo, "--as-of", "2024-09-01")
    wanted = [f for f in found if f["severity"] == "warning"]
    params = {"as_of": "2024-09-01", "severity": "warning", "lang": "en"}
    page = client.get(f"/temuan/{PLAN}", params=params).text
    for fmt in ("xlsx", "csv", "pdf"):
        assert f"format={fmt}" in page
    listed = client.get(f"/temuan/{PLAN}", params={**params, "format": "csv"})
    assert listed.status_code == 200 and listed.headers["content-type"].startswith("text/csv")
    assert "tindak-lanjut-Kecamatan_Mangkutana-2024-warning-2024-09-01.csv" in listed.headers["content-disposition"]
    rows = rows_of_csv(listed.content)
    assert rows[0][:2] == ["Finding", "Rule"] and [row[0] for row in rows[1:]] == [f["id"] for f in wanted]
    sheet = client.get(f"/temuan/{PLAN}", params={**params, "format": "xlsx"})
    assert "spreadsheetml" in sheet.headers["content-type"]
    cells = [row[0] for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)]
    assert all(f["id"] in cells for f in wanted) and not any(f["id"] in cells for f in found if f not in wanted)
    pdf = client.get(f"/temuan/{PLAN}", params={**params, "format": "pdf"})
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(f"/temuan/{PLAN}", params={"format": "odt"}).status_code == 400


def test_an_answer_keeps_the_list_it_came_from_and_a_narrowed_download_its_follow_ups(demo_url: str) -> None:
    local = TestClient(create_app(demo_url))  # no account: the local user answers, as on the command line
    shown = {"rule": "rollup", "halaman": "1"}
    page = local.get(f"/temuan/{PLAN}", params=shown).text
    key = ROW.findall(page)[0][1]
    answered = local.post(f"/temuan/{PLAN}", follow_redirects=False,
                          data={"csrf": token(page), "temuan": key, "step": "answer", "reason": "diperbaiki",
                                "rule": "rollup", "severity": "", "as_of": "", "halaman": "1"})
    assert answered.status_code == 303
    assert answered.headers["location"] == f"/temuan/{PLAN}?rule=rollup#temuan-{key}"
    own = rows_of_csv(local.get(f"/temuan/{PLAN}", params={"rule": "rollup", "format": "csv", "lang": "en"}).content)
    assert [row[4] for row in own if row[0] == key] == ["answered"]
    # Another rule's list holds neither the answered finding nor a "no longer found" row for it.
    other = local.get(f"/temuan/{PLAN}", params={"rule": "kebutuhan-pagu", "format": "csv", "lang": "en"}).content
    assert key not in other.decode("utf-8-sig") and b"no longer found" not in other
