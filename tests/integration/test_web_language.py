"""The web's language is chosen per request (a context variable), not per process: two visitors
in two languages are served at the same time, each in their own."""

from __future__ import annotations

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
