"""The web application's pages on the demo ledger, on SQLite and PostgreSQL, through the
ASGI test client: the same forms and figures as the CLI, in Indonesian, read-only."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from web.app import create_app

PLAN = f"{quote('Kecamatan Mangkutana')}/2024"


@pytest.fixture
def client(demo_url: str) -> TestClient:
    return TestClient(create_app(demo_url))


def test_beranda_lists_the_plan_its_documents_and_findings(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Kecamatan Mangkutana" in page.text and "Rencana Aksi Kantor Kecamatan Mangkutana Tahun 2024" in page.text
    assert "3 Januari 2024" in page.text and "106 (48 galat)" in page.text
    assert "<th>Peristiwa</th>" in page.text and ">1434</td>" in page.text


def test_tabel_2_3_at_a_date_with_its_totals_and_downloads(client: TestClient) -> None:
    page = client.get(f"/rencana/{PLAN}/tabel-2-3", params={"as_of": "2024-09-01"})
    assert page.status_code == 200
    for text in ("HASIL ANALISIS KEBUTUHAN", "2.779.992.800", "3.065.872.800", "2.788.872.800"):
        assert text in page.text
    for fmt, kind in (("xlsx", "spreadsheetml"), ("pdf", "application/pdf"), ("csv", "text/csv")):
        download = client.get(f"/rencana/{PLAN}/tabel-2-3", params={"as_of": "2024-09-01", "format": fmt})
        assert download.status_code == 200 and kind in download.headers["content-type"]
        assert "attachment" in download.headers["content-disposition"]
    assert client.get(f"/rencana/{PLAN}/tabel-2-3", params={"format": "csv"}).content.startswith(b"\xef\xbb\xbfKode")


def test_the_plan_in_march_is_the_murni(client: TestClient) -> None:
    march = client.get(f"/rencana/{PLAN}/rencana-aksi", params={"as_of": "2024-03-01"})
    assert march.status_code == 200 and "129.435.000" in march.text and "200.710.000" not in march.text


def test_a_lines_history_tells_its_story(client: TestClient) -> None:
    page = client.get(f"/baris/{PLAN}/7.01.01.2.06.08")
    assert page.status_code == 200
    story = page.text
    assert story.index("pagu murni Rp 129.435.000") < story.index("pagu perubahan Rp 200.710.000")
    assert "pagu rancangan RKPD Rp 101.140.000" in story and "<svg" in story


def test_the_change_between_two_dates_and_the_findings(client: TestClient) -> None:
    diff = client.get(f"/perubahan/{PLAN}", params={"dari": "2024-01-03", "sampai": "2024-08-01"})
    assert diff.status_code == 200 and "2.818.872.800" in diff.text and "Bertambah/(Berkurang)" in diff.text
    rollup = client.get(f"/temuan/{PLAN}", params={"rule": "rollup"})
    assert rollup.status_code == 200 and "8 temuan." in rollup.text and "menyatakan" in rollup.text


def test_integrity_and_the_export(client: TestClient) -> None:
    page = client.get("/integritas")
    assert page.status_code == 200 and "Rantai hash utuh: 1436 peristiwa diperiksa" in page.text
    export = client.get("/integritas/ekspor")
    assert export.status_code == 200 and export.text.count("\n") > 1436


def test_bad_input_is_a_page_not_a_traceback_and_nothing_is_writable(client: TestClient) -> None:
    bad = client.get(f"/rencana/{PLAN}/tabel-2-3", params={"as_of": "2024-13-01"})
    assert bad.status_code == 400 and "2024-13-01" in bad.text and "Traceback" not in bad.text
    assert client.get(f"/rencana/{PLAN}/nope").status_code == 404
    assert client.get("/rencana/Tidak%20Ada/2024/renja").status_code == 404
    assert client.post(f"/rencana/{PLAN}/renja").status_code == 405
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"] and headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"


def test_text_from_a_document_is_escaped(client: TestClient) -> None:
    page = client.get(f"/temuan/{PLAN}", params={"rule": "<script>alert(1)</script>"})
    assert page.status_code == 200 and "<script>alert(1)</script>" not in page.text


def test_a_download_name_is_safe_for_any_opd_name() -> None:
    from web.app import attachment

    header = attachment("renja-Dinas_PU–Bina\"Marga\r\nX-Evil: 1-2024.xlsx")
    assert header.isascii() and "\r" not in header and "\n" not in header and '"Marga' not in header
    assert header.startswith('attachment; filename="renja-Dinas_PU_Bina_Marga__X-Evil__1-2024.xlsx"')
