"""The web's language is chosen per request (a context variable), not per process: two visitors
in two languages are served at the same time, each in their own."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from web.app import create_app


def test_two_visitors_in_two_languages_at_once(demo_url: str) -> None:
    app = create_app(demo_url)
    indonesian, english = TestClient(app), TestClient(app)
    assert "Page not found." in english.get("/tidak-ada?lang=en").text  # chosen once, kept in a cookie

    def visit(client: TestClient) -> str:
        return client.get("/tidak-ada").text

    with ThreadPoolExecutor(max_workers=8) as pool:
        pages = list(pool.map(visit, [indonesian, english] * 20))
    for number, page in enumerate(pages):
        if number % 2:
            assert "Page not found." in page and "Halaman tidak ditemukan" not in page
        else:
            assert "Halaman tidak ditemukan" in page and "Page not found." not in page
    assert "Halaman tidak ditemukan" in english.get("/tidak-ada?lang=id").text  # and back


def test_the_pages_people_work_in_speak_english_when_asked(demo_url: str) -> None:
    from tests.integration.test_web_write import FASILITASI, PLAN

    client = TestClient(create_app(demo_url))
    pages = {"/": ("Plans in the ledger", "Rencana di ledger"),
             f"/perubahan/{PLAN}": ("Choose two effective dates", "Pilih dua tanggal"),
             f"/rencana/{PLAN}/renja": ("Line histories (why a pagu changed)", "Riwayat baris (mengapa"),
             f"/baris/{PLAN}/{FASILITASI}": ("Every event", "Setiap peristiwa"),
             f"/sipd/{PLAN}": ("SIPD reconciliation", "Bandingkan snapshot"),
             "/masuk": ("Account name", "Nama akun")}
    for path, (english, indonesian) in pages.items():
        page = client.get(path, params={"lang": "en"})
        assert page.status_code == 200, path
        assert english in page.text and indonesian not in page.text, path
        again = client.get(path, params={"lang": "id"}).text  # the same page in Indonesian, by default
        assert indonesian in again and english not in again, path


def test_a_plans_form_tells_its_times_in_the_plans_own_zone(demo_url: str) -> None:
    from tests.integration.test_web_write import PLAN

    page = TestClient(create_app(demo_url)).get(f"/rencana/{PLAN}/perubahan").text  # Mangkutana's documents: WITA
    meta = re.search(r"Menurut catatan ledger per</b></td><td>: ([^<]+)<", page)
    assert meta and meta.group(1).endswith(" WITA"), page[:3000]
    typed = TestClient(create_app(demo_url)).get(f"/rencana/{PLAN}/perubahan", params={"known_at": "2030-01-01T10:00"})
    meta = re.search(r"Menurut catatan ledger per</b></td><td>: ([^<]+)<", typed.text)  # a time typed is the plan's
    assert meta and meta.group(1) == "1 Januari 2030 10.00 WITA", typed.text[:3000]
