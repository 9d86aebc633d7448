"""Page render times of the web application at the bench's scale, measured as a user meets them:
`renja serve` in its own process on the bench ledger, pages fetched over HTTP (the CLI never
imports the web application; it starts it, as `renja serve` does)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote

from cli.bench.stats import ms_stats
from cli.bench.synthetic import PlanLayout
from events_store.config import StoreConfig
from ledger.errors import LedgerError


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch_ms(url: str) -> float | None:
    """Milliseconds to fetch a page whole; None when the page says the plan has no line in force
    at that date (404): a random date may fall before a synthetic plan's first document."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as answer:
            answer.read()
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise LedgerError(f"bench: {url} answered {error.code}") from None
    return (time.perf_counter() - started) * 1000


def _samples(count: int, urls: Callable[[], str]) -> list[float]:
    found: list[float] = []
    for _attempt in range(count * 20):
        if (ms := _fetch_ms(urls())) is not None:
            found.append(ms)
            if len(found) == count:
                return found
    raise LedgerError(f"bench: fewer than {count} pages found a plan in force")


def measure_pages(store: StoreConfig, pick: Callable[[], tuple[PlanLayout, str, date]]) -> dict[str, Any]:
    """p50/p95 of a one-OPD Tabel 3.2 page at a random date and of a line's history page."""
    port = _free_port()
    url = store.url.render_as_string(hide_password=False) if store.is_postgres else str(store.sqlite_path)
    process = subprocess.Popen(
        # `renja serve` itself, so that the server runs as a user's does (the CLI's collector settings included).
        [sys.executable, "-m", "cli.app", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, "RENJA_DB": url},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(300):
            try:
                _fetch_ms(f"{base}/sehat")
                break
            except OSError:
                if process.poll() is not None:
                    raise LedgerError("bench: the web application did not start: "
                                      + (process.stderr.read().decode()[-500:] if process.stderr else "")) from None
                time.sleep(0.1)

        def form(layout: PlanLayout, as_of: date) -> str:
            return f"{base}/rencana/{quote(layout.opd)}/{layout.tahun}/perubahan?as_of={as_of.isoformat()}"

        def history(layout: PlanLayout, kode: str) -> str:
            return f"{base}/baris/{quote(layout.opd)}/{layout.tahun}/{kode}"

        layout, kode, as_of = pick()
        _fetch_ms(form(layout, as_of))  # warm: templates, catalog, connection pool
        _fetch_ms(history(layout, kode))
        def next_form() -> str:
            layout, _, as_of = pick()
            return form(layout, as_of)

        def next_history() -> str:
            layout, kode, _ = pick()
            return history(layout, kode)

        forms, histories = _samples(20, next_form), _samples(50, next_history)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"page_perubahan_ms": ms_stats(forms), "page_history_ms": ms_stats(histories)}
